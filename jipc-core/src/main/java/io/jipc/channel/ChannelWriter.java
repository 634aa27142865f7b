package io.jipc.channel;

import static io.jipc.channel.Format.INT;
import static io.jipc.channel.Format.LONG;

import io.jipc.Errno;
import io.jipc.IpcException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The writing side of a {@link Channel}: one entry of the channel's writer table, held until {@link
 * #close()} (or the death of this process, which the reader notices).
 *
 * <p>Three ways to write a message of {@code 1..}{@link Channel#maxMessage()} bytes:
 *
 * <ul>
 *   <li>{@link #offer(ByteBuffer)}: copies the message in if there is room, else returns {@code
 *       false} at once;
 *   <li>{@link #send(ByteBuffer)} and {@link #send(ByteBuffer, Duration)}: wait for room with the
 *       writer's {@link IdleStrategy} (spin, yield, then a futex wait that the reader ends when it
 *       frees space); interruptible and timed like every blocking call of jipc;
 *   <li>{@link #tryClaim(int)} / {@link #claim(int)}: reserve the space and write the bytes in
 *       place ({@link Claim#segment()}), then {@link Claim#commit()} or {@link Claim#abort()}: zero
 *       copy.
 * </ul>
 *
 * A message is published by one release store (of its header's tag for a copied message, of its
 * length for a committed claim), so the reader never sees a part of it. If this process dies while
 * writing or holding a claim, the reader skips that message once it sees that the process is gone.
 *
 * <p>A writer is used by one thread at a time. An MPSC channel takes one writer per thread or
 * process that writes (up to the size of its writer table); an SPSC channel takes one writer at a
 * time and refuses a second while the first lives.
 */
public final class ChannelWriter implements AutoCloseable {
    private final Channel channel;
    private final Region r;
    private final MemorySegment seg;
    private final long entry;
    private final int slot;
    private final boolean spsc;
    private final long capacity;
    private final long mask;
    private final long data;
    private final long salt;
    private final int dataInfo;
    private final int paddingInfo;
    private IdleStrategy idle = IdleStrategy.parking();

    /** SPSC: the tail this writer owns. */
    private long tail;

    /** The last head read: room is checked against it before reading the shared head again. */
    private long headCache;

    /** The reader signal word as read after the last claim: its waiters bit says "wake it". */
    private int readerSignal;

    private final Claim claim = new Claim(this);
    private long claimed = -1;
    private int claimedLength;
    private boolean closed;

    ChannelWriter(Channel channel, Region r) throws IpcException {
        this.channel = channel;
        this.r = r;
        this.seg = r.seg;
        this.spsc = r.kind == ChannelKind.SPSC;
        this.capacity = r.capacity;
        this.mask = r.mask;
        this.data = r.data;
        this.salt = r.salt;
        if (spsc) {
            long other = r.takeOwner(Format.WRITER_LOCK_OFFSET);
            if (other != 0) {
                throw busy(other, "an SPSC channel has one writer at a time");
            }
        }
        int s;
        try {
            s = takeSlot();
        } catch (IpcException | RuntimeException e) {
            if (spsc) {
                r.releaseOwner(Format.WRITER_LOCK_OFFSET);
            }
            throw e;
        }
        this.slot = s;
        this.entry = Format.writerEntry(s);
        this.dataInfo = Format.info(Format.TYPE_DATA, s);
        this.paddingInfo = Format.info(Format.TYPE_PADDING, s);
        this.headCache = r.head();
        this.tail = r.tail();
    }

    private IpcException busy(long owner, String why) {
        return new IpcException(
                "writer",
                r.object,
                Errno.EBUSY,
                why
                        + ": pid "
                        + Owners.pid(owner)
                        + (owner == Owners.self() ? " (this process) " : " ")
                        + "writes");
    }

    /**
     * Takes a free entry of the writer table, or the entry of a dead writer whose last claim is
     * settled (consumed or committed), so that a header naming the entry never names a live process
     * other than its writer.
     */
    private int takeSlot() throws IpcException {
        long me = Owners.self();
        for (int i = 0; i < r.maxWriters; i++) {
            long off = Format.writerEntry(i) + Format.WRITER_OWNER;
            if ((long) LONG.getVolatile(seg, off) == Owners.NONE
                    && settled(i)
                    && LONG.compareAndSet(seg, off, Owners.NONE, me)) {
                return initSlot(i);
            }
        }
        for (int i = 0; i < r.maxWriters; i++) {
            long off = Format.writerEntry(i) + Format.WRITER_OWNER;
            long o = (long) LONG.getVolatile(seg, off);
            if (o != Owners.NONE
                    && o != me
                    && !Owners.alive(o)
                    && settled(i)
                    && LONG.compareAndSet(seg, off, o, me)) {
                return initSlot(i);
            }
        }
        throw new IpcException(
                "writer",
                r.object,
                Errno.EBUSY,
                "all "
                        + r.maxWriters
                        + " entries of the writer table are held by live writers (or by dead ones whose last"
                        + " message the reader has not yet passed)");
    }

    private int initSlot(int i) {
        long e = Format.writerEntry(i);
        LONG.set(seg, e + Format.WRITER_CLAIM_SIZE, 0L);
        // Release: a reader that sees this entry's owner sees no stale claim of the dead writer.
        LONG.setRelease(seg, e + Format.WRITER_CLAIM_POSITION, 0L);
        return i;
    }

    /** Whether the last claim of entry {@code i} needs its (dead) writer no more. */
    private boolean settled(int i) {
        long e = Format.writerEntry(i);
        long p = (long) LONG.getAcquire(seg, e + Format.WRITER_CLAIM_POSITION);
        long size = (long) LONG.getAcquire(seg, e + Format.WRITER_CLAIM_SIZE);
        if (p + size <= r.head()) {
            return true; // consumed or skipped
        }
        long end = p + size;
        for (long pos = p; pos < end; ) {
            long at = r.dataIndex(pos);
            // Acquire: pairs with the writer's setRelease of the tag.
            if ((long) LONG.getAcquire(seg, at + Format.RECORD_TAG) != r.tag(pos)) {
                return false;
            }
            // Acquire: pairs with the writer's setRelease of the length (commit).
            int len = (int) INT.getAcquire(seg, at + Format.RECORD_LENGTH);
            if (len < 0) {
                return false;
            }
            pos += Format.recordSize(len);
        }
        return true;
    }

    /**
     * Sets how {@link #send} and {@link #claim(int)} wait for room.
     *
     * @param strategy the strategy
     * @return this writer
     */
    public ChannelWriter idleStrategy(IdleStrategy strategy) {
        this.idle = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * This writer's entry in the channel's writer table (as {@code jipc channel stat} lists it).
     *
     * @return the index
     */
    public int slot() {
        return slot;
    }

    /**
     * The channel written to.
     *
     * @return the channel
     */
    public Channel channel() {
        return channel;
    }

    // ---- offer / send -------------------------------------------------------------------------

    /**
     * Writes the buffer's remaining bytes as one message if there is room now.
     *
     * @param message the message (its position moves to its limit once written)
     * @return true if written, false if the channel is full
     * @throws IllegalArgumentException if the message is empty or above {@link
     *     Channel#maxMessage()}
     * @throws IllegalStateException if this writer or the channel is closed, or a claim is open
     */
    public boolean offer(ByteBuffer message) {
        int len = checkLength(message.remaining());
        long pos = claimSpace(len);
        if (pos < 0) {
            return false;
        }
        copyIn(message, pos, len);
        publishWhole(pos, len);
        return true;
    }

    /**
     * Writes the segment's bytes as one message if there is room now.
     *
     * @param message the message
     * @return true if written, false if the channel is full
     * @throws IllegalArgumentException if the message is empty or above {@link
     *     Channel#maxMessage()}
     * @throws IllegalStateException if this writer or the channel is closed, or a claim is open
     */
    public boolean offer(MemorySegment message) {
        int len = checkLength(message.byteSize());
        long pos = claimSpace(len);
        if (pos < 0) {
            return false;
        }
        MemorySegment.copy(message, 0, seg, r.dataIndex(pos) + Format.RECORD_HEADER, len);
        publishWhole(pos, len);
        return true;
    }

    /**
     * Writes the array as one message if there is room now.
     *
     * @param message the message
     * @return true if written, false if the channel is full
     * @throws IllegalArgumentException if the message is empty or above {@link
     *     Channel#maxMessage()}
     * @throws IllegalStateException if this writer or the channel is closed, or a claim is open
     */
    public boolean offer(byte[] message) {
        int len = checkLength(message.length);
        long pos = claimSpace(len);
        if (pos < 0) {
            return false;
        }
        MemorySegment.copy(
                message,
                0,
                seg,
                ValueLayout.JAVA_BYTE,
                r.dataIndex(pos) + Format.RECORD_HEADER,
                len);
        publishWhole(pos, len);
        return true;
    }

    /**
     * Writes the buffer's remaining bytes as one message, waiting as long as it takes for room.
     *
     * @param message the message (its position moves to its limit once written)
     * @throws io.jipc.InterruptedCallException if the thread was interrupted while waiting (not
     *     sent; the interrupt status stays set)
     * @throws IllegalArgumentException if the message is empty or above {@link
     *     Channel#maxMessage()}
     * @throws IllegalStateException if this writer or the channel is closed (also while waiting)
     */
    public void send(ByteBuffer message) throws IpcException {
        int len = checkLength(message.remaining());
        long pos = claimWaiting(len, -1, "send");
        copyIn(message, pos, len);
        publishWhole(pos, len);
    }

    /**
     * Writes the buffer's remaining bytes as one message, waiting at most {@code timeout} for room.
     *
     * @param message the message (its position moves to its limit once written)
     * @param timeout the longest wait
     * @return true if written, false if the time ran out first (nothing written)
     * @throws io.jipc.InterruptedCallException if the thread was interrupted while waiting
     * @throws IllegalArgumentException if the message is empty or too long, or the timeout negative
     * @throws IllegalStateException if this writer or the channel is closed
     */
    public boolean send(ByteBuffer message, Duration timeout) throws IpcException {
        int len = checkLength(message.remaining());
        long pos = claimWaiting(len, deadline(timeout), "send");
        if (pos < 0) {
            return false;
        }
        copyIn(message, pos, len);
        publishWhole(pos, len);
        return true;
    }

    // ---- zero copy ----------------------------------------------------------------------------

    /**
     * Reserves room for a message of {@code length} bytes if there is room now. Write the bytes
     * into {@link Claim#segment()}, then {@link Claim#commit()} (or {@link Claim#abort()}); the
     * reader waits at this message until then, so keep the claim short.
     *
     * @param length the message length
     * @return the claim (this writer's one {@code Claim} object), or empty if the channel is full
     * @throws IllegalArgumentException if {@code length} is not in 1..{@link Channel#maxMessage()}
     * @throws IllegalStateException if this writer or the channel is closed, or a claim is open
     */
    public Optional<Claim> tryClaim(int length) {
        int len = checkLength(length);
        long pos = claimSpace(len);
        if (pos < 0) {
            return Optional.empty();
        }
        return Optional.of(open(pos, len));
    }

    /**
     * Reserves room for a message of {@code length} bytes, waiting as long as it takes.
     *
     * @param length the message length
     * @return the claim
     * @throws io.jipc.InterruptedCallException if the thread was interrupted while waiting
     * @throws IllegalArgumentException if {@code length} is not in 1..{@link Channel#maxMessage()}
     * @throws IllegalStateException if this writer or the channel is closed, or a claim is open
     */
    public Claim claim(int length) throws IpcException {
        int len = checkLength(length);
        return open(claimWaiting(len, -1, "claim"), len);
    }

    /**
     * Reserves room for a message of {@code length} bytes, waiting at most {@code timeout}.
     *
     * @param length the message length
     * @param timeout the longest wait
     * @return the claim, or empty if the time ran out
     * @throws io.jipc.InterruptedCallException if the thread was interrupted while waiting
     * @throws IllegalArgumentException if {@code length} is not in 1..{@link Channel#maxMessage()}
     * @throws IllegalStateException if this writer or the channel is closed, or a claim is open
     */
    public Optional<Claim> claim(int length, Duration timeout) throws IpcException {
        int len = checkLength(length);
        long pos = claimWaiting(len, deadline(timeout), "claim");
        return pos < 0 ? Optional.empty() : Optional.of(open(pos, len));
    }

    private Claim open(long pos, int len) {
        claimHeader(pos, len);
        claimed = pos;
        claimedLength = len;
        claim.segment = seg.asSlice(r.dataIndex(pos) + Format.RECORD_HEADER, len);
        return claim;
    }

    void commit(Claim c) {
        requireClaim(c);
        long pos = claimed;
        claimed = -1;
        c.segment = null;
        publish(pos, claimedLength);
    }

    void abort(Claim c) {
        requireClaim(c);
        long pos = claimed;
        claimed = -1;
        c.segment = null;
        long at = r.dataIndex(pos);
        INT.set(seg, at + Format.RECORD_INFO, paddingInfo);
        // Release: the reader's getAcquire of the length then sees the padding type (a skipped
        // record).
        INT.setRelease(seg, at + Format.RECORD_LENGTH, claimedLength);
        wakeReader();
    }

    private void requireClaim(Claim c) {
        if (c != claim || claimed < 0) {
            throw new IllegalStateException("no open claim (committed or aborted already)");
        }
    }

    // ---- the protocol ---------------------------------------------------------------------------

    private int checkLength(long length) {
        if (length < 1 || length > r.maxMessage) {
            throw new IllegalArgumentException(
                    "length="
                            + length
                            + " (a message has 1.."
                            + r.maxMessage
                            + " bytes in this channel of capacity "
                            + capacity
                            + ")");
        }
        if (closed || r.closed) {
            throw new IllegalStateException(
                    closed ? "writer closed" : "the channel is closed: " + r.object);
        }
        if (claimed >= 0) {
            throw new IllegalStateException("a claim is open: commit or abort it first");
        }
        return (int) length;
    }

    /**
     * Claims the space of one record of {@code len} payload bytes (plus a padding record if it
     * would cross the end of the ring, written here); the record itself is written by the caller
     * ({@link #claimHeader} or {@link #publishWhole}).
     *
     * @return the record's position, or -1 if there is no room
     */
    private long claimSpace(int len) {
        // Two methods, so that the SPSC one is small enough for the JIT to inline into send().
        return spsc ? claimSpsc(len) : claimMpsc(len);
    }

    /** {@link #claimSpace} of an SPSC channel: this writer owns tail. */
    private long claimSpsc(int len) {
        MemorySegment seg = this.seg;
        long size = Format.recordSize(len);
        long t = tail;
        long index = t & mask;
        long pad = index + size > capacity ? capacity - index : 0;
        long end = t + pad + size;
        if (noRoom(end)) {
            return -1;
        }
        intent(seg, t, pad + size);
        // Volatile (a full fence): publishes the claim and the intent above (release), and
        // orders this store before the read of the reader signal below (Dekker): pairs with
        // the reader's compareAndSet of the waiters bit before it reads tail in park().
        LONG.setVolatile(seg, Format.TAIL_OFFSET, end);
        tail = end;
        return claimed(seg, t, pad);
    }

    /** {@link #claimSpace} of an MPSC channel: a compare-and-set of tail among the writers. */
    private long claimMpsc(int len) {
        MemorySegment seg = this.seg;
        long size = Format.recordSize(len);
        long t;
        long pad;
        while (true) {
            // Acquire: pairs with the other writers' compareAndSet of tail.
            t = (long) LONG.getAcquire(seg, Format.TAIL_OFFSET);
            long index = t & mask;
            pad = index + size > capacity ? capacity - index : 0;
            long end = t + pad + size;
            if (noRoom(end)) {
                return -1;
            }
            intent(seg, t, pad + size);
            // Compare-and-set (volatile, a full fence): claims [t, end), publishes the intent
            // above (release: pairs with the reader's getAcquire of tail in skipAbandoned())
            // and orders the claim before the read of the reader signal (pairs with the
            // reader's compareAndSet of the waiters bit in park()).
            if (LONG.compareAndSet(seg, Format.TAIL_OFFSET, t, end)) {
                break;
            }
            // Lost the race: withdraw the intent, so that a dead writer's claim at t is never
            // taken for ours. Release: pairs with the reader's getAcquire in skipAbandoned().
            LONG.setRelease(seg, entry + Format.WRITER_CLAIM_SIZE, 0L);
        }
        return claimed(seg, t, pad);
    }

    /**
     * Whether a claim ending at {@code end} does not fit: checked against the last head read, then
     * against head read again.
     */
    private boolean noRoom(long end) {
        if (end - headCache > capacity) {
            headCache = r.head();
            return end - headCache > capacity;
        }
        return false;
    }

    /**
     * After the full fence of a claim at {@code t}: reads the reader signal and writes the padding
     * record, if any; returns the position of the message's record.
     */
    private long claimed(MemorySegment seg, long t, long pad) {
        // Volatile read after the full fence of the claim: the other half of the Dekker pair.
        readerSignal = (int) INT.getVolatile(seg, Format.READER_SIGNAL_OFFSET);
        if (pad > 0) {
            long at = data + (t & mask);
            INT.set(seg, at + Format.RECORD_LENGTH, (int) pad - Format.RECORD_HEADER);
            INT.set(seg, at + Format.RECORD_INFO, paddingInfo);
            // Release: a padding record is committed as it appears: pairs with the reader's
            // getAcquire of the tag in ChannelReader.next().
            LONG.setRelease(seg, at + Format.RECORD_TAG, t ^ salt);
        }
        return t + pad;
    }

    /**
     * A zero-copy claim: the header with a negative length (claimed, not committed), published by
     * its tag, so that a reader that gets there knows whose claim it waits for.
     */
    private void claimHeader(long pos, int len) {
        MemorySegment seg = this.seg;
        long at = data + (pos & mask);
        INT.set(seg, at + Format.RECORD_LENGTH, -len);
        INT.set(seg, at + Format.RECORD_INFO, dataInfo);
        // Release: publishes the header (claimed, negative length) with its tag: pairs with the
        // reader's getAcquire of the tag in ChannelReader, which then reads the length.
        LONG.setRelease(seg, at + Format.RECORD_TAG, pos ^ salt);
    }

    /**
     * A copied message, whose payload is in place: the header with its positive length, then the
     * tag (release) that publishes the whole record at once; a reader never sees it half written
     * and does not read its line in the middle of the writing.
     */
    private void publishWhole(long pos, int len) {
        MemorySegment seg = this.seg;
        long at = data + (pos & mask);
        INT.set(seg, at + Format.RECORD_LENGTH, len);
        INT.set(seg, at + Format.RECORD_INFO, dataInfo);
        // Release: publishes the record (header and payload): pairs with the reader's getAcquire
        // of the tag in ChannelReader, which then reads the length and the payload.
        LONG.setRelease(seg, at + Format.RECORD_TAG, pos ^ salt);
        wakeIfAsleep();
    }

    /**
     * Records the claim about to be made in this writer's entry, for a reader that finds the claim
     * without a header (this process died between claiming and writing it). Release stores: a
     * reader whose getAcquire (in skipAbandoned()) sees them also sees every header this writer
     * wrote before, so an intent that moved on never hides a record that exists.
     */
    private void intent(MemorySegment seg, long position, long size) {
        LONG.setRelease(seg, entry + Format.WRITER_CLAIM_SIZE, size);
        LONG.setRelease(seg, entry + Format.WRITER_CLAIM_POSITION, position);
    }

    private void copyIn(ByteBuffer message, long pos, int len) {
        long at = data + (pos & mask) + Format.RECORD_HEADER;
        if (message.hasArray()) {
            MemorySegment.copy(
                    message.array(),
                    message.arrayOffset() + message.position(),
                    seg,
                    ValueLayout.JAVA_BYTE,
                    at,
                    len);
        } else {
            MemorySegment.copy(MemorySegment.ofBuffer(message), 0, seg, at, len);
        }
        message.position(message.limit());
    }

    /**
     * Commits a claim: one release store of the positive length makes the whole message visible.
     */
    private void publish(long pos, int len) {
        MemorySegment seg = this.seg;
        // Release: pairs with the reader's getAcquire of the length in ChannelReader.next(): the
        // payload written above is visible to a reader that sees the positive length.
        INT.setRelease(seg, data + (pos & mask) + Format.RECORD_LENGTH, len);
        wakeIfAsleep();
    }

    /** Wakes the reader if it announced that it sleeps (at the claim, or since). */
    private void wakeIfAsleep() {
        if (((readerSignal | (int) INT.getOpaque(seg, Format.READER_SIGNAL_OFFSET))
                        & Format.WAITERS)
                != 0) {
            r.wake(Format.READER_SIGNAL_OFFSET, r.readerWord);
        }
    }

    private void wakeReader() {
        if (((int) INT.getVolatile(seg, Format.READER_SIGNAL_OFFSET) & Format.WAITERS) != 0) {
            r.wake(Format.READER_SIGNAL_OFFSET, r.readerWord);
        }
    }

    private long claimWaiting(int len, long deadline, String call) throws IpcException {
        int round = 0;
        int burst = 1;
        while (true) {
            long pos = claimSpace(len);
            if (pos >= 0) {
                return pos;
            }
            // A full ring: look at head again only after a burst of idle rounds (1 doubling to 64),
            // so that the reader's stores of head do not each wait for this writer's reads.
            for (int i = 1; i < burst && round < idle.spins(); i++) {
                idle.idle(round++);
            }
            burst = Math.min(burst * 2, 64);
            if (idle.idle(round++)) {
                if ((round & 0xff) == 0) {
                    checkWaiting(deadline, call);
                    if (deadline >= 0 && System.nanoTime() - deadline >= 0) {
                        return -1;
                    }
                }
                continue;
            }
            long seen = r.head();
            long need = Format.recordSize(len);
            if (!r.sleep(
                    Format.SPACE_SIGNAL_OFFSET,
                    r.spaceWord,
                    deadline,
                    // Volatile reads of head after the waiters bit is set: pairs with the reader's
                    // setVolatile of head before it reads the space signal.
                    () -> r.headVolatile() != seen || room(need),
                    call)) {
                return -1;
            }
        }
    }

    private boolean room(long size) {
        long t = spsc ? tail : r.tail();
        long index = t & r.mask;
        long pad = index + size > capacity ? capacity - index : 0;
        return t + pad + size - r.headVolatile() <= capacity;
    }

    private void checkWaiting(long deadline, String call) throws IpcException {
        if (r.closed) {
            throw new IllegalStateException("the channel is closed: " + r.object);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new io.jipc.InterruptedCallException(call, r.object, "nothing was written");
        }
    }

    static long deadline(Duration timeout) {
        long n = io.jipc.internal.linux.Blocking.timeoutNanos(timeout);
        long now = System.nanoTime();
        return n >= Long.MAX_VALUE / 2 ? -1 : Math.max(0, now + n);
    }

    /**
     * Leaves the writer table: aborts an open claim, then frees this writer's entry (and an SPSC
     * channel's write side). Idempotent. The channel stays mapped.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (claimed >= 0 && !r.closed) {
            abort(claim);
        }
        closed = true;
        if (!r.closed) {
            r.releaseOwner(entry + Format.WRITER_OWNER);
            if (spsc) {
                r.releaseOwner(Format.WRITER_LOCK_OFFSET);
            }
        }
        channel.forget(this);
    }

    @Override
    public String toString() {
        return "ChannelWriter[" + r.object + ", slot " + slot + (closed ? ", closed" : "") + "]";
    }
}
