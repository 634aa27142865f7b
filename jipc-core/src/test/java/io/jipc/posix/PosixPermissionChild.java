package io.jipc.posix;

/**
 * Run as an unprivileged user by {@link PosixPermissionsTest}: opens each object and prints one
 * line per attempt, {@code WHAT: OUTCOME}, where OUTCOME is the exception's simple class name and
 * message, or {@code ok}.
 */
public final class PosixPermissionChild {
    private PosixPermissionChild() {}

    interface Op {
        Object run() throws Exception;
    }

    /**
     * Entry point.
     *
     * @param args the names of a queue, a semaphore and a shared memory object (mode 0600, root's),
     *     then of a queue made with mode 0666
     */
    public static void main(String[] args) {
        report("mq_open", () -> PosixMessageQueue.open(args[0]));
        report(
                "mq_unlink",
                () -> {
                    PosixMessageQueue.unlink(args[0]);
                    return null;
                });
        report("sem_open", () -> NamedSemaphore.open(args[1]));
        report("shm_open", () -> PosixSharedMemory.open(args[2], Access.READ_ONLY));
        report(
                "open 0666",
                () -> {
                    try (PosixMessageQueue q = PosixMessageQueue.open(args[3])) {
                        q.send(1, new byte[] {9});
                    }
                    return null;
                });
    }

    private static void report(String name, Op op) {
        String outcome;
        try {
            op.run();
            outcome = "ok";
        } catch (io.jipc.IpcException e) {
            outcome = e.getClass().getSimpleName() + " " + e.getMessage();
        } catch (Exception e) {
            outcome = e.toString();
        }
        System.out.println(name + ": " + outcome);
    }
}
