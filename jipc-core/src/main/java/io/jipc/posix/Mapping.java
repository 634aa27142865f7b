package io.jipc.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One mapping of a {@link PosixSharedMemory} object or a {@link Memfd} into this process ({@man
 * mmap(2)} with {@code MAP_SHARED}): every process that maps the same object sees the same bytes,
 * and C programs that {@code mmap} it see them too.
 *
 * <p>{@link #segment()} is bounded to the mapped size and owned by a shared arena (any thread may
 * use it); {@link #close()} unmaps it ({@code munmap}), after which every access through the
 * segment or any slice of it is an {@link IllegalStateException}, not a fault. A read-only
 * mapping's segment is {@linkplain MemorySegment#isReadOnly() read-only}: the FFM API refuses a
 * write before memory is touched. The mapping stays valid when the object's descriptor is closed or
 * its name unlinked; the memory is freed when the last mapping and descriptor are gone.
 *
 * <p>Cross-process atomics work as on a System V attachment: the FFM API's {@code VarHandle}s on
 * naturally aligned offsets act like C11 atomics on the same memory. Note that growing the object
 * does not grow an existing mapping. While a mapping is open, {@code resize} in this process
 * refuses to shrink the object below its end; another process can still shrink it, and access
 * beyond the new end then raises {@code SIGBUS} (an {@link InternalError} for a Java access, the
 * end of the JVM for a native call such as a semaphore operation): share an object only with
 * processes trusted not to shrink it, or seal a {@link Memfd} ({@link Seal#SHRINK}).
 *
 * <p>There is no {@code Cleaner}: a forgotten mapping stays mapped until the process ends.
 */
public final class Mapping implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment segment;
    private final boolean readOnly;
    private final String object;

    Mapping(Arena arena, MemorySegment segment, boolean readOnly, String object) {
        this.arena = arena;
        this.segment = readOnly ? segment.asReadOnly() : segment;
        this.readOnly = readOnly;
        this.object = object;
    }

    /**
     * The mapped memory, valid until {@link #close()}.
     *
     * @return the segment (read-only for a read-only mapping)
     */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * The mapped size in bytes: the object's size when it was mapped.
     *
     * @return the size
     */
    public long size() {
        return segment.byteSize();
    }

    /**
     * Whether the mapping is read-only ({@code PROT_READ} only).
     *
     * @return true if read-only
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Whether {@link #close()} has not been called yet.
     *
     * @return true while mapped
     */
    public boolean isMapped() {
        return arena.scope().isAlive();
    }

    /**
     * Unmaps ({@code munmap}) and invalidates {@link #segment()}. Idempotent. Fails with {@link
     * IllegalStateException} while another thread is inside a call that holds the segment (a
     * semaphore wait in it, for instance).
     */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            try {
                arena.close();
            } catch (IllegalStateException e) {
                if (arena.scope().isAlive()) {
                    throw new IllegalStateException(
                            "the mapping of "
                                    + object
                                    + " is in use by a call in another"
                                    + " thread",
                            e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "mapping of "
                + object
                + " ("
                + segment.byteSize()
                + " bytes"
                + (readOnly ? ", read-only" : "")
                + (isMapped() ? ")" : ", unmapped)");
    }
}
