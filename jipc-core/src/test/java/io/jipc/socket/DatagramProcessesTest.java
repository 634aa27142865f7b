package io.jipc.socket;

import static io.jipc.socket.SocketProcessesTest.ipcDescriptors;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.pipe.Child;
import io.jipc.pipe.ExitStatus;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.ReadEnd;
import io.jipc.pipe.Spawn;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix-domain datagram sockets between processes: this JVM and a C peer, this JVM and a child JVM,
 * over path names, abstract names and an inherited socketpair, with descriptors passed both ways
 * ({@code SCM_RIGHTS}). The peers ({@code c/dgram_peer.c}, {@link DatagramChild}) greet first,
 * then answer ping, use a descriptor sent to them, send one back, and say bye.
 */
class DatagramProcessesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    private static String receive(UnixSocket s, UnixAddress from) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256);
        UnixSocket.Received r = s.receive(b, 0);
        assertEquals(from, r.sender(), "the sender's address");
        return new String(b.array(), 0, r.length(), UTF_8);
    }

    private enum Naming { PATH, ABSTRACT, SOCKETPAIR }

    /** One conversation with a peer started from {@code peer} (its OWN and PEER arguments are appended). */
    private void converse(List<String> peer, Naming naming) throws Exception {
        Map<Integer, String> before = ipcDescriptors();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        UnixAddress mine;
        UnixAddress theirs;
        switch (naming) {
            case PATH -> {
                mine = UnixAddress.of(dir.resolve("java-" + tag));
                theirs = UnixAddress.of(dir.resolve("peer-" + tag));
            }
            case ABSTRACT -> {
                mine = UnixAddress.ofAbstract("jipc-dgram-java-" + tag);
                theirs = UnixAddress.ofAbstract("jipc-dgram-peer-" + tag);
            }
            default -> {
                mine = UnixAddress.UNNAMED;
                theirs = UnixAddress.UNNAMED;
            }
        }
        Path log = dir.resolve("peer-" + tag + ".log");
        List<String> cmd = new ArrayList<>(peer);
        UnixSocket.Pair pair = naming == Naming.SOCKETPAIR ? UnixSocket.pair(SocketType.DATAGRAM) : null;
        cmd.addAll(pair != null ? List.of("fd3", "-") : List.of(theirs.toString(), mine.toString()));
        try (UnixSocket me = pair != null ? pair.first() : UnixSocket.bind(mine, 0600);
                FileChannel out = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            me.receiveTimeout(WAIT);
            Spawn spawn = Spawn.of(cmd).stdout(out).stderr(out);
            if (pair != null) {
                spawn.fd(3, pair.second());
            }
            Child c = spawn.start();
            if (pair != null) {
                pair.second().close(); // the child's copy is the only one now
            }
            try {
                String hello = receive(me, theirs);
                assertEquals("hello from " + c.pid(), hello);
                if (pair == null) {
                    me.connectTo(theirs);
                    assertEquals(theirs, me.remoteAddress());
                }
                me.send(text("ping 1"));
                assertEquals("pong 1", receive(me, theirs));

                try (Pipe p = Pipe.open()) {
                    me.sendWithDescriptors(text("fd java"), p.sink());
                    p.sink().close();
                    assertEquals("used java", receive(me, theirs));
                    assertEquals("peer got java", new String(p.source().inputStream().readAllBytes(), UTF_8));
                }

                me.send(text("give"));
                ByteBuffer b = ByteBuffer.allocate(64);
                UnixSocket.Received r = me.receive(b, 1);
                assertEquals("take", new String(b.array(), 0, r.length(), UTF_8));
                assertEquals(theirs, r.sender());
                assertEquals(1, r.descriptors().size());
                try (ReadEnd in = ReadEnd.inherited(r.descriptors().get(0).release())) {
                    assertEquals("from the peer's pipe", new String(in.inputStream().readAllBytes(), UTF_8));
                }

                me.send(text("quit"));
                assertEquals("bye", receive(me, theirs));
                ExitStatus st = c.waitFor(WAIT).orElseThrow();
                assertTrue(st.success(), st + ": " + Files.readString(log));
            } finally {
                c.destroyForcibly();
                c.waitFor(WAIT);
            }
        } finally {
            if (mine.path().isPresent()) {
                Files.deleteIfExists(mine.path().get());
            }
            if (theirs.path().isPresent()) {
                Files.deleteIfExists(theirs.path().get());
            }
        }
        assertEquals(before, ipcDescriptors(), "every socket, pipe and passed descriptor is closed");
    }

    private static List<String> cPeer() {
        return List.of(Gcc.compileResource("c/dgram_peer.c").toString());
    }

    @Test
    void java_and_a_c_peer_exchange_datagrams_and_descriptors_over_path_names() throws Exception {
        converse(cPeer(), Naming.PATH);
    }

    @Test
    void java_and_a_c_peer_exchange_datagrams_and_descriptors_over_abstract_names() throws Exception {
        converse(cPeer(), Naming.ABSTRACT);
    }

    @Test
    void java_and_a_c_child_exchange_datagrams_and_descriptors_over_an_inherited_socketpair() throws Exception {
        converse(cPeer(), Naming.SOCKETPAIR);
    }

    @Test
    void java_and_a_child_jvm_exchange_datagrams_and_descriptors_over_path_names() throws Exception {
        converse(ChildJvm.command(DatagramChild.class), Naming.PATH);
    }

    @Test
    void java_and_a_child_jvm_exchange_datagrams_and_descriptors_over_abstract_names() throws Exception {
        converse(ChildJvm.command(DatagramChild.class), Naming.ABSTRACT);
    }

    @Test
    void java_and_a_child_jvm_exchange_datagrams_and_descriptors_over_an_inherited_socketpair() throws Exception {
        converse(ChildJvm.command(DatagramChild.class), Naming.SOCKETPAIR);
    }
}
