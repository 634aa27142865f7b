package io.jipc.bench;

import io.jipc.IpcException;
import io.jipc.pipe.Pipe;
import io.jipc.sysv.Message;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.SemOp;
import io.jipc.sysv.SemaphoreSet;
import io.jipc.sysv.Select;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fast path of the <em>blocking</em> calls when they need not wait: what the interruptible,
 * timed, virtual-thread-safe mechanism ({@code io.jipc.internal.linux.Blocking}) costs in the
 * common case. Each operation is a call that gives and one that takes (two system calls), on a
 * platform thread: {@code send} + {@code receive} on a private queue, {@code op(up)} +
 * {@code op(down)} on a private semaphore, a 64-byte pipe write + read.
 *
 * <p>Run like {@link MessageQueueBench}, with {@code BlockingFastPathBench}; to compare with an
 * older core, put its classes first on the class path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class BlockingFastPathBench {
    private MessageQueue queue;
    private SemaphoreSet set;
    private Pipe pipe;
    private final byte[] body = new byte[64];
    private final ByteBuffer out = ByteBuffer.allocateDirect(64);
    private final ByteBuffer in = ByteBuffer.allocateDirect(64);

    /** Creates the benchmark state (JMH does). */
    public BlockingFastPathBench() {
    }

    /**
     * Creates the private queue, semaphore set and pipe.
     *
     * @throws IOException if one cannot be created
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        queue = MessageQueue.createPrivate(0600);
        set = SemaphoreSet.createPrivate(0600, 1);
        pipe = Pipe.open();
    }

    /**
     * Removes what setUp made.
     *
     * @throws IpcException if removal fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IpcException {
        queue.remove();
        set.remove();
        pipe.close();
    }

    /**
     * Blocking send then blocking receive of a message that is there.
     *
     * @return the message
     * @throws IpcException if a call fails
     */
    @Benchmark
    public Message sendReceive() throws IpcException {
        queue.send(1, body);
        return queue.receive(Select.any(), 64);
    }

    /**
     * Blocking op(up) then op(down), which never waits.
     *
     * @return true
     * @throws IpcException if a call fails
     */
    @Benchmark
    public boolean semUpDown() throws IpcException {
        set.op(SemOp.up(0));
        return set.op(SemOp.down(0));
    }

    /**
     * A 64-byte write then a blocking read of the bytes that are there.
     *
     * @return the bytes read
     * @throws IOException if a call fails
     */
    @Benchmark
    public int pipeWriteRead() throws IOException {
        out.clear();
        pipe.sink().write(out);
        in.clear();
        return pipe.source().read(in);
    }
}
