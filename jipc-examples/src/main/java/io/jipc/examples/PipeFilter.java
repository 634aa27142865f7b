package io.jipc.examples;

import io.jipc.pipe.Child;
import io.jipc.pipe.ExitStatus;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.Spawn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A pipe into a child program and its output read back: {@code pipe-filter [stdin|fd3] [PROGRAM
 * ARGS...]} feeds a few lines to {@code md5sum} (default) or any filter ({@code sort}, {@code wc
 * -l}) on its stdin, or, with {@code fd3}, on descriptor 3 named as {@code /dev/fd/3}; prints what
 * the program wrote (and, for md5sum, the MD5 Java computes for comparison).
 */
public final class PipeFilter implements Example {
    /** Creates the example (a service). */
    public PipeFilter() {}

    static final String INPUT = "pear\napple\nfig\nbanana\ncherry\n";

    @Override
    public String name() {
        return "pipe-filter";
    }

    @Override
    public String description() {
        return "pipes lines into a program's stdin or fd 3 (default md5sum) and reads its output back [stdin|fd3] [PROGRAM ARGS...]";
    }

    @Override
    public String cTwin() {
        return "pipe_filter.c";
    }

    @Override
    public int run(String... args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean fd3 = !rest.isEmpty() && rest.get(0).equals("fd3");
        if (!rest.isEmpty() && (fd3 || rest.get(0).equals("stdin"))) {
            rest.remove(0);
        }
        List<String> command = rest.isEmpty() ? new ArrayList<>(List.of("md5sum")) : rest;
        try (Pipe in = Pipe.open();
                Pipe out = Pipe.open()) {
            Spawn spawn;
            if (fd3) {
                command.add("/dev/fd/3");
                spawn = Spawn.of(command).fd(3, in.source());
            } else {
                spawn = Spawn.of(command).stdin(in.source());
            }
            Child child = spawn.stdout(out.sink()).start();
            in.source().close(); // the child's copies are the only ones left
            out.sink().close();
            byte[] data = INPUT.getBytes(StandardCharsets.UTF_8);
            in.sink().write(ByteBuffer.wrap(data));
            in.sink().close(); // end-of-file for the program
            String result =
                    new String(out.source().inputStream().readAllBytes(), StandardCharsets.UTF_8);
            ExitStatus status = child.waitFor();
            System.out.print(result);
            if (command.get(0).equals("md5sum")) {
                System.out.println(
                        HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data))
                                + "  (computed by Java)");
            }
            if (!status.success()) {
                System.err.println(String.join(" ", command) + ": " + status);
                return 1;
            }
            return 0;
        }
    }

    /**
     * Runs the example.
     *
     * @param args as the class says
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new PipeFilter(), args);
    }
}
