package io.jipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@link JdkChannels} when the channel fails under it: the duplicate it made to check is closed,
 * and a failure to restore the option neither leaks the duplicate nor hides the first failure.
 */
class JdkChannelsTest {
    /**
     * A real TCP channel whose {@code setOption} fails on the n-th call (1-based), closing the
     * channel first if asked.
     */
    private static final class Failing implements NetworkChannel {
        private final ServerSocketChannel real;
        private final int failAt;
        private final boolean close;
        private int sets;

        Failing(ServerSocketChannel real, int failAt, boolean close) {
            this.real = real;
            this.failAt = failAt;
            this.close = close;
        }

        @Override
        public <T> NetworkChannel setOption(SocketOption<T> name, T value) throws IOException {
            if (++sets >= failAt) {
                if (close) {
                    real.close();
                    throw new ClosedChannelException();
                }
                throw new IOException("set #" + sets + " refused");
            }
            real.setOption(name, value);
            return this;
        }

        @Override
        public NetworkChannel bind(SocketAddress local) throws IOException {
            real.bind(local);
            return this;
        }

        @Override
        public SocketAddress getLocalAddress() throws IOException {
            return real.getLocalAddress();
        }

        @Override
        public <T> T getOption(SocketOption<T> name) throws IOException {
            return real.getOption(name);
        }

        @Override
        public Set<SocketOption<?>> supportedOptions() {
            return real.supportedOptions();
        }

        @Override
        public boolean isOpen() {
            return real.isOpen();
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }

    private static ServerSocketChannel tcp() throws IOException {
        return ServerSocketChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** The descriptors open now (NIO's own first-use descriptors opened beforehand). */
    private static int openDescriptors() throws IOException {
        try (DatagramChannel warmUp = DatagramChannel.open();
                ServerSocketChannel more = ServerSocketChannel.open()) {
            assertTrue(warmUp.isOpen() && more.isOpen());
        }
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    @Test
    void the_checking_duplicate_is_closed_when_the_channel_closes_while_it_is_checked()
            throws Exception {
        int before = openDescriptors();
        ServerSocketChannel real = tcp();
        // sets 1 and 2 single out the socket, 3 and 4 check the duplicate: close at 3
        ClosedChannelException e =
                assertThrows(
                        ClosedChannelException.class,
                        () -> JdkChannels.duplicate(new Failing(real, 3, true)));
        assertTrue(e.getSuppressed().length == 0, "restore skips a closed channel");
        assertEquals(before, openDescriptors(), "the channel is closed and no duplicate is left");
    }

    @Test
    void a_failed_restore_closes_the_duplicate_found_and_is_thrown() throws Exception {
        int before = openDescriptors();
        try (ServerSocketChannel real = tcp()) {
            boolean original = real.getOption(StandardSocketOptions.SO_REUSEADDR);
            // sets 1 to 4 find and check the socket, set 5 restores
            IOException e =
                    assertThrows(
                            IOException.class,
                            () -> JdkChannels.duplicate(new Failing(real, 5, false)));
            assertEquals("set #5 refused", e.getMessage());
            assertEquals(
                    before + 1,
                    openDescriptors(),
                    "only the channel is open: the duplicate found is closed");
            assertEquals(
                    original,
                    real.getOption(StandardSocketOptions.SO_REUSEADDR),
                    "round 3 set it back");
        }
    }

    @Test
    void a_failed_restore_after_a_failure_is_suppressed_by_it() throws Exception {
        int before = openDescriptors();
        try (ServerSocketChannel real = tcp()) {
            // set 2 fails (a round), and so does every later set, the restore included
            IOException e =
                    assertThrows(
                            IOException.class,
                            () -> JdkChannels.duplicate(new Failing(real, 2, false)));
            assertEquals("set #2 refused", e.getMessage());
            assertEquals(1, e.getSuppressed().length);
            assertEquals("set #3 refused", e.getSuppressed()[0].getMessage());
            assertEquals(before + 1, openDescriptors());
        }
    }
}
