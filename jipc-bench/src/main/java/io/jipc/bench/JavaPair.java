package io.jipc.bench;

import io.jipc.Cpus;
import io.jipc.pipe.Child;
import io.jipc.pipe.Fifo;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.Spawn;
import io.jipc.socket.SocketType;
import io.jipc.socket.UnixSocket;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.SemaphoreSet;
import io.jipc.sysv.SharedMemory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The Java pair: this JVM (through jipc or the JDK) and a child JVM running {@link Peer}. */
final class JavaPair {
    private JavaPair() {
    }

    /** The command that starts a JVM like this one (same java, same paths, native access). */
    static List<String> jvm(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xshare:auto");
        String mp = System.getProperty("jdk.module.path");
        boolean named = MessageQueue.class.getModule().isNamed();
        if (named && mp != null && !mp.isEmpty()) {
            cmd.add("--module-path");
            cmd.add(mp);
            cmd.add("--add-modules");
            cmd.add("io.jipc");
            cmd.add("--enable-native-access=io.jipc,ALL-UNNAMED");
        } else {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }

    /**
     * One run of the Java pair for one mechanism: the peer pins its measuring (main) thread to
     * {@code w.peer()}, this side pins the thread that runs the protocol to {@code w.self()}.
     */
    static Protocol.Run run(Mechanism m, Harness.Params p, Harness.Where w, Path tmp) throws Exception {
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            List<String> cmd = jvm(Peer.class.getName());
            cmd.addAll(List.of(m.id(), "" + p.warmup(), "" + p.rounds(), "" + p.n64(), "" + p.n4k(), "" + w.peer()));
            Link link;
            Child child;
            switch (m) {
                case PIPE -> {
                    Pipe there = Pipe.open();
                    Pipe back = Pipe.open();
                    child = start(Spawn.of(cmd).fd(3, there.source()).fd(4, back.sink()), undo);
                    there.source().close();
                    back.sink().close();
                    link = new Link.ChannelLink(back.source(), there.sink(), true);
                }
                case FIFO -> {
                    Fifo there = fifo(tmp.resolve("there-" + UUID.randomUUID()), undo);
                    Fifo back = fifo(tmp.resolve("back-" + UUID.randomUUID()), undo);
                    cmd.add(there.path().toString());
                    cmd.add(back.path().toString());
                    child = start(Spawn.of(cmd), undo);
                    var out = there.openWriter();
                    var in = back.openReader();
                    link = new Link.ChannelLink(in, out, true);
                }
                case MQ -> {
                    MessageQueue q = MessageQueue.createPrivate(0600);
                    undo.add(Cleanup.add(q::remove));
                    cmd.add("" + q.id());
                    child = start(Spawn.of(cmd), undo);
                    link = new Link.MqLink(q, true);
                }
                case SEM -> {
                    SemaphoreSet s = semaphores(m, undo);
                    cmd.add("" + s.id());
                    child = start(Spawn.of(cmd), undo);
                    link = new Link.SemLink(s, true);
                }
                case SHM -> {
                    SharedMemory shm = SharedMemory.createPrivate(0600, Link.SHM_SIZE);
                    undo.add(Cleanup.add(shm::remove));
                    SemaphoreSet s = semaphores(m, undo);
                    cmd.add("" + shm.id());
                    cmd.add("" + s.id());
                    child = start(Spawn.of(cmd), undo);
                    link = new Link.ShmLink(s, shm.attach(), true);
                }
                case UDS_STREAM, UDS_DGRAM, UDS_SEQPACKET -> {
                    // Like the C pair: a socketpair, the child inheriting its end as fd 3.
                    UnixSocket.Pair pair = UnixSocket.pair(m == Mechanism.UDS_STREAM ? SocketType.STREAM
                            : m == Mechanism.UDS_DGRAM ? SocketType.DATAGRAM : SocketType.SEQPACKET);
                    undo.add(Cleanup.add(pair::close));
                    child = start(Spawn.of(cmd).fd(3, pair.second()), undo);
                    pair.second().close();
                    link = new Link.ChannelLink(pair.first(), pair.first(), m == Mechanism.UDS_STREAM);
                }
                case TCP -> {
                    SocketChannel c;
                    try (ServerSocketChannel srv = ServerSocketChannel.open(StandardProtocolFamily.INET)
                            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                        cmd.add("" + ((InetSocketAddress) srv.getLocalAddress()).getPort());
                        child = start(Spawn.of(cmd), undo);
                        c = srv.accept();
                    }
                    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    link = new Link.ChannelLink(c, c, true);
                }
                case UDP -> {
                    DatagramChannel c = DatagramChannel.open()
                            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    undo.add(Cleanup.add(c::close));
                    cmd.add("" + ((InetSocketAddress) c.getLocalAddress()).getPort());
                    child = start(Spawn.of(cmd), undo);
                    SocketAddress from = c.receive(ByteBuffer.allocateDirect(Link.BIG));
                    c.connect(from);
                    link = new Protocol.UdpLink(c);
                }
                default -> throw new IllegalArgumentException(m.id());
            }
            try (link) {
                Protocol.Run r;
                try (Cpus.Pinning _ = Cpus.pinCurrentThread(w.self())) {
                    r = Protocol.parent(link, m, p.warmup(), p.rounds(), p.n64(), p.n4k());
                }
                var status = child.waitFor(Duration.ofSeconds(30));
                if (status.isEmpty() || !status.get().success()) {
                    throw new IOException("the Java peer " + (status.isEmpty() ? "did not exit" : "ended with " + status.get()));
                }
                return r;
            }
        } finally {
            for (int i = undo.size() - 1; i >= 0; i--) {
                AutoCloseable u = undo.get(i);
                Cleanup.quietly(u::close);
            }
        }
    }

    private static Fifo fifo(Path path, List<AutoCloseable> undo) throws IOException {
        Fifo f = Fifo.create(path, 0600);
        undo.add(Cleanup.add(f::remove));
        return f;
    }

    private static SemaphoreSet semaphores(Mechanism m, List<AutoCloseable> undo) throws IOException {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 3, 0, 0, m == Mechanism.SEM ? Link.CREDITS : Link.SLOTS);
        undo.add(Cleanup.add(s::remove));
        return s;
    }

    /**
     * Starts the peer; when it dies before the run ends, the run's objects are undone so that
     * this side, blocked in a receive, wakes up (EIDRM, end of file) instead of hanging.
     */
    private static Child start(Spawn spawn, List<AutoCloseable> undo) throws IOException {
        Child c = spawn.start();
        undo.add(Cleanup.add(() -> {
            if (c.isAlive()) {
                c.destroy();
                c.waitFor(Duration.ofSeconds(5));
            }
        }));
        List<AutoCloseable> before = List.copyOf(undo);
        c.onExit().thenAccept(status -> {
            if (!status.success()) {
                // a peer that failed: wake this side by removing what it may be blocked on
                before.forEach(u -> Cleanup.quietly(u::close));
            }
        });
        return c;
    }
}
