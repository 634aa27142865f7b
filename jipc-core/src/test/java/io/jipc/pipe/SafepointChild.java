package io.jipc.pipe;

import io.jipc.testkit.DescriptionMode;
import io.jipc.testkit.ThreadStates;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child JVM of {@link SharedModeTest}: a read of a non-blocking end whose description another
 * process made blocking waits in {@code pipe_read}; {@code System.gc()} (a safepoint) must still
 * complete. Run in a child because a regression freezes the whole JVM: the parent then kills it.
 * Prints {@code gc done}, then {@code read 1} once a byte is written; exits 0.
 */
public final class SafepointChild {
    private SafepointChild() {}

    /**
     * Entry point.
     *
     * @param args none
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (Pipe p = Pipe.open()) {
            ReadEnd r = p.source();
            r.configureBlocking(false);
            if (r.read(ByteBuffer.allocate(8)) != 0) {
                throw new AssertionError("non-blocking: empty at once");
            }
            DescriptionMode.setByAnotherProcess(false, r);
            if (r.isBlocking()) {
                throw new AssertionError("the end believes what it set");
            }
            AtomicInteger tid = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Integer> read = new CompletableFuture<>();
            Thread.ofPlatform()
                    .daemon()
                    .start(
                            () -> {
                                tid.set(ThreadStates.currentTid());
                                started.countDown();
                                try {
                                    read.complete(r.read(ByteBuffer.allocate(8)));
                                } catch (Exception e) {
                                    read.completeExceptionally(e);
                                }
                            });
            if (!started.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("reader did not start");
            }
            ThreadStates.awaitBlockedIn(tid.get(), "pipe_read");
            System.gc();
            System.out.println("gc done");
            if (read.isDone()) {
                throw new AssertionError(
                        "the read returned before a byte was written: " + read.get());
            }
            p.sink().write(ByteBuffer.wrap(new byte[] {1}));
            System.out.println("read " + read.get(60, TimeUnit.SECONDS));
        }
    }
}
