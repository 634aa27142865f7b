package io.jipc.socket;

import static io.jipc.socket.SocketProcessesTest.ipcDescriptors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jipc.pipe.Child;
import io.jipc.pipe.ExitStatus;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.ReadEnd;
import io.jipc.pipe.Spawn;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Unix-domain datagram sockets between processes: this JVM and a C peer, this JVM and a child JVM,
 * over path names, abstract names and an inherited socketpair, with descriptors passed both ways
 * ({@code SCM_RIGHTS}). The peers ({@code c/dgram_peer.c}, {@link DatagramChild}) greet first, then
 * answer ping, use a descriptor sent to them, send one back, and say bye.
 */
class DatagramProcessesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path dir;

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    private static String receive(UnixSocket s, UnixAddress from) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256);
        UnixSocket.Received r = s.receive(b, 0);
        assertEquals(from, r.sender(), "the sender's address");
        return new String(b.array(), 0, r.length(), UTF_8);
    }

    private enum Naming {
        PATH,
        ABSTRACT,
        SOCKETPAIR
    }

    /** One conversation's two ends: this JVM's socket and the names each side is known by. */
    private record End(Naming naming, UnixAddress mine, UnixAddress theirs, UnixSocket me) {}

    /**
     * Conversations with one peer started from {@code peer}, one per naming, in order (the OWN and
     * PEER arguments of each are appended); at most one socketpair, the child's end at fd 3.
     */
    private void converse(List<String> peer, Naming... namings) throws Exception {
        Map<Integer, String> before = ipcDescriptors();
        Path log = dir.resolve("peer-" + UUID.randomUUID() + ".log");
        List<String> cmd = new ArrayList<>(peer);
        List<End> ends = new ArrayList<>();
        UnixSocket.Pair pair = null;
        try {
            for (Naming naming : namings) {
                String tag = UUID.randomUUID().toString().substring(0, 8);
                End end =
                        switch (naming) {
                            case PATH ->
                                    new End(
                                            naming,
                                            UnixAddress.of(dir.resolve("java-" + tag)),
                                            UnixAddress.of(dir.resolve("peer-" + tag)),
                                            null);
                            case ABSTRACT ->
                                    new End(
                                            naming,
                                            UnixAddress.ofAbstract("jipc-dgram-java-" + tag),
                                            UnixAddress.ofAbstract("jipc-dgram-peer-" + tag),
                                            null);
                            case SOCKETPAIR -> {
                                pair = UnixSocket.pair(SocketType.DATAGRAM);
                                yield new End(
                                        naming,
                                        UnixAddress.UNNAMED,
                                        UnixAddress.UNNAMED,
                                        pair.first());
                            }
                        };
                UnixSocket me = end.me() != null ? end.me() : UnixSocket.bind(end.mine(), 0600);
                me.receiveTimeout(WAIT);
                ends.add(new End(naming, end.mine(), end.theirs(), me));
                cmd.addAll(
                        naming == Naming.SOCKETPAIR
                                ? List.of("fd3", "-")
                                : List.of(end.theirs().toString(), end.mine().toString()));
            }
            Spawn spawn =
                    Spawn.of(cmd)
                            .stdout(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                            .stderr(log, StandardOpenOption.APPEND);
            if (pair != null) {
                spawn.fd(3, pair.second());
            }
            Child c;
            try {
                c = spawn.start();
            } finally {
                if (pair != null) {
                    pair.second().close(); // the child's copy is the only one now
                }
            }
            try {
                for (End end : ends) {
                    talk(c, end);
                }
                ExitStatus st = c.waitFor(WAIT).orElseThrow();
                assertTrue(st.success(), st + ": " + Files.readString(log));
            } finally {
                c.destroyForcibly();
                c.waitFor(WAIT);
            }
        } finally {
            for (End end : ends) {
                end.me().close();
                for (UnixAddress a : List.of(end.mine(), end.theirs())) {
                    if (a.path().isPresent()) {
                        Files.deleteIfExists(a.path().get());
                    }
                }
            }
            if (pair != null) {
                pair.close();
            }
        }
        assertEquals(
                before, ipcDescriptors(), "every socket, pipe and passed descriptor is closed");
    }

    /** One conversation: greeting, ping, a descriptor each way, quit. */
    private static void talk(Child c, End end) throws IOException {
        UnixSocket me = end.me();
        UnixAddress theirs = end.theirs();
        String hello = receive(me, theirs);
        assertEquals("hello from " + c.pid(), hello, end.naming().toString());
        if (end.naming() != Naming.SOCKETPAIR) {
            me.connectTo(theirs);
            assertEquals(theirs, me.remoteAddress());
        }
        me.send(text("ping 1"));
        assertEquals("pong 1", receive(me, theirs));

        try (Pipe p = Pipe.open()) {
            me.sendWithDescriptors(text("fd java"), p.sink());
            p.sink().close();
            assertEquals("used java", receive(me, theirs));
            assertEquals(
                    "peer got java", new String(p.source().inputStream().readAllBytes(), UTF_8));
        }

        me.send(text("give"));
        ByteBuffer b = ByteBuffer.allocate(64);
        UnixSocket.Received r = me.receive(b, 1);
        assertEquals("take", new String(b.array(), 0, r.length(), UTF_8));
        assertEquals(theirs, r.sender());
        assertEquals(1, r.descriptors().size());
        try (ReadEnd in = ReadEnd.inherited(r.descriptors().get(0).release())) {
            assertEquals(
                    "from the peer's pipe", new String(in.inputStream().readAllBytes(), UTF_8));
        }

        me.send(text("quit"));
        assertEquals("bye", receive(me, theirs));
    }

    private static List<String> cPeer() {
        return List.of(Gcc.compileResource("c/dgram_peer.c").toString());
    }

    @Test
    void java_and_a_c_peer_exchange_datagrams_and_descriptors_over_path_names() throws Exception {
        converse(cPeer(), Naming.PATH);
    }

    @Test
    void java_and_a_c_peer_exchange_datagrams_and_descriptors_over_abstract_names()
            throws Exception {
        converse(cPeer(), Naming.ABSTRACT);
    }

    @Test
    void java_and_a_c_child_exchange_datagrams_and_descriptors_over_an_inherited_socketpair()
            throws Exception {
        converse(cPeer(), Naming.SOCKETPAIR);
    }

    @Test
    void
            java_and_one_child_jvm_exchange_datagrams_and_descriptors_over_path_and_abstract_names_and_a_socketpair()
                    throws Exception {
        converse(
                ChildJvm.command(DatagramChild.class),
                Naming.PATH,
                Naming.ABSTRACT,
                Naming.SOCKETPAIR);
    }

    @Test
    void one_c_peer_holds_several_conversations_in_turn() throws Exception {
        converse(cPeer(), Naming.SOCKETPAIR, Naming.PATH);
    }
}
