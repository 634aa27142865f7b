package io.jipc.channel;

import static io.jipc.channel.Format.INT;
import static io.jipc.channel.Format.LONG;

import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.internal.Errors;
import io.jipc.internal.linux.Blocking;
import io.jipc.internal.linux.Futex;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One mapping of a channel region and its decoded descriptor: what readers and writers share. Every
 * access to the shared memory goes through {@link Format#INT}/{@link Format#LONG} with the memory
 * order named at the access; the comment at each release/acquire/volatile access names the access
 * of the other side it pairs with (docs/channel-format.md lists every pair).
 */
final class Region {
    /** The value of the magic word while the creator fills in the descriptor. */
    static final long INITIALIZING = 0x2E2E2E2E2E2E2E2EL;

    /** How long an opener waits for a creator to finish the descriptor. */
    static final long INIT_WAIT_NANOS = 2_000_000_000L;

    final MemorySegment seg;
    final String object;
    final ChannelKind kind;
    final long capacity;
    final long mask;
    final long data;
    final int maxWriters;
    final int maxMessage;
    final long salt;

    /** The data area, read-only: what handlers see. */
    final MemorySegment dataView;

    final MemorySegment readerWord;
    final MemorySegment spaceWord;

    /** Set by {@link Channel#close()}: local waiters give up. */
    volatile boolean closed;

    /** Threads of this process inside a futex wait on this mapping. */
    final AtomicInteger sleepers = new AtomicInteger();

    private Region(MemorySegment seg, String object) throws ChannelFormatException {
        this.seg = seg;
        this.object = object;
        long size = seg.byteSize();
        this.kind = ChannelKind.of((int) INT.get(seg, Format.KIND_OFFSET));
        this.capacity = (long) LONG.get(seg, Format.CAPACITY_OFFSET);
        this.mask = capacity - 1;
        this.data = Integer.toUnsignedLong((int) INT.get(seg, Format.DATA_OFFSET_OFFSET));
        this.maxWriters = (int) INT.get(seg, Format.MAX_WRITERS_OFFSET);
        this.maxMessage = (int) INT.get(seg, Format.MAX_MESSAGE_OFFSET);
        this.salt = (long) LONG.get(seg, Format.SALT_OFFSET);
        int version = (int) INT.get(seg, Format.VERSION_OFFSET);
        int alignment = (int) INT.get(seg, Format.ALIGNMENT_OFFSET);
        if (version != Format.VERSION) {
            throw new ChannelFormatException(
                    object,
                    "format version " + version + "; this jipc reads version " + Format.VERSION);
        }
        if (kind == null) {
            throw new ChannelFormatException(
                    object,
                    "unknown kind " + INT.get(seg, Format.KIND_OFFSET) + " (1 SPSC, 2 MPSC)");
        }
        if (capacity < Format.MIN_CAPACITY
                || capacity > Format.MAX_CAPACITY
                || Long.bitCount(capacity) != 1) {
            throw new ChannelFormatException(
                    object,
                    "capacity "
                            + capacity
                            + " is not a power of two in "
                            + Format.MIN_CAPACITY
                            + ".."
                            + Format.MAX_CAPACITY);
        }
        if (alignment != Format.ALIGNMENT) {
            throw new ChannelFormatException(
                    object, "record alignment " + alignment + ", expected " + Format.ALIGNMENT);
        }
        if (maxWriters < 1 || maxWriters > Format.MAX_WRITERS_LIMIT) {
            throw new ChannelFormatException(
                    object,
                    "writer table of "
                            + maxWriters
                            + " entries (1.."
                            + Format.MAX_WRITERS_LIMIT
                            + ")");
        }
        if (data < Format.WRITER_TABLE_OFFSET + Format.BLOCK * maxWriters
                || data % Format.BLOCK != 0) {
            throw new ChannelFormatException(
                    object,
                    "data offset "
                            + data
                            + " overlaps the writer table of "
                            + maxWriters
                            + " entries or is not a multiple of "
                            + Format.BLOCK);
        }
        if (size < data + capacity) {
            throw new ChannelFormatException(
                    object,
                    "region of "
                            + size
                            + " bytes, but its header describes "
                            + (data + capacity)
                            + " (data offset "
                            + data
                            + " + capacity "
                            + capacity
                            + ")");
        }
        if (maxMessage < 1 || maxMessage > Format.maxMessage(capacity)) {
            throw new ChannelFormatException(
                    object,
                    "max message "
                            + maxMessage
                            + " is outside 1.."
                            + Format.maxMessage(capacity)
                            + " for capacity "
                            + capacity);
        }
        if (salt >= 0) {
            throw new ChannelFormatException(
                    object, "salt 0x" + Long.toHexString(salt) + " lacks its top bit");
        }
        long head = (long) LONG.getAcquire(seg, Format.HEAD_OFFSET);
        long tail = (long) LONG.getAcquire(seg, Format.TAIL_OFFSET);
        if (head < 0
                || tail < head
                || tail - head > capacity
                || head % Format.ALIGNMENT != 0
                || tail % Format.ALIGNMENT != 0) {
            throw new ChannelFormatException(
                    object,
                    "head "
                            + head
                            + " and tail "
                            + tail
                            + " are not positions of a channel of capacity "
                            + capacity);
        }
        this.dataView = seg.asSlice(data, capacity).asReadOnly();
        this.readerWord = seg.asSlice(Format.READER_SIGNAL_OFFSET, 4);
        this.spaceWord = seg.asSlice(Format.SPACE_SIGNAL_OFFSET, 4);
    }

    // ---- creating and opening ------------------------------------------------------------------

    /** The region bytes a channel of this shape needs. */
    static long regionSize(long capacity, ChannelKind kind) {
        requireCapacity(capacity);
        return Format.dataOffset(defaultWriters(kind)) + capacity;
    }

    static int defaultWriters(ChannelKind kind) {
        return kind == ChannelKind.SPSC ? Format.DEFAULT_SPSC_WRITERS : Format.DEFAULT_MPSC_WRITERS;
    }

    static long requireCapacity(long capacity) {
        if (capacity < Format.MIN_CAPACITY
                || capacity > Format.MAX_CAPACITY
                || Long.bitCount(capacity) != 1) {
            throw new IllegalArgumentException(
                    "capacity="
                            + capacity
                            + " (a power of two in "
                            + Format.MIN_CAPACITY
                            + ".."
                            + Format.MAX_CAPACITY
                            + ")");
        }
        return capacity;
    }

    /**
     * Formats a zero-filled region if nobody did (the magic word goes 0 → INITIALIZING by
     * compare-and-set, the descriptor is written, then the magic with a release store), or waits
     * for the one who did; then validates it.
     *
     * @return the region, and whether this call formatted it
     */
    static Region formatOrOpen(MemorySegment seg, String object, ChannelKind kind, long capacity)
            throws ChannelFormatException, InterruptedCallException {
        if (seg.byteSize() < Format.WRITER_TABLE_OFFSET) {
            throw new ChannelFormatException(
                    object, "region of " + seg.byteSize() + " bytes is smaller than a header");
        }
        if (LONG.compareAndSet(seg, Format.MAGIC_OFFSET, 0L, INITIALIZING)) {
            int writers = defaultWriters(kind);
            long data = Format.dataOffset(writers);
            if (data + capacity > seg.byteSize()) {
                LONG.setRelease(seg, Format.MAGIC_OFFSET, 0L);
                throw new IllegalArgumentException(
                        "capacity="
                                + capacity
                                + " does not fit a region of "
                                + seg.byteSize()
                                + " bytes ("
                                + data
                                + " header bytes)");
            }
            INT.set(seg, Format.VERSION_OFFSET, Format.VERSION);
            INT.set(seg, Format.KIND_OFFSET, kind.code);
            LONG.set(seg, Format.CAPACITY_OFFSET, capacity);
            INT.set(seg, Format.DATA_OFFSET_OFFSET, (int) data);
            INT.set(seg, Format.ALIGNMENT_OFFSET, Format.ALIGNMENT);
            INT.set(seg, Format.MAX_WRITERS_OFFSET, writers);
            INT.set(seg, Format.MAX_MESSAGE_OFFSET, Format.maxMessage(capacity));
            LONG.set(
                    seg,
                    Format.SALT_OFFSET,
                    ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
            INT.set(seg, Format.CREATOR_PID_OFFSET, (int) ProcessHandle.current().pid());
            INT.set(seg, Format.FLAGS_OFFSET, 0);
            LONG.set(seg, Format.CREATED_OFFSET, System.currentTimeMillis() * 1_000_000L);
            // head, tail, signals, owners and the writer table are zero in a fresh region.
            // Release: pairs with the opener's getAcquire of the magic in awaitMagic().
            LONG.setRelease(seg, Format.MAGIC_OFFSET, Format.MAGIC);
        }
        return open(seg, object);
    }

    /** Validates a formatted region, waiting (bounded) for a creator still filling it in. */
    static Region open(MemorySegment seg, String object)
            throws ChannelFormatException, InterruptedCallException {
        if (seg.byteSize() < Format.WRITER_TABLE_OFFSET) {
            throw new ChannelFormatException(
                    object,
                    "region of "
                            + seg.byteSize()
                            + " bytes is smaller than a header ("
                            + Format.WRITER_TABLE_OFFSET
                            + ")");
        }
        awaitMagic(seg, object);
        return new Region(seg, object);
    }

    private static void awaitMagic(MemorySegment seg, String object)
            throws ChannelFormatException, InterruptedCallException {
        long deadline = System.nanoTime() + INIT_WAIT_NANOS;
        while (true) {
            // Acquire: pairs with the creator's setRelease of the magic in formatOrOpen().
            long magic = (long) LONG.getAcquire(seg, Format.MAGIC_OFFSET);
            if (magic == Format.MAGIC) {
                return;
            }
            if (magic != 0 && magic != INITIALIZING) {
                throw new ChannelFormatException(
                        object,
                        "not a jipc channel (magic 0x"
                                + Long.toHexString(magic)
                                + ", expected 0x"
                                + Long.toHexString(Format.MAGIC)
                                + " \"JIPCCHAN\")");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ChannelFormatException(
                        object,
                        magic == 0
                                ? "not a channel: its header is empty"
                                : "its creator did not finish the header within 2 s");
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedCallException(
                        "open", object, "waiting for the channel's creator");
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    // ---- shared words
    // ----------------------------------------------------------------------------

    long head() {
        // Acquire: pairs with the reader's setVolatile of head in ChannelReader.advance().
        return (long) LONG.getAcquire(seg, Format.HEAD_OFFSET);
    }

    long tail() {
        // Acquire: pairs with the writers' setVolatile/compareAndSet of tail in
        // ChannelWriter.claim().
        return (long) LONG.getAcquire(seg, Format.TAIL_OFFSET);
    }

    long headVolatile() {
        // Volatile: the read half of a Dekker pair (see the caller).
        return (long) LONG.getVolatile(seg, Format.HEAD_OFFSET);
    }

    long tailVolatile() {
        // Volatile: the read half of a Dekker pair (see the caller).
        return (long) LONG.getVolatile(seg, Format.TAIL_OFFSET);
    }

    long writerOwner(int slot) {
        // Acquire: pairs with the writer's compareAndSet/setRelease of its owner word.
        return (long) LONG.getAcquire(seg, Format.writerEntry(slot) + Format.WRITER_OWNER);
    }

    /**
     * Takes an owner word ({@code 0} or a dead owner → this process) by compare-and-set.
     *
     * @return 0 if taken, otherwise the live owner's word
     */
    long takeOwner(long offset) {
        long me = Owners.self();
        while (true) {
            long o = (long) LONG.getVolatile(seg, offset);
            if (o != Owners.NONE && Owners.alive(o)) {
                return o;
            }
            if (LONG.compareAndSet(seg, offset, o, me)) {
                return 0;
            }
        }
    }

    void releaseOwner(long offset) {
        // Release: what this owner wrote before happens-before the next owner's takeOwner().
        LONG.compareAndSet(seg, offset, Owners.self(), Owners.NONE);
    }

    /**
     * Wakes every sleeper of a signal word if its waiters bit is set: bumps the sequence and clears
     * the bit by compare-and-set, then futex_wake. Callers read the word after a full fence (a
     * volatile store or compare-and-set) that follows the change the sleepers wait for.
     */
    void wake(long offset, MemorySegment word) {
        int s = (int) INT.getVolatile(seg, offset);
        while ((s & Format.WAITERS) != 0) {
            int w = (int) INT.compareAndExchange(seg, offset, s, (s + 2) & ~Format.WAITERS);
            if (w == s) {
                Futex.wake(word, Integer.MAX_VALUE);
                return;
            }
            s = w;
        }
    }

    /** What a sleeper re-checks after announcing itself; true means "do not sleep". */
    @FunctionalInterface
    interface Condition {
        boolean ready();
    }

    /**
     * The sleeping half of the waiters protocol on a signal word: set the waiters bit with a
     * compare-and-set (a full fence that pairs with the full fence between a waker's change and its
     * read of the word), re-check, and sleep in futex_wait while the word is unchanged.
     *
     * @param deadline the {@code System.nanoTime()} to wake up at, or negative for none
     * @param ready the condition, re-checked after the bit is set
     * @param call the call's name for exceptions ({@code "receive"}, {@code "send"})
     * @return false once {@code deadline} has passed
     */
    boolean sleep(long offset, MemorySegment word, long deadline, Condition ready, String call)
            throws InterruptedCallException {
        if (closed) {
            throw new IllegalStateException("the channel is closed: " + object);
        }
        int s = (int) INT.getVolatile(seg, offset);
        if ((s & Format.WAITERS) == 0) {
            int w = s | Format.WAITERS;
            if (!INT.compareAndSet(seg, offset, s, w)) {
                return true; // the word moved: look again
            }
            s = w;
        }
        if (ready.ready()) {
            return true;
        }
        long timeout = -1;
        if (deadline >= 0) {
            timeout = deadline - System.nanoTime();
            if (timeout <= 0) {
                return false;
            }
        }
        final int expected = s;
        sleepers.incrementAndGet();
        long r;
        try {
            if (closed) {
                return true;
            }
            r =
                    Blocking.call(
                            () -> Futex.waitBitset(word, expected, deadline),
                            () ->
                                    (int) INT.getVolatile(seg, offset) != expected || ready.ready()
                                            ? 0
                                            : Blocking.WOULD_BLOCK,
                            timeout,
                            true);
        } finally {
            sleepers.decrementAndGet();
        }
        if (Errors.is(r, Errno.EINTR)) {
            throw new InterruptedCallException("futex", object, call);
        }
        return !Errors.is(r, Errno.ETIMEDOUT) || deadline < 0 || System.nanoTime() - deadline < 0;
    }

    /** Wakes this process's sleepers (and, harmlessly, others: they look and sleep again). */
    void wakeAllForClose() {
        Futex.wake(readerWord, Integer.MAX_VALUE);
        Futex.wake(spaceWord, Integer.MAX_VALUE);
    }

    /** The tag a record at {@code position} carries. */
    long tag(long position) {
        return position ^ salt;
    }

    long dataIndex(long position) {
        return data + (position & mask);
    }
}
