package io.jipc.struct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gen;
import io.jipc.testkit.Props;

import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Properties of {@link CStruct} over random declarations: every valid member list parses and lays
 * out consistently, a sample is laid out exactly as gcc does, decoding random bytes never fails,
 * and junk is refused only with {@link StructParseException}.
 */
class StructProperties {
    static final List<String> SCALARS =
            List.of(
                    "char",
                    "signed char",
                    "unsigned char",
                    "short",
                    "unsigned short",
                    "int",
                    "unsigned int",
                    "unsigned",
                    "long",
                    "unsigned long",
                    "long long",
                    "unsigned long long",
                    "int8_t",
                    "uint8_t",
                    "int16_t",
                    "uint16_t",
                    "int32_t",
                    "uint32_t",
                    "int64_t",
                    "uint64_t",
                    "float",
                    "double",
                    "size_t",
                    "ssize_t",
                    "pid_t",
                    "uid_t",
                    "gid_t",
                    "key_t");

    /**
     * A member list of up to 6 members, nested structs up to 2 deep, maybe a flexible array last.
     */
    static final Gen<String> DECLARATIONS = declarations();

    private static Gen<String> declarations() {
        Gen<String> body = members(2);
        Gen<String> flexType = Gen.choice(SCALARS);
        Gen<Boolean> flexible = Gen.choice(true, false, false);
        return s -> {
            String b = body.next(s);
            String t = flexType.next(s);
            return b + (flexible.next(s) ? " " + t + " flex[];" : "");
        };
    }

    private static Gen<String> members(int depth) {
        Gen<String> scalar = scalarMember();
        // four scalar members to one nested struct
        Gen<String> one =
                depth == 0 ? scalar : Gen.oneOf(scalar, scalar, scalar, scalar, nested(depth));
        return one.list(1, 6)
                .map(
                        list -> {
                            StringBuilder b = new StringBuilder();
                            for (int i = 0; i < list.size(); i++) {
                                b.append(list.get(i).replace("NAME", "m" + i)).append(' ');
                            }
                            return b.toString().trim();
                        });
    }

    private static Gen<String> scalarMember() {
        Gen<String> type = Gen.choice(SCALARS);
        Gen<String> dims = dims();
        return s -> type.next(s) + " NAME" + dims.next(s) + ";";
    }

    private static Gen<String> nested(int depth) {
        Gen<String> members = members(depth - 1);
        Gen<String> dims = dims();
        return s -> "struct { " + members.next(s) + " } NAME" + dims.next(s) + ";";
    }

    private static Gen<String> dims() {
        return Gen.ints(1, 4)
                .list(0, 2)
                .map(l -> l.stream().map(n -> "[" + n + "]").reduce("", String::concat));
    }

    private static final Gen<Packing> PACKINGS = Gen.choice(Packing.values());

    record Declared(String decl, Packing packing) {}

    @Test
    void every_valid_declaration_lays_out_consistently() {
        Gen<Declared> declared = s -> new Declared(DECLARATIONS.next(s), PACKINGS.next(s));
        Props.forAll(
                "every valid declaration lays out consistently",
                200,
                declared,
                c -> {
                    String decl = c.decl();
                    Packing packing = c.packing();
                    CStruct s = CStruct.parse(decl, packing, ByteOrder.nativeOrder());
                    assertEquals(0, s.size() % s.alignment(), decl);
                    if (packing == Packing.PACKED) {
                        assertEquals(1, s.alignment(), decl);
                    }
                    for (CStruct.Field f : s.fields()) {
                        assertTrue(
                                f.offset() >= 0 && f.offset() + f.size() <= s.size()
                                        || f.type().endsWith("[]"),
                                f + " in " + decl);
                    }
                    assertEquals(s.size(), s.layout().byteSize(), decl);
                    CStruct again =
                            CStruct.parse(s.declaration(), packing, ByteOrder.nativeOrder());
                    assertEquals(
                            List.of(s.declaration(), s.fields(), s.size()),
                            List.of(again.declaration(), again.fields(), again.size()),
                            "its own declaration re-parses to the same layout");
                });
    }

    record Decoded(String decl, Packing packing, long seed) {}

    @Test
    void random_bytes_decode_and_short_input_is_refused() {
        Gen<Long> seeds = Gen.longs();
        Gen<Decoded> decoded =
                s -> new Decoded(DECLARATIONS.next(s), PACKINGS.next(s), seeds.next(s));
        Props.forAll(
                "random bytes decode and short input is refused",
                200,
                decoded,
                c -> {
                    String decl = c.decl();
                    CStruct s = CStruct.parse(decl, c.packing(), ByteOrder.nativeOrder());
                    java.util.Random r = new java.util.Random(c.seed());
                    byte[] bytes = new byte[(int) s.size() + r.nextInt(9)];
                    r.nextBytes(bytes);
                    Map<String, Object> values = s.decode(bytes);
                    boolean flex = decl.endsWith(" flex[];");
                    int depth = 0;
                    int members = 0;
                    for (char ch : decl.toCharArray()) {
                        depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
                        members += ch == ';' && depth == 0 ? 1 : 0;
                    }
                    List<String> top = new ArrayList<>();
                    for (int i = 0; i < members - (flex ? 1 : 0); i++) {
                        top.add("m" + i);
                    }
                    if (flex) {
                        top.add("flex");
                    }
                    assertEquals(
                            top,
                            new ArrayList<>(values.keySet()),
                            "one value per top-level member, in order");
                    if (!decl.matches("(?s).*(?<!signed )char (m\\d+|flex)\\[.*")) {
                        // no text: what was decoded encodes back to values that decode the same
                        assertEquals(deep(values), deep(s.decode(s.encode(values))), decl);
                    }
                    if (s.size() > 0) {
                        byte[] shorter = java.util.Arrays.copyOf(bytes, (int) s.size() - 1);
                        assertThrows(IllegalArgumentException.class, () -> s.decode(shorter), decl);
                    }
                });
    }

    private static String deep(Object v) {
        return switch (v) {
            case byte[] b -> java.util.Arrays.toString(b);
            case Map<?, ?> m ->
                    m.entrySet().stream()
                            .map(e -> e.getKey() + "=" + deep(e.getValue()))
                            .toList()
                            .toString();
            case List<?> l -> l.stream().map(StructProperties::deep).toList().toString();
            default -> String.valueOf(v);
        };
    }

    @Test
    void a_sample_of_random_declarations_is_laid_out_as_gcc_lays_it_out() {
        Props.forAll(
                "a sample of random declarations is laid out as gcc lays it out",
                2,
                DECLARATIONS.list(30, 30),
                sample ->
                        assertEquals(
                                List.of(),
                                StructGccConformanceTest.mismatchesAgainstGcc(
                                        "struct_random_probe", sample)));
    }

    /** Tokens of C and junk, joined at random: parse succeeds or says why, nothing else. */
    static final Gen<String> JUNK =
            Gen.choice(
                            "char",
                            "int",
                            "long",
                            "unsigned",
                            "signed",
                            "struct",
                            "union",
                            "double",
                            "float",
                            "const",
                            "x",
                            "y",
                            "z",
                            "[",
                            "]",
                            "[]",
                            ";",
                            ",",
                            "{",
                            "}",
                            "(",
                            ")",
                            "*",
                            "/*",
                            "*/",
                            "0",
                            "3",
                            "-1",
                            "99999999999999999999",
                            "int8_t",
                            "size_t",
                            "long double",
                            "_Bool",
                            "\u00e9",
                            "\n",
                            "\t",
                            "#")
                    .list(0, 14)
                    .map(l -> String.join(" ", l));

    @Test
    void junk_is_refused_only_with_a_parse_exception_naming_a_column() {
        Props.forAll(
                "junk is refused only with a parse exception naming a column",
                300,
                JUNK,
                decl -> {
                    try {
                        CStruct.parse(decl, Packing.NATIVE, ByteOrder.nativeOrder());
                    } catch (StructParseException e) {
                        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), decl);
                    }
                });
    }

    @Test
    void arbitrary_text_is_refused_only_with_a_parse_exception() {
        Props.forAll(
                "arbitrary text is refused only with a parse exception",
                300,
                Gen.strings(60),
                decl -> {
                    try {
                        CStruct.parse(decl, Packing.NATIVE, ByteOrder.nativeOrder());
                    } catch (StructParseException e) {
                        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), decl);
                    }
                });
    }
}
