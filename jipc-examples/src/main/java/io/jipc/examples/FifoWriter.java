package io.jipc.examples;

import io.jipc.pipe.Fifo;
import io.jipc.pipe.WriteEnd;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The FIFO writer: {@code fifo-writer PATH [MESSAGE...]} opens an existing FIFO for writing
 * (waiting for a reader), writes each message (or each line of stdin) as one line, each in one
 * atomic write, and closes. Its readers can be {@code fifo-reader}, the C twin {@code fifo_reader},
 * or {@code cat PATH}.
 */
public final class FifoWriter implements Example {
    /** Creates the example (a service). */
    public FifoWriter() {}

    @Override
    public String name() {
        return "fifo-writer";
    }

    @Override
    public String description() {
        return "FIFO writer: waits for a reader on PATH, writes MESSAGEs (or stdin lines), one line each";
    }

    @Override
    public String cTwin() {
        return "fifo_writer.c";
    }

    @Override
    public int run(String... args) throws Exception {
        UsageError.requireCount(args, 1, Integer.MAX_VALUE, "PATH [MESSAGE...]");
        List<String> lines = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        if (lines.isEmpty()) {
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        try (WriteEnd out = Fifo.of(Path.of(args[0])).openWriter()) {
            for (String line : lines) {
                out.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        }
        System.out.println("writer: wrote " + lines.size() + " line(s)");
        return 0;
    }

    /**
     * Runs the example.
     *
     * @param args the FIFO's path, then the messages
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new FifoWriter(), args);
    }
}
