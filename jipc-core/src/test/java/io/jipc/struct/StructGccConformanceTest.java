package io.jipc.struct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemoryLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every declaration of a corpus, laid out natively and packed, against gcc: one generated C probe
 * declares each as a plain struct and again under {@code #pragma pack(1)}, and prints {@code
 * sizeof}, {@code _Alignof} and, for every member (nested ones included), {@code offsetof} and
 * {@code sizeof}. Each must equal what {@link CStruct} computed, and its {@code MemoryLayout} must
 * agree too.
 */
class StructGccConformanceTest {

    static final List<String> CORPUS =
            List.of(
                    "char name[32]; int math; int chinese;",
                    "uint32_t math; uint32_t chinese; uint8_t name[];",
                    "char c; int i;",
                    "char c; short s; char d;",
                    "char c; long l;",
                    "char c; double d; char e;",
                    "short s; char c;",
                    "int i; char c;",
                    "char c; long long ll; short s;",
                    "unsigned char uc; unsigned short us; unsigned int ui; unsigned long ul; unsigned long long ull;",
                    "signed char sc; signed short ss; signed int si; signed long sl; signed long long sll;",
                    "int8_t a; int16_t b; int32_t c; int64_t d;",
                    "uint8_t a; uint64_t b; uint16_t c; uint32_t d;",
                    "float f; double d; float g;",
                    "char c; float f; char d; double e;",
                    "size_t n; char c; pid_t pid; key_t key;",
                    "pid_t pid; char tag; size_t len;",
                    "ssize_t r; uid_t uid; gid_t gid; char c;",
                    "char a[3]; int b;",
                    "char a[5]; short b[3]; char c;",
                    "int m[2][3]; char c;",
                    "double d[2]; char c[3];",
                    "char c; struct { int x; char y; } inner; char d;",
                    "struct { char a; double b; } s; char c;",
                    "struct { char a; char b; } s; char c; short d;",
                    "char c; struct { short x; short y; } p[3]; char d;",
                    "struct { struct { char a; long b; } deep; char c; } mid; char e;",
                    "long mtype; char mtext[100];",
                    "char name[32]; int math; int chinese; char tail[];",
                    "int a; char b; char name[];",
                    "char c; int values[];",
                    "short s; double d[];",
                    "uint8_t len; uint32_t crc; uint8_t payload[];",
                    "long l; char c;",
                    "char c1; char c2; char c3;",
                    "unsigned u; long int li; short int si; unsigned short int usi; long unsigned int lui; long long int lli;",
                    "int a, b, c; char d, e[3];",
                    "char c; struct { int a[2]; char b; } arr[2]; double d;",
                    "int16_t a; struct { int8_t b; struct { int64_t c; } in; } mid; uint8_t tail[];",
                    "float f[3]; char c; double d;",
                    "char x; unsigned long long y[2]; char z;",
                    "struct { char name[32]; int math; int chinese; } rec; long mtype;",
                    "key_t k; pid_t p; char c; size_t s[2];",
                    "const int ci; volatile char vc; int /* comment */ after;",
                    "char c; struct { char d; } one; short s[1][2][3]; char e;",
                    "double d; char c[]; ");

    /** A record, laid out from its components, is checked the same way. */
    public record Inner(byte b, double d) {}

    /** A record with nested records, arrays, unsigned and explicit widths. */
    public record Outer(
            @C("uint16_t") int port,
            Inner in,
            @C("[3]") Inner[] many,
            @C("[7]") String name,
            @C("uint64_t") long big,
            @C("[2][2]") short[][] m,
            @C("int8_t[]") byte[] tail) {}

    @Test
    void every_offset_and_size_equals_gccs() {
        List<String> corpus = new ArrayList<>(CORPUS);
        String record =
                StructCodec.of(Outer.class, Packing.NATIVE, ByteOrder.nativeOrder())
                        .struct()
                        .declaration();
        corpus.add(record);
        for (Packing packing : Packing.values()) {
            assertEquals(
                    CStruct.parse(record, packing, ByteOrder.nativeOrder()).fields(),
                    StructCodec.of(Outer.class, packing, ByteOrder.nativeOrder())
                            .struct()
                            .fields());
        }
        assertTrue(corpus.size() >= 40, "corpus of " + corpus.size());
        assertEquals(List.of(), mismatchesAgainstGcc("struct_corpus_probe", corpus));
    }

    /**
     * Lays out every declaration natively and packed, here and by gcc (one generated probe), and
     * lists every size, alignment, offset and member size on which they differ.
     *
     * @param probe a name for the probe executable
     * @param corpus the member lists
     * @return the differences (empty when all agree)
     */
    static List<String> mismatchesAgainstGcc(String probe, List<String> corpus) {
        Map<String, CStruct> structs = new LinkedHashMap<>();
        StringBuilder types = new StringBuilder();
        StringBuilder prints = new StringBuilder();
        for (int k = 0; k < corpus.size(); k++) {
            for (Packing packing : Packing.values()) {
                String name = (packing == Packing.NATIVE ? "a" : "p") + k;
                CStruct s = CStruct.parse(corpus.get(k), packing, ByteOrder.nativeOrder());
                structs.put(name, s);
                String def = "struct " + name + " { " + corpus.get(k) + " };\n";
                types.append(
                        packing == Packing.PACKED
                                ? "#pragma pack(push, 1)\n" + def + "#pragma pack(pop)\n"
                                : def);
                prints.append(
                        String.format(
                                "    printf(\"%1$s SIZE %%zu %%zu\\n\", sizeof(struct %1$s), _Alignof(struct %1$s));%n",
                                name));
                for (CStruct.Field f : s.fields()) {
                    String size =
                            f.type().endsWith("[]")
                                    ? "(size_t) 0"
                                    : "sizeof(((struct " + name + " *) 0)->" + f.path() + ")";
                    prints.append(
                            String.format(
                                    "    printf(\"%1$s %2$s %%zu %%zu\\n\", offsetof(struct %1$s, %2$s), %3$s);%n",
                                    name, f.path(), size));
                }
            }
        }
        String c =
                "#define _GNU_SOURCE\n#include <stdio.h>\n#include <stddef.h>\n#include <stdint.h>\n"
                        + "#include <sys/types.h>\n\n"
                        + types
                        + "\nint main(void) {\n"
                        + prints
                        + "    return 0;\n}\n";
        String out =
                Processes.run(Duration.ofSeconds(60), Gcc.compileSource(probe, c).toString())
                        .assertExit(0)
                        .stdout();

        List<String> mismatches = new ArrayList<>();
        int members = 0;
        int sizes = 0;
        for (String line : out.split("\n")) {
            String[] w = line.split(" ");
            CStruct s = structs.get(w[0]);
            long gccA = Long.parseLong(w[2]);
            long gccB = Long.parseLong(w[3]);
            if (w[1].equals("SIZE")) {
                check(mismatches, w[0] + " sizeof", s.size(), gccA);
                check(mismatches, w[0] + " _Alignof", s.alignment(), gccB);
                check(mismatches, w[0] + " MemoryLayout.byteSize", s.layout().byteSize(), gccA);
                sizes++;
                continue;
            }
            CStruct.Field f =
                    s.fields().stream()
                            .filter(x -> x.path().equals(w[1]))
                            .findFirst()
                            .orElseThrow();
            check(mismatches, w[0] + "." + w[1] + " offsetof", f.offset(), gccA);
            check(mismatches, w[0] + "." + w[1] + " sizeof", f.size(), gccB);
            MemoryLayout.PathElement[] path =
                    Arrays.stream(w[1].split("\\."))
                            .map(MemoryLayout.PathElement::groupElement)
                            .toArray(MemoryLayout.PathElement[]::new);
            check(
                    mismatches,
                    w[0] + "." + w[1] + " MemoryLayout offset",
                    s.layout().byteOffset(path),
                    gccA);
            members++;
        }
        assertEquals(structs.size(), sizes, "the probe must print every struct");
        assertEquals(
                structs.values().stream().mapToInt(s -> s.fields().size()).sum(),
                members,
                "the probe must print every member");
        return mismatches;
    }

    private static void check(List<String> mismatches, String what, long java, long gcc) {
        if (java != gcc) {
            mismatches.add(what + ": java " + java + ", gcc " + gcc);
        }
    }
}
