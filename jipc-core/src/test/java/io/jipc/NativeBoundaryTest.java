package io.jipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one native choke point: only io.jipc.internal.linux links C code, knows C layouts and
 * declares errno numbers, and it is not exported. The rules are applied to the code of every main
 * source file with comments and string literals removed.
 */
class NativeBoundaryTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Path NATIVE_PACKAGE = MAIN.resolve("io/jipc/internal/linux");

    private static final Pattern NATIVE = Pattern.compile(
            "java\\.lang\\.foreign\\.(Linker|SymbolLookup|FunctionDescriptor|\\*)\\b|\\bLinker\\.|SymbolLookup\\.|downcallHandle");

    /**
     * Rules for every package but the native one, by what a violation means. A C layout written by
     * hand: a value layout followed by an offset that holds a number ({@code set(JAVA_INT, 48, v)},
     * {@code get(JAVA_LONG, HDR + 8)}, {@code copy(b, 0, s, JAVA_BYTE, 2, n)}), or a struct's
     * member offset looked up by name. An errno number: declared ({@code EAGAIN = 11}), compared raw
     * ({@code r == -11}) or taken out of {@code Errno} to compare ({@code -Errno.EAGAIN.number()}).
     */
    private static final Map<String, Pattern> PUBLIC_RULES = Map.of(
            "a C layout by numeric offset (use a typed helper of internal.linux)",
            Pattern.compile("\\b(JAVA_[A-Z_]+|ADDRESS(_UNALIGNED)?)\\s*,\\s*[^,;)]*?\\b\\d+[Ll]?\\b"),
            "a C struct member looked up by name (use a typed helper of internal.linux)",
            Pattern.compile("\\bStructs\\.(offset|i32|i64)\\s*\\(|\\.byteOffset\\s*\\(|PathElement\\.groupElement"),
            "an errno number declared (compare with Errors.is(r, Errno.X))",
            Pattern.compile("\\bstatic\\s+final\\s+(int|long)\\s+E[A-Z0-9]{2,}\\s*="),
            "a result compared with a negative literal (compare with Errors.is(r, Errno.X))",
            Pattern.compile("[=!]=\\s*-\\s*\\d"),
            "an errno number taken out of Errno (compare with Errors.is(r, Errno.X))",
            Pattern.compile("\\bErrno\\.[A-Z0-9]+\\.number\\s*\\(\\)"));

    /** In the native package, errno numbers are declared in Errnos only ({@code EPOLL...} are epoll's event bits). */
    private static final Pattern ERRNO_DECLARED = Pattern.compile("\\bstatic\\s+final\\s+int\\s+E(?!POLL)[A-Z0-9]{2,}\\s*=\\s*\\d");

    @Test
    void only_the_native_package_touches_the_linker() {
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            if (!p.startsWith(NATIVE_PACKAGE) && NATIVE.matcher(read(p)).find()) {
                offenders.add(p.toString());
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void only_the_native_package_knows_c_layouts_and_errno_numbers() {
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            String code = code(read(p));
            if (p.startsWith(NATIVE_PACKAGE)) {
                if (!p.endsWith("Errnos.java")) {
                    find(offenders, p, code, "an errno number declared outside Errnos", ERRNO_DECLARED);
                }
            } else if (!p.endsWith("io/jipc/Errno.java")) {
                PUBLIC_RULES.forEach((what, rule) -> find(offenders, p, code, what, rule));
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void the_rules_catch_what_they_are_meant_to_catch() {
        List<String> bad = List.of(
                "h.set(ValueLayout.JAVA_INT, 48, 0);",
                "s.set(JAVA_LONG, MSGHDR + 48, 0L);",
                "long v = s.get(ValueLayout.JAVA_LONG, 8);",
                "MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 2, b.length);",
                "int x = buf.get(ValueLayout.JAVA_SHORT, Structs.offset(Structs.MSGINFO, \"msgseg\"));",
                "long q = ds.get(JAVA_LONG, Structs.MSQID_DS.byteOffset(PathElement.groupElement(\"msg_qnum\")));",
                "private static final int EAGAIN = 11;",
                "private static final int EAGAIN = Errno.EAGAIN.number();",
                "if (c == -11) {",
                "if (r != -Errno.EINTR.number()) {");
        List<String> good = List.of(
                "if (Errors.is(r, Errno.EAGAIN)) {",
                "Structs.sembuf(ops, i, o.index(), o.delta(), o.flags());",
                "MemorySegment.copy(src, 0, dst, 0, n);",
                "long deadline = System.nanoTime() - 1;");
        for (String line : bad) {
            assertTrue(PUBLIC_RULES.values().stream().anyMatch(r -> r.matcher(code(line)).find()), "not caught: " + line);
        }
        for (String line : good) {
            assertFalse(PUBLIC_RULES.values().stream().anyMatch(r -> r.matcher(code(line)).find()), "caught: " + line);
        }
        assertEquals("int a = ;  \n", code("int a = \"x // y\"; /* c */ // d\n"));
    }

    @Test
    void the_module_exports_no_internal_package() throws IOException {
        String moduleInfo = Files.readString(MAIN.resolve("module-info.java"));
        assertTrue(moduleInfo.contains("exports io.jipc;"));
        assertTrue(moduleInfo.contains("exports io.jipc.sysv;"));
        assertFalse(Pattern.compile("exports\\s+io\\.jipc\\.internal").matcher(moduleInfo).find());
        assertFalse(moduleInfo.contains("opens"));
    }

    private static void find(List<String> offenders, Path p, String code, String what, Pattern rule) {
        Matcher m = rule.matcher(code);
        while (m.find()) {
            int line = 1 + (int) code.substring(0, m.start()).chars().filter(ch -> ch == '\n').count();
            offenders.add(p + ":" + line + ": " + what + ": " + m.group());
        }
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> java = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            assertTrue(java.size() > 10, "scanned " + java.size() + " files from " + MAIN.toAbsolutePath());
            return java;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The source without comments and without the contents of string and char literals (line breaks kept). */
    static String code(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                int stop = end < 0 ? n : end + 3;
                src.substring(i, stop).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = stop;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
            } else if (src.startsWith("//", i)) {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                int stop = end < 0 ? n : end + 2;
                for (int k = i; k < stop; k++) {
                    if (src.charAt(k) == '\n') {
                        out.append('\n');
                    }
                }
                i = stop;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
