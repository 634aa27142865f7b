package io.jipc.posix;

/**
 * Run by {@link PosixObjectsTest} in an IPC and mount namespace of its own where the mqueue file
 * system is mounted: creates two queues (one with a message and a notification registered), prints
 * {@link PosixObjects#queues()} one per line, and removes them.
 */
public final class PosixListChild {
    private PosixListChild() {}

    /**
     * Entry point.
     *
     * @param args the two queue names
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        System.out.println("mount " + PosixObjects.mqueueMount().orElseThrow());
        try (PosixMessageQueue a = PosixMessageQueue.createExclusive(args[0], 0640, 3, 16);
                PosixMessageQueue b = PosixMessageQueue.createExclusive(args[1], 0600, 2, 8)) {
            a.send(1, "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            b.notifyOnArrival(() -> {});
            for (PosixMessageQueueStatus s : PosixObjects.queues()) {
                System.out.println(s);
            }
            a.unlink();
            b.unlink();
            System.out.println("after unlink " + PosixObjects.queues().size());
        }
    }
}
