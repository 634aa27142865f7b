package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.IpcKey;
import io.jipc.sysv.SemOp;
import io.jipc.testkit.Gen;
import io.jipc.testkit.Props;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

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

/**
 * Properties of everything the command line parses from outside: keys, ids, project ids, modes,
 * durations, sizes, hexadecimal bodies, semaphore operation lists, and the text shown for bytes.
 * Each valid spelling gives the value it spells; any other text is refused with the converter's
 * one-line message, never another exception.
 */
class ParserProperties {

    /** Text from the whole range of inputs a user (or a script gone wrong) may type. */
    static final Gen<String> ANYTHING =
            Gen.oneOf(Gen.strings(24), Gen.strings("0123456789xXoO+-.:,smhunPTSMH \t", 16));

    private static <T> void refusedOrValid(
            CommandLine.ITypeConverter<T> converter,
            String text,
            java.util.function.Predicate<T> valid)
            throws Exception {
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

    @Test
    void a_key_reads_back_in_hex_and_decimal() {
        Props.forAll(
                "a key reads back in hex and decimal",
                100,
                Gen.ints(),
                k -> {
                    Converters.Key c = new Converters.Key();
                    IpcKey key = IpcKey.of(k);
                    assertEquals(key, c.convert(key.toString()));
                    assertEquals(key, c.convert(Integer.toString(k)));
                    assertEquals(
                            key, c.convert("0X" + Integer.toHexString(k).toUpperCase(Locale.ROOT)));
                });
    }

    @Test
    void any_text_is_a_key_or_refused() {
        Props.forAll(
                "any text is a key or refused",
                300,
                ANYTHING,
                text ->
                        refusedOrValid(
                                new Converters.Key(),
                                text,
                                k -> IpcKey.parse(k.toString()).equals(k)));
    }

    @Test
    void an_id_is_a_number_from_zero() {
        Props.forAll(
                "an id is a number from zero",
                100,
                Gen.ints(),
                id -> {
                    Converters.Id c = new Converters.Id();
                    if (id >= 0) {
                        assertEquals(id, c.convert(Integer.toString(id)));
                    } else {
                        refusedOrValid(c, Integer.toString(id), v -> false);
                    }
                });
    }

    @Test
    void any_text_is_a_proj_in_range_or_refused() {
        Props.forAll(
                "any text is a proj in range or refused",
                300,
                ANYTHING,
                text -> refusedOrValid(new Converters.Proj(), text, p -> p >= 1 && p <= 255));
    }

    @Test
    void a_proj_reads_as_decimal_hex_or_character() {
        Props.forAll(
                "a proj reads as decimal, hex or character",
                100,
                Gen.ints(1, 255),
                p -> {
                    Converters.Proj c = new Converters.Proj();
                    assertEquals(p, c.convert(Integer.toString(p)));
                    assertEquals(p, c.convert("0x" + Integer.toHexString(p)));
                    if (!Character.isDigit((char) (int) p)) {
                        assertEquals(p, c.convert(String.valueOf((char) (int) p)));
                    }
                });
    }

    // ---- modes ------------------------------------------------------------------------------

    @Test
    void a_mode_reads_in_every_octal_spelling() {
        Props.forAll(
                "a mode reads in every octal spelling",
                100,
                Gen.ints(0, 0777),
                bits -> {
                    Converters.Mode c = new Converters.Mode();
                    for (String spelling :
                            List.of(
                                    String.format("0%o", bits),
                                    String.format("%o", bits),
                                    String.format("0o%o", bits),
                                    String.format("0O%03o", bits),
                                    String.format("%04o", bits))) {
                        assertEquals(bits, c.convert(spelling), spelling);
                    }
                });
    }

    @Test
    void any_text_is_permission_bits_or_refused() {
        Props.forAll(
                "any text is permission bits or refused",
                300,
                ANYTHING,
                text -> refusedOrValid(new Converters.Mode(), text, m -> m >= 0 && m <= 0777));
    }

    @Test
    void bits_above_0777_are_refused() {
        Props.forAll(
                "bits above 0777 are refused",
                100,
                Gen.ints(01000, 077777),
                bits ->
                        refusedOrValid(
                                new Converters.Mode(), String.format("0%o", bits), m -> false));
    }

    // ---- durations --------------------------------------------------------------------------

    @Test
    void a_duration_reads_in_every_unit() {
        Props.forAll(
                "a duration reads in every unit",
                100,
                Gen.longs(0, 1_000_000_000L),
                n -> {
                    Converters.Duration c = new Converters.Duration();
                    assertEquals(Duration.ofNanos(n), c.convert(n + "ns"));
                    assertEquals(Duration.ofNanos(n).multipliedBy(1_000), c.convert(n + "us"));
                    assertEquals(Duration.ofMillis(n), c.convert(n + "ms"));
                    assertEquals(Duration.ofSeconds(n), c.convert(n + "s"));
                    assertEquals(
                            Duration.ofSeconds(n),
                            c.convert(Long.toString(n)),
                            "a bare number is seconds");
                    assertEquals(Duration.ofMinutes(n), c.convert(n + "m"));
                    assertEquals(Duration.ofHours(n), c.convert(n + "H"));
                });
    }

    @Test
    void fractions_and_iso_8601_read_exactly() {
        Props.forAll(
                "fractions and ISO-8601 read exactly",
                100,
                Gen.longs(0, 86_400_000L),
                millis -> {
                    Converters.Duration c = new Converters.Duration();
                    Duration d = Duration.ofMillis(millis);
                    assertEquals(d, c.convert(d.toString()), "ISO-8601 " + d);
                    String seconds = java.math.BigDecimal.valueOf(millis, 3).toPlainString();
                    assertEquals(d, c.convert(seconds + "s"), seconds + "s");
                    assertEquals(d, c.convert(seconds), seconds);
                });
    }

    @Test
    void a_duration_prints_in_the_grammar_and_reads_back() {
        Gen<Duration> durations =
                Gen.oneOf(
                        Gen.longs(0, 999_999_999L).map(Duration::ofNanos),
                        Gen.longs(0, 1L << 40).map(Duration::ofMillis),
                        Gen.longs(0, 1L << 40).map(Duration::ofSeconds),
                        Gen.longs(0, 1L << 20).map(Duration::ofMinutes),
                        Gen.longs(0, 1L << 20).map(Duration::ofHours));
        Props.forAll(
                "a duration prints in the grammar and reads back",
                300,
                durations,
                d -> {
                    String text = Converters.Duration.text(d);
                    assertTrue(text.matches("\\d+(\\.\\d+)?(ns|us|ms|s|m|h)"), text);
                    assertEquals(d, new Converters.Duration().convert(text), text);
                });
        assertEquals(
                List.of(
                        "0s",
                        "300ms",
                        "20ms",
                        "150us",
                        "7ns",
                        "1.5s",
                        "90s",
                        "2m",
                        "1h",
                        "1.000000001s"),
                java.util.stream.Stream.of(
                                Duration.ZERO,
                                Duration.ofMillis(300),
                                Duration.ofMillis(20),
                                Duration.ofNanos(150_000),
                                Duration.ofNanos(7),
                                Duration.ofMillis(1500),
                                Duration.ofSeconds(90),
                                Duration.ofMinutes(2),
                                Duration.ofHours(1),
                                Duration.ofSeconds(1, 1))
                        .map(Converters.Duration::text)
                        .toList());
    }

    @Test
    void any_text_is_a_duration_of_zero_or_more_or_refused() {
        Props.forAll(
                "any text is a duration of zero or more or refused",
                300,
                ANYTHING,
                text -> refusedOrValid(new Converters.Duration(), text, d -> !d.isNegative()));
    }

    // ---- sizes ------------------------------------------------------------------------------

    @Test
    void a_size_reads_with_each_suffix() {
        Props.forAll(
                "a size reads with each suffix",
                100,
                Gen.longs(0, 1L << 30),
                n -> {
                    Converters.Size c = new Converters.Size();
                    assertEquals(n, c.convert(Long.toString(n)));
                    assertEquals(n, c.convert("0x" + Long.toHexString(n)));
                    assertEquals(n << 10, c.convert(n + "k"));
                    assertEquals(n << 20, c.convert(n + "M"));
                    assertEquals(n << 30, c.convert(n + "g"));
                });
    }

    @Test
    void any_text_is_a_size_or_refused() {
        Props.forAll(
                "any text is a size or refused",
                300,
                ANYTHING,
                text -> refusedOrValid(new Converters.Size(), text, n -> n >= 0));
    }

    // ---- hexadecimal bodies -----------------------------------------------------------------

    private static final CommandLine.Model.CommandSpec SEND =
            new CommandLine(new Main())
                    .getSubcommands()
                    .get("mq")
                    .getSubcommands()
                    .get("send")
                    .getCommandSpec();

    record Spaced(byte[] bytes, boolean upper, int gaps) {}

    @Test
    void hex_with_any_spacing_gives_the_bytes() {
        Gen<byte[]> bodies = Gen.bytes(64);
        Gen<Boolean> cases = Gen.bools();
        Gen<Integer> gapCounts = Gen.ints(0, 8);
        Gen<Spaced> spaced = s -> new Spaced(bodies.next(s), cases.next(s), gapCounts.next(s));
        Props.forAll(
                "hex with any spacing gives the bytes",
                100,
                spaced,
                h -> {
                    byte[] bytes = h.bytes();
                    StringBuilder hex =
                            new StringBuilder(
                                    h.upper()
                                            ? HexFormat.of().withUpperCase().formatHex(bytes)
                                            : HexFormat.of().formatHex(bytes));
                    for (int i = 0; i < h.gaps() && hex.length() > 0; i++) {
                        hex.insert((i * 7) % (hex.length() + 1), i % 2 == 0 ? ' ' : '\n');
                    }
                    BodyOptions b = new BodyOptions();
                    b.hex = hex.toString();
                    assertArrayEquals(
                            bytes,
                            BodyOptions.read(
                                    b,
                                    new ByteArrayInputStream(new byte[0]),
                                    1 << 20,
                                    "the limit",
                                    SEND));
                });
    }

    @Test
    void any_hex_text_is_bytes_or_a_usage_error() {
        Props.forAll(
                "any hex text is bytes or a usage error",
                300,
                ANYTHING,
                text -> {
                    BodyOptions b = new BodyOptions();
                    b.hex = text;
                    try {
                        byte[] bytes =
                                BodyOptions.read(
                                        b,
                                        new ByteArrayInputStream(new byte[0]),
                                        1 << 20,
                                        "the limit",
                                        SEND);
                        assertEquals(text.replaceAll("\\s+", "").length(), bytes.length * 2);
                    } catch (CommandLine.ParameterException e) {
                        assertTrue(e.getMessage().startsWith("--hex '"), e.getMessage());
                    }
                });
    }

    record Limited(int limit, int length) {}

    @Test
    void input_longer_than_the_limit_is_refused_after_reading_one_byte_more() {
        Gen<Integer> limits = Gen.ints(0, 100);
        Gen<Integer> lengths = Gen.ints(0, 300);
        Gen<Limited> limited = s -> new Limited(limits.next(s), lengths.next(s));
        Props.forAll(
                "input longer than the limit is refused after reading one byte more",
                50,
                limited,
                l -> {
                    int limit = l.limit();
                    int length = l.length();
                    int[] read = {0};
                    java.io.InputStream in =
                            new java.io.InputStream() {
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
                        assertEquals(
                                "standard input holds more than the limit; nothing was written",
                                e.getMessage());
                    }
                    assertTrue(
                            read[0] <= limit + 1,
                            "read " + read[0] + " bytes for a limit of " + limit);
                });
    }

    // ---- semaphore operation lists ----------------------------------------------------------

    /** Lists of 1 to 6 operations, each a semaphore number and a delta. */
    static final Gen<List<int[]>> OPS = opLists();

    private static Gen<List<int[]>> opLists() {
        Gen<Integer> numbers = Gen.ints(0, 65535);
        Gen<Integer> deltas = Gen.ints(-32768, 32767);
        Gen<int[]> op = s -> new int[] {numbers.next(s), deltas.next(s)};
        return op.list(1, 6);
    }

    record Spelled(List<int[]> ops, boolean spaces, boolean plus) {}

    @Test
    void an_op_list_gives_its_operations_in_order() {
        Gen<Boolean> flags = Gen.bools();
        Gen<Spelled> spelled = s -> new Spelled(OPS.next(s), flags.next(s), flags.next(s));
        Props.forAll(
                "an op list gives its operations in order",
                100,
                spelled,
                c -> {
                    List<String> parts = new ArrayList<>();
                    List<SemOp> expected = new ArrayList<>();
                    for (int[] o : c.ops()) {
                        String delta = (c.plus() && o[1] > 0 ? "+" : "") + o[1];
                        parts.add(
                                c.spaces() ? " " + o[0] + " : " + delta + " " : o[0] + ":" + delta);
                        expected.add(SemOp.of(o[0], o[1]));
                    }
                    assertEquals(expected, new SemCommand.Ops().convert(String.join(",", parts)));
                });
    }

    @Test
    void any_text_is_an_op_list_or_refused() {
        Props.forAll(
                "any text is an op list or refused",
                300,
                ANYTHING,
                text -> refusedOrValid(new SemCommand.Ops(), text, l -> !l.isEmpty()));
    }

    // ---- text shown for bytes ---------------------------------------------------------------

    @Test
    void escaped_text_gives_back_the_bytes_and_holds_no_control_character() {
        Props.forAll(
                "escaped text gives back the bytes and holds no control character",
                500,
                Gen.bytes(64),
                bytes -> {
                    String shown = Text.escape(bytes, 0, bytes.length);
                    assertArrayEquals(bytes, Text.unescape(shown));
                    for (int i = 0; i < shown.length(); i++) {
                        char c = shown.charAt(i);
                        assertFalse(
                                c < 0x20 || (c >= 0x7f && c <= 0x9f),
                                "control character " + (int) c + " in " + shown);
                        if (Character.isHighSurrogate(c)) {
                            assertTrue(
                                    i + 1 < shown.length()
                                            && Character.isLowSurrogate(shown.charAt(++i)),
                                    shown);
                        } else {
                            assertFalse(Character.isLowSurrogate(c), shown);
                        }
                    }
                });
    }

    @Test
    void text_is_exactly_strict_utf8_without_control_characters() {
        Props.forAll(
                "text is exactly strict UTF-8 without control characters",
                500,
                Gen.bytes(32),
                bytes -> {
                    String decoded;
                    try {
                        decoded =
                                StandardCharsets.UTF_8
                                        .newDecoder()
                                        .onMalformedInput(CodingErrorAction.REPORT)
                                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                                        .decode(ByteBuffer.wrap(bytes))
                                        .toString();
                    } catch (CharacterCodingException e) {
                        decoded = null;
                    }
                    boolean expected =
                            decoded != null
                                    && decoded.chars()
                                            .noneMatch(
                                                    c ->
                                                            (c < 0x20 && c != '\t' && c != '\n'
                                                                            && c != '\r')
                                                                    || (c >= 0x7f && c <= 0x9f));
                    assertEquals(expected, Text.isText(bytes), HexFormat.of().formatHex(bytes));
                    if (expected) {
                        assertEquals(decoded, Text.show(bytes), "text is shown as it is");
                    }
                });
    }

    @Test
    void every_string_without_controls_is_text() {
        Props.forAll(
                "every string without controls is text",
                100,
                Gen.strings(40),
                s -> {
                    String clean =
                            s.codePoints()
                                    .filter(
                                            c ->
                                                    !((c < 0x20 && c != '\t' && c != '\n'
                                                                    && c != '\r')
                                                            || (c >= 0x7f && c <= 0x9f)
                                                            || (c >= 0xd800 && c <= 0xdfff)))
                                    .collect(
                                            StringBuilder::new,
                                            StringBuilder::appendCodePoint,
                                            StringBuilder::append)
                                    .toString();
                    byte[] utf8 = clean.getBytes(StandardCharsets.UTF_8);
                    assertTrue(Text.isText(utf8), clean);
                    assertEquals(clean, Text.show(utf8));
                });
    }
}
