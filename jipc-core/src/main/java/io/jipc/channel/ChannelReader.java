package io.jipc.channel;

import static io.jipc.channel.Format.INT;
import static io.jipc.channel.Format.LONG;

import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * The reading side of a {@link Channel}: the channel's one reader, held until {@link #close()} (or
 * the death of this process: a later reader then takes over at the same position).
 *
 * <ul>
 *   <li>{@link #poll(MessageHandler, int)}: hands up to {@code limit} waiting messages to a
 *       handler, in place (zero copy), and returns at once;
 *   <li>{@link #tryReceive(ByteBuffer)}: copies the next message out if there is one;
 *   <li>{@link #receive(ByteBuffer)}, {@link #receive(ByteBuffer, Duration)}: wait for a message
 *       with the reader's {@link IdleStrategy}: spin, yield, then sleep in a futex wait that
 *       writers end; an idle channel costs no CPU. Interruptible ({@link InterruptedCallException})
 *       and timed like every blocking call of jipc, on platform and virtual threads.
 * </ul>
 *
 * <p>Messages of one writer arrive in the order it wrote them; a message is seen whole or not at
 * all. The position is stored in the region after each {@code poll} and, for one-message reads,
 * when nothing more is waiting or after an eighth of the capacity: a reader process that dies may
 * leave that much to be read again by the next reader (at least once, never torn). A writer that
 * died while holding a claim is noticed (its pid in the writer table is gone) and its claim
 * skipped; {@link Channel#status()} counts such skips. A reader is used by one thread at a time.
 */
public final class ChannelReader implements AutoCloseable {
    private static final long MIN_BACKOFF = 50_000L;
    private static final long MAX_BACKOFF = 50_000_000L;

    /** How long a claim may stay uncommitted before the reader checks its writer's liveness. */
    private static final long STUCK_NANOS = 1_000_000L;

    private final Channel channel;
    private final Region r;
    private final MemorySegment seg;
    private final long mask;
    private final long data;
    private final long salt;
    private final long capacity;
    private final int maxMessage;
    private IdleStrategy idle = IdleStrategy.parking();
    private long head;

    /** The head last stored in the region (receive publishes lazily, see {@link #consumed}). */
    private long published;

    /** Consumed bytes after which receive publishes head even while more messages wait. */
    private final long publishBytes;

    private boolean closed;
    private int emptyRounds;
    private long stuckAt = -1;
    private long stuckSince;
    private long backoff = MIN_BACKOFF;

    ChannelReader(Channel channel, Region r) throws IpcException {
        this.channel = channel;
        this.r = r;
        this.seg = r.seg;
        this.mask = r.mask;
        this.data = r.data;
        this.salt = r.salt;
        this.capacity = r.capacity;
        this.maxMessage = r.maxMessage;
        long other = r.takeOwner(Format.READER_OWNER_OFFSET);
        if (other != 0) {
            throw new IpcException(
                    "reader",
                    r.object,
                    Errno.EBUSY,
                    "a channel has one reader: pid "
                            + Owners.pid(other)
                            + (other == Owners.self() ? " (this process)" : "")
                            + " reads");
        }
        this.head = r.head();
        this.published = head;
        this.publishBytes = capacity / 8;
    }

    /**
     * Sets how {@link #receive} waits.
     *
     * @param strategy the strategy
     * @return this reader
     */
    public ChannelReader idleStrategy(IdleStrategy strategy) {
        this.idle = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * The channel read from.
     *
     * @return the channel
     */
    public Channel channel() {
        return channel;
    }

    /**
     * The position of the next record: bytes consumed since the channel was created.
     *
     * @return the head position
     */
    public long position() {
        return head;
    }

    // ---- reading ------------------------------------------------------------------------------

    /**
     * Hands up to {@code limit} messages that are waiting to {@code handler}, in order, without
     * copying them, and returns at once. The space of the batch is released to writers when this
     * call returns, so a message's segment is valid only inside the handler. A message whose
     * handler throws counts as read; the exception goes to the caller.
     *
     * @param handler receives each message
     * @param limit the most messages to hand over, at least 1
     * @return the number of messages handed over (0 if none was waiting)
     * @throws ChannelFormatException if a record is corrupt
     * @throws IllegalStateException if the reader or the channel is closed
     */
    public int poll(MessageHandler handler, int limit) throws ChannelFormatException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit=" + limit + " (at least 1)");
        }
        checkOpen();
        long pos = head;
        int n = 0;
        try {
            while (n < limit) {
                long at = data + (pos & mask);
                // Acquire: pairs with the writer's setRelease of the tag in
                // ChannelWriter.claimSpace().
                if ((long) LONG.getAcquire(seg, at + Format.RECORD_TAG) != (pos ^ salt)) {
                    break;
                }
                // Acquire: pairs with the writer's setRelease of the length in publish()/abort().
                int len = (int) INT.getAcquire(seg, at + Format.RECORD_LENGTH);
                if (len < 0) {
                    break;
                }
                int info = (int) INT.get(seg, at + Format.RECORD_INFO);
                long size = checkRecord(pos, len, info);
                pos += size;
                if ((info & Format.TYPE_MASK) == Format.TYPE_DATA) {
                    n++;
                    handler.onMessage(r.dataView.asSlice(at - data + Format.RECORD_HEADER, len));
                }
            }
        } finally {
            if (pos != head) {
                advance(pos);
            }
        }
        if (n == 0) {
            onEmpty();
        }
        return n;
    }

    /**
     * Copies the next message into {@code dst} if one is waiting.
     *
     * @param dst receives the message at its position (which moves past it)
     * @return the message length, or -1 if no message is waiting
     * @throws IllegalArgumentException if the message is longer than {@code dst.remaining()} (it
     *     stays in the channel; {@link Channel#maxMessage()} bytes always suffice)
     * @throws ChannelFormatException if a record is corrupt
     * @throws IllegalStateException if the reader or the channel is closed
     */
    public int tryReceive(ByteBuffer dst) throws ChannelFormatException {
        checkOpen();
        int n = receiveOnce(dst);
        if (n < 0) {
            onEmpty();
        }
        return n;
    }

    /**
     * Copies the next message into {@code dst}, waiting as long as it takes for one.
     *
     * @param dst receives the message at its position (which moves past it)
     * @return the message length
     * @throws InterruptedCallException if the thread was interrupted while waiting (nothing taken;
     *     the interrupt status stays set)
     * @throws IllegalArgumentException if the message is longer than {@code dst.remaining()}
     * @throws ChannelFormatException if a record is corrupt
     * @throws IllegalStateException if the reader or the channel is closed (also while waiting)
     */
    public int receive(ByteBuffer dst) throws IpcException {
        return receive(dst, -1L);
    }

    /**
     * Copies the next message into {@code dst}, waiting at most {@code timeout} for one.
     *
     * @param dst receives the message at its position (which moves past it)
     * @param timeout the longest wait
     * @return the message length, or -1 if the time ran out
     * @throws InterruptedCallException if the thread was interrupted while waiting
     * @throws IllegalArgumentException if the message is longer than {@code dst.remaining()} or the
     *     timeout is negative
     * @throws ChannelFormatException if a record is corrupt
     * @throws IllegalStateException if the reader or the channel is closed
     */
    public int receive(ByteBuffer dst, Duration timeout) throws IpcException {
        return receive(dst, ChannelWriter.deadline(timeout));
    }

    /**
     * Copies the next message into a new array, waiting at most {@code timeout} for one.
     *
     * @param timeout the longest wait
     * @return the message, or {@code null} if the time ran out
     * @throws InterruptedCallException if the thread was interrupted while waiting
     * @throws ChannelFormatException if a record is corrupt
     * @throws IllegalStateException if the reader or the channel is closed
     */
    public byte[] receive(Duration timeout) throws IpcException {
        ByteBuffer b = ByteBuffer.allocate(maxMessage);
        int n = receive(b, timeout);
        return n < 0 ? null : java.util.Arrays.copyOf(b.array(), n);
    }

    private int receive(ByteBuffer dst, long deadline) throws IpcException {
        checkOpen();
        int round = 0;
        while (true) {
            int n = receiveOnce(dst);
            if (n >= 0) {
                backoff = MIN_BACKOFF;
                return n;
            }
            if (idle.idle(round++)) {
                if ((round & 0xff) == 0) {
                    if (r.closed) {
                        throw new IllegalStateException("the channel is closed: " + r.object);
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedCallException(
                                "receive", r.object, "no message was taken");
                    }
                    if (deadline >= 0 && System.nanoTime() - deadline >= 0) {
                        return -1;
                    }
                    onEmpty();
                }
                continue;
            }
            if (!park(deadline)) {
                return -1;
            }
            round = 0;
        }
    }

    /** Copies out the message at head (skipping padding); -1 if none is committed there. */
    private int receiveOnce(ByteBuffer dst) throws ChannelFormatException {
        long pos = head;
        try {
            while (true) {
                long at = data + (pos & mask);
                // Acquire: pairs with the writer's setRelease of the tag in
                // ChannelWriter.claimSpace().
                if ((long) LONG.getAcquire(seg, at + Format.RECORD_TAG) != (pos ^ salt)) {
                    return -1;
                }
                // Acquire: pairs with the writer's setRelease of the length in publish()/abort().
                int len = (int) INT.getAcquire(seg, at + Format.RECORD_LENGTH);
                if (len < 0) {
                    return -1;
                }
                int info = (int) INT.get(seg, at + Format.RECORD_INFO);
                long size = checkRecord(pos, len, info);
                if ((info & Format.TYPE_MASK) != Format.TYPE_DATA) {
                    pos += size;
                    continue;
                }
                if (dst.remaining() < len) {
                    throw tooSmall(dst, len);
                }
                copyOut(at + Format.RECORD_HEADER, dst, len);
                pos += size;
                return len;
            }
        } finally {
            if (pos != head) {
                consumed(pos);
            }
        }
    }

    private static IllegalArgumentException tooSmall(ByteBuffer dst, int len) {
        return new IllegalArgumentException(
                "dst.remaining()="
                        + dst.remaining()
                        + " < "
                        + len
                        + ", the length of the next message (it stays in the channel)");
    }

    /** Copies {@code len} bytes at {@code from} in the region to {@code dst}, and moves it on. */
    private void copyOut(long from, ByteBuffer dst, int len) {
        if (dst.hasArray()) {
            MemorySegment.copy(
                    seg,
                    ValueLayout.JAVA_BYTE,
                    from,
                    dst.array(),
                    dst.arrayOffset() + dst.position(),
                    len);
        } else {
            MemorySegment.copy(seg, from, MemorySegment.ofBuffer(dst), 0, len);
        }
        dst.position(dst.position() + len);
    }

    /**
     * One message (and the padding before it) was taken: head moves to {@code pos} here, and is
     * published to writers only when no record is claimed after it (the reader may wait next), or
     * after an eighth of the capacity: a reader taking one message at a time from a busy channel
     * then stores head (with its full fence) rarely instead of for every message. (Measured here: a
     * Java reader of a C writer went from 16 to 45 million 64-byte messages a second.)
     */
    private void consumed(long pos) {
        head = pos;
        // Acquire: pairs with the writer's setRelease of the tag (a record is claimed at pos).
        if (pos - published >= publishBytes
                || (long) LONG.getAcquire(seg, data + (pos & mask) + Format.RECORD_TAG)
                        != (pos ^ salt)) {
            advance(pos);
        }
    }

    /** Whether a committed record (or padding) is at {@code pos}. */
    private boolean committedAt(long pos) {
        long at = data + (pos & mask);
        // Acquire: pairs with the writer's setRelease of the tag; then of the length.
        return (long) LONG.getAcquire(seg, at + Format.RECORD_TAG) == (pos ^ salt)
                && (int) INT.getAcquire(seg, at + Format.RECORD_LENGTH) >= 0;
    }

    /** Validates a committed record's header; returns its size. */
    private long checkRecord(long pos, int len, int info) throws ChannelFormatException {
        int type = info & Format.TYPE_MASK;
        long size = Format.recordSize(len);
        if ((type == Format.TYPE_DATA && (len < 1 || len > maxMessage))
                || (type != Format.TYPE_DATA && type != Format.TYPE_PADDING)
                || (pos & mask) + size > capacity) {
            throw corrupt(pos, "record of length " + len + " and type " + type);
        }
        return size;
    }

    private ChannelFormatException corrupt(long pos, String what) {
        return new ChannelFormatException(
                r.object,
                "corrupt "
                        + what
                        + " at position "
                        + pos
                        + " (capacity "
                        + capacity
                        + ", max message "
                        + maxMessage
                        + ")");
    }

    /** Releases the space before {@code pos} to writers and wakes the ones that wait for room. */
    private void advance(long pos) {
        head = pos;
        published = pos;
        // Volatile (a full fence): publishes the freed space (release: pairs with the writers'
        // getAcquire of head in Region.head()) and orders it before the read of the space signal
        // (Dekker: pairs with a waiting writer's compareAndSet of the waiters bit in
        // Region.sleep()).
        LONG.setVolatile(seg, Format.HEAD_OFFSET, pos);
        if (((int) INT.getVolatile(seg, Format.SPACE_SIGNAL_OFFSET) & Format.WAITERS) != 0) {
            r.wake(Format.SPACE_SIGNAL_OFFSET, r.spaceWord);
        }
    }

    /**
     * Nothing was read: every 64th time, see whether head has been stuck long enough to look at its
     * writer.
     */
    private void onEmpty() throws ChannelFormatException {
        if ((++emptyRounds & 63) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (stuckAt != head) {
            stuckAt = head;
            stuckSince = now;
        } else if (now - stuckSince >= STUCK_NANOS) {
            stuckSince = now;
            skipAbandoned();
        }
    }

    /** Whether a committed record (or padding) is at head. */
    private boolean available() {
        return committedAt(head);
    }

    /**
     * Sleeps until a writer wakes this reader or, while a claim is in progress at head, until a
     * back-off timeout (50 µs doubling to 50 ms) after which the claim's writer is checked again.
     *
     * @return false once the deadline has passed
     */
    private boolean park(long deadline) throws IpcException {
        long pos = head;
        boolean claimed = r.tailVolatile() != pos;
        long until = deadline;
        if (claimed) {
            if (skipAbandoned()) {
                return true;
            }
            long wake = System.nanoTime() + backoff;
            backoff = Math.min(backoff * 2, MAX_BACKOFF);
            until = deadline < 0 ? wake : Math.min(deadline, wake);
        } else {
            backoff = MIN_BACKOFF;
        }
        // Untimed: sleep only while tail == head, read with a volatile load after the waiters bit
        // is set: pairs with the writer's setVolatile/compareAndSet of tail before it reads the
        // reader signal in ChannelWriter.claimSpace() (one of the two sees the other).
        boolean inTime =
                r.sleep(
                        Format.READER_SIGNAL_OFFSET,
                        r.readerWord,
                        until,
                        claimed ? this::available : () -> available() || r.tailVolatile() != pos,
                        "receive");
        return inTime || deadline < 0 || System.nanoTime() - deadline < 0;
    }

    /**
     * Looks at an uncommitted record at head: if the writer that claimed it is dead, skips it.
     *
     * @return true if a claim was skipped
     */
    boolean skipAbandoned() throws ChannelFormatException {
        long pos = head;
        long at = data + (pos & mask);
        long tail = r.tail();
        if (tail == pos) {
            return false;
        }
        if (tail < pos || tail - pos > capacity) {
            throw corrupt(pos, "tail " + tail);
        }
        // Acquire: pairs with the writer's setRelease of the tag.
        if ((long) LONG.getAcquire(seg, at + Format.RECORD_TAG) == (pos ^ salt)) {
            int len = (int) INT.getAcquire(seg, at + Format.RECORD_LENGTH);
            if (len >= 0) {
                return false;
            }
            int slot = (int) INT.get(seg, at + Format.RECORD_INFO) >>> Format.SLOT_SHIFT;
            if (slot >= r.maxWriters || -(long) len > maxMessage) {
                throw corrupt(pos, "claimed record of length " + len + " by writer " + slot);
            }
            if (Owners.alive(r.writerOwner(slot))) {
                return false;
            }
            // The writer is dead; it may have committed just before dying.
            if ((int) INT.getAcquire(seg, at + Format.RECORD_LENGTH) >= 0) {
                return false;
            }
            long size = Format.recordSize(-(long) len);
            if (pos + size > tail || (pos & mask) + size > capacity) {
                throw corrupt(pos, "claimed record of length " + len);
            }
            skip(pos + size);
            return true;
        }
        // Claimed (tail is past head) but no header yet: find the claim in the writer table.
        long end = -1;
        boolean ambiguous = false;
        for (int i = 0; i < r.maxWriters; i++) {
            long owner = r.writerOwner(i); // NONE counts as dead: a closed writer holds no claim
            long e = Format.writerEntry(i);
            // Acquire: pairs with the writer's setRelease stores in ChannelWriter.intent().
            long p = (long) LONG.getAcquire(seg, e + Format.WRITER_CLAIM_POSITION);
            long s = (long) LONG.getAcquire(seg, e + Format.WRITER_CLAIM_SIZE);
            if (p <= pos && pos < p + s) {
                if (Owners.alive(owner)) {
                    return false; // a live writer is writing it
                }
                if (end < 0) {
                    end = p + s;
                } else if (end != p + s) {
                    ambiguous = true;
                }
            }
        }
        // A claimant that moved on has written its header by now (its intent is a release store).
        if (end < 0 || (long) LONG.getAcquire(seg, at + Format.RECORD_TAG) == (pos ^ salt)) {
            return false;
        }
        if (ambiguous) {
            throw new ChannelFormatException(
                    r.object,
                    "two dead writers claimed position "
                            + pos
                            + " with different lengths and neither wrote a header; the reader cannot tell which claim"
                            + " won (recreate the channel)");
        }
        if (end > tail || end - pos > capacity) {
            throw corrupt(pos, "abandoned claim ending at " + end + " (tail " + tail + ")");
        }
        skip(end);
        return true;
    }

    private void skip(long end) {
        LONG.getAndAdd(seg, Format.ABANDONED_OFFSET, 1L);
        advance(end);
        stuckAt = -1;
    }

    private void checkOpen() {
        if (closed || r.closed) {
            throw new IllegalStateException(
                    closed ? "reader closed" : "the channel is closed: " + r.object);
        }
    }

    /** Gives up the reader role (a later reader continues at the same position). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!r.closed) {
            if (published != head) {
                advance(head);
            }
            r.releaseOwner(Format.READER_OWNER_OFFSET);
        }
        channel.forget(this);
    }

    @Override
    public String toString() {
        return "ChannelReader["
                + r.object
                + ", position "
                + head
                + (closed ? ", closed" : "")
                + "]";
    }
}
