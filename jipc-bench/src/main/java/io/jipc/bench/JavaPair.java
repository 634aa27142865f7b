package io.jipc.bench;

import io.jipc.pipe.Child;
import io.jipc.pipe.Fifo;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.Spawn;
import io.jipc.socket.SocketType;
import io.jipc.socket.UnixAddress;
import io.jipc.socket.UnixServerSocket;
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
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
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
    static List<String> jvm(String mainClass, List<String> cpuPrefix) {
        List<String> cmd = new ArrayList<>(cpuPrefix);
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

    /** One run of the Java pair for one mechanism. */
    static Protocol.Run run(Mechanism m, Harness.Params p, Path tmp) throws Exception {
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            List<String> cmd = jvm(Peer.class.getName(), p.cpuPrefix(1));
            cmd.addAll(List.of(m.id(), "" + p.warmup(), "" + p.rounds(), "" + p.n64(), "" + p.n4k()));
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
                case UDS_STREAM -> {
                    Path path = tmp.resolve("s-" + UUID.randomUUID().toString().substring(0, 8));
                    undo.add(Cleanup.add(() -> Files.deleteIfExists(path)));
                    SocketChannel c;
                    try (ServerSocketChannel srv = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                            .bind(UnixDomainSocketAddress.of(path))) {
                        cmd.add(path.toString());
                        child = start(Spawn.of(cmd), undo);
                        c = srv.accept();
                    }
                    Files.deleteIfExists(path);
                    link = new Link.ChannelLink(c, c, true);
                }
                case UDS_SEQPACKET -> {
                    String name = "jipc-bench-" + UUID.randomUUID();
                    UnixSocket s;
                    try (UnixServerSocket srv = UnixServerSocket.bind(SocketType.SEQPACKET,
                            UnixAddress.ofAbstract(name), 0600)) {
                        cmd.add(name);
                        child = start(Spawn.of(cmd), undo);
                        s = srv.accept();
                    }
                    link = new Link.ChannelLink(s, s, false);
                }
                case UDS_DGRAM -> {
                    String name = "jipc-bench-" + UUID.randomUUID();
                    UnixSocket s = UnixSocket.bind(UnixAddress.ofAbstract(name), 0600);
                    undo.add(Cleanup.add(s::close));
                    cmd.add(name);
                    child = start(Spawn.of(cmd), undo);
                    UnixSocket.Received hello = s.receive(ByteBuffer.allocateDirect(Link.BIG), 0);
                    s.connectTo(hello.sender());
                    link = new Link.ChannelLink(s, s, false);
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
                case POSIX_MQ, POSIX_SEM -> {
                    List<String> names = PosixLinks.create(m, undo);
                    cmd.addAll(names);
                    child = start(Spawn.of(cmd), undo);
                    link = PosixLinks.open(m, names, true);
                }
                default -> throw new IllegalArgumentException(m.id());
            }
            p.pinSelf(0);
            try (link) {
                Protocol.Run r = Protocol.parent(link, m, p.warmup(), p.rounds(), p.n64(), p.n4k());
                var status = child.waitFor(Duration.ofSeconds(30));
                if (status.isEmpty() || !status.get().success()) {
                    throw new IOException("the Java peer " + (status.isEmpty() ? "did not exit" : "ended with " + status.get()));
                }
                return r;
            } finally {
                p.unpinSelf();
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
