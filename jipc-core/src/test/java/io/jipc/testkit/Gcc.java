package io.jipc.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Compiles C peer programs with the machine's gcc during the test run. Where gcc is missing, the
 * calling test is skipped with the reason (a JUnit assumption), never silently passed. Binaries are
 * cached under {@code target/c-peers} by a hash of their source.
 */
public final class Gcc {
    private static final Path BIN_DIR = Path.of("target", "c-peers");
    private static Boolean available;

    private Gcc() {}

    /**
     * Whether gcc can be run.
     *
     * @return true when {@code gcc --version} succeeds
     */
    public static synchronized boolean isAvailable() {
        if (available == null) {
            try {
                Process p =
                        new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        return available;
    }

    /** Skips the calling test, with the reason, when gcc is missing. */
    public static void assumeAvailable() {
        assumeTrue(isAvailable(), "gcc not found on PATH: C peer test skipped");
    }

    /**
     * Compiles a C source from the test resources (e.g. {@code "c/ftok_probe.c"}).
     *
     * @param resource the resource path, relative to the class path root
     * @return the executable
     */
    public static Path compileResource(String resource) {
        try (InputStream in = Gcc.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            String name = Path.of(resource).getFileName().toString().replaceFirst("\\.c$", "");
            return compileSource(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What gcc says each C expression is, as a {@code long}: compiles one probe that includes the
     * headers and prints every expression (constants, {@code offsetof}, {@code sizeof}), and
     * returns the values in the order given. Compare them with the Java declarations.
     *
     * @param name a short name for the probe
     * @param headers the headers, e.g. {@code poll.h}
     * @param expressions the C expressions
     * @return the values, by expression, in order
     */
    public static java.util.Map<String, Long> values(
            String name, java.util.List<String> headers, java.util.Collection<String> expressions) {
        StringBuilder c =
                new StringBuilder("#define _GNU_SOURCE\n#include <stddef.h>\n#include <stdio.h>\n");
        headers.forEach(h -> c.append("#include <").append(h).append(">\n"));
        c.append("int main(void) {\n");
        for (String e : expressions) {
            c.append("    printf(\"%ld\\n\", (long) (").append(e).append("));\n");
        }
        c.append("    return 0;\n}\n");
        String[] out =
                Processes.run(Duration.ofSeconds(60), compileSource(name, c.toString()).toString())
                        .assertExit(0)
                        .stdout()
                        .split("\n");
        java.util.Map<String, Long> values = new java.util.LinkedHashMap<>();
        int i = 0;
        for (String e : expressions) {
            values.put(e, Long.parseLong(out[i++].trim()));
        }
        return values;
    }

    /**
     * Compiles C source text (for probes a test generates).
     *
     * @param name a short name for the executable
     * @param source the C source
     * @return the executable
     */
    public static synchronized Path compileSource(String name, String source) {
        assumeAvailable();
        try {
            Files.createDirectories(BIN_DIR);
            String hash =
                    HexFormat.of()
                            .formatHex(
                                    MessageDigest.getInstance("SHA-256")
                                            .digest(source.getBytes(StandardCharsets.UTF_8)))
                            .substring(0, 12);
            Path exe = BIN_DIR.resolve(name + "-" + hash).toAbsolutePath();
            if (Files.isExecutable(exe)) {
                return exe;
            }
            Path src = BIN_DIR.resolve(name + "-" + hash + ".c");
            Files.writeString(src, source);
            Processes.run(
                            Duration.ofSeconds(120),
                            "gcc",
                            "-O2",
                            "-Wall",
                            "-Werror",
                            "-std=gnu11",
                            "-o",
                            exe.toString(),
                            src.toString(),
                            "-lpthread")
                    .assertExit(0);
            return exe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
