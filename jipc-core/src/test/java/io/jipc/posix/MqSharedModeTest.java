package io.jipc.posix;

import static io.jipc.posix.PosixTestNames.name;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.internal.linux.Unistd;
import io.jipc.testkit.DescriptionMode;
import io.jipc.testkit.ThreadStates;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A C program that shares the queue's open file description sets {@code O_NONBLOCK} on it. The
 * blocking forms still wait (a blocking send once returned as if sent and the message was lost; a
 * blocking receive threw), the timed ones still time out, and adopting the descriptor leaves the
 * mode alone.
 */
@ExtendWith(PosixTestNames.class)
class MqSharedModeTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs {@code call} on a platform thread and waits until it sleeps in poll(2). */
    private static <T> CompletableFuture<T> blockedInPoll(java.util.concurrent.Callable<T> call)
            throws Exception {
        AtomicInteger tid = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<T> out = new CompletableFuture<>();
        Thread.ofPlatform()
                .start(
                        () -> {
                            tid.set(ThreadStates.currentTid());
                            started.countDown();
                            try {
                                out.complete(call.call());
                            } catch (Throwable e) {
                                out.completeExceptionally(e);
                            }
                        });
        assertTrue(started.await(60, TimeUnit.SECONDS));
        ThreadStates.awaitBlockedIn(tid.get(), "poll");
        assertFalse(out.isDone());
        return out;
    }

    @Test
    void blocking_forms_wait_and_lose_nothing_on_a_description_another_process_made_non_blocking()
            throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 1, 16)) {
            q.unlink();
            DescriptionMode.setByAnotherProcess(true, q);
            // receive on an empty queue waits for the message
            CompletableFuture<PosixMessage> got = blockedInPoll(q::receive);
            q.send(3, b("one"));
            PosixMessage m = got.get(60, TimeUnit.SECONDS);
            assertEquals(3, m.priority());
            assertArrayEquals(b("one"), m.body());
            // send on a full queue (room for 1) waits for room: nothing is dropped
            q.send(0, b("two"));
            CompletableFuture<Boolean> sent =
                    blockedInPoll(
                            () -> {
                                q.send(0, b("three"));
                                return true;
                            });
            assertArrayEquals(b("two"), q.tryReceive().orElseThrow().body());
            assertTrue(sent.get(60, TimeUnit.SECONDS));
            ByteBuffer into = ByteBuffer.allocate(16);
            assertEquals(0, q.receiveInto(into));
            assertArrayEquals(b("three"), java.util.Arrays.copyOf(into.array(), into.position()));
            // timed forms time out, try forms answer at once
            assertTrue(q.trySend(0, b("four")));
            assertFalse(q.trySend(0, b("five")));
            assertFalse(q.send(0, b("five"), Duration.ofMillis(20)));
            assertArrayEquals(b("four"), q.receive(Duration.ofSeconds(30)).orElseThrow().body());
            assertTrue(q.receive(Duration.ofMillis(20)).isEmpty());
            assertTrue(q.tryReceive().isEmpty());
            assertEquals(
                    Unistd.O_NONBLOCK,
                    Unistd.fcntl(q.fd(), Unistd.F_GETFL, 0) & Unistd.O_NONBLOCK,
                    "the mode the other process chose is left alone");
        }
    }
}
