package io.jipc.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.internal.linux.Unistd;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The kernel writes an eventfd without {@code RWF_NOWAIT} ({@code EOPNOTSUPP}): a try form then
 * polls and writes. Other writers share the descriptor (threads here, processes elsewhere), so the
 * room {@code poll} saw may be gone when the write comes; the write must not then wait (it once
 * did, for ever). And that answer must not change how eventfds are read or pipes are read and
 * written (it once flipped one global flag, and every later try read polled and then made a
 * blocking read; pipes: see {@code io.jipc.pipe.SharedModeTest}).
 */
class EventFdRaceTest {

    @Test
    void try_adds_racing_for_the_last_unit_of_room_never_wait() throws Exception {
        int racers = 3;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try (EventFd e = EventFd.create(0)) {
            for (int round = 0; round < 200; round++) {
                e.add(EventFd.MAX_VALUE - 1); // room for exactly 1
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<Boolean>> adds = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    adds.add(
                            CompletableFuture.supplyAsync(
                                    () -> {
                                        try {
                                            assertTrue(go.await(60, TimeUnit.SECONDS));
                                            return e.tryAdd(1);
                                        } catch (Exception x) {
                                            throw new IllegalStateException(x);
                                        }
                                    },
                                    pool));
                }
                go.countDown();
                int won = 0;
                for (CompletableFuture<Boolean> f : adds) {
                    // a loser stuck in write(2) would stay there: nothing is taken until all are
                    // back
                    won += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, won, "round " + round + ": exactly one add finds room");
                assertEquals(OptionalLong.of(EventFd.MAX_VALUE), e.tryTake());
            }
            assertFalse(
                    Unistd.EVENTFD.writesNoWait(),
                    "the kernel writes an eventfd without RWF_NOWAIT");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void the_write_answer_does_not_change_how_eventfds_are_read() throws Exception {
        try (EventFd e = EventFd.create(0)) {
            e.add(EventFd.MAX_VALUE);
            assertFalse(e.tryAdd(1));
            assertFalse(Unistd.EVENTFD.writesNoWait());
            boolean reads = Unistd.EVENTFD.readsNoWait();
            assertEquals(OptionalLong.of(EventFd.MAX_VALUE), e.tryTake());
            assertFalse(e.tryTake().isPresent());
            assertFalse(e.take(Duration.ofMillis(1)).isPresent());
            assertEquals(reads, Unistd.EVENTFD.readsNoWait(), "reads learn on their own");
            // an interrupted thread's try form still does what needs no wait (the poll-then-write
            // path)
            Thread.currentThread().interrupt();
            try {
                assertTrue(e.tryAdd(2));
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
            } finally {
                Thread.interrupted();
            }
            assertEquals(OptionalLong.of(2), e.tryTake());
        }
    }
}
