package io.jipc.bench;

import io.jipc.IpcException;
import io.jipc.sysv.Attachment;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.Oversize;
import io.jipc.sysv.Select;
import io.jipc.sysv.SemOp;
import io.jipc.sysv.SemaphoreSet;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * One side of a two-process link: sends and receives whole messages from and into {@link #buf}, the
 * same way as the C pair ({@code src/main/c/bench_peer.c}) does, so that the two measure the same
 * system calls. Not thread-safe.
 */
abstract class Link implements AutoCloseable {
    /** The largest message (the 4 KiB throughput runs). */
    static final int BIG = 4096;

    /** Slots of the shared-memory ring used for one-way throughput. */
    static final int SLOTS = 16;

    /** Credits of the semaphore throughput run (posts in flight). */
    static final int CREDITS = 1024;

    /** Bytes of the shared-memory segment: two 4 KiB mailboxes and the ring. */
    static final long SHM_SIZE = (2L + SLOTS) * BIG;

    /** The message buffer: sends take bytes [0, n), receives land at 0. */
    final ByteBuffer buf;

    private final Arena arena = Arena.ofConfined();

    /** {@link #buf} as a segment. */
    final MemorySegment seg;

    Link() {
        seg = arena.allocate(BIG, 64);
        buf = seg.asByteBuffer();
    }

    /** Sends buf[0, n). */
    abstract void send(int n) throws IOException;

    /** Receives one message of (at most) n bytes into buf; returns its length. */
    abstract int receive(int n) throws IOException;

    /** One-way data message number i (flow control where the mechanism needs it). */
    void sendData(int n, long i) throws IOException {
        send(n);
    }

    /** Receives one-way data message number i. */
    int receiveData(int n, long i) throws IOException {
        return receive(n);
    }

    @Override
    public void close() throws IOException {
        arena.close();
    }

    /** Pipes, FIFOs, sockets: read(2)/write(2) on descriptors, whole messages. */
    static class ChannelLink extends Link {
        private final ReadableByteChannel in;
        private final WritableByteChannel out;
        private final boolean stream;

        ChannelLink(ReadableByteChannel in, WritableByteChannel out, boolean stream) {
            this.in = in;
            this.out = out;
            this.stream = stream;
        }

        @Override
        void send(int n) throws IOException {
            buf.clear().limit(n);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        }

        @Override
        int receive(int n) throws IOException {
            buf.clear().limit(n);
            do {
                if (in.read(buf) < 0) {
                    throw new EOFException("the peer closed");
                }
            } while (stream && buf.hasRemaining());
            return buf.position();
        }

        @Override
        public void close() throws IOException {
            try (in;
                    out) {
                super.close();
            }
        }
    }

    /** One System V message queue: type 1 goes to the child, type 2 back to the parent. */
    static final class MqLink extends Link {
        private final MessageQueue q;
        private final long sendType;
        private final Select select;

        MqLink(MessageQueue q, boolean parent) {
            this.q = q;
            this.sendType = parent ? 1 : 2;
            this.select = Select.type(parent ? 2 : 1);
        }

        @Override
        void send(int n) throws IpcException {
            q.send(sendType, buf.clear().limit(n));
        }

        @Override
        int receive(int n) throws IpcException {
            buf.clear();
            q.receiveInto(select, buf, Oversize.FAIL);
            return buf.position();
        }
    }

    /**
     * Semaphores 0 (to the child) and 1 (to the parent) for ping-pong; sem 2 holds the credits of
     * the throughput run, taken and returned in the same semop as the post.
     */
    static class SemLink extends Link {
        final SemaphoreSet set;
        private final SemOp[] post;
        private final SemOp[] take;
        private final SemOp[] produce = {SemOp.down(2), SemOp.up(0)};
        private final SemOp[] consume = {SemOp.down(0), SemOp.up(2)};

        SemLink(SemaphoreSet set, boolean parent) {
            this.set = set;
            post = new SemOp[] {SemOp.up(parent ? 0 : 1)};
            take = new SemOp[] {SemOp.down(parent ? 1 : 0)};
        }

        @Override
        void send(int n) throws IOException {
            set.op(post);
        }

        @Override
        int receive(int n) throws IOException {
            set.op(take);
            return n;
        }

        @Override
        void sendData(int n, long i) throws IOException {
            set.op(produce);
        }

        @Override
        int receiveData(int n, long i) throws IOException {
            set.op(consume);
            return n;
        }
    }

    /**
     * Shared memory: a 4 KiB mailbox per direction handed over with semaphores 0 and 1, and a ring
     * of {@link #SLOTS} slots for throughput (sem 2 counts free slots, sem 0 filled ones).
     */
    static final class ShmLink extends SemLink {
        private final Attachment attachment;
        private final MemorySegment shm;
        private final long sendAt;
        private final long receiveAt;
        private final SemOp[] post;
        private final SemOp[] take;
        private final SemOp[] freeSlot = {SemOp.down(2)};
        private final SemOp[] filled = {SemOp.up(0)};
        private final SemOp[] takeFilled = {SemOp.down(0)};
        private final SemOp[] release = {SemOp.up(2)};

        ShmLink(SemaphoreSet set, Attachment attachment, boolean parent) {
            super(set, parent);
            this.attachment = attachment;
            this.shm = attachment.segment();
            sendAt = parent ? 0 : BIG;
            receiveAt = parent ? BIG : 0;
            post = new SemOp[] {SemOp.up(parent ? 0 : 1)};
            take = new SemOp[] {SemOp.down(parent ? 1 : 0)};
        }

        @Override
        void send(int n) throws IOException {
            MemorySegment.copy(seg, 0, shm, sendAt, n);
            set.op(post);
        }

        @Override
        int receive(int n) throws IOException {
            set.op(take);
            MemorySegment.copy(shm, receiveAt, seg, 0, n);
            return n;
        }

        @Override
        void sendData(int n, long i) throws IOException {
            set.op(freeSlot);
            MemorySegment.copy(seg, 0, shm, (2 + i % SLOTS) * BIG, n);
            set.op(filled);
        }

        @Override
        int receiveData(int n, long i) throws IOException {
            set.op(takeFilled);
            MemorySegment.copy(shm, (2 + i % SLOTS) * BIG, seg, 0, n);
            set.op(release);
            return n;
        }

        @Override
        public void close() throws IOException {
            try (attachment) {
                super.close();
            }
        }
    }
}
