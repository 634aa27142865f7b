package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Futex}: the wrapper's results (its constants are compared with gcc in {@code
 * ChannelFormatTest}, and it is used across processes by the channel tests).
 */
class FutexTest {
    @Test
    void wait_returns_eagain_when_the_word_moved_and_etimedout_at_an_absolute_deadline() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment w = a.allocate(4, 4);
            w.set(ValueLayout.JAVA_INT, 0, 7);
            assertEquals(-Errnos.EAGAIN, Futex.waitBitset(w, 8, -1));
            long start = System.nanoTime();
            assertEquals(-Errnos.ETIMEDOUT, Futex.waitBitset(w, 7, start + 50_000_000L));
            assertTrue(
                    System.nanoTime() - start >= 50_000_000L,
                    "the deadline is on System.nanoTime's clock");
            assertEquals(-Errnos.ETIMEDOUT, Futex.waitBitset(w, 7, start - 1), "a past deadline");
            assertEquals(0, Futex.wake(w, Integer.MAX_VALUE), "nobody to wake");
        }
    }

    @Test
    void wake_ends_a_wait_of_another_thread() throws Exception {
        MemorySegment w = Arena.ofAuto().allocate(4, 4);
        CompletableFuture<Integer> waited =
                CompletableFuture.supplyAsync(() -> Futex.waitBitset(w, 0, -1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int woken = 0;
        while (woken == 0 && System.nanoTime() < deadline) {
            woken = Futex.wake(w, 1);
            Thread.sleep(1);
        }
        assertEquals(1, woken);
        assertEquals(0, waited.get(10, TimeUnit.SECONDS));
    }
}
