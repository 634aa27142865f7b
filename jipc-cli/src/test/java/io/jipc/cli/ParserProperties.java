package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.IpcKey;
import io.jipc.sysv.SemOp;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * Properties of everything the command line parses from outside: keys, ids, project ids, modes,
 * durations, sizes, hexadecimal bodies, semaphore operation lists, and the text shown for bytes.
 * Each valid spelling gives the value it spells; any other text is refused with the converter's
 * one-line message, never another exception.
 */
class ParserProperties {

    /** Text from the whole range of inputs a user (or a script gone wrong) may type. */
    @Provide
    Arbitrary<String> anything() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(24),
                Arbitraries.strings().withChars("0123456789xXoO+-.:,smhunPTSMH \t").ofMaxLength(16));
    }

    private static <T> void refusedOrValid(CommandLine.ITypeConverter<T> converter, String text,
            java.util.function.Predicate<T> valid) throws Exception {
        T value;
        try {
            value = converter.convert(text);
        } catch (TypeConversionException e) {
            assertFalse(e.getMessage().isBlank() || e.getMessage().contains("\n"), e.getMessage());
            return;
        }
        assertTrue(valid.test(value), text + " -> " + value);
    }

    // ---- keys, ids, project ids ---------------------------------------------------------------

    @Property
    void a_key_reads_back_in_hex_and_decimal(@ForAll int k) throws Exception {
        Converters.Key c = new Converters.Key();
        IpcKey key = IpcKey.of(k);
        assertEquals(key, c.convert(key.toString()));
        assertEquals(key, c.convert(Integer.toString(k)));
        assertEquals(key, c.convert("0X" + Integer.toHexString(k).toUpperCase(Locale.ROOT)));
    }

    @Property(tries = 300)
    void any_text_is_a_key_or_refused(@ForAll("anything") String text) throws Exception {
        refusedOrValid(new Converters.Key(), text, k -> IpcKey.parse(k.toString()).equals(k));
    }

    @Property
    void an_id_is_a_number_from_zero(@ForAll int id) throws Exception {
        Converters.Id c = new Converters.Id();
        if (id >= 0) {
            assertEquals(id, c.convert(Integer.toString(id)));
        } else {
            refusedOrValid(c, Integer.toString(id), v -> false);
        }
    }

    @Property(tries = 300)
    void any_text_is_a_proj_in_range_or_refused(@ForAll("anything") String text) throws Exception {
        refusedOrValid(new Converters.Proj(), text, p -> p >= 1 && p <= 255);
    }

    @Property
    void a_proj_reads_as_decimal_hex_or_character(@ForAll @IntRange(min = 1, max = 255) int p) throws Exception {
        Converters.Proj c = new Converters.Proj();
        assertEquals(p, c.convert(Integer.toString(p)));
        assertEquals(p, c.convert("0x" + Integer.toHexString(p)));
        if (!Character.isDigit((char) p)) {
            assertEquals(p, c.convert(String.valueOf((char) p)));
        }
    }

    // ---- modes ------------------------------------------------------------------------------

    @Property
    void a_mode_reads_in_every_octal_spelling(@ForAll @IntRange(max = 0777) int bits) throws Exception {
        Converters.Mode c = new Converters.Mode();
        for (String spelling : List.of(String.format("0%o", bits), String.format("%o", bits),
                String.format("0o%o", bits), String.format("0O%03o", bits), String.format("%04o", bits))) {
            assertEquals(bits, c.convert(spelling), spelling);
        }
    }

    @Property(tries = 300)
    void any_text_is_permission_bits_or_refused(@ForAll("anything") String text) throws Exception {
        refusedOrValid(new Converters.Mode(), text, m -> m >= 0 && m <= 0777);
    }

    @Property
    void bits_above_0777_are_refused(@ForAll @IntRange(min = 01000, max = 077777) int bits) throws Exception {
        refusedOrValid(new Converters.Mode(), String.format("0%o", bits), m -> false);
    }

    // ---- durations --------------------------------------------------------------------------

    @Property
    void a_duration_reads_in_every_unit(@ForAll @LongRange(max = 1_000_000_000L) long n) throws Exception {
        Converters.Duration c = new Converters.Duration();
        assertEquals(Duration.ofNanos(n), c.convert(n + "ns"));
        assertEquals(Duration.ofNanos(n).multipliedBy(1_000), c.convert(n + "us"));
        assertEquals(Duration.ofMillis(n), c.convert(n + "ms"));
        assertEquals(Duration.ofSeconds(n), c.convert(n + "s"));
        assertEquals(Duration.ofSeconds(n), c.convert(Long.toString(n)), "a bare number is seconds");
        assertEquals(Duration.ofMinutes(n), c.convert(n + "m"));
        assertEquals(Duration.ofHours(n), c.convert(n + "H"));
    }

    @Property
    void fractions_and_iso_8601_read_exactly(@ForAll @LongRange(max = 86_400_000L) long millis) throws Exception {
        Converters.Duration c = new Converters.Duration();
        Duration d = Duration.ofMillis(millis);
        assertEquals(d, c.convert(d.toString()), "ISO-8601 " + d);
        String seconds = java.math.BigDecimal.valueOf(millis, 3).toPlainString();
        assertEquals(d, c.convert(seconds + "s"), seconds + "s");
        assertEquals(d, c.convert(seconds), seconds);
    }

    @Property(tries = 300)
    void any_text_is_a_duration_of_zero_or_more_or_refused(@ForAll("anything") String text) throws Exception {
        refusedOrValid(new Converters.Duration(), text, d -> !d.isNegative());
    }

    // ---- sizes ------------------------------------------------------------------------------

    @Property
    void a_size_reads_with_each_suffix(@ForAll @LongRange(max = 1L << 30) long n) throws Exception {
        Converters.Size c = new Converters.Size();
        assertEquals(n, c.convert(Long.toString(n)));
        assertEquals(n, c.convert("0x" + Long.toHexString(n)));
        assertEquals(n << 10, c.convert(n + "k"));
        assertEquals(n << 20, c.convert(n + "M"));
        assertEquals(n << 30, c.convert(n + "g"));
    }

    @Property(tries = 300)
    void any_text_is_a_size_or_refused(@ForAll("anything") String text) throws Exception {
        refusedOrValid(new Converters.Size(), text, n -> n >= 0);
    }

    // ---- hexadecimal bodies -----------------------------------------------------------------

    private static final CommandLine.Model.CommandSpec SEND = new CommandLine(new Main()).getSubcommands().get("mq")
            .getSubcommands().get("send").getCommandSpec();

    @Property
    void hex_with_any_spacing_gives_the_bytes(@ForAll @Size(max = 64) byte[] bytes, @ForAll boolean upper,
            @ForAll @IntRange(max = 8) int gaps) throws Exception {
        StringBuilder hex = new StringBuilder(upper ? HexFormat.of().withUpperCase().formatHex(bytes)
                : HexFormat.of().formatHex(bytes));
        for (int i = 0; i < gaps && hex.length() > 0; i++) {
            hex.insert((i * 7) % (hex.length() + 1), i % 2 == 0 ? ' ' : '\n');
        }
        BodyOptions b = new BodyOptions();
        b.hex = hex.toString();
        assertArrayEquals(bytes, BodyOptions.read(b, new ByteArrayInputStream(new byte[0]), 1 << 20, "the limit", SEND));
    }

    @Property(tries = 300)
    void any_hex_text_is_bytes_or_a_usage_error(@ForAll("anything") String text) throws Exception {
        BodyOptions b = new BodyOptions();
        b.hex = text;
        try {
            byte[] bytes = BodyOptions.read(b, new ByteArrayInputStream(new byte[0]), 1 << 20, "the limit", SEND);
            assertEquals(text.replaceAll("\\s+", "").length(), bytes.length * 2);
        } catch (CommandLine.ParameterException e) {
            assertTrue(e.getMessage().startsWith("--hex '"), e.getMessage());
        }
    }

    @Property(tries = 50)
    void input_longer_than_the_limit_is_refused_after_reading_one_byte_more(
            @ForAll @IntRange(max = 100) int limit, @ForAll @IntRange(max = 300) int length) throws Exception {
        int[] read = {0};
        java.io.InputStream in = new java.io.InputStream() {
            @Override
            public int read() {
                return read[0] < length ? (read[0]++ & 0x7f) : -1;
            }
        };
        try {
            byte[] got = BodyOptions.read(null, in, limit, "the limit", SEND);
            assertTrue(length <= limit && got.length == length);
        } catch (java.io.IOException e) {
            assertTrue(length > limit, e.getMessage());
            assertEquals("standard input holds more than the limit; nothing was written", e.getMessage());
        }
        assertTrue(read[0] <= limit + 1, "read " + read[0] + " bytes for a limit of " + limit);
    }

    // ---- semaphore operation lists ----------------------------------------------------------

    @Provide
    Arbitrary<List<int[]>> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(-32768, 32767))
                .as((i, d) -> new int[] {i, d}).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property
    void an_op_list_gives_its_operations_in_order(@ForAll("ops") List<int[]> ops, @ForAll boolean spaces,
            @ForAll boolean plus) throws Exception {
        List<String> parts = new ArrayList<>();
        List<SemOp> expected = new ArrayList<>();
        for (int[] o : ops) {
            String delta = (plus && o[1] > 0 ? "+" : "") + o[1];
            parts.add(spaces ? " " + o[0] + " : " + delta + " " : o[0] + ":" + delta);
            expected.add(SemOp.of(o[0], o[1]));
        }
        assertEquals(expected, new SemCommand.Ops().convert(String.join(",", parts)));
    }

    @Property(tries = 300)
    void any_text_is_an_op_list_or_refused(@ForAll("anything") String text) throws Exception {
        refusedOrValid(new SemCommand.Ops(), text, l -> !l.isEmpty());
    }

    // ---- text shown for bytes ---------------------------------------------------------------

    @Property(tries = 500)
    void escaped_text_gives_back_the_bytes_and_holds_no_control_character(@ForAll @Size(max = 64) byte[] bytes) {
        String shown = Text.escape(bytes, 0, bytes.length);
        assertArrayEquals(bytes, Text.unescape(shown));
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            assertFalse(c < 0x20 || (c >= 0x7f && c <= 0x9f), "control character " + (int) c + " in " + shown);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < shown.length() && Character.isLowSurrogate(shown.charAt(++i)), shown);
            } else {
                assertFalse(Character.isLowSurrogate(c), shown);
            }
        }
    }

    @Property(tries = 500)
    void text_is_exactly_strict_utf8_without_control_characters(@ForAll @Size(max = 32) byte[] bytes) {
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            decoded = null;
        }
        boolean expected = decoded != null && decoded.chars().noneMatch(c ->
                (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f));
        assertEquals(expected, Text.isText(bytes), HexFormat.of().formatHex(bytes));
        if (expected) {
            assertEquals(decoded, Text.show(bytes), "text is shown as it is");
        }
    }

    @Property
    void every_string_without_controls_is_text(@ForAll @Size(max = 40) String s) {
        String clean = s.codePoints().filter(c -> !((c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff)))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        byte[] utf8 = clean.getBytes(StandardCharsets.UTF_8);
        assertTrue(Text.isText(utf8), clean);
        assertEquals(clean, Text.show(utf8));
    }
}
