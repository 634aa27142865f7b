package io.jipc.struct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of {@link CStruct} over random declarations: every valid member list parses and
 * lays out consistently, a sample is laid out exactly as gcc does, decoding random bytes never
 * fails, and junk is refused only with {@link StructParseException}.
 */
class StructProperties {
    static final List<String> SCALARS = List.of("char", "signed char", "unsigned char", "short", "unsigned short",
            "int", "unsigned int", "unsigned", "long", "unsigned long", "long long", "unsigned long long",
            "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t", "float",
            "double", "size_t", "ssize_t", "pid_t", "uid_t", "gid_t", "key_t");

    /** A member list of up to 6 members, nested structs up to 2 deep, maybe a flexible array last. */
    @Provide
    Arbitrary<String> declarations() {
        return Combinators.combine(members(2), Arbitraries.of(SCALARS), Arbitraries.of(true, false, false))
                .as((body, t, flexible) -> body + (flexible ? " " + t + " flex[];" : ""));
    }

    private Arbitrary<String> members(int depth) {
        Arbitrary<String> one = depth == 0 ? scalarMember()
                : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, scalarMember()),
                        net.jqwik.api.Tuple.of(1, nested(depth)));
        return one.list().ofMinSize(1).ofMaxSize(6).map(list -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < list.size(); i++) {
                b.append(list.get(i).replace("NAME", "m" + i)).append(' ');
            }
            return b.toString().trim();
        });
    }

    private Arbitrary<String> scalarMember() {
        return Combinators.combine(Arbitraries.of(SCALARS), dims()).as((t, d) -> t + " NAME" + d + ";");
    }

    private Arbitrary<String> nested(int depth) {
        return Combinators.combine(members(depth - 1), dims()).as((m, d) -> "struct { " + m + " } NAME" + d + ";");
    }

    private Arbitrary<String> dims() {
        return Arbitraries.integers().between(1, 4).list().ofMaxSize(2)
                .map(l -> l.stream().map(n -> "[" + n + "]").reduce("", String::concat));
    }

    @Property(tries = 200)
    void every_valid_declaration_lays_out_consistently(@ForAll("declarations") String decl,
            @ForAll Packing packing) {
        CStruct s = CStruct.parse(decl, packing, ByteOrder.nativeOrder());
        assertEquals(0, s.size() % s.alignment(), decl);
        if (packing == Packing.PACKED) {
            assertEquals(1, s.alignment(), decl);
        }
        for (CStruct.Field f : s.fields()) {
            assertTrue(f.offset() >= 0 && f.offset() + f.size() <= s.size() || f.type().endsWith("[]"), f + " in " + decl);
        }
        assertEquals(s.size(), s.layout().byteSize(), decl);
        CStruct again = CStruct.parse(s.declaration(), packing, ByteOrder.nativeOrder());
        assertEquals(List.of(s.declaration(), s.fields(), s.size()), List.of(again.declaration(), again.fields(), again.size()),
                "its own declaration re-parses to the same layout");
    }

    @Property(tries = 200)
    void random_bytes_decode_and_short_input_is_refused(@ForAll("declarations") String decl,
            @ForAll Packing packing, @ForAll long seed) {
        CStruct s = CStruct.parse(decl, packing, ByteOrder.nativeOrder());
        java.util.Random r = new java.util.Random(seed);
        byte[] bytes = new byte[(int) s.size() + r.nextInt(9)];
        r.nextBytes(bytes);
        Map<String, Object> values = s.decode(bytes);
        boolean flex = decl.endsWith(" flex[];");
        int depth = 0;
        int members = 0;
        for (char c : decl.toCharArray()) {
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            members += c == ';' && depth == 0 ? 1 : 0;
        }
        List<String> top = new ArrayList<>();
        for (int i = 0; i < members - (flex ? 1 : 0); i++) {
            top.add("m" + i);
        }
        if (flex) {
            top.add("flex");
        }
        assertEquals(top, new ArrayList<>(values.keySet()), "one value per top-level member, in order");
        if (!decl.matches("(?s).*(?<!signed )char (m\\d+|flex)\\[.*")) {
            // no text: what was decoded encodes back to values that decode the same
            assertEquals(deep(values), deep(s.decode(s.encode(values))), decl);
        }
        if (s.size() > 0) {
            byte[] shorter = java.util.Arrays.copyOf(bytes, (int) s.size() - 1);
            assertThrows(IllegalArgumentException.class, () -> s.decode(shorter), decl);
        }
    }

    private static String deep(Object v) {
        return switch (v) {
            case byte[] b -> java.util.Arrays.toString(b);
            case Map<?, ?> m -> m.entrySet().stream().map(e -> e.getKey() + "=" + deep(e.getValue())).toList().toString();
            case List<?> l -> l.stream().map(StructProperties::deep).toList().toString();
            default -> String.valueOf(v);
        };
    }

    @Property(tries = 2)
    void a_sample_of_random_declarations_is_laid_out_as_gcc_lays_it_out(
            @ForAll @Size(30) List<@net.jqwik.api.From("declarations") String> sample) {
        assertEquals(List.of(), StructGccConformanceTest.mismatchesAgainstGcc("struct_random_probe", sample));
    }

    /** Tokens of C and junk, joined at random: parse succeeds or says why, nothing else. */
    @Provide
    Arbitrary<String> junk() {
        Arbitrary<String> token = Arbitraries.of("char", "int", "long", "unsigned", "signed", "struct", "union", "double",
                "float", "const", "x", "y", "z", "[", "]", "[]", ";", ",", "{", "}", "(", ")", "*", "/*", "*/", "0", "3",
                "-1", "99999999999999999999", "int8_t", "size_t", "long double", "_Bool", "\u00e9", "\n", "\t", "#");
        return token.list().ofMaxSize(14).map(l -> String.join(" ", l));
    }

    @Property(tries = 300)
    void junk_is_refused_only_with_a_parse_exception_naming_a_column(@ForAll("junk") String decl) {
        try {
            CStruct.parse(decl, Packing.NATIVE, ByteOrder.nativeOrder());
        } catch (StructParseException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), decl);
        }
    }

    @Property(tries = 300)
    void arbitrary_text_is_refused_only_with_a_parse_exception(@ForAll @Size(max = 60) String decl) {
        try {
            CStruct.parse(decl, Packing.NATIVE, ByteOrder.nativeOrder());
        } catch (StructParseException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), decl);
        }
    }
}
