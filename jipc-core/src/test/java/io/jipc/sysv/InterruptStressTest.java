package io.jipc.sysv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.InterruptedCallException;
import io.jipc.pipe.Pipe;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Interrupt/call cycles under stress: interrupts from other threads at random moments against
 * threads that consume each interrupt and call again at once, against calls that block, and racing
 * the entry into and the exit from calls that complete. Each case runs 1.5 s and checks that
 *
 * <ul>
 *   <li>nobody hangs: every target keeps making calls (an interrupter and its target once
 *       deadlocked on the interrupt hook's lock within seconds);
 *   <li>a call is ended by an interrupt only when the thread still has the interrupt status
 *       afterwards: an interrupt the thread had already consumed never cancels its next call (it
 *       once did, 27 times in 125,000 interrupts);
 *   <li>an interrupted wait takes nothing and a completed one keeps what it took (units given =
 *       units taken + units left).
 * </ul>
 *
 * A stall is a target that makes no call for 15 s, a bound for a hang, not a speed figure.
 */
class InterruptStressTest {
    private static final long RUN_NANOS = 1_500_000_000L;
    private static final long STALL_NANOS = 15_000_000_000L;
    private static final int TARGETS = 3;

    /** What the targets of one case saw. */
    private static final class Tally {
        final AtomicLongArray calls = new AtomicLongArray(TARGETS);
        final AtomicLong cancels = new AtomicLong();
        final AtomicLong interrupts = new AtomicLong();
        final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();

        /**
         * A cancelled call: right only if the status is still set (then consumed for the next
         * round).
         */
        void cancelled(String what) {
            cancels.incrementAndGet();
            if (!Thread.currentThread().isInterrupted()) {
                wrong.add(
                        what
                                + " cancelled with the interrupt status clear (an interrupt consumed before the call)");
            }
        }

        void unexpected(Throwable e) {
            wrong.add(e.toString());
        }
    }

    @FunctionalInterface
    private interface Round {
        void run(int index) throws Exception;
    }

    /**
     * Runs TARGETS threads of {@code builder}, each doing {@code round} over and over (after
     * consuming any interrupt), and one interrupter per target, for RUN_NANOS.
     */
    private static void stress(Thread.Builder builder, Tally tally, Round round) throws Exception {
        List<Thread> targets = new ArrayList<>();
        List<Thread> interrupters = new ArrayList<>();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int k = 0; k < TARGETS; k++) {
            int index = k;
            targets.add(
                    builder.name("stress-target-" + k)
                            .start(
                                    () -> {
                                        while (!stop.get()) {
                                            Thread.interrupted(); // consume whatever came before
                                            // this call
                                            try {
                                                round.run(index);
                                            } catch (Throwable e) {
                                                tally.unexpected(e);
                                            }
                                            tally.calls.incrementAndGet(index);
                                        }
                                    }));
        }
        for (Thread t : targets) {
            interrupters.add(
                    Thread.ofPlatform()
                            .daemon(true)
                            .name("stress-interrupter")
                            .start(
                                    () -> {
                                        ThreadLocalRandom r = ThreadLocalRandom.current();
                                        while (!stop.get()) {
                                            t.interrupt();
                                            tally.interrupts.incrementAndGet();
                                            int n = r.nextInt(4000);
                                            for (int i = 0; i < n; i++) {
                                                Thread.onSpinWait();
                                            }
                                            if (r.nextInt(16) == 0) {
                                                Thread.yield();
                                            }
                                        }
                                    }));
        }
        long start = System.nanoTime();
        long[] last = new long[TARGETS];
        long[] lastChange = new long[TARGETS];
        java.util.Arrays.fill(lastChange, start);
        String stall = null;
        while (stall == null && System.nanoTime() - start < RUN_NANOS) {
            Thread.sleep(100); // a sampling period, not a synchronisation
            for (int k = 0; k < TARGETS; k++) {
                long c = tally.calls.get(k);
                long now = System.nanoTime();
                if (c != last[k]) {
                    last[k] = c;
                    lastChange[k] = now;
                } else if (now - lastChange[k] > STALL_NANOS) {
                    stall =
                            "target "
                                    + k
                                    + " made no call for 15 s after "
                                    + c
                                    + " calls\n"
                                    + dump();
                }
            }
        }
        stop.set(true);
        for (Thread t : interrupters) {
            t.join(10_000);
        }
        if (stall == null) {
            for (Thread t : targets) {
                // the last round may wait: interrupts end it
                while (!t.join(java.time.Duration.ofMillis(10))) {
                    if (System.nanoTime() - start > RUN_NANOS + STALL_NANOS) {
                        stall = "a target did not finish\n" + dump();
                        break;
                    }
                    t.interrupt();
                }
            }
        }
        assertEquals(null, stall);
        assertTrue(
                tally.wrong.isEmpty(),
                () ->
                        tally.wrong.size()
                                + " wrong outcomes in "
                                + tally.calls
                                + " calls, "
                                + tally.interrupts
                                + " interrupts; first: "
                                + tally.wrong.peek());
        for (int k = 0; k < TARGETS; k++) {
            assertTrue(tally.calls.get(k) > 0, "target " + k + " made calls");
        }
        System.out.println(
                builder.getClass().getSimpleName()
                        + ": "
                        + tally.calls
                        + " rounds, "
                        + tally.interrupts
                        + " interrupts, "
                        + tally.cancels
                        + " cancelled calls");
    }

    private static String dump() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().startsWith("stress-")) {
                b.append(e.getKey().getName())
                        .append(' ')
                        .append(e.getKey().getState())
                        .append('\n');
                for (StackTraceElement f : e.getValue()) {
                    b.append("    at ").append(f).append('\n');
                }
            }
        }
        return b.toString();
    }

    /**
     * The interrupt contract, one case at a time, on a platform and on a virtual thread: an
     * interrupt pending when a call starts cancels it (status kept); one consumed before the call
     * starts has no effect, even right after a call that left things behind (the hook of a platform
     * thread once stayed registered between calls); one that comes during a wait ends it.
     */
    @Test
    void an_interrupt_cancels_the_call_it_is_pending_at_or_arrives_in_and_no_later_one()
            throws Exception {
        for (Thread.Builder builder :
                List.of(Thread.ofPlatform().daemon(true), Thread.ofVirtual())) {
            SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1);
            try {
                var steps = new ConcurrentLinkedQueue<String>();
                var consumedThenWaiting = new java.util.concurrent.CountDownLatch(1);
                Thread t =
                        builder.name("stress-contract")
                                .start(
                                        () -> {
                                            try {
                                                s.op(SemOp.up(0));
                                                s.op(SemOp.down(0)); // a call made, its hook (if
                                                // any) left behind
                                                Thread.currentThread().interrupt();
                                                try {
                                                    s.op(SemOp.down(0)); // pending at the start:
                                                    // cancelled, status kept
                                                    steps.add("pending: not cancelled");
                                                } catch (InterruptedCallException e) {
                                                    steps.add(
                                                            "pending: cancelled, status "
                                                                    + Thread.interrupted());
                                                }
                                                Thread.currentThread().interrupt();
                                                Thread.interrupted(); // consumed before the next
                                                // calls
                                                s.op(SemOp.up(0));
                                                s.op(SemOp.down(0));
                                                steps.add("consumed: calls made");
                                                consumedThenWaiting.countDown();
                                                s.op(SemOp.down(0)); // the test thread gives a unit
                                                // once this waits
                                                steps.add("consumed: the wait took its unit");
                                                s.op(SemOp.down(0)); // now an interrupt ends the
                                                // wait
                                                steps.add("during: not cancelled");
                                            } catch (InterruptedCallException e) {
                                                steps.add(
                                                        "during: cancelled, status "
                                                                + Thread.currentThread()
                                                                        .isInterrupted());
                                            } catch (Exception e) {
                                                steps.add(e.toString());
                                            }
                                        });
                assertTrue(
                        consumedThenWaiting.await(30, java.util.concurrent.TimeUnit.SECONDS),
                        steps::toString);
                io.jipc.testkit.ThreadStates.await(
                        () -> waiting(s) == 1, () -> "the thread waits: " + steps);
                s.op(SemOp.up(0));
                io.jipc.testkit.ThreadStates.await(
                        () -> steps.size() == 3 && waiting(s) == 1,
                        () -> "the thread waits again: " + steps);
                t.interrupt();
                assertTrue(
                        t.join(java.time.Duration.ofSeconds(30)),
                        () -> "the interrupt ended the wait: " + steps);
                assertEquals(
                        List.of(
                                "pending: cancelled, status true",
                                "consumed: calls made",
                                "consumed: the wait took its unit",
                                "during: cancelled, status true"),
                        List.copyOf(steps),
                        builder.getClass().getSimpleName());
                assertEquals(0, s.get(0), "nothing taken by the cancelled waits");
            } finally {
                s.remove();
            }
        }
    }

    private static int waiting(SemaphoreSet s) {
        try {
            return s.waitingForIncrease(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void consumed_interrupts_never_cancel_the_next_call_and_nobody_hangs() throws Exception {
        // calls that never block, made right after consuming an interrupt: late interrupts land
        // on entry to, inside and on exit from them
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, TARGETS);
        try {
            Tally tally = new Tally();
            stress(
                    Thread.ofPlatform().daemon(true),
                    tally,
                    k -> {
                        try {
                            s.op(SemOp.up(k));
                            s.op(SemOp.down(k));
                        } catch (InterruptedCallException e) {
                            tally.cancelled("semop");
                            s.set(k, 0);
                        }
                    });
        } finally {
            s.remove();
        }
    }

    private static void blockedCalls(Thread.Builder builder) throws Exception {
        // waits that a feeder sometimes satisfies: interrupts race the unit's arrival, the entry
        // into the wait and the exit from it
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, TARGETS);
        AtomicLongArray taken = new AtomicLongArray(TARGETS);
        AtomicLongArray given = new AtomicLongArray(TARGETS);
        var feeding = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread feeder =
                Thread.ofPlatform()
                        .daemon(true)
                        .name("stress-feeder")
                        .start(
                                () -> {
                                    ThreadLocalRandom r = ThreadLocalRandom.current();
                                    try {
                                        while (feeding.get()) {
                                            int k = r.nextInt(TARGETS);
                                            s.op(SemOp.up(k));
                                            given.incrementAndGet(k);
                                            int n = r.nextInt(20_000);
                                            for (int i = 0; i < n; i++) {
                                                Thread.onSpinWait();
                                            }
                                        }
                                    } catch (Exception e) {
                                        throw new AssertionError(e);
                                    }
                                });
        try {
            Tally tally = new Tally();
            try {
                stress(
                        builder,
                        tally,
                        k -> {
                            try {
                                s.op(SemOp.down(k));
                                taken.incrementAndGet(k);
                            } catch (InterruptedCallException e) {
                                tally.cancelled("a waiting semop");
                            }
                        });
            } finally {
                feeding.set(false);
                feeder.join(10_000);
            }
            for (int k = 0; k < TARGETS; k++) {
                assertEquals(
                        given.get(k),
                        taken.get(k) + s.get(k),
                        "semaphore " + k + ": given = taken + left");
            }
        } finally {
            s.remove();
        }
    }

    @Test
    void interrupts_racing_blocked_calls_on_platform_threads_end_them_cleanly() throws Exception {
        blockedCalls(Thread.ofPlatform().daemon(true));
    }

    @Test
    void interrupts_racing_blocked_calls_on_virtual_threads_end_them_cleanly() throws Exception {
        blockedCalls(Thread.ofVirtual());
    }

    @Test
    void consumed_interrupts_never_close_a_pipe_end() throws Exception {
        // ClosedByInterruptException closes the end: a late hook of a consumed interrupt must
        // never cause it (a new pipe after each right one)
        Pipe[] pipes = new Pipe[TARGETS];
        for (int k = 0; k < TARGETS; k++) {
            pipes[k] = Pipe.open();
        }
        try {
            Tally tally = new Tally();
            ByteBuffer[] bufs = new ByteBuffer[TARGETS];
            for (int k = 0; k < TARGETS; k++) {
                bufs[k] = ByteBuffer.allocateDirect(1);
            }
            stress(
                    Thread.ofPlatform().daemon(true),
                    tally,
                    k -> {
                        ByteBuffer b = bufs[k].clear();
                        try {
                            pipes[k].sink().write(b);
                            b.clear();
                            assertEquals(1, pipes[k].source().read(b));
                        } catch (ClosedByInterruptException e) {
                            tally.cancelled("a pipe read or write");
                            pipes[k].close();
                            pipes[k] = Pipe.open();
                        }
                    });
        } finally {
            for (Pipe p : pipes) {
                p.close();
            }
        }
    }
}
