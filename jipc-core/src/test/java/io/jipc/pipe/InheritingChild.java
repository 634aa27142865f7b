package io.jipc.pipe;

import io.jipc.RawDescriptor;
import io.jipc.socket.UnixServerSocket;
import io.jipc.socket.UnixSocket;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Child JVM for {@link SpawnDescriptorsTest}: adopts what its parent gave it, as the right type,
 * and proves each works by answering through it.
 *
 * <ul>
 *   <li>{@code all PORT ADDRESS}: fd 0 is a listening TCP socket on PORT, read through {@link
 *       System#inheritedChannel()}; fd 3 a seqpacket {@link UnixSocket}; fd 4 a listening {@link
 *       UnixServerSocket} at ADDRESS; fd 5 a pipe's write end; fd 6 a file, adopted as a {@link
 *       RawDescriptor}. Each answers "...-ok".
 *   <li>{@code uds-inetd PATH}: fd 0 is a listening Unix-domain socket at PATH, read through {@link
 *       System#inheritedChannel()}; answers "inetd-uds-ok".
 * </ul>
 *
 * Exit code 0 when all went well; a failure's stack trace goes to stderr.
 */
public final class InheritingChild {
    private InheritingChild() {}

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    /** A call that may throw. */
    private interface Call {
        void run() throws Exception;
    }

    private static void wrongTypeRefused(Call c, String what) throws Exception {
        try {
            c.run();
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError(what + " was not refused");
    }

    /**
     * Entry point.
     *
     * @param args the mode and its arguments
     * @throws Exception on failure (exit code 1)
     */
    public static void main(String[] args) throws Exception {
        Channel inherited = System.inheritedChannel();
        check(inherited instanceof ServerSocketChannel, "System.inheritedChannel() = " + inherited);
        ServerSocketChannel inetd = (ServerSocketChannel) inherited;
        if (args[0].equals("uds-inetd")) {
            check(
                    inetd.getLocalAddress() instanceof UnixDomainSocketAddress u
                            && u.getPath().equals(Path.of(args[1])),
                    "inherited address " + inetd.getLocalAddress());
            try (SocketChannel c = inetd.accept()) {
                c.write(text("inetd-uds-ok"));
            }
            return;
        }
        check(
                ((InetSocketAddress) inetd.getLocalAddress()).getPort()
                        == Integer.parseInt(args[1]),
                "inherited address " + inetd.getLocalAddress());
        try (SocketChannel c = inetd.accept()) {
            c.write(text("inetd-ok"));
        }
        wrongTypeRefused(() -> UnixSocket.inherited(4), "a listening socket adopted as UnixSocket");
        wrongTypeRefused(
                () -> UnixServerSocket.inherited(3),
                "a connected socket adopted as UnixServerSocket");
        try (UnixSocket s = UnixSocket.inherited(3)) {
            s.send(text("uds-ok"));
        }
        try (UnixServerSocket server = UnixServerSocket.inherited(4)) {
            check(
                    server.address().toString().equals(args[2]),
                    "inherited server address " + server.address());
            try (UnixSocket c = server.accept()) {
                c.send(text("srv-ok"));
            }
        }
        try (WriteEnd w = WriteEnd.inherited(5)) {
            w.write(text("pipe-ok"));
        }
        try (RawDescriptor d = new RawDescriptor(6);
                FileChannel f =
                        FileChannel.open(
                                Path.of("/proc/self/fd/" + d.fd()), StandardOpenOption.WRITE)) {
            f.write(text("raw-ok"), 0);
        }
    }
}
