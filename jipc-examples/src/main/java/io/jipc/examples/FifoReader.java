package io.jipc.examples;

import io.jipc.pipe.Fifo;
import io.jipc.pipe.ReadEnd;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The FIFO reader: {@code fifo-reader PATH} creates the FIFO (mode 0600) unless it exists, waits
 * for a writer, prints every line until every writer has closed, and removes the FIFO if it made
 * it. Its writers can be {@code fifo-writer}, the C twin {@code fifo_writer}, or {@code echo hello
 * > PATH}.
 */
public final class FifoReader implements Example {
    /** Creates the example (a service). */
    public FifoReader() {}

    @Override
    public String name() {
        return "fifo-reader";
    }

    @Override
    public String description() {
        return "FIFO reader: creates PATH (0600) if needed, prints lines until every writer closes";
    }

    @Override
    public String cTwin() {
        return "fifo_reader.c";
    }

    @Override
    public int run(String... args) throws Exception {
        UsageError.requireCount(args, 1, 1, "PATH");
        Path path = Path.of(args[0]);
        boolean made = !Files.exists(path);
        Fifo fifo = made ? Fifo.create(path, 0600) : Fifo.of(path);
        try {
            System.out.println("reader: waiting for a writer on " + path);
            try (ReadEnd in = fifo.openReader();
                    BufferedReader r =
                            new BufferedReader(
                                    new InputStreamReader(
                                            in.inputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println("reader: " + line);
                }
            }
            System.out.println("reader: end of file");
            return 0;
        } finally {
            if (made) {
                fifo.remove();
            }
        }
    }

    /**
     * Runs the example.
     *
     * @param args the FIFO's path
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new FifoReader(), args);
    }
}
