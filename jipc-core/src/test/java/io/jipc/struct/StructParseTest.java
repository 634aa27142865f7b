package io.jipc.struct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parsing, errors with positions, and the codec's rules that need no C compiler. */
class StructParseTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "int;                          | 3  | expected a member name after 'int', found ';'",
                "char name[-1];                | 10 | expected a positive array length, found '-'",
                "char name[0];                 | 10 | expected a positive array length, found '0'",
                "char name[x];                 | 10 | expected a positive array length, found 'x'",
                "int a; foo b;                 | 7  | unknown type 'foo'",
                "int a; char *p;               | 12 | pointers are not supported",
                "int a; struct s *next;        | 16 | expected '{': a nested struct must be defined in place",
                "int a                         | 5  | expected ';' after member 'a', found the end",
                "int a; int a;                 | 11 | duplicate member 'a'",
                "``                            | 0  | a struct needs at least one member",
                "int b; char name[]; int a;    | 20 | a flexible array member must be the last member",
                "char name[];                  | 5  | a flexible array member needs another member before it",
                "int a; struct { int b; char c[]; } s; | 28 | allowed only in the outermost struct",
                "int a; union { int b; } u;    | 7  | unions are not supported",
                "int a: 3;                     | 5  | bit-fields are not supported",
                "long double x;                | 5  | long double is not supported",
                "unsigned signed x;            | 9  | 'signed' cannot be combined with 'unsigned'",
                "short long x;                 | 6  | 'long' cannot be combined with 'short'",
                "long long long x;             | 10 | 'long' cannot be combined with 'long long'",
                "int a[2][];                   | 9  | only the first dimension of an array may be left empty",
                "int a; struct { int b; c;     | 23 | unknown type 'c'",
                "int a; struct { int b;        | 22 | expected '}' to close the struct opened at column 8",
                "int a; struct { } s;          | 16 | a struct needs at least one member",
                "int a[99999999999];           | 6  | expected a positive array length",
                "int a, *b;                    | 7  | pointers are not supported",
                "int struct;                   | 4  | expected a member name after 'int', found 'struct'",
                "int a; /* open                | 7  | unterminated comment",
                "int a; 3 b;                   | 7  | expected a type, found '3'",
                "int a; void f();              | 7  | unknown type 'void'",
            })
    void malformed_declarations_name_the_position(String decl, int position, String problem) {
        StructParseException e =
                assertThrows(
                        StructParseException.class,
                        () -> CStruct.parse(decl, Packing.NATIVE, ByteOrder.nativeOrder()));
        assertEquals(position, e.position(), e.getMessage());
        assertEquals(decl, e.source());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith("at column " + (position + 1) + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" in \"" + decl + "\""), e.getMessage());
    }

    @Test
    void a_whole_struct_declaration_equals_its_member_list() {
        CStruct whole =
                CStruct.parse(
                        "struct msg_st { uint32_t math; uint32_t chinese; uint8_t name[]; };",
                        Packing.PACKED,
                        ByteOrder.BIG_ENDIAN);
        assertEquals("uint32_t math; uint32_t chinese; uint8_t name[];", whole.declaration());
        assertEquals(8, whole.size());
        CStruct tagged =
                CStruct.parse(
                        "int a; struct point { short x; short y; } p[2]; const char c;",
                        Packing.NATIVE,
                        ByteOrder.nativeOrder());
        assertEquals("int a; struct { short x; short y; } p[2]; char c;", tagged.declaration());
        assertEquals(
                List.of(
                        new CStruct.Field("a", 0, 4, "int"),
                        new CStruct.Field("p", 4, 8, "struct[2]"),
                        new CStruct.Field("c", 12, 1, "char")),
                tagged.fields());
        assertEquals(16, tagged.size());
        assertEquals(12, tagged.offsetOf("c"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> tagged.offsetOf("x"));
        assertTrue(e.getMessage().contains("path=x"), e.getMessage());
    }

    @Test
    void the_memory_layout_has_the_same_offsets_size_and_byte_order() {
        CStruct s =
                CStruct.parse(
                        "char c; struct { short x; double d; } in; int tail[];",
                        Packing.NATIVE,
                        ByteOrder.BIG_ENDIAN);
        MemoryLayout l = s.layout();
        assertEquals(s.size(), l.byteSize());
        assertEquals(24, s.size());
        assertEquals(
                s.offsetOf("in.d"),
                l.byteOffset(
                        MemoryLayout.PathElement.groupElement("in"),
                        MemoryLayout.PathElement.groupElement("d")));
        assertEquals(
                s.offsetOf("tail"), l.byteOffset(MemoryLayout.PathElement.groupElement("tail")));
        assertTrue(l.toString().contains("D8"), l.toString()); // big-endian double
        CStruct p = CStruct.parse("char c; double d;", Packing.PACKED, ByteOrder.LITTLE_ENDIAN);
        assertEquals(9, p.layout().byteSize());
        assertEquals(1, p.layout().byteAlignment());
    }

    @Test
    void strings_are_nul_terminated_refused_when_too_long_unless_truncation_was_asked() {
        CStruct s = CStruct.parse("char name[8]; int n;", Packing.NATIVE, ByteOrder.LITTLE_ENDIAN);
        Map<String, Object> v = new LinkedHashMap<>(Map.of("name", "1234567", "n", 1));
        assertEquals("1234567", s.decode(s.encode(v)).get("name"));
        v.put("name", "12345678");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> s.encode(v));
        assertTrue(
                e.getMessage()
                        .contains("name=\"12345678\" needs 8 bytes in UTF-8 but holds at most 7"),
                e.getMessage());
        assertEquals(
                "1234567",
                s.withStringTruncation(true)
                        .decode(s.withStringTruncation(true).encode(v))
                        .get("name"));
        v.put("name", "aaaaa€"); // 5 + 3 bytes: truncation keeps whole characters only
        byte[] cut = s.withStringTruncation(true).encode(v);
        assertEquals("aaaaa", s.decode(cut).get("name"));
        assertEquals("6161616161000000", HexFormat.of().formatHex(cut, 0, 8));
        v.put("name", "é");
        CStruct latin = s.withCharset(StandardCharsets.ISO_8859_1);
        assertEquals((byte) 0xe9, latin.encode(v)[0]);
        assertEquals("é", latin.decode(latin.encode(v)).get("name"));
        v.put("name", "€");
        assertThrows(IllegalArgumentException.class, () -> latin.encode(v));
        v.put("name", "a\0b");
        assertThrows(IllegalArgumentException.class, () -> s.encode(v));
    }

    @Test
    void values_out_of_range_missing_or_unknown_are_refused_with_name_and_value() {
        CStruct s =
                CStruct.parse(
                        "uint8_t u; int8_t i; uint64_t big;", Packing.PACKED, ByteOrder.BIG_ENDIAN);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("u", 255);
        v.put("i", -128);
        v.put("big", new BigInteger("18446744073709551615"));
        byte[] b = s.encode(v);
        assertEquals("ff80ffffffffffffffff", HexFormat.of().formatHex(b));
        assertEquals(
                Map.of("u", 255L, "i", -128L, "big", new BigInteger("18446744073709551615")),
                s.decode(b));
        assertEquals("u=256 is out of range for uint8_t (0..255)", refused(s, v, "u", 256));
        assertEquals("i=-129 is out of range for int8_t (-128..127)", refused(s, v, "i", -129L));
        assertEquals(
                "big=-1 is out of range for uint64_t (0..18446744073709551615)",
                refused(s, v, "big", -1));
        assertEquals(
                "big=18446744073709551616 is out of range for uint64_t (0..18446744073709551615)",
                refused(s, v, "big", BigInteger.ONE.shiftLeft(64)));
        assertTrue(refused(s, v, "u", 1.5).startsWith("u=1.5: uint8_t needs an integer"));
        assertEquals(7L, s.decode(s.encode(with(v, "u", 7.0))).get("u"));
        assertTrue(refused(s, v, "u", "7").startsWith("u=String: uint8_t needs a number"));
        Map<String, Object> missing = new LinkedHashMap<>(v);
        missing.remove("i");
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> s.encode(missing))
                        .getMessage()
                        .startsWith("no value for member i"));
        assertTrue(refused(s, v, "extra", 1).startsWith("no member extra"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> s.decode(new byte[9]))
                        .getMessage()
                        .contains("needs 10 bytes, got length=9"));
    }

    private static Map<String, Object> with(Map<String, Object> v, String k, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(v);
        copy.put(k, value);
        return copy;
    }

    private static String refused(CStruct s, Map<String, Object> v, String k, Object value) {
        return assertThrows(IllegalArgumentException.class, () -> s.encode(with(v, k, value)))
                .getMessage();
    }

    @Test
    void a_flexible_member_takes_the_remaining_bytes() {
        CStruct s =
                CStruct.parse(
                        "uint32_t math; uint32_t chinese; uint8_t name[];",
                        Packing.PACKED,
                        ByteOrder.BIG_ENDIAN);
        byte[] b = s.encode(Map.of("math", 90, "chinese", 85, "name", "Tom"));
        assertEquals("0000005a00000055546f6d00", HexFormat.of().formatHex(b));
        Map<String, Object> d = s.decode(b);
        assertArrayEquals("Tom\0".getBytes(StandardCharsets.US_ASCII), (byte[]) d.get("name"));
        CStruct ints = CStruct.parse("char c; int v[];", Packing.NATIVE, ByteOrder.LITTLE_ENDIAN);
        byte[] iv = ints.encode(Map.of("c", 1, "v", new int[] {1, 2, 3}));
        assertEquals(16, iv.length);
        assertEquals(List.of(1L, 2L, 3L), ints.decode(iv).get("v"));
        assertEquals(List.of(), ints.decode(new byte[4]).get("v"));
        ByteBuffer buf = ByteBuffer.allocate(32).put((byte) 9);
        assertEquals(16, ints.encode(Map.of("c", 1, "v", List.of(4, 5, 6)), buf));
        assertEquals(17, buf.position());
        buf.flip().get();
        assertEquals(List.of(4L, 5L, 6L), ints.decode(buf).get("v"));
        assertEquals(buf.limit(), buf.position());
    }

    public record Point(short x, short y) {}

    public record Rec(
            @C("unsigned char") int small,
            @C("uint32_t") int u32,
            @C("[4]") String name,
            @C("[2]") Point[] pts,
            @C("[2][3]") byte[][] grid,
            @C("uint8_t[3]") byte[] raw,
            double d) {}

    @Test
    void a_record_declares_the_same_struct_as_its_c_text() {
        StructCodec<Rec> c = StructCodec.of(Rec.class, Packing.NATIVE, ByteOrder.LITTLE_ENDIAN);
        assertEquals(
                "unsigned char small; uint32_t u32; char name[4]; struct { short x; short y; } pts[2];"
                        + " unsigned char grid[2][3]; uint8_t raw[3]; double d;",
                c.struct().declaration());
        CStruct parsed =
                CStruct.parse(c.struct().declaration(), Packing.NATIVE, ByteOrder.LITTLE_ENDIAN);
        assertEquals(parsed.fields(), c.struct().fields());
        Rec r =
                new Rec(
                        255,
                        -1,
                        "abc",
                        new Point[] {
                            new Point((short) 1, (short) -2), new Point((short) 3, (short) 4)
                        },
                        new byte[][] {{1, 2, 3}, {4, 5, 6}},
                        new byte[] {-1, 0, 1},
                        Math.PI);
        byte[] b = c.encode(r);
        assertEquals(c.size(), b.length);
        Rec back = c.decode(b);
        assertEquals(r.small(), back.small());
        assertEquals(r.u32(), back.u32());
        assertEquals(4294967295L, parsed.decode(b).get("u32"));
        assertEquals("abc", back.name());
        assertArrayEquals(r.pts(), back.pts());
        assertArrayEquals(r.grid(), back.grid());
        assertArrayEquals(r.raw(), back.raw());
        assertEquals(Math.PI, back.d());
        ByteBuffer two = ByteBuffer.allocate((int) c.size() * 2);
        assertEquals(c.size(), c.encode(r, two));
        c.encode(new Rec(1, 2, "x", r.pts(), r.grid(), r.raw(), 0.5), two);
        two.flip();
        assertEquals(255, c.decode(two).small());
        assertEquals(c.size(), two.position());
        assertEquals("x", c.decode(two).name());
        assertEquals(0, two.remaining());
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> c.encode(new Rec(256, 0, "", r.pts(), r.grid(), r.raw(), 0)))
                        .getMessage()
                        .startsWith("small=256 is out of range for unsigned char"));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> c.encode(new Rec(1, 0, null, r.pts(), r.grid(), r.raw(), 0)))
                        .getMessage()
                        .startsWith("name=null"));
    }

    public record NarrowJava(@C("uint32_t") short s) {}

    public record NoLength(String name) {}

    public record FlexFirst(@C("[]") byte[] data) {}

    public record BadAnnotation(@C("int[") int x) {}

    public record FloatAsInt(@C("float") int x) {}

    @Test
    void records_without_a_c_equivalent_are_refused_by_name() {
        assertEquals(
                "NarrowJava.s: Java type short cannot hold every uint32_t (use a Java type of at least 32 bits)",
                refusedRecord(NarrowJava.class));
        assertTrue(
                refusedRecord(NoLength.class)
                        .startsWith(
                                "NoLength.name: Java type String has no C equivalent"
                                        + " without a length, e.g. @C(\"[32]\")"));
        assertTrue(
                refusedRecord(FlexFirst.class)
                        .startsWith("FlexFirst.data: a flexible array member must be"));
        assertEquals("NoLength.name", refusedRecord(NoLength.class).substring(0, 13));
        assertTrue(
                refusedRecord(FloatAsInt.class)
                        .startsWith("FloatAsInt.x: Java type int cannot hold every float"));
        StructParseException e =
                assertThrows(
                        StructParseException.class,
                        () ->
                                StructCodec.of(
                                        BadAnnotation.class,
                                        Packing.NATIVE,
                                        ByteOrder.nativeOrder()));
        assertEquals(4, e.position());
    }

    private static String refusedRecord(Class<? extends Record> type) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () -> StructCodec.of(type, Packing.NATIVE, ByteOrder.nativeOrder()))
                .getMessage();
    }

    @Test
    void a_memory_segment_and_a_byte_buffer_hold_the_same_bytes_as_an_array() {
        CStruct s =
                CStruct.parse(
                        "char name[32]; int math; int chinese;",
                        Packing.NATIVE,
                        ByteOrder.nativeOrder());
        Map<String, Object> v = Map.of("name", "Tom", "math", 90, "chinese", 85);
        byte[] bytes = s.encode(v);
        MemorySegment seg = MemorySegment.ofArray(new byte[64]);
        assertEquals(40, s.encode(v, seg));
        assertArrayEquals(
                bytes, seg.asSlice(0, 40).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        ByteBuffer direct = ByteBuffer.allocateDirect(40);
        s.encode(v, direct);
        assertEquals(0, direct.remaining());
        assertEquals(Map.of("name", "Tom", "math", 90L, "chinese", 85L), s.decode(direct.flip()));
        assertEquals(s.decode(bytes), s.decode(seg));
        assertThrows(
                IllegalArgumentException.class,
                () -> s.encode(v, MemorySegment.ofArray(new byte[39])));
    }
}
