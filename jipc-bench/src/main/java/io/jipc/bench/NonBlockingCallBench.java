package io.jipc.bench;

import io.jipc.IpcException;
import io.jipc.pipe.Pipe;
import io.jipc.sysv.SemOp;
import io.jipc.sysv.SemaphoreSet;
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
 * Per-call cost of non-blocking calls that find nothing to do: {@code semop(-1, IPC_NOWAIT)} on a
 * semaphore at 0 ({@link SemaphoreSet#tryOp}, EAGAIN) and a read on an empty non-blocking pipe
 * (EAGAIN). The queue's {@code tryReceive} on an empty queue and {@code trySend} are in
 * {@link MessageQueueBench}. The C cost of the same calls is printed by {@code src/main/c/mq_bench.c}.
 *
 * <p>Run like {@link MessageQueueBench}, with {@code NonBlockingCallBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class NonBlockingCallBench {
    private SemaphoreSet set;
    private SemOp down;
    private Pipe pipe;
    private final ByteBuffer in = ByteBuffer.allocateDirect(64);

    /** Creates the benchmark state (JMH does). */
    public NonBlockingCallBench() {
    }

    /**
     * Creates a private semaphore set at 0 and a pipe whose read end does not block.
     *
     * @throws IOException if one cannot be created
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        set = SemaphoreSet.createPrivate(0600, 1, 0);
        down = SemOp.down(0);
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
    }

    /**
     * Removes what setUp made.
     *
     * @throws IpcException if removal fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IpcException {
        set.remove();
        pipe.close();
    }

    /**
     * {@code semop(-1, IPC_NOWAIT)} on a semaphore at 0: returns false (EAGAIN).
     *
     * @return false
     * @throws IpcException if the call fails otherwise
     */
    @Benchmark
    public boolean semTryDownOnZero() throws IpcException {
        return set.tryOp(down);
    }

    /**
     * A read on an empty non-blocking pipe: returns 0 (EAGAIN).
     *
     * @return 0
     * @throws IOException if the call fails otherwise
     */
    @Benchmark
    public int pipeReadEmpty() throws IOException {
        in.clear();
        return pipe.source().read(in);
    }
}
