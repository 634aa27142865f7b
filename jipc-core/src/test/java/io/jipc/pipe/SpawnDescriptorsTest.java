package io.jipc.pipe;

import static io.jipc.pipe.PipeTest.await;
import static io.jipc.pipe.SpawnTest.descriptors;
import static io.jipc.pipe.SpawnTest.settled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.jipc.socket.SocketType;
import io.jipc.socket.UnixAddress;
import io.jipc.socket.UnixServerSocket;
import io.jipc.socket.UnixSocket;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Spawn of every kind of descriptor: jipc's own and the JDK's channels, each arriving in the child
 * as the same socket or file (proved by using it there, from C and from a child JVM that adopts it
 * as the right type), nothing else arriving, and bad input refused without a leak.
 */
class SpawnDescriptorsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir Path dir;

    /**
     * How many descriptors this process has open. The JDK's NIO opens a few for good on first use
     * (a socketpair end it dup2s onto descriptors it closes asynchronously): a channel is opened
     * and closed first so that they are counted before.
     */
    static int openDescriptors() throws IOException {
        try (DatagramChannel warmUp = DatagramChannel.open();
                ServerSocketChannel more = ServerSocketChannel.open()) {
            assertTrue(warmUp.isOpen() && more.isOpen());
        }
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    static ServerSocketChannel tcpServer() throws IOException {
        return ServerSocketChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    static int port(java.nio.channels.NetworkChannel c) throws IOException {
        return ((InetSocketAddress) c.getLocalAddress()).getPort();
    }

    /** Reads until end of stream, waiting at most {@link #WAIT} for each read. */
    static String readAll(SocketChannel c) throws IOException {
        c.socket().setSoTimeout((int) WAIT.toMillis());
        try (InputStream in = c.socket().getInputStream()) {
            return new String(in.readAllBytes(), US_ASCII);
        }
    }

    static String receive(UnixSocket s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        s.receive(b);
        return new String(b.array(), 0, b.position(), US_ASCII);
    }

    static String receive(DatagramChannel d) throws IOException {
        d.socket().setSoTimeout((int) WAIT.toMillis());
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[64], 64);
        d.socket().receive(p);
        return new String(p.getData(), 0, p.getLength(), US_ASCII);
    }

    @Test
    void
            jdk_channels_and_jipc_sockets_reach_a_c_child_as_the_same_sockets_and_files_and_nothing_else_does()
                    throws Exception {
        Path peer = Gcc.compileResource("c/spawn_peer.c");
        Path file = dir.resolve("file");
        Files.writeString(file, "0123456789");
        UnixAddress udsAddress = UnixAddress.of(dir.resolve("uds"));
        int before = openDescriptors();
        try (ServerSocketChannel tcp = tcpServer();
                SocketChannel tcpClient = SocketChannel.open(tcp.getLocalAddress());
                SocketChannel tcpAccepted = tcp.accept();
                DatagramChannel udp =
                        DatagramChannel.open(StandardProtocolFamily.INET)
                                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DatagramChannel udpPeer =
                        DatagramChannel.open(StandardProtocolFamily.INET)
                                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ServerSocketChannel jdkUds =
                        ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                                .bind(UnixDomainSocketAddress.of(dir.resolve("jdk-uds")));
                SocketChannel jdkUdsClient = SocketChannel.open(jdkUds.getLocalAddress());
                SocketChannel jdkUdsAccepted = jdkUds.accept();
                FileChannel fileChannel =
                        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                UnixSocket.Pair pair = UnixSocket.pair(SocketType.SEQPACKET);
                UnixServerSocket udsServer =
                        UnixServerSocket.bind(SocketType.STREAM, udsAddress, 0600);
                Pipe pipe = Pipe.open()) {
            udp.connect(udpPeer.getLocalAddress());
            fileChannel.position(4);
            boolean reuse = tcp.getOption(StandardSocketOptions.SO_REUSEADDR);
            int udsBuffer = jdkUdsAccepted.getOption(StandardSocketOptions.SO_RCVBUF);
            int during = openDescriptors();

            // 1. A C child that only sleeps: exactly these descriptors, each the same socket/pipe.
            Child sleeper =
                    Spawn.of("sleep", "60")
                            .inheritStdio(false)
                            .fd(3, tcp)
                            .fd(4, tcpAccepted)
                            .fd(5, udp)
                            .fd(6, jdkUdsAccepted)
                            .fd(7, fileChannel)
                            .fd(8, pair.second())
                            .fd(9, udsServer)
                            .fd(10, pipe.sink())
                            .fd(11, pair.second())
                            .start();
            try {
                settled(sleeper);
                Map<Integer, String> fds = descriptors(sleeper.pid());
                assertEquals(Set.of(3, 4, 5, 6, 7, 8, 9, 10, 11), fds.keySet(), fds.toString());
                assertEquals(file.toRealPath().toString(), fds.get(7));
                assertEquals(SpawnTest.self(pipe.sink()), fds.get(10));
                assertEquals(
                        Files.readSymbolicLink(Path.of("/proc/self/fd/" + pair.second().fd()))
                                .toString(),
                        fds.get(8));
                assertEquals(fds.get(8), fds.get(11), "one descriptor at two numbers");
                assertEquals(
                        Files.readSymbolicLink(Path.of("/proc/self/fd/" + udsServer.fd()))
                                .toString(),
                        fds.get(9));
                assertEquals(
                        during,
                        openDescriptors(),
                        "the duplicates made to find the JDK's descriptors are closed");
            } finally {
                sleeper.destroyForcibly();
                await(sleeper);
            }
            assertEquals(
                    reuse,
                    tcp.getOption(StandardSocketOptions.SO_REUSEADDR),
                    "SO_REUSEADDR restored");
            assertEquals(
                    udsBuffer,
                    jdkUdsAccepted.getOption(StandardSocketOptions.SO_RCVBUF),
                    "SO_RCVBUF restored");
            assertEquals(4, fileChannel.position(), "the position restored");

            // 2. A C child that uses each one: the parent's channels see what it did.
            Child user =
                    Spawn.of(
                                    peer.toString(),
                                    "type:3",
                                    "accept:3:tcp-ok",
                                    "write:4:stream-ok",
                                    "send:5:udp-ok",
                                    "write:6:uds-stream-ok",
                                    "write:7:file-ok",
                                    "send:8:pair-ok",
                                    "type:9",
                                    "accept:9:srv-ok",
                                    "write:10:pipe-ok")
                            .fd(3, tcp)
                            .fd(4, tcpAccepted)
                            .fd(5, udp)
                            .fd(6, jdkUdsAccepted)
                            .fd(7, fileChannel)
                            .fd(8, pair.second())
                            .fd(9, udsServer)
                            .fd(10, pipe.sink())
                            .stdout(pipe.sink())
                            .start();
            try (SocketChannel c = SocketChannel.open(tcp.getLocalAddress());
                    UnixSocket u = UnixSocket.connect(SocketType.STREAM, udsAddress)) {
                assertEquals("tcp-ok", readAll(c));
                u.receiveTimeout(WAIT);
                assertEquals("srv-ok", receive(u));
            }
            assertTrue(await(user).success(), user.toString());
            pipe.sink().close();
            String out = new String(PipeTest.drain(pipe.source(), WAIT), US_ASCII);
            assertTrue(
                    out.contains("3 type=1 listening=1 family=2\n"), out); // SOCK_STREAM, AF_INET
            assertTrue(out.contains("9 type=1 listening=1 family=1\n"), out); // AF_UNIX
            assertTrue(out.contains("pipe-ok"), out);
            tcpClient.shutdownOutput();
            byte[] stream = new byte[9];
            tcpClient.socket().setSoTimeout((int) WAIT.toMillis());
            assertEquals(9, tcpClient.socket().getInputStream().readNBytes(stream, 0, 9));
            assertEquals("stream-ok", new String(stream, US_ASCII));
            assertEquals("udp-ok", receive(udpPeer));
            byte[] uds = new byte[13];
            ByteBuffer ub = ByteBuffer.wrap(uds);
            while (ub.hasRemaining() && jdkUdsClient.read(ub) >= 0) {
                // the child wrote 13 bytes and exited
            }
            assertEquals("uds-stream-ok", new String(uds, US_ASCII));
            assertEquals(
                    "0123file-ok",
                    Files.readString(file),
                    "the child wrote at the shared position");
            pair.first().receiveTimeout(WAIT);
            assertEquals("pair-ok", receive(pair.first()));
        }
        assertEquals(before, openDescriptors(), "every descriptor made for the test is closed");
    }

    @Test
    @SuppressWarnings("try") // closes this process's copies early, as a real parent would
    void
            a_child_jvm_adopts_each_descriptor_as_its_type_and_gets_a_listening_channel_on_fd_0_as_inherited_channel()
                    throws Exception {
        UnixAddress serverAddress =
                UnixAddress.ofAbstract("jipc-spawn-" + java.util.UUID.randomUUID());
        Path out = dir.resolve("child.out");
        Path file = dir.resolve("raw");
        Files.writeString(file, "......");
        List<String> cmd =
                ChildJvm.command(InheritingChild.class, "all", "PORT", serverAddress.toString());
        try (ServerSocketChannel tcp = tcpServer();
                UnixSocket.Pair pair = UnixSocket.pair(SocketType.SEQPACKET);
                UnixServerSocket server =
                        UnixServerSocket.bind(SocketType.STREAM, serverAddress, 0600);
                Pipe pipe = Pipe.open();
                FileChannel log =
                        FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileChannel raw =
                        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            cmd.set(cmd.indexOf("PORT"), Integer.toString(port(tcp)));
            Child c =
                    Spawn.of(cmd)
                            .stdin(tcp)
                            .stdout(log)
                            .stderr(log)
                            .fd(3, pair.second())
                            .fd(4, server)
                            .fd(5, pipe.sink())
                            .fd(6, raw)
                            .start();
            // the child holds them now: drop this process's copies, as a real parent would
            tcp.close();
            pair.second().close();
            server.close();
            pipe.sink().close();
            try {
                try (SocketChannel s =
                        SocketChannel.open(
                                new InetSocketAddress(
                                        InetAddress.getLoopbackAddress(),
                                        Integer.parseInt(cmd.get(cmd.size() - 2))))) {
                    assertEquals("inetd-ok", readAll(s));
                }
                pair.first().receiveTimeout(WAIT);
                assertEquals("uds-ok", receive(pair.first()));
                try (UnixSocket s = UnixSocket.connect(SocketType.STREAM, serverAddress)) {
                    s.receiveTimeout(WAIT);
                    assertEquals("srv-ok", receive(s));
                }
                assertEquals("pipe-ok", new String(PipeTest.drain(pipe.source(), WAIT), US_ASCII));
                assertTrue(await(c).success(), Files.readString(out));
            } finally {
                c.destroyForcibly();
                await(c);
            }
            assertEquals("raw-ok", Files.readString(file));
        }
    }

    @Test
    void a_jipc_listening_socket_on_fd_0_is_a_unix_domain_inherited_channel_in_a_child_jvm()
            throws Exception {
        Path path = dir.resolve("inetd.sock");
        Path out = dir.resolve("child.out");
        try (UnixServerSocket server =
                        UnixServerSocket.bind(SocketType.STREAM, UnixAddress.of(path), 0600);
                FileChannel log =
                        FileChannel.open(
                                out, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            Child c =
                    Spawn.of(ChildJvm.command(InheritingChild.class, "uds-inetd", path.toString()))
                            .stdin(server)
                            .stdout(log)
                            .stderr(log)
                            .start();
            try (UnixSocket s = UnixSocket.connect(SocketType.STREAM, UnixAddress.of(path))) {
                s.receiveTimeout(WAIT);
                assertEquals("inetd-uds-ok", receive(s));
                assertTrue(await(c).success(), Files.readString(out));
            } finally {
                c.destroyForcibly();
                await(c);
            }
            server.remove();
        }
    }

    @Test
    void bad_input_is_refused_with_a_clear_exception_and_nothing_leaks() throws Exception {
        int before = openDescriptors();
        try (Pipe p = Pipe.open();
                ServerSocketChannel tcp = tcpServer()) {
            IllegalArgumentException negative =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Spawn.of("true").fd(-1, p.source()));
            assertTrue(negative.getMessage().contains("target=-1"), negative.getMessage());
            IllegalArgumentException twice =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Spawn.of("true").fd(3, p.source()).fd(3, tcp));
            assertTrue(
                    twice.getMessage().contains("target=3 is given already"), twice.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Spawn.of("true").stdin(p.source()).fd(0, p.sink()));

            // closed before it is given
            Pipe closed = Pipe.open();
            closed.close();
            IllegalArgumentException c1 =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Spawn.of("true").stdin(closed.source()));
            assertTrue(c1.getMessage().contains("closed"), c1.getMessage());
            SocketChannel closedChannel = SocketChannel.open();
            closedChannel.close();
            assertThrows(
                    IllegalArgumentException.class, () -> Spawn.of("true").fd(3, closedChannel));

            // closed after it was given, before start: no child, nothing held
            Pipe late = Pipe.open();
            Spawn s = Spawn.of("true").fd(3, tcp).fd(4, late.sink()).fd(5, p.source());
            late.close();
            IllegalArgumentException c2 = assertThrows(IllegalArgumentException.class, s::start);
            assertTrue(
                    c2.getMessage().contains("target=4")
                            && c2.getMessage().contains("closed before start"),
                    c2.getMessage());
            ServerSocketChannel lateChannel = tcpServer();
            Spawn t = Spawn.of("true").fd(3, p.source()).fd(4, lateChannel);
            lateChannel.close();
            assertThrows(IllegalArgumentException.class, t::start);
            assertTrue(p.source().isOpen(), "the descriptors of a failed start stay usable");

            // a FileChannel of a file that cannot seek
            Fifo fifo = Fifo.create(dir.resolve("fifo"), 0600);
            try (ReadEnd r = fifo.openReaderNonBlocking();
                    FileChannel w = FileChannel.open(fifo.path(), StandardOpenOption.WRITE)) {
                IllegalArgumentException seek =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> Spawn.of("true").stdout(w).start());
                assertTrue(seek.getMessage().contains("cannot seek"), seek.getMessage());
                assertTrue(r.isOpen());
            } finally {
                fifo.remove();
            }
            // a FileChannel of a character device that keeps no position is found all the same
            // (nothing is moved to find it); read and write, which nothing else here has open
            try (FileChannel devNull =
                    FileChannel.open(
                            Path.of("/dev/null"),
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE)) {
                assertTrue(
                        await(Spawn.of("sh", "-c", "echo gone").stdout(devNull).start()).success());
            }
            // one descriptor at two numbers is fine
            Child ok =
                    Spawn.of("true")
                            .fd(3, p.source())
                            .fd(4, p.source())
                            .fd(5, tcp)
                            .fd(6, tcp)
                            .start();
            assertTrue(await(ok).success());
        }
        assertEquals(before, openDescriptors(), "nothing leaked");
    }

    @Test
    @SuppressWarnings("try") // closes this process's copies early, as a real parent would
    void a_connection_queued_before_the_child_accepts_is_served_by_the_child() throws Exception {
        // one listening socket, one accept queue, shared by this process and the child
        Path peer = Gcc.compileResource("c/spawn_peer.c");
        try (ServerSocketChannel tcp = tcpServer();
                SocketChannel early = SocketChannel.open(tcp.getLocalAddress())) {
            Child c = Spawn.of(peer.toString(), "accept:0:queued-ok").stdin(tcp).start();
            tcp.close();
            assertEquals("queued-ok", readAll(early));
            assertTrue(await(c).success());
        }
    }
}
