package io.jipc.sysv;

import io.jipc.InterruptedCallException;
import io.jipc.testkit.ThreadStates;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM for {@link MessageQueueBlockingTest}: run with {@code -Dio.jipc.blocking.maxThreads=1}
 * so that all but one waiting virtual thread take the overflow path (the poller), and checks
 * interrupts, timeouts and wake-ups there. Prints one line per check and exits 0 when all hold.
 */
public final class BlockingOverflowChild {
    private BlockingOverflowChild() {}

    /**
     * Runs the checks.
     *
     * @param args none
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int n = 4;
        List<MessageQueue> queues = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                queues.add(MessageQueue.createPrivate(0600));
            }
            // 1. interrupts: every waiter ends with InterruptedCallException, status kept
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Throwable>> outcomes = new ArrayList<>();
            for (MessageQueue q : queues) {
                CompletableFuture<Throwable> f = new CompletableFuture<>();
                outcomes.add(f);
                threads.add(
                        Thread.ofVirtual()
                                .start(
                                        () -> {
                                            try {
                                                q.receive(Select.any(), 16);
                                                f.complete(null);
                                            } catch (Throwable e) {
                                                f.complete(
                                                        Thread.currentThread().isInterrupted()
                                                                ? e
                                                                : new AssertionError(
                                                                        "status lost", e));
                                            }
                                        }));
            }
            awaitWaiting(threads);
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                threads.get(i).interrupt();
                Throwable e = outcomes.get(i).get(10, TimeUnit.SECONDS);
                if (!(e instanceof InterruptedCallException)) {
                    throw new AssertionError("waiter " + i + " ended with " + e, e);
                }
                System.out.println(
                        "interrupt "
                                + i
                                + " ended the wait after "
                                + (System.nanoTime() - start) / 1000
                                + " us");
            }
            // 2. timeouts: each ends empty, and not early (how late is not a test's business)
            List<CompletableFuture<Long>> timed = new ArrayList<>();
            for (MessageQueue q : queues) {
                CompletableFuture<Long> f = new CompletableFuture<>();
                timed.add(f);
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    try {
                                        long start = System.nanoTime();
                                        Optional<Message> m =
                                                q.receive(Select.any(), 16, Duration.ofMillis(500));
                                        f.complete(
                                                m.isPresent()
                                                        ? -1
                                                        : (System.nanoTime() - start) / 1_000_000);
                                    } catch (Throwable e) {
                                        f.completeExceptionally(e);
                                    }
                                });
            }
            for (int i = 0; i < n; i++) {
                long ms = timed.get(i).get(10, TimeUnit.SECONDS);
                if (ms < 495) { // the JVM's clock and the kernel's timer may differ by a little
                    throw new AssertionError(
                            "timed receive "
                                    + i
                                    + " returned early, after "
                                    + ms
                                    + " ms for 500 ms");
                }
                System.out.println("timed receive " + i + " returned empty after " + ms + " ms");
            }
            // 3. wake-ups: a message for each waiter, none lost
            List<CompletableFuture<Message>> got = new ArrayList<>();
            List<Thread> receivers = new ArrayList<>();
            for (MessageQueue q : queues) {
                CompletableFuture<Message> f = new CompletableFuture<>();
                got.add(f);
                receivers.add(
                        Thread.ofVirtual()
                                .start(
                                        () -> {
                                            try {
                                                f.complete(q.receive(Select.any(), 16));
                                            } catch (Throwable e) {
                                                f.completeExceptionally(e);
                                            }
                                        }));
            }
            awaitWaiting(receivers);
            for (int i = 0; i < n; i++) {
                queues.get(i).send(i + 1, new byte[] {(byte) i});
            }
            for (int i = 0; i < n; i++) {
                Message m = got.get(i).get(10, TimeUnit.SECONDS);
                if (m.type() != i + 1) {
                    throw new AssertionError("waiter " + i + " got " + m);
                }
            }
            System.out.println("OK");
        } finally {
            for (MessageQueue q : queues) {
                q.remove();
            }
        }
    }

    /**
     * Waits until every waiter is parked (the one with the only helper thread while the helper
     * waits, the others on the poller) and the helper thread sleeps in msgrcv.
     */
    private static void awaitWaiting(List<Thread> waiters) {
        for (Thread t : waiters) {
            ThreadStates.awaitState(t, Thread.State.WAITING);
        }
        ThreadStates.awaitAnyBlockedIn(ProcessHandle.current().pid(), "do_msgrcv");
    }
}
