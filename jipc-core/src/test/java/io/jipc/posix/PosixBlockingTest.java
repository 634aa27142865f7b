package io.jipc.posix;

import static io.jipc.posix.PosixTestNames.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.internal.linux.Signals;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;
import io.jipc.testkit.ThreadStates;
import io.jipc.testkit.VirtualThreadProbe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * jipc's blocking rules for the POSIX types: {@link Thread#interrupt()} ends a blocked {@code
 * mq_receive}, {@code mq_send}, {@code sem_wait} and eventfd {@code read} without taking anything,
 * on platform and virtual threads; timed forms keep their timeout under a storm of signals from
 * another process; many virtual threads can wait without starving the others.
 */
@ExtendWith(PosixTestNames.class)
class PosixBlockingTest {
    private static final int SYS_READ = 0;
    private static final int SYS_FUTEX = 202;
    private static final int SYS_MQ_TIMEDSEND = 242;
    private static final int SYS_MQ_TIMEDRECEIVE = 243;

    private interface Call {
        void run() throws Exception;
    }

    private static Path posixPeer() {
        return Gcc.compileResource("c/posix_peer.c");
    }

    private static Path blockingPeer() {
        return Gcc.compileResource("c/blocking_peer.c");
    }

    /**
     * Runs {@code call} on a new thread, waits until it blocks, interrupts it, returns what it
     * threw.
     */
    private static Throwable interruptWhenBlocked(
            Thread.Builder builder, Call call, int syscall, long arg0) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t =
                builder.start(
                        () -> {
                            try {
                                call.run();
                                outcome.complete(null);
                            } catch (Throwable e) {
                                outcome.complete(
                                        Thread.currentThread().isInterrupted()
                                                ? e
                                                : new AssertionError("status lost", e));
                            }
                        });
        awaitInSyscall(syscall, arg0);
        t.interrupt();
        Throwable e = outcome.get(10, TimeUnit.SECONDS);
        assertTrue(t.join(Duration.ofSeconds(5)));
        return e;
    }

    /**
     * Waits until a thread of this process (a virtual thread's helper included) is in system call
     * nr(arg0).
     */
    private static void awaitInSyscall(int nr, long arg0) {
        ThreadStates.awaitAnyInSyscall(ProcessHandle.current().pid(), nr, arg0);
    }

    @Test
    void interrupt_ends_a_blocked_mq_receive_and_takes_nothing_on_platform_and_virtual_threads()
            throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 2, 8)) {
            for (Thread.Builder b : List.of(Thread.ofPlatform(), Thread.ofVirtual())) {
                Throwable e = interruptWhenBlocked(b, q::receive, SYS_MQ_TIMEDRECEIVE, q.fd());
                InterruptedCallException ie = assertInstanceOf(InterruptedCallException.class, e);
                assertEquals(Errno.EINTR, ie.errno());
                assertEquals("mq_receive", ie.call());
                // another process sends: the message is there for the next receive, nobody took it
                Processes.run(
                                Duration.ofSeconds(30),
                                posixPeer().toString(),
                                "mq-send",
                                n,
                                "3",
                                "2a")
                        .assertExit(0);
                assertEquals(new PosixMessage(3, new byte[] {42}), q.tryReceive().orElseThrow());
            }
            q.unlink();
        }
    }

    @Test
    void interrupt_ends_a_blocked_mq_send_on_a_full_queue_and_sends_nothing() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 1, 8)) {
            q.send(1, new byte[] {1});
            for (Thread.Builder b : List.of(Thread.ofPlatform(), Thread.ofVirtual())) {
                Throwable e =
                        interruptWhenBlocked(
                                b, () -> q.send(2, new byte[] {2}), SYS_MQ_TIMEDSEND, q.fd());
                assertInstanceOf(InterruptedCallException.class, e);
                assertEquals(1, q.status().messages());
            }
            assertEquals(new PosixMessage(1, new byte[] {1}), q.receive());
            q.unlink();
        }
    }

    @Test
    void interrupt_ends_a_blocked_sem_wait_and_takes_nothing() throws Exception {
        String n = name("sem");
        try (NamedSemaphore s = NamedSemaphore.createExclusive(n, 0600, 0)) {
            for (Thread.Builder b : List.of(Thread.ofPlatform(), Thread.ofVirtual())) {
                Throwable e = interruptWhenBlocked(b, s::acquire, SYS_FUTEX, s.sem().address());
                InterruptedCallException ie = assertInstanceOf(InterruptedCallException.class, e);
                assertEquals("sem_wait", ie.call());
                assertEquals(n, ie.object());
                String after =
                        Processes.run(
                                        Duration.ofSeconds(30),
                                        posixPeer().toString(),
                                        "sem-post",
                                        n,
                                        "1")
                                .assertExit(0)
                                .stdout()
                                .trim();
                assertEquals("1", after, "the unit posted by C is still there");
                assertTrue(s.tryAcquire());
            }
            s.unlink();
        }
    }

    @Test
    void interrupt_ends_a_blocked_eventfd_take() throws Exception {
        try (EventFd e = EventFd.create(0)) {
            for (Thread.Builder b : List.of(Thread.ofPlatform(), Thread.ofVirtual())) {
                Throwable t = interruptWhenBlocked(b, e::take, SYS_READ, e.fd());
                assertInstanceOf(InterruptedCallException.class, t);
                assertEquals(OptionalLong.empty(), e.tryTake());
            }
        }
    }

    /**
     * Runs a timed wait on a platform thread under SIGPIPEs from another process; returns the ms it
     * took.
     */
    private static long timedUnderSignals(Call timedWait, int syscall, long arg0) throws Exception {
        AtomicInteger tid = new AtomicInteger();
        CompletableFuture<Long> result = new CompletableFuture<>();
        Thread t =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    tid.set(Signals.gettid());
                                    try {
                                        long start = System.nanoTime();
                                        timedWait.run();
                                        result.complete((System.nanoTime() - start) / 1_000_000);
                                    } catch (Throwable e) {
                                        result.completeExceptionally(e);
                                    }
                                });
        awaitInSyscall(syscall, arg0);
        // SIGPIPE (13) every 0.5 ms for 2 s: HotSpot ignores it, but each one interrupts the wait
        // (EINTR)
        var storm =
                Processes.start(
                        List.of(
                                blockingPeer().toString(),
                                "sigstorm",
                                "" + ProcessHandle.current().pid(),
                                "" + tid.get(),
                                "13",
                                "500",
                                "2000"));
        long ms = result.get(30, TimeUnit.SECONDS);
        String sent = storm.await(Duration.ofSeconds(30)).assertExit(0).stdout().trim();
        assertTrue(Long.parseLong(sent) > 100, "signals sent: " + sent);
        t.join(5000);
        return ms;
    }

    @Test
    void timed_receive_and_timed_acquire_keep_their_timeout_under_a_stream_of_signals()
            throws Exception {
        String qn = name("q");
        String sn = name("sem");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(qn, 0600, 1, 8);
                NamedSemaphore s = NamedSemaphore.createExclusive(sn, 0600, 0)) {
            long mq =
                    timedUnderSignals(
                            () -> assertTrue(q.receive(Duration.ofMillis(1500)).isEmpty()),
                            SYS_MQ_TIMEDRECEIVE,
                            q.fd());
            long sem =
                    timedUnderSignals(
                            () -> assertFalse(s.tryAcquire(Duration.ofMillis(1500))),
                            SYS_FUTEX,
                            s.sem().address());
            System.out.println(
                    "under SIGPIPE storms: mq_timedreceive(1500 ms) returned after "
                            + mq
                            + " ms, sem_clockwait(1500 ms) after "
                            + sem
                            + " ms");
            assertTrue(mq >= 1490, "mq_timedreceive returned early: " + mq + " ms for 1500 ms");
            assertTrue(sem >= 1490, "sem_clockwait returned early: " + sem + " ms for 1500 ms");
            q.unlink();
            s.unlink();
        }
    }

    @Test
    void a_thousand_virtual_threads_waiting_on_a_queue_and_a_semaphore_leave_the_scheduler_free()
            throws Exception {
        int n = 500;
        String qn = name("q");
        String sn = name("sem");
        List<Thread> waiters = new ArrayList<>();
        AtomicInteger got = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(qn, 0600, 10, 8);
                NamedSemaphore s = NamedSemaphore.createExclusive(sn, 0600, 0)) {
            for (int i = 0; i < n; i++) {
                waiters.add(
                        Thread.ofVirtual()
                                .start(
                                        () -> {
                                            try {
                                                q.receive();
                                                got.incrementAndGet();
                                            } catch (Exception e) {
                                                failed.incrementAndGet();
                                            }
                                        }));
                waiters.add(
                        Thread.ofVirtual()
                                .start(
                                        () -> {
                                            try {
                                                s.acquire();
                                                got.incrementAndGet();
                                            } catch (Exception e) {
                                                failed.incrementAndGet();
                                            }
                                        }));
            }
            long probe = VirtualThreadProbe.millisFor200Sleeps();
            System.out.println(
                    "with "
                            + (2 * n)
                            + " virtual threads blocked in mq_receive and sem_wait, a probe"
                            + " doing 200 x sleep(1 ms) took "
                            + probe
                            + " ms");
            assertEquals(0, got.get() + failed.get(), "nobody got through");
            for (int i = 0; i < n; i++) {
                q.send(1, new byte[] {1});
                s.release();
            }
            for (Thread t : waiters) {
                assertTrue(t.join(Duration.ofSeconds(60)), "a waiter did not finish");
            }
            assertEquals(2 * n, got.get());
            assertEquals(0, failed.get());
            assertEquals(0, q.status().messages());
            assertEquals(0, s.value());
            q.unlink();
            s.unlink();
        }
    }
}
