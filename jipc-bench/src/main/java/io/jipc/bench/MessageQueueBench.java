package io.jipc.bench;

import io.jipc.IpcException;
import io.jipc.sysv.Message;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.Oversize;
import io.jipc.sysv.Select;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-call cost of {@link MessageQueue#trySend} + a non-blocking receive on one private queue
 * in one thread: the same loop as {@code src/main/c/mq_bench.c} ({@code msgsnd(IPC_NOWAIT)} then
 * {@code msgrcv(IPC_NOWAIT)}), so the difference is what jipc adds to two system calls. Each
 * operation is one send and one receive (two calls).
 *
 * <p>Run (inside a private IPC namespace, so a killed run leaves no queue behind):
 * <pre>
 * mvn -q -B package -DskipTests -pl jipc-bench -am
 * unshare --ipc JDK25/bin/java -cp 'jipc-bench/target/classes:jipc-bench/target/lib/*' \
 *     org.openjdk.jmh.Main MessageQueueBench -f 1 -wi 3 -i 5 [-prof gc]
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class MessageQueueBench {
    /** Body size in bytes. */
    @Param({"64"})
    public int size;

    private MessageQueue queue;
    private byte[] body;
    private ByteBuffer into;

    /** Creates the benchmark state (JMH does). */
    public MessageQueueBench() {
    }

    /**
     * Creates the private queue.
     *
     * @throws IpcException if it cannot be created
     */
    @Setup(Level.Trial)
    public void setUp() throws IpcException {
        queue = MessageQueue.createPrivate(0600);
        body = new byte[size];
        into = ByteBuffer.allocate(size);
    }

    /**
     * Removes the queue.
     *
     * @throws IpcException if it cannot be removed
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IpcException {
        queue.remove();
    }

    /**
     * trySend then tryReceiveInto a reused buffer: the allocation-free pair.
     *
     * @return the type received
     * @throws IpcException if a call fails
     */
    @Benchmark
    public long trySendTryReceiveInto() throws IpcException {
        if (!queue.trySend(1, body)) {
            throw new IllegalStateException("queue full");
        }
        into.clear();
        return queue.tryReceiveInto(Select.any(), into, Oversize.FAIL);
    }

    /**
     * trySend then tryReceive returning a new {@link Message} (allocates the body and the message).
     *
     * @return the message received
     * @throws IpcException if a call fails
     */
    @Benchmark
    public Optional<Message> trySendTryReceive() throws IpcException {
        if (!queue.trySend(1, body)) {
            throw new IllegalStateException("queue full");
        }
        return queue.tryReceive(Select.any(), size);
    }

    /**
     * tryReceive on an empty queue: one failing call (ENOMSG), jipc's cheapest path into the kernel.
     *
     * @return the type received (always 0: nothing)
     * @throws IpcException if the call fails
     */
    @Benchmark
    public long tryReceiveEmpty() throws IpcException {
        into.clear();
        return queue.tryReceiveInto(Select.any(), into, Oversize.FAIL);
    }
}
