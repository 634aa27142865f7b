package io.jipc.examples;

import io.jipc.sysv.Attachment;
import io.jipc.sysv.SharedMemory;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The seed's shared memory parent: creates a private segment, starts a child that writes a greeting
 * into it, waits for the child, reads the greeting and removes the segment.
 *
 * <p>{@code ./jipc example shm-parent [CHILD_COMMAND...]}: the child is started as {@code
 * CHILD_COMMAND SHMID}; without one it is {@link ShmChild} in a new JVM. Any child that speaks the
 * protocol works, e.g. the C twin: {@code ./jipc example shm-parent ./shm_child}. Protocol: the
 * child attaches the segment by its id and writes a NUL-terminated UTF-8 greeting at offset 0.
 */
public final class ShmParent implements Example {
    /** The segment's size. */
    static final int SIZE = 4096;

    /** Creates the example (the service loader instantiates it). */
    public ShmParent() {}

    @Override
    public String name() {
        return "shm-parent";
    }

    @Override
    public String description() {
        return "Shared memory parent: start a child that writes a greeting, wait, read it, remove the segment.";
    }

    @Override
    public String cTwin() {
        return "shm_parent.c";
    }

    @Override
    public int run(String... args) throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, SIZE);
        try {
            List<String> command = new ArrayList<>(args.length > 0 ? List.of(args) : javaChild());
            command.add(Integer.toString(shm.id()));
            System.out.println(
                    "parent: created shmid "
                            + shm.id()
                            + " ("
                            + shm.size()
                            + " bytes), starting "
                            + Path.of(command.get(0)).getFileName());
            System.out.flush();
            Process child = new ProcessBuilder(command).inheritIO().start();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                System.err.println("parent: the child did not finish within 60 s");
                return 1;
            }
            if (child.exitValue() != 0) {
                System.err.println(
                        "parent: the child failed with exit status " + child.exitValue());
                return 1;
            }
            try (Attachment a = shm.attachReadOnly()) {
                System.out.println("parent: the child wrote: " + a.segment().getString(0));
            }
            return 0;
        } finally {
            shm.remove();
            System.out.println("parent: removed shmid " + shm.id());
        }
    }

    /** The command that runs {@link ShmChild} in a new JVM on this JVM's class and module path. */
    private static List<String> javaChild() {
        String cp = System.getProperty("java.class.path", "");
        String mp = System.getProperty("jdk.module.path");
        if (mp != null && !mp.isEmpty()) {
            cp = cp.isEmpty() ? mp : cp + File.pathSeparator + mp;
        }
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                cp,
                ShmChild.class.getName());
    }

    /**
     * Runs the parent.
     *
     * @param args the child command (optional)
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new ShmParent(), args);
    }
}
