package io.jipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one native choke point: only io.jipc.internal.linux links C code, knows C layouts and
 * declares errno numbers, and it is not exported. The rules are applied to the code of every main
 * source file with comments and string literals removed.
 */
class NativeBoundaryTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Path NATIVE_PACKAGE = MAIN.resolve("io/jipc/internal/linux");

    private static final Pattern NATIVE =
            Pattern.compile(
                    "java\\.lang\\.foreign\\.(Linker|SymbolLookup|FunctionDescriptor|\\*)\\b|\\bLinker\\.|SymbolLookup\\.|downcallHandle");

    /**
     * Rules for every package but the native one, by what a violation means. A C layout written by
     * hand: a value layout followed by an offset that holds a number ({@code set(JAVA_INT, 48, v)},
     * {@code get(JAVA_LONG, HDR + 8)}, {@code copy(b, 0, s, JAVA_BYTE, 2, n)}), or a struct's
     * member offset looked up by name. An errno number: declared ({@code EAGAIN = 11}), compared
     * raw ({@code r == -11}) or taken out of {@code Errno} to compare ({@code
     * -Errno.EAGAIN.number()}).
     */
    private static final Map<String, Pattern> PUBLIC_RULES =
            Map.of(
                    "a C layout by numeric offset (use a typed helper of internal.linux)",
                    Pattern.compile(
                            "\\b(JAVA_[A-Z_]+|ADDRESS(_UNALIGNED)?)\\s*,\\s*[^,;)]*?\\b\\d+[Ll]?\\b"),
                    "a C struct member looked up by name (use a typed helper of internal.linux)",
                    Pattern.compile(
                            "\\bStructs\\.(offset|i32|i64)\\s*\\(|\\.byteOffset\\s*\\(|PathElement\\.groupElement"),
                    "an errno number declared (compare with Errors.is(r, Errno.X))",
                    Pattern.compile("\\bstatic\\s+final\\s+(int|long)\\s+E[A-Z0-9]{2,}\\s*="),
                    "a result compared with a negative literal (compare with Errors.is(r, Errno.X))",
                    Pattern.compile("[=!]=\\s*-\\s*\\d"),
                    "an errno number taken out of Errno (compare with Errors.is(r, Errno.X))",
                    Pattern.compile("\\bErrno\\.[A-Z0-9]+\\.number\\s*\\(\\)"));

    /**
     * A value layout followed by an offset expression (up to the next comma, semicolon or
     * parenthesis).
     */
    private static final Pattern LAYOUT_OFFSET =
            Pattern.compile("\\b(JAVA_[A-Z_]+|ADDRESS(_UNALIGNED)?)\\s*,\\s*([^,;)]*)");

    /** A constant of a primitive type and its initialiser. */
    private static final Pattern CONSTANT =
            Pattern.compile(
                    "\\bstatic\\s+final\\s+(?:int|long|short|byte)\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*([^;]+);");

    /** An integer literal. */
    private static final Pattern NUMBER =
            Pattern.compile("\\b(0[xX][0-9a-fA-F_]+|\\d[\\d_]*)[lL]?\\b");

    /** What may remain of a numeric initialiser once its literals and numeric names are gone. */
    private static final Pattern ONLY_ARITHMETIC = Pattern.compile("[\\s+\\-*/%()<>|&^~]*");

    /**
     * The call whose arguments hold offsets into segments without a value layout:
     * MemorySegment.copy.
     */
    private static final Pattern OFFSET_CALL =
            Pattern.compile("\\bMemorySegment\\s*\\.\\s*copy\\s*\\(");

    /**
     * In the native package, errno numbers are declared in Errnos only ({@code EPOLL...} are
     * epoll's event bits).
     */
    private static final Pattern ERRNO_DECLARED =
            Pattern.compile("\\bstatic\\s+final\\s+int\\s+E(?!POLL)[A-Z0-9]{2,}\\s*=\\s*\\d");

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
                    find(
                            offenders,
                            p,
                            code,
                            "an errno number declared outside Errnos",
                            ERRNO_DECLARED);
                }
            } else if (!p.endsWith("io/jipc/Errno.java")) {
                PUBLIC_RULES.forEach((what, rule) -> find(offenders, p, code, what, rule));
                for (String v : offsetViolations(code)) {
                    offenders.add(p + ":" + v);
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    /**
     * Offsets a regular expression of one line cannot see: a numeric constant of the file used as
     * the offset of a value-layout access ({@code set(JAVA_INT, OFF, v)} with {@code static final
     * long OFF = 48}), and a number or such a constant as an offset argument of {@code
     * MemorySegment.copy(src, 8, dst, 0, n)}.
     *
     * @param code a file's code, without comments and literals
     * @return one line per violation, {@code LINE: what: text}
     */
    static List<String> offsetViolations(String code) {
        Set<String> numeric = numericConstants(code);
        List<String> found = new ArrayList<>();
        Matcher m = LAYOUT_OFFSET.matcher(code);
        while (m.find()) {
            String name = numericName(m.group(3), numeric);
            if (name != null) {
                found.add(
                        line(code, m.start())
                                + ": a C layout by an offset held in a numeric constant ("
                                + name
                                + "; use a typed helper of internal.linux): "
                                + m.group());
            }
        }
        Matcher c = OFFSET_CALL.matcher(code);
        while (c.find()) {
            List<String> args = arguments(code, c.end());
            // copy(srcSegment, srcOffset, dstSegment, dstOffset, bytes); the forms with a value
            // layout are LAYOUT_OFFSET's
            List<Integer> offsets = args.size() == 5 ? List.of(1, 3) : List.of();
            for (int i : offsets) {
                String a = args.get(i);
                String name = numericName(a, numeric);
                if (name != null || nonZeroNumber(a)) {
                    found.add(
                            line(code, c.start())
                                    + ": a C layout by numeric offset in a copy (use a typed helper of"
                                    + " internal.linux): "
                                    + c.group()
                                    + String.join(", ", args)
                                    + ")");
                    break;
                }
            }
        }
        return found;
    }

    /**
     * The constants of a file whose initialiser is arithmetic on literals and such constants only.
     */
    private static Set<String> numericConstants(String code) {
        Map<String, String> constants = new LinkedHashMap<>();
        Matcher m = CONSTANT.matcher(code);
        while (m.find()) {
            constants.put(m.group(1), m.group(2));
        }
        Set<String> numeric = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, String> e : constants.entrySet()) {
                if (!numeric.contains(e.getKey()) && isNumeric(e.getValue(), numeric)) {
                    numeric.add(e.getKey());
                    grew = true;
                }
            }
        }
        return numeric;
    }

    private static boolean isNumeric(String expression, Set<String> numeric) {
        String rest = NUMBER.matcher(expression).replaceAll(" ");
        for (String name : numeric) {
            rest = rest.replaceAll("\\b" + Pattern.quote(name) + "\\b", " ");
        }
        return ONLY_ARITHMETIC.matcher(rest).matches() && !rest.equals(expression);
    }

    /** A numeric constant named in {@code expression}, or null. */
    private static String numericName(String expression, Set<String> numeric) {
        Matcher w = Pattern.compile("\\b[A-Za-z_][A-Za-z0-9_]*\\b").matcher(expression);
        while (w.find()) {
            if (numeric.contains(w.group())
                    && (w.start() == 0 || expression.charAt(w.start() - 1) != '.')) {
                return w.group();
            }
        }
        return null;
    }

    private static boolean nonZeroNumber(String expression) {
        Matcher n = NUMBER.matcher(expression);
        while (n.find()) {
            if (!n.group(1).replace("_", "").matches("0+|0[xX]0+")) {
                return true;
            }
        }
        return false;
    }

    /** The top-level arguments of the call whose {@code (} ends at {@code from}. */
    private static List<String> arguments(String code, int from) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        StringBuilder a = new StringBuilder();
        for (int i = from; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (depth == 0 && (ch == ',' || ch == ')')) {
                if (!a.toString().isBlank()) {
                    args.add(a.toString().trim());
                }
                a.setLength(0);
                if (ch == ')') {
                    break;
                }
                continue;
            }
            depth +=
                    ch == '(' || ch == '[' || ch == '{'
                            ? 1
                            : ch == ')' || ch == ']' || ch == '}' ? -1 : 0;
            a.append(ch);
        }
        return args;
    }

    private static int line(String code, int at) {
        return 1 + (int) code.substring(0, at).chars().filter(ch -> ch == '\n').count();
    }

    /** Whether any rule for the public packages finds something in {@code code}. */
    private static boolean caught(String code) {
        String c = code(code);
        return PUBLIC_RULES.values().stream().anyMatch(r -> r.matcher(c).find())
                || !offsetViolations(c).isEmpty();
    }

    @Test
    void the_rules_catch_what_they_are_meant_to_catch() {
        List<String> bad =
                List.of(
                        "h.set(ValueLayout.JAVA_INT, 48, 0);",
                        "s.set(JAVA_LONG, MSGHDR + 48, 0L);",
                        "long v = s.get(ValueLayout.JAVA_LONG, 8);",
                        "MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 2, b.length);",
                        "int x = buf.get(ValueLayout.JAVA_SHORT, Structs.offset(Structs.MSGINFO, \"msgseg\"));",
                        "long q = ds.get(JAVA_LONG, Structs.MSQID_DS.byteOffset(PathElement.groupElement(\"msg_qnum\")));",
                        "private static final int EAGAIN = 11;",
                        "private static final int EAGAIN = Errno.EAGAIN.number();",
                        "if (c == -11) {",
                        "if (r != -Errno.EINTR.number()) {",
                        "private static final long OFF = 48;\n void f() { s.set(JAVA_INT, OFF, v); }",
                        "static final int HDR = 16;\nstatic final int BODY = HDR + 0x8;\n long q = s.get(ValueLayout.JAVA_LONG, BODY);",
                        "private static final int AT = 2;\n MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, AT, b.length);",
                        "MemorySegment.copy(buf, 8, dst, 0, n);",
                        "MemorySegment.copy(buf, 0, dst, HDR_BYTES + 4, n);",
                        "private static final long DATA = 24L;\n MemorySegment.copy(src, 0, s, DATA, n);");
        List<String> good =
                List.of(
                        "if (Errors.is(r, Errno.EAGAIN)) {",
                        "Structs.sembuf(ops, i, o.index(), o.delta(), o.flags());",
                        "MemorySegment.copy(src, 0, dst, 0, n);",
                        "MemorySegment.copy(MemorySegment.ofBuffer(src), 0, buf, 0, Math.min(n, 16));",
                        "private static final long PLAIN_DATA = Msghdr.PLAIN_DATA;\n MemorySegment.copy(src, 0, s, PLAIN_DATA, n);",
                        "private static final int MAX = 16;\n byte[] b = new byte[MAX]; s.set(JAVA_INT, off, MAX);",
                        "long v = s.get(JAVA_LONG, Structs.MSG_TYPE);",
                        "long deadline = System.nanoTime() - 1;");
        for (String line : bad) {
            assertTrue(caught(line), "not caught: " + line);
        }
        for (String line : good) {
            assertFalse(caught(line), "caught: " + line + " " + offsetViolations(code(line)));
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

    private static void find(
            List<String> offenders, Path p, String code, String what, Pattern rule) {
        Matcher m = rule.matcher(code);
        while (m.find()) {
            int line =
                    1 + (int) code.substring(0, m.start()).chars().filter(ch -> ch == '\n').count();
            offenders.add(p + ":" + line + ": " + what + ": " + m.group());
        }
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> java = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            assertTrue(
                    java.size() > 10,
                    "scanned " + java.size() + " files from " + MAIN.toAbsolutePath());
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

    /**
     * The source without comments and without the contents of string and char literals (line breaks
     * kept).
     */
    static String code(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                int stop = end < 0 ? n : end + 3;
                src.substring(i, stop)
                        .chars()
                        .filter(ch -> ch == '\n')
                        .forEach(ch -> out.append('\n'));
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
