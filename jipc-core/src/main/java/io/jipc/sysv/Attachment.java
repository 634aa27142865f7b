package io.jipc.sysv;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attachment of a shared memory segment to this process ({@code shmat}, see {@man shmop(2)}),
 * returned by {@link SharedMemory#attach()} and {@link SharedMemory#attachReadOnly()}.
 *
 * <p>{@link #segment()} is a {@link MemorySegment} bounded to the segment's size and owned by a
 * shared arena (any thread may use it). {@link #close()} ends that arena and detaches the memory
 * ({@code shmdt}): every access after it, through this segment or any slice of it, is an {@link
 * IllegalStateException}, never a fault. A read-only attachment's segment is {@linkplain
 * MemorySegment#isReadOnly() read-only}: the FFM API refuses a write through it before memory is
 * touched ({@link IllegalArgumentException} from {@code set} and {@code VarHandle}s, {@link
 * UnsupportedOperationException} from bulk operations such as {@code fill} and {@code copy}, {@link
 * java.nio.ReadOnlyBufferException} from its {@code ByteBuffer} view), so the JVM never takes a
 * fault on the read-only mapping.
 *
 * <p>Closing detaches only this process's mapping; the segment itself lives on until {@link
 * SharedMemory#remove() removed}. There is no {@code Cleaner}: a forgotten attachment stays mapped
 * (its segment may still be in use even when this object is unreachable) until {@code close()} or
 * the end of the process, whose exit detaches everything.
 */
public final class Attachment implements AutoCloseable {
    private final SharedMemory memory;
    private final Arena arena;
    private final MemorySegment segment;
    private final boolean readOnly;
    private final AtomicBoolean closed = new AtomicBoolean();

    Attachment(SharedMemory memory, Arena arena, MemorySegment segment, boolean readOnly) {
        this.memory = memory;
        this.arena = arena;
        this.segment = readOnly ? segment.asReadOnly() : segment;
        this.readOnly = readOnly;
    }

    /**
     * The attached memory: exactly {@link SharedMemory#size()} bytes, valid until {@link #close()}.
     *
     * @return the segment (read-only for {@link SharedMemory#attachReadOnly()})
     */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * The shared memory segment this attaches.
     *
     * @return the segment's handle
     */
    public SharedMemory sharedMemory() {
        return memory;
    }

    /**
     * Whether this attachment was made with {@code SHM_RDONLY}.
     *
     * @return true if read-only
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Whether {@link #close()} has not been called yet.
     *
     * @return true while attached
     */
    public boolean isAttached() {
        return !closed.get();
    }

    /**
     * Detaches ({@code shmdt}) and invalidates {@link #segment()}. Idempotent. Fails with {@link
     * IllegalStateException} if another thread is inside a call that holds the segment (the FFM API
     * refuses to close a shared arena then).
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                arena.close();
            } catch (RuntimeException e) {
                closed.set(false);
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "Attachment[shmid "
                + memory.id()
                + ", "
                + memory.size()
                + " bytes"
                + (readOnly ? ", read-only" : "")
                + (isAttached() ? "" : ", detached")
                + "]";
    }
}
