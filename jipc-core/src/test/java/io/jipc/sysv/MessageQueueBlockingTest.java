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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interrupts, timeouts under signals and virtual threads for msgrcv/msgsnd, with a C program on the
 * other side of the queue and another process sending signals.
 */
class MessageQueueBlockingTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long pid() {
        return ProcessHandle.current().pid();
    }

    private void interruptReceive(Thread.Builder builder) throws Exception {
        CPeer.exe();
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            Thread[] t = new Thread[1];
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            t[0] =
                    builder.start(
                            () -> {
                                try {
                                    q.receive(Select.type(2), 64);
                                    outcome.complete(null);
                                } catch (Throwable e) {
                                    outcome.complete(
                                            Thread.currentThread().isInterrupted()
                                                    ? e
                                                    : new AssertionError("status lost", e));
                                }
                            });
            CPeer.awaitBlocked(pid(), CPeer.SYS_MSGRCV, q.id());
            t[0].interrupt();
            Throwable e = outcome.get(30, TimeUnit.SECONDS);
            assertEquals(Errno.EINTR, assertInstanceOf(InterruptedCallException.class, e).errno());
            CPeer.send(q, 2, b("kept"));
            assertEquals(
                    CPeer.line(2, b("kept")), CPeer.recv(q, 2, 64, "nowait"), "nothing was taken");
        } finally {
            q.remove();
        }
    }

    @Test
    void interrupt_ends_a_receive_blocked_on_a_platform_thread_and_loses_no_message()
            throws Exception {
        interruptReceive(Thread.ofPlatform());
    }

    @Test
    void interrupt_ends_a_receive_blocked_on_a_virtual_thread_and_loses_no_message()
            throws Exception {
        interruptReceive(Thread.ofVirtual());
    }

    private void interruptSend(Thread.Builder builder) throws Exception {
        CPeer.exe();
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            q.setMaxBytes(10);
            q.send(1, b("12345678"));
            Thread[] t = new Thread[1];
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            t[0] =
                    builder.start(
                            () -> {
                                try {
                                    q.send(2, b("second!!"));
                                    outcome.complete(null);
                                } catch (Throwable e) {
                                    outcome.complete(
                                            Thread.currentThread().isInterrupted()
                                                    ? e
                                                    : new AssertionError("status lost", e));
                                }
                            });
            CPeer.awaitBlocked(pid(), CPeer.SYS_MSGSND, q.id());
            t[0].interrupt();
            Throwable e = outcome.get(30, TimeUnit.SECONDS);
            assertInstanceOf(InterruptedCallException.class, e);
            // C takes the first message; the interrupted one was never sent: the queue is then
            // empty
            assertEquals(CPeer.line(1, b("12345678")), CPeer.recv(q, 0, 64, "nowait"));
            assertEquals(0, q.status().messages());
        } finally {
            q.remove();
        }
    }

    @Test
    void interrupt_ends_a_send_blocked_on_a_full_queue_on_a_platform_thread_and_sends_nothing()
            throws Exception {
        interruptSend(Thread.ofPlatform());
    }

    @Test
    void interrupt_ends_a_send_blocked_on_a_full_queue_on_a_virtual_thread_and_sends_nothing()
            throws Exception {
        interruptSend(Thread.ofVirtual());
    }

    @Test
    void a_timed_receive_keeps_its_timeout_under_a_stream_of_signals_and_a_late_message_stays()
            throws Exception {
        CPeer.exe();
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            AtomicInteger tid = new AtomicInteger();
            CompletableFuture<Object[]> result = new CompletableFuture<>();
            Thread.ofPlatform()
                    .start(
                            () -> {
                                tid.set(Signals.gettid());
                                try {
                                    long start = System.nanoTime();
                                    Optional<Message> m =
                                            q.receive(Select.any(), 64, Duration.ofMillis(1500));
                                    result.complete(
                                            new Object[] {
                                                m, (System.nanoTime() - start) / 1_000_000
                                            });
                                } catch (Throwable e) {
                                    result.completeExceptionally(e);
                                }
                            });
            CPeer.awaitBlocked(pid(), CPeer.SYS_MSGRCV, q.id());
            var storm =
                    Processes.start(
                            List.of(
                                    Gcc.compileResource("c/blocking_peer.c").toString(),
                                    "sigstorm",
                                    "" + pid(),
                                    "" + tid.get(),
                                    "13",
                                    "500",
                                    "2000"));
            Object[] r = result.get(30, TimeUnit.SECONDS);
            String sent = storm.await(Duration.ofSeconds(30)).assertExit(0).stdout().trim();
            long ms = (Long) r[1];
            assertEquals(Optional.empty(), r[0]);
            // signals must not shorten the wait (how much they lengthen it is for a benchmark, not
            // a test)
            assertTrue(
                    ms >= 1490,
                    "elapsed " + ms + " ms for a 1500 ms timeout under " + sent + " signals");
            CPeer.send(q, 4, b("late"));
            assertEquals(
                    Optional.of(new Message(4, b("late"))),
                    q.receive(Select.any(), 64, Duration.ofSeconds(10)));
            q.setMaxBytes(4);
            q.send(1, b("full"));
            assertEquals(
                    false,
                    q.send(2, b("more"), Duration.ofMillis(200)),
                    "a timed send on a full queue times out");
            assertEquals(1, q.status().messages());
        } finally {
            q.remove();
        }
    }

    @Test
    void
            an_untimed_receive_on_a_platform_thread_rides_out_a_stream_of_signals_then_takes_its_message()
                    throws Exception {
        CPeer.exe();
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            AtomicInteger tid = new AtomicInteger();
            CompletableFuture<Message> result = new CompletableFuture<>();
            Thread.ofPlatform()
                    .start(
                            () -> {
                                tid.set(Signals.gettid());
                                try {
                                    result.complete(
                                            q.receive(
                                                    Select.type(7),
                                                    64)); // straight into the blocking msgrcv
                                } catch (Throwable e) {
                                    result.completeExceptionally(e);
                                }
                            });
            CPeer.awaitBlocked(pid(), CPeer.SYS_MSGRCV, q.id());
            String sent =
                    Processes.run(
                                    Duration.ofSeconds(30),
                                    Gcc.compileResource("c/blocking_peer.c").toString(),
                                    "sigstorm",
                                    "" + pid(),
                                    "" + tid.get(),
                                    "13",
                                    "500",
                                    "500")
                            .assertExit(0)
                            .stdout()
                            .trim();
            assertTrue(Long.parseLong(sent) > 0, "no signal was sent");
            assertFalse(
                    result.isDone(), "a foreign signal (EINTR) ended an untimed wait: " + result);
            CPeer.awaitBlocked(pid(), CPeer.SYS_MSGRCV, q.id());
            CPeer.send(q, 7, b("after"));
            assertEquals(new Message(7, b("after")), result.get(30, TimeUnit.SECONDS));
            assertEquals(0, q.status().messages());
        } finally {
            q.remove();
        }
    }

    @Test
    void interrupts_timeouts_and_wake_ups_work_for_virtual_threads_beyond_the_helper_threads() {
        List<String> cmd =
                new ArrayList<>(io.jipc.testkit.ChildJvm.command(BlockingOverflowChild.class));
        cmd.add(1, "-Dio.jipc.blocking.maxThreads=1");
        try (var child = Processes.start(cmd)) {
            var r = child.await(Duration.ofSeconds(60));
            System.out.println(r.stdout());
            r.assertExit(0);
            assertTrue(r.stdout().contains("OK"), r.stdout());
        }
    }

    @Test
    void
            ten_thousand_virtual_threads_each_blocked_in_receive_on_its_own_queue_leave_a_probe_running()
                    throws Exception {
        int n = 10_000;
        List<MessageQueue> queues = new ArrayList<>(n);
        List<Thread> waiters = new ArrayList<>(n);
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try {
            for (int i = 0; i < n; i++) {
                queues.add(MessageQueue.createPrivate(0600));
            }
            for (MessageQueue q : queues) {
                waiters.add(
                        Thread.ofVirtual()
                                .start(
                                        () -> {
                                            entered.incrementAndGet();
                                            try {
                                                Message m = q.receive(Select.any(), 16);
                                                if (m.type() == 9) {
                                                    received.incrementAndGet();
                                                }
                                            } catch (IpcException e) {
                                                failed.incrementAndGet();
                                            }
                                        }));
            }
            io.jipc.testkit.ThreadStates.await(
                    () -> entered.get() == n, () -> "every receiver started");
            io.jipc.testkit.ThreadStates.await(
                    () -> waiters.stream().allMatch(t -> t.getState() == Thread.State.WAITING),
                    () -> "every virtual thread parked while its msgrcv waits");
            assertEquals(0, received.get() + failed.get(), "nobody got a message yet");
            long probeMillis = VirtualThreadProbe.millisFor200Sleeps();
            System.out.println(
                    "with "
                            + n
                            + " virtual threads blocked in msgrcv, a probe doing 200 x sleep(1 ms) took "
                            + probeMillis
                            + " ms");
            long start = System.nanoTime();
            for (MessageQueue q : queues) {
                q.send(9, b("go"));
            }
            for (Thread t : waiters) {
                assertTrue(t.join(Duration.ofSeconds(60)), "a receiver did not finish");
            }
            System.out.println(
                    "waking all "
                            + n
                            + " receivers by a message each took "
                            + (System.nanoTime() - start) / 1_000_000
                            + " ms");
            assertEquals(n, received.get());
            assertEquals(0, failed.get());
        } finally {
            for (MessageQueue q : queues) {
                q.remove(); // wakes any receiver still waiting, with EIDRM
            }
            for (Thread t : waiters) {
                t.join(Duration.ofSeconds(10));
            }
        }
    }
}
