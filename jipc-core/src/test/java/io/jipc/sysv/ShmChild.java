package io.jipc.sysv;

import io.jipc.IpcException;
import io.jipc.IpcKey;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The Java peer of the shared memory process tests, run in a child JVM.
 *
 * <ul>
 *   <li>{@code count SHMID N add|cas}: the counter protocol of shm_peer.c (ready word at 8, go word
 *       at 16, counter at 0), incrementing with getAndAdd or a compareAndSet loop.
 *   <li>{@code perm KEY_0600 KEY_0644}: what an unprivileged process may do with two segments.
 *   <li>{@code limits}: provokes shmmax and shmall failures (run in a private IPC namespace whose
 *       limits were lowered).
 * </ul>
 */
public final class ShmChild {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private ShmChild() {}

    /**
     * Runs one command.
     *
     * @param args the command and its arguments
     * @throws Exception on failure (the test shows the output)
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "count" ->
                    count(
                            Integer.parseInt(args[1]),
                            Long.parseLong(args[2]),
                            args[3].equals("cas"));
            case "perm" -> perm(IpcKey.parse(args[1]), IpcKey.parse(args[2]));
            case "limits" -> limits();
            default -> throw new IllegalArgumentException("command=" + args[0]);
        }
    }

    static void count(int shmid, long n, boolean cas) throws Exception {
        try (Attachment a = SharedMemory.ofId(shmid).attach()) {
            countOn(a.segment(), n, cas);
        }
    }

    /** The counter protocol: announce readiness, wait for go (acquire), then add n times. */
    static void countOn(MemorySegment s, long n, boolean cas) throws InterruptedException {
        LONG.getAndAdd(s, 8L, 1L);
        long until = System.nanoTime() + 60_000_000_000L;
        while ((long) LONG.getAcquire(s, 16L) == 0) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("no go signal in 60 s");
            }
            Thread.onSpinWait();
        }
        for (long i = 0; i < n; i++) {
            if (cas) {
                long v;
                do {
                    v = (long) LONG.getVolatile(s, 0L);
                } while (!LONG.compareAndSet(s, 0L, v, v + 1));
            } else {
                LONG.getAndAdd(s, 0L, 1L);
            }
        }
    }

    private static void perm(IpcKey closed, IpcKey readable) throws Exception {
        System.out.println("open-0600: " + outcome(() -> SharedMemory.open(closed)));
        SharedMemory r = SharedMemory.open(readable);
        System.out.println("attach-0644: " + outcome(() -> r.attach()));
        try (Attachment a = r.attachReadOnly()) {
            System.out.println("read-0644: " + a.segment().getString(0));
        }
        System.out.println(
                "remove-0644: "
                        + outcome(
                                () -> {
                                    r.remove();
                                    return null;
                                }));
    }

    private static void limits() throws Exception {
        System.out.println("shmmax: " + outcome(() -> SharedMemory.createPrivate(0600, 8192)));
        SharedMemory one = SharedMemory.createPrivate(0600, 4096);
        SharedMemory two = SharedMemory.createPrivate(0600, 4096);
        System.out.println("shmall: " + outcome(() -> SharedMemory.createPrivate(0600, 4096)));
        one.remove();
        two.remove();
    }

    private interface Call {
        Object call() throws IpcException;
    }

    private static String outcome(Call c) {
        try {
            Object o = c.call();
            if (o instanceof AutoCloseable ac) {
                ac.close();
            }
            return "ok";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + " " + e.getMessage();
        }
    }
}
