package io.jipc.sysv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;
import io.jipc.internal.linux.Signals;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;
import io.jipc.testkit.VirtualThreadProbe;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Interrupts, timeouts under signals and virtual threads for semop, with other processes (a C peer)
 * changing the set and sending signals.
 */
class SemaphoreBlockingTest {

    private static void await(String what, BooleanSupplier condition) {
        io.jipc.testkit.ThreadStates.await(condition, () -> what);
    }

    private static int ncnt(SemaphoreSet s, int i) {
        try {
            return s.waitingForIncrease(i);
        } catch (IpcException e) {
            throw new AssertionError(e);
        }
    }

    private static Path peer() {
        return Gcc.compileResource("c/blocking_peer.c");
    }

    @Test
    void an_interrupt_between_calls_reaches_the_thread_and_later_waits_stay_interruptible()
            throws Exception {
        // Thread.interrupt() runs a hook only after waking the thread (and a hook once stayed
        // registered between calls): an
        // interrupt between calls must behave as always (a latch wait ends; a thread that was
        // busy keeps the status and its next wait is refused), a late hook must not cancel the
        // thread's next call, and later waits must stay interruptible.
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1);
        try {
            CountDownLatch called = new CountDownLatch(1);
            CountDownLatch again = new CountDownLatch(1);
            AtomicBoolean go = new AtomicBoolean();
            CompletableFuture<String> busy = new CompletableFuture<>();
            CompletableFuture<String> outcome = new CompletableFuture<>();
            Thread t =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try {
                                            s.op(SemOp.up(0));
                                            s.op(SemOp.down(0)); // direct path: the hook stays
                                            // registered after it
                                            called.countDown();
                                            try {
                                                new CountDownLatch(1)
                                                        .await(); // until the first interrupt
                                            } catch (InterruptedException expected) {
                                                // consumed here, status cleared, as always
                                            }
                                            s.op(SemOp.up(0)); // not cancelled by a late hook of
                                            // that interrupt
                                            s.op(SemOp.down(0));
                                            again.countDown();
                                            while (!go.get()) {
                                                Thread.onSpinWait(); // busy, in no wait at all,
                                                // when the second interrupt
                                                // comes
                                            }
                                            try {
                                                s.op(SemOp.down(0)); // would wait: refused at once,
                                                // status kept
                                                busy.complete("a busy thread's interrupt was lost");
                                            } catch (InterruptedCallException e) {
                                                busy.complete(
                                                        "refused, status "
                                                                + Thread.interrupted()); // and
                                                // cleared
                                            }
                                            s.op(SemOp.down(0)); // waits, until the third interrupt
                                            outcome.complete("the last wait was not interrupted");
                                        } catch (InterruptedCallException e) {
                                            outcome.complete(
                                                    "interrupted, status "
                                                            + Thread.currentThread()
                                                                    .isInterrupted());
                                        } catch (Throwable e) {
                                            outcome.completeExceptionally(e);
                                        }
                                    });
            assertTrue(called.await(30, TimeUnit.SECONDS));
            await("the thread waits on its latch", () -> t.getState() == Thread.State.WAITING);
            t.interrupt();
            assertTrue(
                    again.await(30, TimeUnit.SECONDS),
                    () -> "the calls after the first interrupt: " + outcome);
            t.interrupt();
            go.set(true);
            assertEquals("refused, status true", busy.get(30, TimeUnit.SECONDS));
            await("the thread waits in semop", () -> ncnt(s, 0) == 1 || outcome.isDone());
            assertFalse(outcome.isDone(), () -> "the thread ended early: " + outcome);
            t.interrupt();
            assertEquals("interrupted, status true", outcome.get(10, TimeUnit.SECONDS));
            t.join(5000);
            assertEquals(
                    0, s.get(0), "nothing was taken or given by the refused or interrupted waits");
            assertEquals(0, ncnt(s, 0), "nobody waits any more");
        } finally {
            s.remove();
        }
    }

    /**
     * Blocks a thread of {@code builder} in down(0) on a set at 0, interrupts it, and checks what
     * it saw (EINTR, interrupt status kept, nothing taken), then that a C process can still raise
     * the semaphore.
     */
    private static void interruptBlockedDown(Thread.Builder builder) throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1);
        try {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            AtomicLong endedAt = new AtomicLong();
            Thread t =
                    builder.start(
                            () -> {
                                try {
                                    s.op(SemOp.down(0));
                                    outcome.complete(null);
                                } catch (Throwable e) {
                                    endedAt.set(System.nanoTime());
                                    outcome.complete(
                                            Thread.currentThread().isInterrupted()
                                                    ? e
                                                    : new AssertionError("status lost", e));
                                }
                            });
            await("the thread waits in semop", () -> ncnt(s, 0) == 1);
            long start = System.nanoTime();
            t.interrupt();
            Throwable e = outcome.get(10, TimeUnit.SECONDS);
            assertTrue(endedAt.get() >= start, "it ended after the interrupt, not before");
            InterruptedCallException ie = assertInstanceOf(InterruptedCallException.class, e);
            assertEquals(Errno.EINTR, ie.errno());
            t.join(5000);
            assertEquals(0, ncnt(s, 0), "nobody waits any more");
            // another process makes the semaphore available: it is still there, nothing consumed
            Processes.run(Duration.ofSeconds(30), peer().toString(), "semop", "" + s.id(), "0", "1")
                    .assertExit(0);
            assertEquals(1, s.get(0));
        } finally {
            s.remove();
        }
    }

    @Test
    void interrupt_ends_a_semop_blocked_on_a_platform_thread_and_takes_nothing() throws Exception {
        interruptBlockedDown(Thread.ofPlatform());
    }

    @Test
    void interrupt_ends_a_semop_blocked_on_a_virtual_thread_and_takes_nothing() throws Exception {
        interruptBlockedDown(Thread.ofVirtual());
    }

    @Test
    void
            thirty_interrupts_in_a_row_each_end_the_wait_and_take_nothing_on_platform_and_virtual_threads()
                    throws Exception {
        // How fast an interrupt ends the wait is measured by the benchmarks; here: every one does,
        // cleanly.
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1);
        try {
            for (Thread.Builder builder : List.of(Thread.ofPlatform(), Thread.ofVirtual())) {
                for (int round = 0; round < 30; round++) {
                    CompletableFuture<Boolean> interruptedStatus = new CompletableFuture<>();
                    Thread t =
                            builder.start(
                                    () -> {
                                        try {
                                            s.op(SemOp.down(0));
                                            interruptedStatus.completeExceptionally(
                                                    new AssertionError("took a unit nobody gave"));
                                        } catch (InterruptedCallException e) {
                                            interruptedStatus.complete(
                                                    Thread.currentThread().isInterrupted());
                                        } catch (Throwable e) {
                                            interruptedStatus.completeExceptionally(e);
                                        }
                                    });
                    await("the thread waits in semop", () -> ncnt(s, 0) == 1);
                    t.interrupt();
                    assertTrue(
                            interruptedStatus.get(10, TimeUnit.SECONDS),
                            "round " + round + ": the status is kept");
                    assertTrue(t.join(Duration.ofSeconds(10)));
                    assertEquals(0, ncnt(s, 0), "round " + round + ": nobody waits any more");
                }
            }
            assertEquals(0, s.get(0), "no unit was taken or made");
        } finally {
            s.remove();
        }
    }

    @Test
    void an_interrupted_thread_does_not_start_to_wait_but_does_what_needs_no_wait()
            throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1, 1);
        try {
            Thread.currentThread().interrupt();
            try {
                assertTrue(s.op(SemOp.down(0)));
                IpcException e =
                        org.junit.jupiter.api.Assertions.assertThrows(
                                IpcException.class, () -> s.op(SemOp.down(0)));
                assertInstanceOf(InterruptedCallException.class, e);
                assertTrue(Thread.currentThread().isInterrupted());
            } finally {
                Thread.interrupted();
            }
            assertEquals(0, s.get(0));
        } finally {
            s.remove();
        }
    }

    @Test
    void a_wait_that_succeeds_as_the_interrupt_comes_keeps_what_it_got() throws Exception {
        // many rounds: up from another thread and interrupt at the same time; each round either
        // takes the unit (and the value is 0) or is interrupted (and the unit is still there)
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1);
        try {
            for (int round = 0; round < 50; round++) {
                CompletableFuture<Boolean> took = new CompletableFuture<>();
                Thread t =
                        Thread.ofPlatform()
                                .start(
                                        () -> {
                                            try {
                                                took.complete(s.op(SemOp.down(0)));
                                            } catch (InterruptedCallException e) {
                                                took.complete(false);
                                            } catch (Throwable e) {
                                                took.completeExceptionally(e);
                                            }
                                        });
                await("waiting", () -> ncnt(s, 0) == 1);
                s.op(SemOp.up(0));
                t.interrupt();
                boolean got = took.get(10, TimeUnit.SECONDS);
                t.join(5000);
                assertEquals(got ? 0 : 1, s.get(0), "round " + round);
                s.set(0, 0);
            }
        } finally {
            s.remove();
        }
    }

    @Test
    void a_timed_semop_keeps_its_timeout_under_a_stream_of_signals_from_another_process()
            throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1);
        try {
            AtomicInteger tid = new AtomicInteger();
            CompletableFuture<long[]> result = new CompletableFuture<>();
            Thread t =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        tid.set(Signals.gettid());
                                        try {
                                            long start = System.nanoTime();
                                            boolean done =
                                                    s.op(Duration.ofMillis(1500), SemOp.down(0));
                                            result.complete(
                                                    new long[] {
                                                        done ? 1 : 0,
                                                        (System.nanoTime() - start) / 1_000_000
                                                    });
                                        } catch (Throwable e) {
                                            result.completeExceptionally(e);
                                        }
                                    });
            await("the thread waits in semtimedop", () -> ncnt(s, 0) == 1);
            // SIGPIPE (13) every 0.5 ms for 2 s: HotSpot's handler ignores it, but each one ends
            // semtimedop with EINTR
            var storm =
                    Processes.start(
                            List.of(
                                    peer().toString(),
                                    "sigstorm",
                                    "" + ProcessHandle.current().pid(),
                                    "" + tid.get(),
                                    "13",
                                    "500",
                                    "2000"));
            long[] r = result.get(30, TimeUnit.SECONDS);
            String sent = storm.await(Duration.ofSeconds(30)).assertExit(0).stdout().trim();
            assertEquals(0, r[0], "timed out, nothing taken");
            // signals must not shorten the wait (how much they lengthen it is for a benchmark, not
            // a test)
            assertTrue(
                    r[1] >= 1490,
                    "elapsed " + r[1] + " ms for a 1500 ms timeout under " + sent + " signals");
            assertTrue(Long.parseLong(sent) > 100, "signals sent: " + sent);
            t.join(5000);
            assertEquals(0, s.get(0));
        } finally {
            s.remove();
        }
    }

    @Test
    void ten_thousand_virtual_threads_blocked_in_semop_leave_a_probe_virtual_thread_running()
            throws Exception {
        int n = 10_000;
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, n);
        List<Thread> waiters = new ArrayList<>(n);
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try {
            for (int i = 0; i < n; i++) {
                int index = i;
                waiters.add(
                        Thread.ofVirtual()
                                .start(
                                        () -> {
                                            entered.incrementAndGet();
                                            try {
                                                s.op(SemOp.down(index));
                                                done.incrementAndGet();
                                            } catch (IpcException e) {
                                                failed.incrementAndGet();
                                            }
                                        }));
            }
            await("every virtual thread started its wait", () -> entered.get() == n);
            await(
                    "every virtual thread is parked while its semop waits",
                    () -> waiters.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
            assertEquals(0, done.get() + failed.get(), "nobody got through");
            long probeMillis = VirtualThreadProbe.millisFor200Sleeps();
            System.out.println(
                    "with "
                            + n
                            + " virtual threads blocked in semop, a probe doing 200 x sleep(1 ms)"
                            + " took "
                            + probeMillis
                            + " ms");
            int[] ones = new int[n];
            Arrays.fill(ones, 1);
            s.setAll(ones); // wake them all: each takes its unit
            for (Thread t : waiters) {
                assertTrue(t.join(Duration.ofSeconds(60)), "a waiter did not finish");
            }
            assertEquals(n, done.get());
            assertEquals(0, failed.get());
            assertEquals(0, Arrays.stream(s.getAll()).sum());
        } finally {
            s.remove();
            for (Thread t : waiters) {
                t.join(Duration.ofSeconds(10));
            }
        }
        assertFalse(waiters.stream().anyMatch(Thread::isAlive));
    }
}
