package io.jipc.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Blocking socket calls end on interrupt like JDK channels, keep SO_RCVTIMEO, and do not pin
 * virtual threads.
 */
class SocketBlockingTest {

    private static CompletableFuture<Throwable> start(Thread.Builder builder, Call call) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t =
                builder.start(
                        () -> {
                            try {
                                call.run();
                                outcome.complete(null);
                            } catch (Throwable e) {
                                outcome.complete(
                                        !(e instanceof ClosedByInterruptException)
                                                        || Thread.currentThread().isInterrupted()
                                                ? e
                                                : new AssertionError("status lost", e));
                            }
                        });
        THREAD.set(t);
        return outcome;
    }

    private static final ThreadLocal<Thread> THREAD = new ThreadLocal<>();

    interface Call {
        void run() throws Exception;
    }

    private static void interruptReceive(Thread.Builder builder) throws Exception {
        var pair = UnixSocket.pair(SocketType.STREAM);
        try (UnixSocket a = pair.first();
                UnixSocket b = pair.second()) {
            CompletableFuture<Throwable> outcome =
                    start(builder, () -> a.receive(ByteBuffer.allocate(16)));
            // on a virtual thread the receive runs on a helper platform thread: await any thread on
            // a's fd
            io.jipc.testkit.ThreadStates.awaitAnyBlockedOn(ProcessHandle.current().pid(), a.fd());
            THREAD.get().interrupt();
            assertInstanceOf(ClosedByInterruptException.class, outcome.get(10, TimeUnit.SECONDS));
            assertFalse(a.isOpen(), "the socket is closed, as a JDK channel is");
            assertTrue(b.isOpen());
        }
    }

    @Test
    void interrupt_of_a_receive_on_a_platform_thread_closes_the_socket() throws Exception {
        interruptReceive(Thread.ofPlatform());
    }

    @Test
    void interrupt_of_a_receive_on_a_virtual_thread_closes_the_socket() throws Exception {
        interruptReceive(Thread.ofVirtual());
    }

    @Test
    void so_rcvtimeo_still_bounds_a_receive_on_a_virtual_thread() throws Exception {
        var pair = UnixSocket.pair(SocketType.DATAGRAM);
        try (UnixSocket a = pair.first();
                UnixSocket b = pair.second()) {
            a.receiveTimeout(Duration.ofMillis(200));
            CompletableFuture<Throwable> outcome =
                    start(Thread.ofVirtual(), () -> a.receive(ByteBuffer.allocate(16)));
            assertInstanceOf(SocketTimeoutException.class, outcome.get(10, TimeUnit.SECONDS));
            b.send(ByteBuffer.wrap(new byte[] {7}));
            assertEquals(1, a.receive(ByteBuffer.allocate(16)));
        }
    }
}
