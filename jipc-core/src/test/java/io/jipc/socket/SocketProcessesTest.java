package io.jipc.socket;

import static io.jipc.socket.UnixSocketTest.bytes;
import static io.jipc.socket.UnixSocketTest.receiveText;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.jipc.RawDescriptor;
import io.jipc.internal.linux.Sockets;
import io.jipc.pipe.Fifo;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.ReadEnd;
import io.jipc.pipe.WriteEnd;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Across processes: descriptor passing to C and Java peers, MSG_CTRUNC, peer credentials. */
class SocketProcessesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path dir;

    /** This process's pipe, socket and memfd descriptors: number -> target. */
    static Map<Integer, String> ipcDescriptors() throws IOException {
        Map<Integer, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : s.toList()) {
                try {
                    String t = Files.readSymbolicLink(p).toString();
                    if (t.startsWith("pipe:")
                            || t.startsWith("socket:")
                            || t.startsWith("/memfd:")) {
                        m.put(Integer.parseInt(p.getFileName().toString()), t);
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor
                }
            }
        }
        return m;
    }

    static String readText(ReadEnd r, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        r.readFully(b);
        return new String(b.array(), 0, b.position(), US_ASCII);
    }

    @Test
    void a_c_peer_uses_a_passed_pipe_fifo_socket_and_memfd_and_the_server_sees_its_pid()
            throws Exception {
        Path peer = Gcc.compileResource("c/uds_peer.c");
        Map<Integer, String> before = ipcDescriptors();
        Path path = dir.resolve("srv");
        try (UnixServerSocket srv =
                        UnixServerSocket.bind(SocketType.SEQPACKET, UnixAddress.of(path), 0600)
                                .acceptTimeout(WAIT);
                Processes.Child c =
                        Processes.start(List.of(peer.toString(), "use", path.toString()));
                UnixSocket conn = srv.accept().receiveTimeout(WAIT)) {
            PeerCredentials who = conn.peerCredentials();
            assertEquals(c.process().pid(), who.pid(), c.describe());
            assertEquals(io.jipc.Capabilities.effectiveUid(), who.uid());

            try (Pipe p = Pipe.open()) {
                conn.sendWithDescriptors(bytes("p"), p.sink());
                p.sink().close();
                assertEquals("p-ok", readText(p.source(), 4));
            }
            Fifo fifo = Fifo.create(dir.resolve("fifo"), 0600);
            try (ReadEnd r = fifo.openReaderNonBlocking();
                    WriteEnd w = fifo.openWriter()) {
                r.configureBlocking(true);
                conn.sendWithDescriptors(bytes("f"), w);
                assertEquals("f-ok", readText(r, 4));
            } finally {
                fifo.remove();
            }
            try (UnixSocket.Pair sp = UnixSocket.pair(SocketType.STREAM)) {
                conn.sendWithDescriptors(bytes("s"), sp.second());
                sp.second().close();
                assertEquals("s-ok", receiveText(sp.first(), 4));
            }
            int memfd = Sockets.memfd_create("jipc-test", Sockets.MFD_CLOEXEC);
            assertTrue(memfd >= 0);
            try (RawDescriptor m = new RawDescriptor(memfd)) {
                conn.sendWithDescriptors(bytes("m"), m);
                conn.send(bytes("q"));
                assertEquals("done", receiveText(conn, 8)); // the peer wrote into the memfd before
                try (FileChannel fc = FileChannel.open(Path.of("/proc/self/fd/" + m.fd()))) {
                    ByteBuffer b = ByteBuffer.allocate(8);
                    fc.read(b, 0);
                    assertEquals("m-ok", new String(b.array(), 0, b.position(), US_ASCII));
                }
            }
            c.await(WAIT).assertExit(0);
        }
        assertEquals(before, ipcDescriptors(), "every descriptor made or received was closed");
    }

    @Test
    void descriptors_that_do_not_fit_are_reported_and_none_leaks_and_those_that_fit_can_be_used()
            throws Exception {
        Path peer = Gcc.compileResource("c/uds_peer.c");
        UnixAddress name = UnixAddress.ofAbstract("jipc-test-" + java.util.UUID.randomUUID());
        String path = name.toString(); // "@jipc-test-...": the C peer connects to the abstract name
        try (UnixServerSocket srv =
                UnixServerSocket.bind(SocketType.SEQPACKET, name, 0600).acceptTimeout(WAIT)) {
            try (Processes.Child c = Processes.start(List.of(peer.toString(), "send3", path));
                    UnixSocket conn = srv.accept().receiveTimeout(WAIT)) {
                Map<Integer, String> before = ipcDescriptors();
                TruncatedMessageException e =
                        assertThrows(
                                TruncatedMessageException.class,
                                () -> conn.receive(ByteBuffer.allocate(8), 1));
                assertTrue(e.controlTruncated());
                assertTrue(e.getMessage().contains("MSG_CTRUNC"), e.getMessage());
                assertEquals(
                        before, ipcDescriptors(), "the one descriptor that fitted was closed too");
                conn.send(bytes("k"));
                c.await(WAIT).assertExit(0);
            }
            try (Processes.Child c = Processes.start(List.of(peer.toString(), "send3", path));
                    UnixSocket conn = srv.accept().receiveTimeout(WAIT)) {
                Map<Integer, String> before = ipcDescriptors();
                UnixSocket.Received r = conn.receive(ByteBuffer.allocate(8), 3);
                assertEquals(1, r.length());
                assertEquals(3, r.descriptors().size());
                // the C peer sent {read end, write end, dup of read end} of one pipe: use them
                try (WriteEnd w = WriteEnd.inherited(r.descriptors().get(1).release());
                        ReadEnd rd = ReadEnd.inherited(r.descriptors().get(2).release())) {
                    w.write(bytes("through"));
                    assertEquals("through", readText(rd, 7));
                }
                r.descriptors().get(0).close();
                assertEquals(before, ipcDescriptors());
                conn.send(bytes("k"));
                c.await(WAIT).assertExit(0);
            }
        }
    }

    @Test
    void
            a_child_jvm_connects_to_an_abstract_name_receives_a_pipe_end_and_its_pid_is_the_peer_credential()
                    throws Exception {
        UnixAddress name = UnixAddress.ofAbstract("jipc-test-" + java.util.UUID.randomUUID());
        try (UnixServerSocket srv =
                        UnixServerSocket.bind(SocketType.SEQPACKET, name, 0600)
                                .acceptTimeout(WAIT);
                Processes.Child c = ChildJvm.start(SocketChild.class, name.toString());
                UnixSocket conn = srv.accept().receiveTimeout(WAIT);
                Pipe p = Pipe.open()) {
            conn.sendWithDescriptors(bytes("w"), p.sink());
            p.sink().close();
            assertEquals("jvm-ok", readText(p.source(), 6));
            String pid = receiveText(conn, 32);
            assertEquals(Long.toString(c.process().pid()), pid);
            assertEquals(c.process().pid(), conn.peerCredentials().pid());
            c.await(WAIT).assertExit(0);
        }
    }

    @Test
    void the_pid_of_a_jdk_socket_channels_peer_is_found_among_other_unix_sockets()
            throws Exception {
        Path peer = Gcc.compileResource("c/uds_peer.c");
        Path path = dir.resolve("jdk");
        try (ServerSocketChannel server =
                        ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                                .bind(UnixDomainSocketAddress.of(path));
                SocketChannel self = SocketChannel.open(UnixDomainSocketAddress.of(path));
                SocketChannel selfAccepted = server.accept();
                UnixSocket.Pair decoy = UnixSocket.pair(SocketType.STREAM);
                Processes.Child c =
                        Processes.start(List.of(peer.toString(), "stream", path.toString()));
                SocketChannel fromC = server.accept()) {
            assertEquals(
                    SocketType.STREAM,
                    decoy.first().type()); // another AF_UNIX socket in the fd table
            int rcvbuf = fromC.getOption(StandardSocketOptions.SO_RCVBUF);
            assertEquals(c.process().pid(), PeerCredentials.of(fromC).pid(), c.describe());
            assertEquals(ProcessHandle.current().pid(), PeerCredentials.of(selfAccepted).pid());
            assertEquals(ProcessHandle.current().pid(), PeerCredentials.of(self).pid());
            assertEquals(
                    rcvbuf,
                    fromC.getOption(StandardSocketOptions.SO_RCVBUF),
                    "the buffer size is restored");
            ByteBuffer hi = ByteBuffer.allocate(2);
            while (hi.hasRemaining() && fromC.read(hi) >= 0) {
                // the C peer's greeting
            }
            assertEquals("hi", new String(hi.array(), US_ASCII));
            fromC.shutdownOutput();
            c.await(WAIT).assertExit(0);
        }
    }
}
