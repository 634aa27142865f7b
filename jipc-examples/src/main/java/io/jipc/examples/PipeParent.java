package io.jipc.examples;

import io.jipc.pipe.Child;
import io.jipc.pipe.ExitStatus;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.Spawn;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The seed's parent-to-child pipe: the parent makes a pipe, starts a child that gets the read end
 * as descriptor 3, writes lines into the write end and closes it; the child reads until end-of-file
 * and prints what it read. The child is {@link PipeChild} in a new JVM, or any program given as
 * arguments (e.g. the C twin {@code pipe_child}, or {@code sh -c 'cat <&3'}).
 */
public final class PipeParent implements Example {
    /** Creates the example (a service). */
    public PipeParent() {}

    @Override
    public String name() {
        return "pipe-parent";
    }

    @Override
    public String description() {
        return "parent end of the parent -> child pipe: writes lines the child (fd 3) prints [CHILD-COMMAND...]";
    }

    @Override
    public String cTwin() {
        return "pipe_parent.c";
    }

    @Override
    public int run(String... args) throws Exception {
        List<String> child = args.length > 0 ? List.of(args) : JavaCommand.of(PipeChild.class);
        try (Pipe pipe = Pipe.open()) {
            Child c = Spawn.of(child).fd(3, pipe.source()).start();
            pipe.source().close(); // only the child reads
            System.out.println(
                    "parent " + ProcessHandle.current().pid() + ": started child " + c.pid());
            try (OutputStream out = pipe.sink().outputStream()) {
                for (int i = 1; i <= 3; i++) {
                    out.write(
                            ("message "
                                            + i
                                            + " from parent "
                                            + ProcessHandle.current().pid()
                                            + "\n")
                                    .getBytes(StandardCharsets.UTF_8));
                }
            } // closing the write end: the child sees end-of-file
            ExitStatus status = c.waitFor();
            System.out.println("parent: child " + status);
            return status.success() ? 0 : 1;
        }
    }

    /**
     * Runs the example.
     *
     * @param args an optional child command
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new PipeParent(), args);
    }
}
