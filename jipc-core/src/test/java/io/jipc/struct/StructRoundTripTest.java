package io.jipc.struct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Java to C to Java: Java encodes records holding every C type at its extremes; a C program
 * generated for the same declaration reads them with its own struct (plain or {@code #pragma
 * pack(1)}) and its own {@code be32toh}-style conversion, prints every value, and writes them back
 * from a fresh struct with {@code htobe32}-style conversion; Java compares the printed values, the
 * bytes, and what it decodes from C's bytes.
 */
class StructRoundTripTest {
    private static final Path IO_DIR = Path.of("target", "struct-io");
    private static final Set<String> UNSIGNED_TYPEDEFS = Set.of("size_t", "uid_t", "gid_t");

    /** A nested struct. */
    public record Inner(@C("int16_t") short x, @C("uint8_t") byte y) {}

    /** Every supported C type, each in a Java type of the same width. */
    public record AllTypes(
            @C("char") byte c,
            @C("signed char") byte sc,
            @C("unsigned char") byte uc,
            short s,
            @C("unsigned short") short us,
            int i,
            @C("unsigned int") int ui,
            long l,
            @C("unsigned long") long ul,
            @C("long long") long ll,
            @C("unsigned long long") long ull,
            @C("int8_t") byte i8,
            @C("uint8_t") byte u8,
            @C("int16_t") short i16,
            @C("uint16_t") short u16,
            @C("int32_t") int i32,
            @C("uint32_t") int u32,
            @C("int64_t") long i64,
            @C("uint64_t") long u64,
            float f,
            double d,
            @C("size_t") long sz,
            @C("ssize_t") long ssz,
            @C("pid_t") int pid,
            @C("key_t") int key,
            @C("uid_t") int uid,
            @C("gid_t") int gid,
            @C("[8]") String name,
            Inner inner,
            @C("[3]") int[] arr,
            @C("[2]") double[] ds) {}

    private static AllTypes all(long v, float f, double d, String name) {
        return new AllTypes(
                (byte) v,
                (byte) v,
                (byte) v,
                (short) v,
                (short) v,
                (int) v,
                (int) v,
                v,
                v,
                v,
                v,
                (byte) v,
                (byte) v,
                (short) v,
                (short) v,
                (int) v,
                (int) v,
                v,
                v,
                f,
                d,
                v,
                v,
                (int) v,
                (int) v,
                (int) v,
                (int) v,
                name,
                new Inner((short) v, (byte) v),
                new int[] {(int) v, (int) -v, 1},
                new double[] {d, -d});
    }

    /**
     * Signed minimum, maximum, -1 (unsigned maximum), the sign bit alone (unsigned 2^(n-1)), and
     * float specials.
     */
    static final List<AllTypes> EXTREMES =
            List.of(
                    new AllTypes(
                            Byte.MIN_VALUE,
                            Byte.MIN_VALUE,
                            (byte) 0,
                            Short.MIN_VALUE,
                            (short) 0,
                            Integer.MIN_VALUE,
                            0,
                            Long.MIN_VALUE,
                            0,
                            Long.MIN_VALUE,
                            0,
                            Byte.MIN_VALUE,
                            (byte) 0,
                            Short.MIN_VALUE,
                            (short) 0,
                            Integer.MIN_VALUE,
                            0,
                            Long.MIN_VALUE,
                            0,
                            -Float.MAX_VALUE,
                            -Double.MAX_VALUE,
                            0,
                            Long.MIN_VALUE,
                            Integer.MIN_VALUE,
                            Integer.MIN_VALUE,
                            0,
                            0,
                            "",
                            new Inner(Short.MIN_VALUE, (byte) 0),
                            new int[] {Integer.MIN_VALUE, 0, 0},
                            new double[] {Double.NEGATIVE_INFINITY, -0.0}),
                    new AllTypes(
                            Byte.MAX_VALUE,
                            Byte.MAX_VALUE,
                            (byte) -1,
                            Short.MAX_VALUE,
                            (short) -1,
                            Integer.MAX_VALUE,
                            -1,
                            Long.MAX_VALUE,
                            -1,
                            Long.MAX_VALUE,
                            -1,
                            Byte.MAX_VALUE,
                            (byte) -1,
                            Short.MAX_VALUE,
                            (short) -1,
                            Integer.MAX_VALUE,
                            -1,
                            Long.MAX_VALUE,
                            -1,
                            Float.MAX_VALUE,
                            Double.MAX_VALUE,
                            -1,
                            Long.MAX_VALUE,
                            Integer.MAX_VALUE,
                            Integer.MAX_VALUE,
                            -1,
                            -1,
                            "1234567",
                            new Inner(Short.MAX_VALUE, (byte) -1),
                            new int[] {Integer.MAX_VALUE, -1, 1},
                            new double[] {Double.POSITIVE_INFINITY, Double.MIN_VALUE}),
                    all(-1, Float.NaN, Double.NaN, "é€"),
                    all(
                            Long.MIN_VALUE | Integer.MIN_VALUE | Short.MIN_VALUE | Byte.MIN_VALUE,
                            -0.0f,
                            Double.NEGATIVE_INFINITY,
                            "x"),
                    all(0x8000_0000L, Float.MIN_VALUE, -Double.MIN_VALUE, "\u0001\u007f"),
                    all(
                            0x80,
                            Float.intBitsToFloat(0xffc00001),
                            Double.longBitsToDouble(0x7ff0000000000abcL),
                            "\t"),
                    all(-2, Float.POSITIVE_INFINITY, Math.nextDown(1.0), "7bytes!"));

    private record Leaf(String path, String type) {}

    /**
     * The scalar and string members, array elements expanded, e.g. {@code arr[1]}, {@code inner.x}.
     */
    private static List<Leaf> leaves(CStruct s) {
        List<Leaf> out = new ArrayList<>();
        for (CStruct.Field f : s.fields()) {
            if (f.type().startsWith("struct")) {
                continue;
            }
            int bracket = f.type().indexOf('[');
            if (bracket < 0 || f.type().startsWith("char[")) {
                out.add(new Leaf(f.path(), f.type()));
            } else {
                String base = f.type().substring(0, bracket);
                long n = Long.parseLong(f.type().substring(bracket + 1, f.type().indexOf(']')));
                for (int k = 0; k < n; k++) {
                    out.add(new Leaf(f.path() + "[" + k + "]", base));
                }
            }
        }
        return out;
    }

    private static char kind(String type) {
        if (type.startsWith("char[")) {
            return 'S';
        }
        if (type.equals("float") || type.equals("double")) {
            return type.charAt(0) == 'f' ? 'F' : 'D';
        }
        return type.startsWith("unsigned")
                        || type.startsWith("uint")
                        || UNSIGNED_TYPEDEFS.contains(type)
                ? 'U'
                : 'I';
    }

    private static String program(CStruct s) {
        StringBuilder c =
                new StringBuilder(
                        """
                #define _GNU_SOURCE
                #include <endian.h>
                #include <stdint.h>
                #include <stdio.h>
                #include <string.h>
                #include <sys/types.h>
                #define CONV(f, bits, fn) do { uint##bits##_t u_; memcpy(&u_, &(f), sizeof u_); u_ = fn(u_); memcpy(&(f), &u_, sizeof u_); } while (0)
                #define PI(n, f) printf("%s %lld\\n", n, (long long) (f))
                #define PU(n, f) printf("%s %llu\\n", n, (unsigned long long) (f))
                #define PF(n, f) do { uint32_t u_; memcpy(&u_, &(f), 4); printf("%s f:%08x\\n", n, u_); } while (0)
                #define PD(n, f) do { uint64_t u_; memcpy(&u_, &(f), 8); printf("%s d:%016llx\\n", n, (unsigned long long) u_); } while (0)
                #define PS(n, f) printf("%s s:%s\\n", n, f)
                """);
        c.append("struct a { ")
                .append(s.declaration())
                .append(" };\n#pragma pack(push, 1)\nstruct p { ")
                .append(s.declaration())
                .append(" };\n#pragma pack(pop)\n");
        for (String name : List.of("a", "p")) {
            c.append("static int run_")
                    .append(name)
                    .append("(int be, FILE *in, FILE *out) {\n")
                    .append("    struct ")
                    .append(name)
                    .append(" i, o;\n    int n = 0;\n")
                    .append("    while (fread(&i, sizeof i, 1, in) == 1) {\n");
            StringBuilder fromBe = new StringBuilder();
            StringBuilder print = new StringBuilder();
            StringBuilder copy = new StringBuilder();
            StringBuilder toBe = new StringBuilder();
            for (Leaf l : leaves(s)) {
                char k = kind(l.type());
                print.append("        P")
                        .append(k)
                        .append("(\"")
                        .append(l.path())
                        .append("\", i.")
                        .append(l.path())
                        .append(");\n");
                if (k == 'S') {
                    copy.append("        memcpy(o.")
                            .append(l.path())
                            .append(", i.")
                            .append(l.path())
                            .append(", sizeof o.")
                            .append(l.path())
                            .append(");\n");
                    continue;
                }
                copy.append("        o.")
                        .append(l.path())
                        .append(" = i.")
                        .append(l.path())
                        .append(";\n");
                long bits =
                        8
                                * switch (l.type()) {
                                    case "float",
                                            "int",
                                            "unsigned int",
                                            "int32_t",
                                            "uint32_t",
                                            "pid_t",
                                            "key_t",
                                            "uid_t",
                                            "gid_t" ->
                                            4;
                                    case "short", "unsigned short", "int16_t", "uint16_t" -> 2;
                                    case "char",
                                            "signed char",
                                            "unsigned char",
                                            "int8_t",
                                            "uint8_t" ->
                                            1;
                                    default -> 8;
                                };
                if (bits > 8) {
                    fromBe.append("            CONV(i.")
                            .append(l.path())
                            .append(", ")
                            .append(bits)
                            .append(", be")
                            .append(bits)
                            .append("toh);\n");
                    toBe.append("            CONV(o.")
                            .append(l.path())
                            .append(", ")
                            .append(bits)
                            .append(", htobe")
                            .append(bits)
                            .append(");\n");
                }
            }
            c.append("        if (be) {\n")
                    .append(fromBe)
                    .append("        }\n")
                    .append(print)
                    .append("        memset(&o, 0, sizeof o);\n")
                    .append(copy)
                    .append("        if (be) {\n")
                    .append(toBe)
                    .append("        }\n")
                    .append(
                            "        if (fwrite(&o, sizeof o, 1, out) != 1) return -1;\n        n++;\n    }\n")
                    .append("    return n;\n}\n");
        }
        c.append(
                """
                int main(int argc, char **argv) {
                    if (argc != 5) return 2;
                    FILE *in = fopen(argv[3], "rb"), *out = fopen(argv[4], "wb");
                    if (!in || !out) { perror("fopen"); return 1; }
                    int be = strcmp(argv[2], "be") == 0;
                    int n = argv[1][0] == 'p' ? run_p(be, in, out) : run_a(be, in, out);
                    fclose(in);
                    if (fclose(out) != 0 || n < 0) return 1;
                    printf("records %d\\n", n);
                    return 0;
                }
                """);
        return c.toString();
    }

    /** The value at a leaf path in a record or a decoded map. */
    private static Object at(Object root, String path) {
        Object v = root;
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            v =
                    switch (v) {
                        case Map<?, ?> m -> m.get(name);
                        case Record r ->
                                Arrays.stream(r.getClass().getRecordComponents())
                                        .filter(c -> c.getName().equals(name))
                                        .findFirst()
                                        .map(c -> invoke(c, r))
                                        .orElseThrow();
                        default -> throw new AssertionError(path);
                    };
            if (bracket >= 0) {
                int k = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
                v = v instanceof List<?> list ? list.get(k) : Array.get(v, k);
            }
        }
        return v;
    }

    private static Object invoke(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * What C prints for a value: integers in decimal (unsigned ones read with the Java type's
     * width), float bits in hex.
     */
    private static String text(Object v, char kind) {
        return switch (kind) {
            case 'S' -> "s:" + v;
            case 'F' -> String.format("f:%08x", Float.floatToRawIntBits((Float) v));
            case 'D' -> String.format("d:%016x", Double.doubleToRawLongBits((Double) v));
            case 'U' ->
                    switch (v) {
                        case Byte b -> Integer.toString(Byte.toUnsignedInt(b));
                        case Short s -> Integer.toString(Short.toUnsignedInt(s));
                        case Integer i -> Integer.toUnsignedString(i);
                        case Long l -> Long.toUnsignedString(l);
                        default -> v.toString(); // Long or BigInteger from a decoded map
                    };
            default -> v.toString();
        };
    }

    @Test
    void every_type_at_its_extremes_survives_java_to_c_to_java_in_both_packings_and_byte_orders()
            throws IOException {
        Path exe =
                Gcc.compileSource(
                        "struct_roundtrip",
                        program(
                                StructCodec.of(
                                                AllTypes.class,
                                                Packing.NATIVE,
                                                ByteOrder.nativeOrder())
                                        .struct()));
        Files.createDirectories(IO_DIR);
        int compared = 0;
        for (Packing packing : Packing.values()) {
            for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                StructCodec<AllTypes> codec = StructCodec.of(AllTypes.class, packing, order);
                String tag =
                        (packing == Packing.NATIVE ? "a" : "p")
                                + "-"
                                + (order == ByteOrder.BIG_ENDIAN ? "be" : "le");
                ByteArrayOutputStream sent = new ByteArrayOutputStream();
                List<String> expected = new ArrayList<>();
                for (AllTypes r : EXTREMES) {
                    sent.write(codec.encode(r));
                    for (Leaf l : leaves(codec.struct())) {
                        expected.add(l.path() + " " + text(at(r, l.path()), kind(l.type())));
                    }
                }
                expected.add("records " + EXTREMES.size());
                Path in = IO_DIR.resolve("roundtrip-" + tag + ".in");
                Path out = IO_DIR.resolve("roundtrip-" + tag + ".out");
                Files.write(in, sent.toByteArray());
                Processes.Result result =
                        Processes.run(
                                        Duration.ofSeconds(30),
                                        exe.toString(),
                                        tag.substring(0, 1),
                                        tag.substring(2),
                                        in.toString(),
                                        out.toString())
                                .assertExit(0);
                assertEquals(expected, result.stdout().lines().toList(), "what C read, " + tag);

                byte[] back = Files.readAllBytes(out);
                assertArrayEquals(
                        sent.toByteArray(),
                        back,
                        "C's re-encoding is byte-identical to Java's, " + tag);
                int size = (int) codec.size();
                assertEquals(EXTREMES.size() * size, back.length);
                for (int k = 0; k < EXTREMES.size(); k++) {
                    byte[] one = Arrays.copyOfRange(back, k * size, (k + 1) * size);
                    AllTypes r = EXTREMES.get(k);
                    AllTypes decoded = codec.decode(one);
                    Map<String, Object> map = codec.struct().decode(one);
                    for (Leaf l : leaves(codec.struct())) {
                        char kind = kind(l.type());
                        Object want = at(r, l.path());
                        assertTrue(
                                Objects.deepEquals(want, at(decoded, l.path()))
                                        || kind == 'F'
                                        || kind == 'D',
                                tag + " record " + k + " " + l.path());
                        assertEquals(
                                text(want, kind),
                                text(at(decoded, l.path()), kind),
                                tag + " record " + k + " " + l.path());
                        assertEquals(
                                text(want, kind),
                                text(at(map, l.path()), kind),
                                tag + " map " + k + " " + l.path());
                        compared++;
                    }
                    assertArrayEquals(one, codec.struct().encode(map), "map re-encoding, " + tag);
                }
            }
        }
        assertEquals(
                4 * EXTREMES.size() * 35, compared); // 27 scalars, a string, 2 nested, 5 elements
    }

    /** The socket example's message: packed, network order, a flexible name. */
    public record MsgSt(
            @C("uint32_t") int math, @C("uint32_t") int chinese, @C("uint8_t[]") String name) {}

    @Test
    void a_packed_network_order_message_with_a_flexible_member_round_trips_through_c()
            throws IOException {
        StructCodec<MsgSt> codec =
                StructCodec.of(MsgSt.class, Packing.PACKED, ByteOrder.BIG_ENDIAN);
        assertEquals(8, codec.size());
        Files.createDirectories(IO_DIR);
        Path in = IO_DIR.resolve("msg_st.in");
        Path out = IO_DIR.resolve("msg_st.out");
        byte[] sent = codec.encode(new MsgSt(-1, 85, "Li Si"));
        assertEquals(8 + 5 + 1, sent.length);
        Files.write(in, sent);
        Processes.Result r =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileResource("c/struct_msg_peer.c").toString(),
                                "sock",
                                in.toString(),
                                out.toString())
                        .assertExit(0);
        assertEquals(
                List.of("math 4294967295", "chinese 85", "name Li Si", "length 14"),
                r.stdout().lines().toList());
        MsgSt reply = codec.decode(Files.readAllBytes(out));
        assertEquals(new MsgSt(0, 86, "re:Li Si"), reply);
    }

    @Test
    void a_queue_body_after_long_mtype_decodes_into_named_fields() throws IOException {
        CStruct s =
                CStruct.parse(
                        "char name[32]; int math; int chinese;",
                        Packing.NATIVE,
                        ByteOrder.nativeOrder());
        Files.createDirectories(IO_DIR);
        Path out = IO_DIR.resolve("mq-body.out");
        Processes.Result r =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileResource("c/struct_msg_peer.c").toString(),
                                "mq",
                                out.toString())
                        .assertExit(0);
        assertEquals("body " + s.size(), r.stdout().strip());
        byte[] body = Files.readAllBytes(out);
        assertEquals(Map.of("name", "Zhang San", "math", 90L, "chinese", -85L), s.decode(body));
        assertArrayEquals(body, s.encode(s.decode(body)));
    }
}
