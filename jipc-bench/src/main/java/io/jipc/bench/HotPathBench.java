package io.jipc.bench;

import io.jipc.Cpus;
import io.jipc.IpcException;
import io.jipc.pipe.Pipe;
import io.jipc.socket.SocketType;
import io.jipc.socket.UnixSocket;
import io.jipc.sysv.Attachment;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.Oversize;
import io.jipc.sysv.Select;
import io.jipc.sysv.SemOp;
import io.jipc.sysv.SemaphoreSet;
import io.jipc.sysv.SharedMemory;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-call cost of every hot-path wrapper, each beside a C loop of the same system calls in the
 * same run ({@code src/main/c/hot_path.c}, built with gcc and called once per {@value #BATCH}
 * rounds): {@code NAME_java} over {@code NAME_c} is what jipc adds. One operation is one round on
 * one thread: a call that gives and one that takes (two system calls; the blocking forms, which
 * need not wait), or one non-blocking call that finds nothing. The benchmark thread is pinned to
 * one CPU ({@code -p cpu=N}; -1: the last CPU this process may use) through {@link Cpus}; JMH's
 * other threads and the JIT stay free.
 *
 * <p>Run (inside a private IPC namespace, so a killed run leaves no object behind):
 *
 * <pre>
 * mvn -q -B -o package -DskipTests -pl jipc-bench -am
 * unshare --ipc JDK25/bin/java -cp 'jipc-bench/target/classes:jipc-bench/target/lib/*' \
 *     org.openjdk.jmh.Main HotPathBench -f 1 -wi 3 -i 5 [-prof gc] [-prof perfnorm]
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class HotPathBench {
    /** Rounds per call of a C twin. */
    static final int BATCH = 1000;

    private static final int SMALL = 64;

    /** recvmsg flags of jipc's UnixSocket: MSG_CMSG_CLOEXEC, plus MSG_TRUNC on message sockets. */
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;

    private static final int MSG_TRUNC = 0x20;

    /** The CPU of the benchmark thread; -1: the last CPU this process may use. */
    @Param({"-1"})
    public int cpu;

    private Cpus.Pinning pinning;
    private CTwins c;
    private final Arena arena = Arena.ofShared();
    private MemorySegment outSeg;
    private MemorySegment inSeg;
    private ByteBuffer out;
    private ByteBuffer in;
    private MessageQueue queue;
    private MessageQueue empty;
    private int queueId;
    private int emptyId;
    private SemaphoreSet set;
    private int setId;
    private SharedMemory shm;
    private Attachment attachment;
    private MemorySegment mailbox;
    private Pipe pipe;
    private UnixSocket.Pair dgram;
    private UnixSocket.Pair seqpacket;
    private UnixSocket.Pair stream;
    private final SemOp[] up = {SemOp.up(0)};
    private final SemOp[] down = {SemOp.down(0)};
    private final SemOp[] downOnZero = {SemOp.down(1)};
    private final Select type1 = Select.type(1);
    private final Hook hook = new Hook();
    private MemorySegment errno;
    private MemorySegment upOp;
    private MemorySegment downOp;

    /** Creates the benchmark state (JMH does). */
    public HotPathBench() {}

    /**
     * Pins this thread, loads the C twins, creates the objects.
     *
     * @throws IOException if one cannot be created
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        List<Integer> allowed = Cpus.allowed();
        pinning = Cpus.pinCurrentThread(cpu < 0 ? allowed.get(allowed.size() - 1) : cpu);
        c = CTwins.load();
        outSeg = arena.allocate(SMALL, 64);
        inSeg = arena.allocate(SMALL, 64);
        outSeg.fill((byte) 7);
        errno = arena.allocate(java.lang.foreign.Linker.Option.captureStateLayout());
        upOp = arena.allocate(6, 2);
        upOp.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 2, (short) 1); // sembuf {0, +1, 0}
        downOp = arena.allocate(6, 2);
        downOp.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 2, (short) -1); // sembuf {0, -1, 0}
        out = outSeg.asByteBuffer();
        in = inSeg.asByteBuffer();
        queue = MessageQueue.createPrivate(0600);
        empty = MessageQueue.createPrivate(0600);
        queueId = queue.id();
        emptyId = empty.id();
        set = SemaphoreSet.createPrivate(0600, 2);
        setId = set.id();
        shm = SharedMemory.createPrivate(0600, 4096);
        attachment = shm.attach();
        mailbox = attachment.segment();
        pipe = Pipe.open();
        dgram = UnixSocket.pair(SocketType.DATAGRAM);
        seqpacket = UnixSocket.pair(SocketType.SEQPACKET);
        stream = UnixSocket.pair(SocketType.STREAM);
    }

    /**
     * Removes what setUp made and unpins the thread.
     *
     * @throws IpcException if removal fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IpcException {
        queue.remove();
        empty.remove();
        set.remove();
        attachment.close();
        shm.remove();
        pipe.close();
        dgram.close();
        seqpacket.close();
        stream.close();
        pinning.close();
        arena.close();
    }

    // ---- System V message queue -----------------------------------------------------------

    /**
     * {@code send} of a 64-byte buffer then {@code receiveInto} of it (msgsnd + msgrcv).
     *
     * @return the type received
     * @throws IpcException if a call fails
     */
    @Benchmark
    public long mqSendReceive_java() throws IpcException {
        queue.send(1, out.clear());
        return queue.receiveInto(type1, in.clear(), Oversize.FAIL);
    }

    /**
     * The C twin of {@link #mqSendReceive_java}.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long mqSendReceive_c() throws Throwable {
        return CTwins.check(
                (long) c.mqSendReceive.invokeExact(queueId, outSeg, inSeg, (long) BATCH), "mq");
    }

    /**
     * {@code tryReceiveInto} on an empty queue (msgrcv IPC_NOWAIT: ENOMSG).
     *
     * @return 0
     * @throws IpcException if the call fails otherwise
     */
    @Benchmark
    public long mqTryReceiveEmpty_java() throws IpcException {
        return empty.tryReceiveInto(type1, in.clear(), Oversize.FAIL);
    }

    /**
     * The C twin of {@link #mqTryReceiveEmpty_java}.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long mqTryReceiveEmpty_c() throws Throwable {
        return CTwins.check(
                (long) c.mqTryReceiveEmpty.invokeExact(emptyId, (long) BATCH), "mq empty");
    }

    // ---- System V semaphores ----------------------------------------------------------------

    /**
     * {@code op(up)} then {@code op(down)} (two semop).
     *
     * @return true
     * @throws IpcException if a call fails
     */
    @Benchmark
    public boolean semUpDown_java() throws IpcException {
        set.op(up);
        return set.op(down);
    }

    /**
     * The C twin of {@link #semUpDown_java}.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long semUpDown_c() throws Throwable {
        return CTwins.check((long) c.semUpDown.invokeExact(setId, (long) BATCH), "sem");
    }

    /**
     * The same two semop calls as {@link #semUpDown_java} made by a bare FFM downcall (errno
     * captured), without jipc: what the downcall itself adds to C.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    public int semUpDown_ffm() throws Throwable {
        int a = (int) CTwins.SEMOP.invokeExact(errno, setId, upOp, 1L);
        int b = (int) CTwins.SEMOP.invokeExact(errno, setId, downOp, 1L);
        return a | b;
    }

    /**
     * {@link #semUpDown_ffm} with each call between {@code begin()} and {@code end(true)} of an
     * {@code AbstractInterruptibleChannel}: the interrupt hook every interruptible blocking call of
     * the JDK and of jipc makes on a platform thread.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    public int semUpDown_ffmHook() throws Throwable {
        hook.enter();
        int a;
        try {
            a = (int) CTwins.SEMOP.invokeExact(errno, setId, upOp, 1L);
        } finally {
            hook.leave();
        }
        hook.enter();
        int b;
        try {
            b = (int) CTwins.SEMOP.invokeExact(errno, setId, downOp, 1L);
        } finally {
            hook.leave();
        }
        return a | b;
    }

    /**
     * An interrupt hook like jipc's and the JDK's: begin() and end() of an interruptible channel.
     */
    static final class Hook extends java.nio.channels.spi.AbstractInterruptibleChannel {
        void enter() {
            begin();
        }

        void leave() throws java.nio.channels.AsynchronousCloseException {
            end(true);
        }

        @Override
        protected void implCloseChannel() {}
    }

    /**
     * {@code tryOp(down)} on a semaphore at 0 (semop IPC_NOWAIT: EAGAIN).
     *
     * @return false
     * @throws IpcException if the call fails otherwise
     */
    @Benchmark
    public boolean semTryDownOnZero_java() throws IpcException {
        return set.tryOp(downOnZero);
    }

    /**
     * The C twin of {@link #semTryDownOnZero_java}.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long semTryDownOnZero_c() throws Throwable {
        return CTwins.check((long) c.semTryDownOnZero.invokeExact(setId, (long) BATCH), "sem try");
    }

    /**
     * The shm + semaphore hand-off: 64 bytes into the segment, post; take, 64 bytes out.
     *
     * @return true
     * @throws IpcException if a call fails
     */
    @Benchmark
    public boolean shmHandoff_java() throws IpcException {
        MemorySegment.copy(outSeg, 0, mailbox, 0, SMALL);
        set.op(up);
        boolean r = set.op(down);
        MemorySegment.copy(mailbox, 0, inSeg, 0, SMALL);
        return r;
    }

    /**
     * The C twin of {@link #shmHandoff_java}.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long shmHandoff_c() throws Throwable {
        return CTwins.check(
                (long) c.shmHandoff.invokeExact(setId, mailbox, outSeg, inSeg, (long) BATCH),
                "shm");
    }

    // ---- pipe ---------------------------------------------------------------------------------

    /**
     * A 64-byte write then a read of it (write + read).
     *
     * @return the bytes read
     * @throws IOException if a call fails
     */
    @Benchmark
    public int pipeWriteRead_java() throws IOException {
        pipe.sink().write(out.clear());
        return pipe.source().read(in.clear());
    }

    /**
     * The C twin of {@link #pipeWriteRead_java}.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long pipeWriteRead_c() throws Throwable {
        return CTwins.check(
                (long)
                        c.fdWriteRead.invokeExact(
                                pipe.sink().fd(), pipe.source().fd(), outSeg, inSeg, (long) BATCH),
                "pipe");
    }

    // ---- Unix-domain sockets (socketpairs) ------------------------------------------------------

    /**
     * {@code send} of a 64-byte datagram then {@code receive} of it (sendmsg + recvmsg).
     *
     * @return the bytes received
     * @throws IOException if a call fails
     */
    @Benchmark
    public int udsDgramSendReceive_java() throws IOException {
        dgram.first().send(out.clear());
        return dgram.second().receive(in.clear());
    }

    /**
     * The C twin of {@link #udsDgramSendReceive_java}: sendmsg + recvmsg with jipc's flags.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long udsDgramSendReceive_c() throws Throwable {
        return CTwins.check(
                (long)
                        c.sockSendmsgRecvmsg.invokeExact(
                                dgram.first().fd(),
                                dgram.second().fd(),
                                outSeg,
                                inSeg,
                                (long) BATCH,
                                MSG_CMSG_CLOEXEC | MSG_TRUNC),
                "dgram");
    }

    /**
     * What a C program usually writes for {@link #udsDgramSendReceive_java}: send + recv.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long udsDgramSendRecv_c() throws Throwable {
        return CTwins.check(
                (long)
                        c.sockSendReceive.invokeExact(
                                dgram.first().fd(),
                                dgram.second().fd(),
                                outSeg,
                                inSeg,
                                (long) BATCH),
                "dgram send/recv");
    }

    /**
     * {@code send} of a 64-byte message then {@code receive} of it on a seqpacket pair.
     *
     * @return the bytes received
     * @throws IOException if a call fails
     */
    @Benchmark
    public int udsSeqpacketSendReceive_java() throws IOException {
        seqpacket.first().send(out.clear());
        return seqpacket.second().receive(in.clear());
    }

    /**
     * The C twin of {@link #udsSeqpacketSendReceive_java}.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long udsSeqpacketSendReceive_c() throws Throwable {
        return CTwins.check(
                (long)
                        c.sockSendmsgRecvmsg.invokeExact(
                                seqpacket.first().fd(),
                                seqpacket.second().fd(),
                                outSeg,
                                inSeg,
                                (long) BATCH,
                                MSG_CMSG_CLOEXEC | MSG_TRUNC),
                "seqpacket");
    }

    /**
     * {@code write} of 64 bytes then {@code read} of them on a stream pair.
     *
     * @return the bytes read
     * @throws IOException if a call fails
     */
    @Benchmark
    public int udsStreamWriteRead_java() throws IOException {
        stream.first().write(out.clear());
        return stream.second().read(in.clear());
    }

    /**
     * The C twin of {@link #udsStreamWriteRead_java}.
     *
     * @return 0
     * @throws Throwable if the downcall fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long udsStreamWriteRead_c() throws Throwable {
        return CTwins.check(
                (long)
                        c.sockSendmsgRecvmsg.invokeExact(
                                stream.first().fd(),
                                stream.second().fd(),
                                outSeg,
                                inSeg,
                                (long) BATCH,
                                MSG_CMSG_CLOEXEC),
                "stream");
    }
}
