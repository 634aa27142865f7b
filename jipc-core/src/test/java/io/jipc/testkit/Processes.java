package io.jipc.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs real child processes for tests: every wait is bounded, stdout and stderr go to files, and a
 * failure message always shows what the child printed.
 */
public final class Processes {
    /** Where child output files go. */
    private static final Path OUT_DIR = Path.of("target", "child-output");

    private Processes() {}

    /**
     * A started child process.
     *
     * @param process the process
     * @param command what was run
     * @param stdout file receiving its stdout
     * @param stderr file receiving its stderr
     */
    public record Child(Process process, List<String> command, Path stdout, Path stderr)
            implements AutoCloseable {
        /**
         * Waits for the child to exit, failing the test (and killing the child) after the timeout.
         *
         * @param timeout the longest wait
         * @return the finished result
         */
        public Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                    fail("child did not finish within " + timeout + ": " + describe());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                fail("interrupted while waiting for " + command);
            }
            return new Result(this, process.exitValue(), read(stdout), read(stderr));
        }

        /**
         * The output printed so far.
         *
         * @return stdout then stderr, labelled
         */
        public String describe() {
            return command
                    + "\n--- stdout ---\n"
                    + read(stdout)
                    + "--- stderr ---\n"
                    + read(stderr);
        }

        /** Kills the child if it is still running. */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * A finished child process.
     *
     * @param child the child
     * @param exitCode its exit status
     * @param stdout what it printed on stdout
     * @param stderr what it printed on stderr
     */
    public record Result(Child child, int exitCode, String stdout, String stderr) {
        /**
         * Fails the test, showing the output, unless the exit code is as expected.
         *
         * @param expected the expected exit code
         * @return this result
         */
        public Result assertExit(int expected) {
            if (exitCode != expected) {
                fail(
                        "expected exit "
                                + expected
                                + " but got "
                                + exitCode
                                + " from "
                                + child.describe());
            }
            return this;
        }
    }

    /**
     * Starts a command with output captured to files under {@code target/child-output}.
     *
     * @param command the program and its arguments
     * @return the running child
     */
    public static Child start(List<String> command) {
        return start(command, Map.of(), null);
    }

    /**
     * Starts a command with extra environment variables and an optional stdin file.
     *
     * @param command the program and its arguments
     * @param env variables to set (a null value removes the variable)
     * @param stdin a file for standard input, or {@code null} for none
     * @return the running child
     */
    public static Child start(List<String> command, Map<String, String> env, Path stdin) {
        try {
            Files.createDirectories(OUT_DIR);
            String base = Path.of(command.get(0)).getFileName() + "-" + System.nanoTime();
            Path out = OUT_DIR.resolve(base + ".out");
            Path err = OUT_DIR.resolve(base + ".err");
            ProcessBuilder pb =
                    new ProcessBuilder(command)
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile());
            pb.redirectInput(
                    stdin != null
                            ? ProcessBuilder.Redirect.from(stdin.toFile())
                            : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            env.forEach(
                    (k, v) -> {
                        if (v == null) {
                            pb.environment().remove(k);
                        } else {
                            pb.environment().put(k, v);
                        }
                    });
            Process p = pb.start();
            Suite.started(p.pid());
            return new Child(p, List.copyOf(command), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * Runs a command to completion.
     *
     * @param timeout the longest wait
     * @param command the program and its arguments
     * @return the result
     */
    public static Result run(Duration timeout, String... command) {
        try (Child c = start(List.of(command))) {
            return c.await(timeout);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<cannot read " + p + ": " + e + ">";
        }
    }
}
