import com.google.googlejavaformat.java.Main;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The formatter check of the build: google-java-format (AOSP style: 4-space indents, 100 columns;
 * long string literals left as written) over every Java source of the repository (everything under
 * a {@code src} directory, {@code target} directories excluded, plus {@code tools/}).
 *
 * <p>Run by the root POM on the toolchain JDK (google-java-format parses with the javac of the JVM
 * it runs on, and the sources use Java 25 syntax that Maven's own JDK 17 cannot parse):
 *
 * <pre>
 * mvn -N verify -Dformat.skip=false                      # check: lists unformatted files, fails
 * mvn -N verify -Dformat.skip=false -Dformat.mode=apply  # rewrites them in place
 * </pre>
 *
 * <p>Arguments: {@code check|apply ROOT}.
 */
public final class Format {
    private Format() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("check") || args[0].equals("apply"))) {
            System.err.println("usage: Format check|apply ROOT");
            System.exit(2);
        }
        boolean apply = args[0].equals("apply");
        Path root = Path.of(args[1]).toAbsolutePath().normalize();
        List<String> files = sources(root);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        if (apply) {
            // A line comment that overflows the line is not formatted the same way twice: apply
            // until a check finds nothing left (two passes have always been enough).
            for (int pass = 1; pass <= 3; pass++) {
                int rc = gjf(List.of("--replace"), files, out, err);
                if (rc != 0) {
                    System.exit(rc);
                }
                if (gjf(
                                List.of("--dry-run", "--set-exit-if-changed"),
                                files,
                                new PrintWriter(Writer.nullWriter()),
                                err)
                        == 0) {
                    System.out.println(
                            "format: "
                                    + files.size()
                                    + " Java files formatted (google-java-format --aosp, "
                                    + pass
                                    + (pass == 1 ? " pass)." : " passes)."));
                    return;
                }
            }
            System.err.println(
                    "format: still changing after 3 passes; run again and look at the diff.");
            System.exit(1);
        }
        int rc = gjf(List.of("--dry-run", "--set-exit-if-changed"), files, out, err);
        if (rc != 0) {
            System.err.println(
                    "format: the files listed above are not formatted (google-java-format --aosp);"
                            + " run: mvn -N verify -Dformat.skip=false -Dformat.mode=apply");
            System.exit(1);
        }
        System.out.println("format: " + files.size() + " Java files checked, all formatted.");
    }

    private static int gjf(List<String> mode, List<String> files, PrintWriter out, PrintWriter err)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("--aosp", "--skip-reflowing-long-strings"));
        args.addAll(mode);
        args.addAll(files);
        int rc = new Main(out, err, System.in).format(args.toArray(String[]::new));
        out.flush();
        return rc;
    }

    // --skip-reflowing-long-strings: long string literals are left as written (reflowing them was
    // not idempotent either, and it splits messages that are easier to grep whole).

    /** Every *.java under a src directory or tools/, never under target/ or a hidden directory. */
    private static List<String> sources(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
                    .filter(
                            p -> {
                                Path rel = root.relativize(p);
                                boolean wanted = rel.startsWith("tools");
                                for (Path part : rel) {
                                    String n = part.toString();
                                    if (n.equals("target") || n.startsWith(".")) {
                                        return false;
                                    }
                                    wanted |= n.equals("src");
                                }
                                return wanted;
                            })
                    .map(Path::toString)
                    .sorted()
                    .toList();
        }
    }
}
