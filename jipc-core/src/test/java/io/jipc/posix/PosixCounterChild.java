package io.jipc.posix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Run in a child JVM by {@link PosixCInteropTest}: N times, under the named semaphore, reads the
 * counter in shared memory, yields, and writes it back plus one; the same as {@code posix_peer
 * counter}. Without mutual exclusion between the processes, increments would be lost.
 */
public final class PosixCounterChild {
    private PosixCounterChild() {}

    /**
     * Entry point.
     *
     * @param args the semaphore's name, the shared memory's name, the counter's offset, N
     * @throws Exception on failure (exit status 1)
     */
    public static void main(String[] args) throws Exception {
        long offset = Long.parseLong(args[2]);
        int n = Integer.parseInt(args[3]);
        try (NamedSemaphore s = NamedSemaphore.open(args[0]);
                PosixSharedMemory shm = PosixSharedMemory.open(args[1]);
                Mapping m = shm.map()) {
            MemorySegment seg = m.segment();
            for (int i = 0; i < n; i++) {
                s.acquire();
                long x = seg.get(ValueLayout.JAVA_LONG, offset);
                Thread.yield();
                seg.set(ValueLayout.JAVA_LONG, offset, x + 1);
                s.release();
            }
        }
    }
}
