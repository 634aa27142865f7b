package io.jipc.sysv;

import io.jipc.IpcException;
import io.jipc.IpcKey;
import io.jipc.PermissionDeniedException;

import java.time.Duration;

/**
 * Child-process programs for the semaphore tests, one per mode (first argument). Each prints one
 * result line on stdout and exits 0; anything unexpected prints on stderr and exits 1.
 */
public final class SemChild {
    private SemChild() {}

    /**
     * Runs one mode.
     *
     * @param args the mode and its arguments
     * @throws Exception on failure (the test shows stderr)
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "race" -> race(IpcKey.parse(args[1]), Integer.parseInt(args[2]));
            case "hold" -> hold(Integer.parseInt(args[1]));
            case "timed" -> timed(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            case "denied" -> denied(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("mode " + args[0]);
        }
    }

    /** Waits at the gate (semaphore 0 of gateId reaches 0), then races create and takes 1. */
    private static void race(IpcKey key, int gateId) throws IpcException {
        SemaphoreSet gate = SemaphoreSet.ofId(gateId);
        gate.op(SemOp.waitZero(0));
        SemaphoreSet s = SemaphoreSet.create(key, 0600, 2, Duration.ofSeconds(30), 100, 7);
        s.op(SemOp.down(0));
        System.out.println("created=" + s.created());
    }

    /** Takes the lock on semaphore 0 and holds it until killed. */
    private static void hold(int semid) throws Exception {
        SemaphoreSet s = SemaphoreSet.ofId(semid);
        SemaphoreLock.Held held = s.lock(0);
        System.out.println("held " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(120_000);
        held.close();
    }

    /** Waits on semaphore 0 (value 0) with a timeout; prints the outcome and the elapsed time. */
    private static void timed(int semid, long millis) throws IpcException {
        SemaphoreSet s = SemaphoreSet.ofId(semid);
        System.out.println("waiting");
        System.out.flush();
        long t0 = System.nanoTime();
        boolean done = s.op(Duration.ofMillis(millis), SemOp.down(0));
        long elapsed = System.nanoTime() - t0;
        System.out.println("done=" + done + " elapsedNanos=" + elapsed);
    }

    /** Tries to change a set it may not; prints the exception's class and message. */
    private static void denied(int semid) throws IpcException {
        SemaphoreSet s;
        try {
            s = SemaphoreSet.ofId(semid);
        } catch (PermissionDeniedException e) {
            System.out.println("denied-open " + e.getMessage());
            return;
        }
        try {
            s.op(SemOp.up(0));
            System.out.println("allowed");
        } catch (PermissionDeniedException e) {
            System.out.println("denied " + e.getMessage());
        }
    }
}
