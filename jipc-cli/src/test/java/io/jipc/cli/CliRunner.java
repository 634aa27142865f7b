package io.jipc.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the CLI in-process with its own streams (no static stream is swapped) and captures what it
 * prints. Tests of what real descriptors do (a closed stdout, a pipe whose reader exits, a
 * terminal) run the CLI in a child process instead ({@code CliChild}).
 */
final class CliRunner {
    private CliRunner() {}

    /**
     * The outcome of one command line.
     *
     * @param exit the exit code
     * @param bytes standard output's bytes
     * @param err standard error
     */
    record Run(int exit, byte[] bytes, String err) {
        /**
         * Standard output as UTF-8 text.
         *
         * @return the text
         */
        String out() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    static Run run(String... args) {
        return runWithInput(new byte[0], args);
    }

    static Run runWithInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(stdin), out, err);
        return new Run(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
}
