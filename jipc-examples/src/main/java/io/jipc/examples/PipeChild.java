package io.jipc.examples;

import io.jipc.pipe.ReadEnd;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The child end of the parent-to-child pipe: reads descriptor 3 (inherited from the parent) until
 * end-of-file and prints each line.
 */
public final class PipeChild implements Example {
    /** Creates the example (a service). */
    public PipeChild() {}

    @Override
    public String name() {
        return "pipe-child";
    }

    @Override
    public String description() {
        return "child end of the parent -> child pipe: prints what it reads from fd 3 until EOF";
    }

    @Override
    public String cTwin() {
        return "pipe_child.c";
    }

    @Override
    public int run(String... args) throws Exception {
        try (ReadEnd in = ReadEnd.inherited(3);
                BufferedReader r =
                        new BufferedReader(
                                new InputStreamReader(in.inputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println("child " + ProcessHandle.current().pid() + " read: " + line);
            }
        }
        System.out.println("child: end of file, every writer closed");
        return 0;
    }

    /**
     * Runs the example.
     *
     * @param args none
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new PipeChild(), args);
    }
}
