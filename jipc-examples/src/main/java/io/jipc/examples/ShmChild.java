package io.jipc.examples;

import io.jipc.sysv.Attachment;
import io.jipc.sysv.SharedMemory;

import java.nio.charset.StandardCharsets;

/**
 * The seed's shared memory child: attaches the segment its parent passed by id and writes a
 * NUL-terminated greeting at offset 0.
 *
 * <p>{@code ./jipc example shm-child SHMID} (usually started by {@link ShmParent} or its C twin:
 * {@code ./shm_parent ./jipc example shm-child}).
 */
public final class ShmChild implements Example {
    /** Creates the example (the service loader instantiates it). */
    public ShmChild() {}

    @Override
    public String name() {
        return "shm-child";
    }

    @Override
    public String description() {
        return "Shared memory child: write a greeting into the segment SHMID (started by shm-parent).";
    }

    @Override
    public String cTwin() {
        return "shm_child.c";
    }

    @Override
    public int run(String... args) throws Exception {
        UsageError.requireCount(args, 1, 1, "SHMID");
        SharedMemory shm = SharedMemory.ofId(Integer.parseInt(args[0]));
        String greeting = "Hello from the Java child, pid " + ProcessHandle.current().pid();
        byte[] text = greeting.getBytes(StandardCharsets.UTF_8);
        if (text.length + 1 > shm.size()) {
            System.err.println(
                    "shm-child: the segment ("
                            + shm.size()
                            + " bytes) is too small for the greeting");
            return 1;
        }
        try (Attachment a = shm.attach()) {
            a.segment().setString(0, greeting); // UTF-8 with the terminating NUL, as C's strcpy
        }
        System.out.println("child: wrote \"" + greeting + "\" into shmid " + shm.id());
        return 0;
    }

    /**
     * Runs the child.
     *
     * @param args {@code SHMID}
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new ShmChild(), args);
    }
}
