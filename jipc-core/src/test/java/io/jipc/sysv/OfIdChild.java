package io.jipc.sysv;

/**
 * Run as an unprivileged user by {@link SysvShapeTest}: opens a queue, a set and a segment by id,
 * which this user may not read, and prints one line each, {@code KIND: key=KEY size=N} or the
 * exception; then the outcome of using each ({@code KIND-use: ...}).
 */
public final class OfIdChild {
    private OfIdChild() {}

    interface Op {
        String run() throws Exception;
    }

    /**
     * Entry point.
     *
     * @param args msqid, semid, shmid
     */
    public static void main(String[] args) {
        int msqid = Integer.parseInt(args[0]);
        int semid = Integer.parseInt(args[1]);
        int shmid = Integer.parseInt(args[2]);
        report("msg", () -> "key=" + MessageQueue.ofId(msqid).key());
        report(
                "sem",
                () -> {
                    SemaphoreSet s = SemaphoreSet.ofId(semid);
                    return "key=" + s.key() + " size=" + s.size();
                });
        report(
                "shm",
                () -> {
                    SharedMemory s = SharedMemory.ofId(shmid);
                    return "key=" + s.key() + " size=" + s.size();
                });
        report("sem-use", () -> "" + SemaphoreSet.ofId(semid).get(0));
        report(
                "shm-use",
                () -> {
                    SharedMemory.ofId(shmid).attach().close();
                    return "attached";
                });
    }

    private static void report(String name, Op op) {
        String outcome;
        try {
            outcome = op.run();
        } catch (io.jipc.IpcException e) {
            outcome = e.getClass().getSimpleName() + " " + e.errno().name();
        } catch (Exception e) {
            outcome = e.toString();
        }
        System.out.println(name + ": " + outcome);
    }
}
