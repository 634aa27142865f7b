package io.jipc.posix;

import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.linux.PosixSem;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * An unnamed POSIX semaphore shared between processes: a {@code sem_t} that {@code sem_init(sem, 1,
 * value)} ({@man sem_init(3)}) placed in memory the processes share, a {@link PosixSharedMemory} or
 * {@link Memfd} mapping, or a System V attachment. A C program with the same memory mapped uses it
 * with {@code sem_wait}/{@code sem_post} on the same address offset.
 *
 * <pre>{@code
 * try (PosixSharedMemory shm = PosixSharedMemory.createExclusive("/work", 4096, 0600);
 *      Mapping m = shm.map()) {
 *     UnnamedSemaphore ready = UnnamedSemaphore.init(m.segment(), 0, 0);   // sem_init(p, 1, 0)
 *     // another process: UnnamedSemaphore.at(itsMapping.segment(), 0).acquire();
 *     ready.release();
 * }
 * }</pre>
 *
 * <p>Exactly one process initialises it, once ({@link #init}); the others use the initialised
 * memory ({@link #at}). The semaphore is {@link #SIZE} bytes at an offset aligned to {@link
 * #ALIGNMENT}. It lives as long as the memory: after the mapping is closed every operation is an
 * {@link IllegalStateException} (the FFM API checks the segment), not a fault. Memory that another
 * process truncated under the mapping is another matter: the operation then raises {@code SIGBUS}
 * in native code, which ends the JVM (see {@link Mapping}). {@link #close()} only drops this
 * handle; {@link #destroy()} is {@code sem_destroy} (for the last user, when no one waits).
 *
 * <p>The operations, their blocking and interrupt behaviour: see {@link PosixSemaphore}.
 */
public final class UnnamedSemaphore extends PosixSemaphore {
    /** Bytes of a {@code sem_t} ({@code sizeof(sem_t)}). */
    public static final long SIZE = PosixSem.SEM_T_SIZE;

    /** Alignment of a {@code sem_t} ({@code _Alignof(sem_t)}). */
    public static final long ALIGNMENT = PosixSem.SEM_T_ALIGN;

    private final MemorySegment sem;
    private volatile boolean closed;

    private UnnamedSemaphore(MemorySegment sem) {
        this.sem = sem;
    }

    private static MemorySegment slice(MemorySegment memory, long offset) {
        Objects.requireNonNull(memory, "memory");
        if (memory.isReadOnly()) {
            throw new IllegalArgumentException(
                    "memory is read-only: a semaphore is written by every operation");
        }
        if (!memory.isNative()) {
            throw new IllegalArgumentException(
                    "memory is on the Java heap: a semaphore must be in native (shared) memory");
        }
        if (offset < 0 || offset > memory.byteSize() - SIZE) {
            throw new IllegalArgumentException(
                    "offset="
                            + offset
                            + " (a sem_t of "
                            + SIZE
                            + " bytes must fit in "
                            + memory.byteSize()
                            + " bytes)");
        }
        if ((memory.address() + offset) % ALIGNMENT != 0) {
            throw new IllegalArgumentException(
                    "offset=" + offset + " (a sem_t must be aligned to " + ALIGNMENT + " bytes)");
        }
        return memory.asSlice(offset, SIZE);
    }

    /**
     * Initialises a process-shared semaphore in {@code memory} at {@code offset} ({@code
     * sem_init(sem, 1, initialValue)}). Do it once, in one process, before any other uses it;
     * initialising a semaphore threads wait on is undefined behaviour in C.
     *
     * @param memory shared, writable, native memory
     * @param offset where the {@code sem_t} starts, a multiple of {@link #ALIGNMENT}
     * @param initialValue the value, 0 to {@link #MAX_VALUE}
     * @return the semaphore
     * @throws IpcException if {@code sem_init} fails
     * @throws IllegalArgumentException if the memory is read-only or on the heap, or the offset is
     *     out of range or misaligned
     */
    public static UnnamedSemaphore init(MemorySegment memory, long offset, int initialValue)
            throws IpcException {
        MemorySegment s = slice(memory, offset);
        int r = PosixSem.sem_init(s, 1, value(initialValue));
        if (r < 0) {
            throw Errors.failure(r, "sem_init", object(s), null);
        }
        return new UnnamedSemaphore(s);
    }

    /**
     * The semaphore another process (or this one) initialised in {@code memory} at {@code offset}.
     *
     * @param memory shared, writable, native memory
     * @param offset where the {@code sem_t} starts, a multiple of {@link #ALIGNMENT}
     * @return the semaphore
     * @throws IllegalArgumentException as {@link #init}
     */
    public static UnnamedSemaphore at(MemorySegment memory, long offset) {
        return new UnnamedSemaphore(slice(memory, offset));
    }

    /**
     * Destroys the semaphore ({@man sem_destroy(3)}) and closes this handle. Only when no thread or
     * process waits on it and none will use it again; the memory can then hold something else.
     *
     * @throws IpcException if {@code sem_destroy} fails
     * @throws IllegalStateException if closed, or the memory is gone
     */
    public void destroy() throws IpcException {
        int r = PosixSem.sem_destroy(sem());
        closed = true;
        if (r < 0) {
            throw Errors.failure(r, "sem_destroy", object(), null);
        }
    }

    /** Drops this handle; the semaphore stays in the memory. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    MemorySegment sem() {
        if (closed) {
            throw new IllegalStateException(object() + " is closed");
        }
        if (!sem.scope().isAlive()) {
            throw new IllegalStateException(object() + ": the memory it is in is unmapped");
        }
        return sem;
    }

    @Override
    String object() {
        return object(sem);
    }

    private static String object(MemorySegment s) {
        return "sem_t at 0x" + Long.toHexString(s.address());
    }

    @Override
    public String toString() {
        return "UnnamedSemaphore[" + object() + (closed ? ", closed" : "") + "]";
    }
}
