package io.jipc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The conventions of the API site, checked on the sources of every package {@code module-info}
 * exports (so a package added later is held to them as soon as it is exported):
 *
 * <ul>
 *   <li>a man page named in a Javadoc comment is linked with the {@code {@man NAME(SECTION)}} tag
 *       (rendered by {@code tools/ManTaglet.java} as a man7.org link), never plain text;
 *   <li>every exported package has a {@code package-info.java} that says which family it covers and
 *       links {@code docs/TRAPS.md} (which the build copies into the API site as {@code
 *       io.jipc/io/jipc/doc-files/TRAPS.html});
 *   <li>the API site documents exactly the exported packages.
 * </ul>
 *
 * <p>To turn the plain man-page names of a new package into tags in place, run this test with
 * {@code -Djipc.manPages=fix}: {@code mvn -pl jipc-core test -Dtest=ApiDocsTest
 * -Djipc.manPages=fix}.
 */
class ApiDocsTest {
    private static final Path SOURCES = Path.of("src", "main", "java");

    /**
     * The link to the traps that the overview of {@code pkg} carries: relative to the package's
     * page, to the page that the build makes of docs/TRAPS.md in package io.jipc's doc-files
     * ({@code ../doc-files/TRAPS.html} from io.jipc.sysv).
     */
    static String trapsLink(String pkg) {
        int depth = pkg.split("\\.").length - 2;
        return "../".repeat(depth) + "doc-files/TRAPS.html";
    }

    private static final Pattern EXPORTS =
            Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern JAVADOC = Pattern.compile("/\\*\\*.*?\\*/", Pattern.DOTALL);

    /**
     * A man page: a lower-case name, then the section in parentheses ({@code fifo(7)}, {@code
     * sem_overview(7)}).
     */
    private static final Pattern MAN_PAGE =
            Pattern.compile("(?<![\\w.#@])([a-z_][a-z0-9_-]*)\\(([1-8][a-z]?)\\)");

    /**
     * A man page in code font, {@code {@code msgsnd(2)}}: also becomes a man tag (which renders as
     * code).
     */
    private static final Pattern CODE_MAN_PAGE =
            Pattern.compile("\\{@code\\s+([a-z_][a-z0-9_-]*\\([1-8][a-z]?\\))\\}");

    /** What is not prose: inline tags (code, links, man tags themselves), pre blocks, anchors. */
    private static final Pattern NOT_PROSE =
            Pattern.compile(
                    "<pre>.*?</pre>|<a\\s.*?</a>|\\{@(?:code|literal|link|linkplain|man|value|snippet)\\b",
                    Pattern.DOTALL);

    static List<String> exportedPackages() throws IOException {
        String moduleInfo = Files.readString(SOURCES.resolve("module-info.java"));
        List<String> packages = new ArrayList<>();
        Matcher m = EXPORTS.matcher(moduleInfo);
        while (m.find()) {
            packages.add(m.group(1));
        }
        return packages;
    }

    private static List<Path> sourcesOf(String pkg) throws IOException {
        Path dir = SOURCES.resolve(pkg.replace('.', '/'));
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** A plain man-page name found in a Javadoc comment: where, and the tag that replaces it. */
    record Plain(Path file, int line, int start, int end, String page) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + page + " -> {@man " + page + "}";
        }
    }

    static List<Plain> plainManPages(Path file, String text) {
        List<Plain> found = new ArrayList<>();
        Matcher doc = JAVADOC.matcher(text);
        while (doc.find()) {
            boolean[] skip = new boolean[doc.end() - doc.start()];
            String comment = doc.group();
            Matcher np = NOT_PROSE.matcher(comment);
            while (np.find()) {
                int end =
                        np.group().startsWith("{@") ? closingBrace(comment, np.start()) : np.end();
                for (int i = np.start(); i < end; i++) {
                    skip[i] = true;
                }
            }
            Matcher m = MAN_PAGE.matcher(comment);
            while (m.find()) {
                if (!skip[m.start()]) {
                    found.add(
                            plain(
                                    file,
                                    text,
                                    doc.start() + m.start(),
                                    doc.start() + m.end(),
                                    m.group()));
                }
            }
            Matcher c = CODE_MAN_PAGE.matcher(comment);
            while (c.find()) {
                found.add(
                        plain(
                                file,
                                text,
                                doc.start() + c.start(),
                                doc.start() + c.end(),
                                c.group(1)));
            }
        }
        found.sort(Comparator.comparingInt(Plain::start));
        return found;
    }

    private static Plain plain(Path file, String text, int start, int end, String page) {
        int line = (int) text.substring(0, start).chars().filter(ch -> ch == '\n').count() + 1;
        return new Plain(file, line, start, end, page);
    }

    /**
     * The index after the brace that closes the inline tag opened at {@code open} (nesting
     * counted).
     */
    private static int closingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i + 1;
            }
        }
        return s.length();
    }

    @Test
    void man_pages_are_linked_with_the_man_tag() throws IOException {
        boolean fix = "fix".equals(System.getProperty("jipc.manPages"));
        List<Plain> plain = new ArrayList<>();
        for (String pkg : exportedPackages()) {
            for (Path file : sourcesOf(pkg)) {
                String text = Files.readString(file);
                List<Plain> here = plainManPages(file, text);
                if (fix && !here.isEmpty()) {
                    StringBuilder b = new StringBuilder(text);
                    for (Plain p : here.reversed()) {
                        b.replace(p.start(), p.end(), "{@man " + p.page() + "}");
                    }
                    Files.writeString(file, b);
                } else {
                    plain.addAll(here);
                }
            }
        }
        if (!plain.isEmpty()) {
            fail(
                    plain.size()
                            + " man pages named in plain text in the public API's Javadoc; write {@man NAME(N)}"
                            + " (or run this test with -Djipc.manPages=fix):\n"
                            + String.join("\n", plain.stream().map(Plain::toString).toList()));
        }
    }

    @Test
    void the_check_finds_plain_names_and_ignores_code_and_tags() {
        Path f = Path.of("X.java");
        String text =
                "/** Wraps msgget(2) and {@man msgsnd(2)}; {@code read(2) + 1} and p.peek(1) are code,\n"
                        + " * <pre>{@code x.substring(2)}</pre> too; see <a href=\"u\">pipe(7)</a>, then fifo(7),"
                        + " {@code semop(2)}. */\n"
                        + "int x = f(2); /* write(2) in a comment that is not Javadoc */";
        List<String> pages = plainManPages(f, text).stream().map(Plain::page).toList();
        assertTrue(pages.equals(List.of("msgget(2)", "fifo(7)", "semop(2)")), pages.toString());
        assertFalse(
                plainManPages(f, "/** {@link Foo#bar(int) bar(1)} */").stream()
                        .findAny()
                        .isPresent());
    }

    @Test
    void every_exported_package_has_an_overview_that_links_the_traps() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String pkg : exportedPackages()) {
            Path info = SOURCES.resolve(pkg.replace('.', '/')).resolve("package-info.java");
            // The attribute, not the whole tag: a formatter may wrap the line between "<a" and
            // "href".
            String href = "href=\"" + trapsLink(pkg) + "\"";
            if (!Files.isRegularFile(info) || !Files.readString(info).contains(href)) {
                missing.add(
                        info
                                + ": say which family the package covers, and link <a "
                                + href
                                + ">the traps</a>");
            }
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }

    @Test
    void the_api_site_documents_exactly_the_exported_packages() throws IOException {
        // The javadoc configuration (jipc-core/pom.xml) documents every package of the sources
        // except io.jipc.internal*: so every package that module-info does not export must be one.
        List<String> exported = exportedPackages();
        List<String> concealed;
        try (Stream<Path> s = Files.walk(SOURCES)) {
            concealed =
                    s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java"))
                            .map(
                                    p ->
                                            SOURCES.relativize(p.getParent())
                                                    .toString()
                                                    .replace('/', '.'))
                            .distinct()
                            .filter(pkg -> !exported.contains(pkg))
                            .sorted()
                            .toList();
        }
        List<String> wrong =
                concealed.stream()
                        .filter(
                                pkg ->
                                        !pkg.equals("io.jipc.internal")
                                                && !pkg.startsWith("io.jipc.internal."))
                        .toList();
        assertTrue(
                wrong.isEmpty(),
                "packages neither exported nor under io.jipc.internal (the API site would"
                        + " document them): "
                        + wrong);
    }
}
