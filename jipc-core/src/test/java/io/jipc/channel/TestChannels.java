package io.jipc.channel;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Unique names for channel files under /dev/shm (parallel suites never collide). */
final class TestChannels {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestChannels() {}

    /** A name no other test run uses: {@code jipc-test-PID-N}. */
    static String freshName() {
        return "jipc-test-"
                + ProcessHandle.current().pid()
                + "-"
                + System.nanoTime() % 1_000_000
                + "-"
                + COUNTER.incrementAndGet();
    }

    /** {@code /dev/shm/} + {@link #freshName()}. */
    static Path freshPath() {
        return Channel.path(freshName());
    }
}
