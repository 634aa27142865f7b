package io.jipc.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.NotFoundException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

/** One process: socketpairs, boundaries, truncation, names, modes, errors, stale reclaim. */
class UnixSocketTest {
    @TempDir Path dir;

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(US_ASCII));
    }

    static String text(ByteBuffer b) {
        b.flip();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, US_ASCII);
    }

    static String receiveText(UnixSocket s, int cap) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(cap);
        s.receive(b);
        return text(b);
    }

    @Test
    void a_stream_pair_moves_bytes_both_ways_and_reports_end_of_stream() throws Exception {
        try (UnixSocket.Pair p = UnixSocket.pair(SocketType.STREAM)) {
            assertEquals(SocketType.STREAM, p.first().type());
            p.first().write(bytes("abc"));
            p.second().write(bytes("xy"));
            assertEquals("abc", receiveText(p.second(), 16));
            assertEquals("xy", receiveText(p.first(), 16));
            p.first().shutdownOutput();
            assertEquals(-1, p.second().read(ByteBuffer.allocate(4)));
            assertEquals(UnixAddress.UNNAMED, p.first().localAddress());
        }
    }

    @Test
    void message_pairs_keep_boundaries_including_empty_messages() throws Exception {
        for (SocketType t : new SocketType[] {SocketType.DATAGRAM, SocketType.SEQPACKET}) {
            try (UnixSocket.Pair p = UnixSocket.pair(t)) {
                byte[] big = new byte[3000];
                Arrays.fill(big, (byte) 7);
                p.first().send(bytes("one"));
                p.first().send(ByteBuffer.wrap(big));
                p.first().send(ByteBuffer.allocate(0));
                p.first().send(ByteBuffer.allocateDirect(2).put((byte) 1).put((byte) 2).flip());
                assertEquals("one", receiveText(p.second(), 8192), t.toString());
                ByteBuffer b = ByteBuffer.allocateDirect(8192);
                assertEquals(3000, p.second().receive(b));
                assertEquals(3000, b.position());
                assertEquals(0, p.second().receive(ByteBuffer.allocate(10)));
                ByteBuffer two = ByteBuffer.allocate(10);
                assertEquals(2, p.second().receive(two));
                assertEquals(2, two.get(1));
            }
        }
    }

    @Test
    void a_message_larger_than_the_buffer_is_reported_with_its_real_length_and_the_next_is_intact()
            throws Exception {
        for (SocketType t : new SocketType[] {SocketType.DATAGRAM, SocketType.SEQPACKET}) {
            try (UnixSocket.Pair p = UnixSocket.pair(t)) {
                p.first().send(ByteBuffer.wrap(new byte[100]));
                p.first().send(bytes("next"));
                ByteBuffer small = ByteBuffer.allocate(10);
                TruncatedMessageException e =
                        assertThrows(
                                TruncatedMessageException.class, () -> p.second().receive(small));
                assertEquals(100, e.messageLength(), t.toString());
                assertEquals(10, e.received());
                assertFalse(e.controlTruncated());
                assertEquals(10, small.position());
                assertTrue(e.getMessage().contains("MSG_TRUNC"), e.getMessage());
                assertEquals("next", receiveText(p.second(), 10));
            }
        }
    }

    @Test
    void datagram_sockets_bound_to_abstract_names_exchange_messages_and_see_the_sender()
            throws Exception {
        UnixAddress a = UnixAddress.ofAbstract("jipc-test-" + UUID.randomUUID());
        UnixAddress b = UnixAddress.ofAbstract("jipc-test-" + UUID.randomUUID());
        try (UnixSocket sa = UnixSocket.bind(a, 0600);
                UnixSocket sb = UnixSocket.bind(b, 0600)) {
            assertEquals(a, sa.localAddress());
            assertTrue(a.toString().startsWith("@jipc-test-"));
            assertTrue(
                    Files.readAllLines(Path.of("/proc/net/unix")).stream()
                            .anyMatch(l -> l.endsWith(" " + a)),
                    "the abstract name shows in /proc/net/unix as @name");
            sb.send(bytes("ping"), a);
            ByteBuffer buf = ByteBuffer.allocate(16);
            UnixSocket.Received r = sa.receive(buf, 0);
            assertEquals(4, r.length());
            assertEquals(b, r.sender());
            sa.send(bytes("pong"), r.sender());
            assertEquals("pong", receiveText(sb, 16));
            AlreadyExistsException e =
                    assertThrows(AlreadyExistsException.class, () -> UnixSocket.bind(a, 0600));
            assertEquals(Errno.EADDRINUSE, e.errno());
        }
        try (UnixSocket again = UnixSocket.bind(a, 0600)) {
            assertEquals(
                    a, again.localAddress()); // an abstract name is free once its socket is closed
        }
    }

    @Test
    void a_seqpacket_server_on_an_abstract_name_accepts_and_keeps_boundaries() throws Exception {
        UnixAddress a = UnixAddress.ofAbstract("jipc-test-" + UUID.randomUUID());
        try (UnixServerSocket srv = UnixServerSocket.bind(SocketType.SEQPACKET, a, 0600);
                UnixSocket c = UnixSocket.connect(SocketType.SEQPACKET, a);
                UnixSocket s = srv.accept()) {
            c.send(bytes("a"));
            c.send(bytes("bc"));
            assertEquals("a", receiveText(s, 10));
            assertEquals("bc", receiveText(s, 10));
            assertEquals(a, s.localAddress());
            assertEquals(ProcessHandle.current().pid(), c.peerCredentials().pid());
        }
    }

    @Test
    void socket_files_get_exactly_the_mode_asked_for_whatever_the_umask() throws Exception {
        for (int mode : new int[] {0600, 0666, 0777, 0640, 0}) {
            Path p = dir.resolve("m" + Integer.toOctalString(mode));
            try (UnixServerSocket srv =
                    UnixServerSocket.bind(SocketType.STREAM, UnixAddress.of(p), mode)) {
                String want =
                        PosixFilePermissions.toString(PosixFilePermissions.fromString(perm(mode)));
                assertEquals(
                        want,
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
                        "mode 0" + Integer.toOctalString(mode));
                assertEquals(UnixAddress.of(p), UnixAddress.of(p));
                srv.remove();
                assertFalse(Files.exists(p));
            }
        }
        try (UnixSocket d = UnixSocket.bind(UnixAddress.of(dir.resolve("d")), 0606)) {
            assertEquals(
                    "rw----rw-",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("d"))));
            assertEquals(UnixAddress.of(dir.resolve("d")), d.localAddress());
        }
    }

    static String perm(int mode) {
        StringBuilder b = new StringBuilder();
        String rwx = "rwx";
        for (int i = 8; i >= 0; i--) {
            b.append((mode & (1 << i)) != 0 ? rwx.charAt((8 - i) % 3) : '-');
        }
        return b.toString();
    }

    @Test
    void errors_say_what_happened() throws Exception {
        Path missing = dir.resolve("missing");
        NotFoundException nf =
                assertThrows(
                        NotFoundException.class,
                        () -> UnixSocket.connect(SocketType.STREAM, UnixAddress.of(missing)));
        assertEquals(Errno.ENOENT, nf.errno());

        NotFoundException noDir =
                assertThrows(
                        NotFoundException.class,
                        () ->
                                UnixServerSocket.bind(
                                        SocketType.STREAM,
                                        UnixAddress.of(missing.resolve("s")),
                                        0600));
        assertTrue(
                noDir.getMessage().contains("the directory " + missing + " does not exist"),
                noDir.getMessage());

        Path p = dir.resolve("srv");
        UnixServerSocket srv = UnixServerSocket.bind(SocketType.STREAM, UnixAddress.of(p), 0600);
        IpcException wrongType =
                assertThrows(
                        IpcException.class,
                        () -> UnixSocket.connect(SocketType.SEQPACKET, UnixAddress.of(p)));
        assertEquals(Errno.EPROTOTYPE, wrongType.errno());
        AlreadyExistsException inUse =
                assertThrows(
                        AlreadyExistsException.class,
                        () -> UnixServerSocket.bind(SocketType.STREAM, UnixAddress.of(p), 0600));
        assertEquals(Errno.EADDRINUSE, inUse.errno());
        assertTrue(
                inUse.getMessage().startsWith("bind(" + p + "): EADDRINUSE"), inUse.getMessage());
        srv.close(); // the file stays: now stale
        IpcException refused =
                assertThrows(
                        IpcException.class,
                        () -> UnixSocket.connect(SocketType.STREAM, UnixAddress.of(p)));
        assertEquals(Errno.ECONNREFUSED, refused.errno());
        assertTrue(refused.getMessage().contains("stale"), refused.getMessage());

        try (UnixSocket.Pair pair = UnixSocket.pair(SocketType.SEQPACKET)) {
            pair.second().close();
            IpcException pipe =
                    assertThrows(IpcException.class, () -> pair.first().send(bytes("x")));
            assertEquals(Errno.EPIPE, pipe.errno()); // MSG_NOSIGNAL: an exception, no SIGPIPE
        }
        try (UnixSocket.Pair pair = UnixSocket.pair(SocketType.DATAGRAM)) {
            pair.first().receiveTimeout(Duration.ofMillis(50));
            assertThrows(
                    SocketTimeoutException.class,
                    () -> pair.first().receive(ByteBuffer.allocate(4)));
        }
        assertThrows(
                IllegalArgumentException.class, () -> UnixAddress.of(dir.resolve("x".repeat(120))));
        assertThrows(
                IllegalArgumentException.class,
                () -> UnixSocket.bind(UnixAddress.ofAbstract("m"), 01000));
    }

    @Test
    void a_stale_socket_file_is_reclaimed_but_a_live_server_or_a_plain_file_is_refused()
            throws Exception {
        Path p = dir.resolve("s");
        UnixAddress a = UnixAddress.of(p);
        UnixServerSocket.bind(SocketType.SEQPACKET, a, 0600)
                .close(); // dead server: file left behind
        assertTrue(Files.exists(p));
        try (UnixServerSocket srv =
                UnixServerSocket.bindReclaimingStale(SocketType.SEQPACKET, a, 0600)) {
            try (UnixSocket c = UnixSocket.connect(SocketType.SEQPACKET, a);
                    UnixSocket s = srv.accept()) {
                c.send(bytes("alive"));
                assertEquals("alive", receiveText(s, 10));
            }
            AlreadyExistsException live =
                    assertThrows(
                            AlreadyExistsException.class,
                            () ->
                                    UnixServerSocket.bindReclaimingStale(
                                            SocketType.SEQPACKET, a, 0600));
            assertTrue(live.getMessage().contains("a live socket answers"), live.getMessage());
            assertThrows(
                    AlreadyExistsException.class,
                    () -> UnixSocket.bindReclaimingStale(a, 0600),
                    "a datagram socket must not take over a live seqpacket server's path either");
            srv.remove();
        }
        UnixSocket.bind(UnixAddress.of(dir.resolve("dg")), 0600).close();
        try (UnixSocket d =
                UnixSocket.bindReclaimingStale(UnixAddress.of(dir.resolve("dg")), 0600)) {
            assertEquals(SocketType.DATAGRAM, d.type());
        }
        Path plain = Files.writeString(dir.resolve("plain"), "data");
        AlreadyExistsException notSocket =
                assertThrows(
                        AlreadyExistsException.class,
                        () ->
                                UnixServerSocket.bindReclaimingStale(
                                        SocketType.STREAM, UnixAddress.of(plain), 0600));
        assertTrue(notSocket.getMessage().contains("not a socket"), notSocket.getMessage());
        assertEquals("data", Files.readString(plain));
    }

    @Test
    void a_stale_socket_file_that_may_not_be_removed_is_a_permission_denied_exception()
            throws Exception {
        // root may write any directory, but not an immutable one (EPERM from unlink)
        Path locked = Files.createDirectory(dir.resolve("locked"));
        UnixAddress a = UnixAddress.of(locked.resolve("s"));
        UnixServerSocket.bind(SocketType.STREAM, a, 0600).close(); // dead server: file left behind
        var chattr =
                io.jipc.testkit.Processes.run(
                        Duration.ofSeconds(30), "chattr", "+i", locked.toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(
                chattr.exitCode() == 0, "chattr +i refused here");
        try {
            io.jipc.PermissionDeniedException e =
                    assertThrows(
                            io.jipc.PermissionDeniedException.class,
                            () -> UnixServerSocket.bindReclaimingStale(SocketType.STREAM, a, 0600));
            assertTrue(
                    e.getMessage().startsWith("unlink(" + a.path().orElseThrow() + ")"),
                    e.getMessage());
            assertTrue(Files.exists(a.path().orElseThrow()));
        } finally {
            io.jipc.testkit.Processes.run(Duration.ofSeconds(30), "chattr", "-i", locked.toString())
                    .assertExit(0);
        }
    }

    @Test
    void try_forms_return_empty_or_false_instead_of_waiting() throws Exception {
        try (UnixSocket.Pair p = UnixSocket.pair(SocketType.DATAGRAM)) {
            assertTrue(p.second().tryReceive(ByteBuffer.allocate(8), 0).isEmpty());
            int sent = 0;
            while (p.first().trySend(ByteBuffer.allocate(1024))) {
                sent++;
                assertTrue(sent < 1_000_000, "the queue never filled");
            }
            assertTrue(sent > 0);
            UnixSocket.Received r =
                    p.second().tryReceive(ByteBuffer.allocate(2048), 0).orElseThrow();
            assertEquals(1024, r.length());
        }
    }

    @Test
    void a_socket_received_by_number_is_adopted_with_its_type() throws Exception {
        try (UnixSocket.Pair p = UnixSocket.pair(SocketType.SEQPACKET)) {
            int dup =
                    io.jipc.internal.linux.Unistd.fcntl(
                            p.first().fd(), 1030 /* F_DUPFD_CLOEXEC */, 10);
            try (UnixSocket s = UnixSocket.inherited(dup)) {
                assertEquals(SocketType.SEQPACKET, s.type());
                s.send(bytes("via dup"));
                assertEquals("via dup", receiveText(p.second(), 20));
            }
        }
    }
}
