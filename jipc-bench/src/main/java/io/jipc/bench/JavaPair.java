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

/**
 * The Java pair: a driver JVM ({@link #main}) and the peer JVM it starts ({@link Peer}), through
 * jipc or the JDK.
 */
final class JavaPair {
    private JavaPair() {}

    /** The command that starts a JVM like this one (same java, same paths, native access). */
    static List<String> jvm(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        String dry = System.getProperty("jipc.bench.dryRun");
        if (dry != null) {
            cmd.add("-Djipc.bench.dryRun=" + dry);
        }
        // jipc.bench.jvmArgs: extra options for the pair's JVMs (space-separated), e.g. to try
        // -XX:+UseSystemMemoryBarrier; passed on so that both sides of a pair get them.
        String extra = System.getProperty("jipc.bench.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            cmd.add("-Djipc.bench.jvmArgs=" + extra);
            cmd.addAll(List.of(extra.split("\\s+")));
        }
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
     * One run of the Java pair for one mechanism, from the harness: a driver JVM (this side of the
     * pair, {@link #main}) that starts the peer JVM ({@link Peer}), both fresh, with the same
     * flags, like the two processes of the C pair; the harness makes the shared objects ({@link
     * Harness#objects}) and reads the results from the driver's output, as for the C pair.
     */
    static Protocol.Run run(Mechanism m, Harness.Params p, Harness.Where w, Path tmp)
            throws Exception {
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            List<String> cmd = jvm(JavaPair.class.getName());
            cmd.addAll(
                    List.of(
                            m.id(),
                            "" + p.warmup(),
                            "" + p.rounds(),
                            "" + p.n64(),
                            "" + p.n4k(),
                            "" + w.self(),
                            "" + w.peer()));
            cmd.addAll(Harness.objects(m, tmp, undo));
            return Harness.external(cmd, undo, tmp, "the Java pair", "driver JVM", m.id());
        } finally {
            Harness.undo(undo);
        }
    }

    /**
     * The driver: {@code JavaPair MECH WARMUP ROUNDS N64 N4K CPU CPU_PEER [OBJECT...]}. Opens its
     * side of the mechanism, starts the peer, pins its measuring (main) thread to CPU, runs an
     * untimed dry run of the whole protocol, waits until its JIT compiler is idle (the peer does
     * the same), then runs the timed protocol and prints the results as {@code bench_peer.c} does.
     * Exits 1 with one line on stderr on failure, and when the harness is gone.
     *
     * @param args the mechanism, the counts, the CPUs and the objects the harness made
     */
    public static void main(String[] args) {
        Peer.watchParent();
        PeerDeath death =
                new PeerDeath("the Java pair's peer JVM", args.length > 0 ? args[0] : "?");
        try {
            Mechanism m = Mechanism.of(args[0]);
            int warm = Integer.parseInt(args[1]);
            int rounds = Integer.parseInt(args[2]);
            long n64 = Long.parseLong(args[3]);
            long n4k = Long.parseLong(args[4]);
            int cpu = Integer.parseInt(args[5]);
            int dry = Protocol.dryRounds(rounds, args[5].equals(args[6]));
            List<String> objects = List.of(args).subList(7, args.length);
            List<String> cmd = jvm(Peer.class.getName());
            cmd.addAll(List.of(m.id(), args[1], args[2], args[3], args[4], args[6], "" + dry));
            Child child;
            Link link;
            switch (m) {
                case PIPE -> {
                    Pipe there = Pipe.open();
                    Pipe back = Pipe.open();
                    child =
                            death.watch(
                                    Spawn.of(cmd).fd(3, there.source()).fd(4, back.sink()).start());
                    there.source().close();
                    back.sink().close();
                    link = new Link.ChannelLink(back.source(), there.sink(), true);
                }
                case FIFO -> {
                    cmd.addAll(objects);
                    Fifo there = Fifo.of(Path.of(objects.get(0)));
                    Fifo back = Fifo.of(Path.of(objects.get(1)));
                    child = death.watch(Spawn.of(cmd).start());
                    var out = there.openWriter();
                    var in = back.openReader();
                    link = new Link.ChannelLink(in, out, true);
                }
                case MQ -> {
                    cmd.addAll(objects);
                    MessageQueue q = MessageQueue.ofId(Integer.parseInt(objects.get(0)));
                    child = death.watch(Spawn.of(cmd).start());
                    link = new Link.MqLink(q, true);
                }
                case SEM -> {
                    cmd.addAll(objects);
                    SemaphoreSet s = SemaphoreSet.ofId(Integer.parseInt(objects.get(0)));
                    child = death.watch(Spawn.of(cmd).start());
                    link = new Link.SemLink(s, true);
                }
                case SHM -> {
                    cmd.addAll(objects);
                    SharedMemory shm = SharedMemory.ofId(Integer.parseInt(objects.get(0)));
                    SemaphoreSet s = SemaphoreSet.ofId(Integer.parseInt(objects.get(1)));
                    child = death.watch(Spawn.of(cmd).start());
                    link = new Link.ShmLink(s, shm.attach(), true);
                }
                case UDS_STREAM, UDS_DGRAM, UDS_SEQPACKET -> {
                    // Like the C pair: a socketpair, the child inheriting its end as fd 3.
                    UnixSocket.Pair pair =
                            UnixSocket.pair(
                                    m == Mechanism.UDS_STREAM
                                            ? SocketType.STREAM
                                            : m == Mechanism.UDS_DGRAM
                                                    ? SocketType.DATAGRAM
                                                    : SocketType.SEQPACKET);
                    child = death.watch(Spawn.of(cmd).fd(3, pair.second()).start());
                    pair.second().close();
                    link =
                            new Link.ChannelLink(
                                    pair.first(), pair.first(), m == Mechanism.UDS_STREAM);
                }
                case TCP -> {
                    SocketChannel c;
                    try (ServerSocketChannel srv =
                            ServerSocketChannel.open(StandardProtocolFamily.INET)
                                    .bind(
                                            new InetSocketAddress(
                                                    InetAddress.getLoopbackAddress(), 0))) {
                        cmd.add("" + ((InetSocketAddress) srv.getLocalAddress()).getPort());
                        child = death.watch(Spawn.of(cmd).start());
                        c = srv.accept();
                    }
                    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    link = new Link.ChannelLink(c, c, true);
                }
                case UDP -> {
                    DatagramChannel c =
                            DatagramChannel.open()
                                    .bind(
                                            new InetSocketAddress(
                                                    InetAddress.getLoopbackAddress(), 0));
                    cmd.add("" + ((InetSocketAddress) c.getLocalAddress()).getPort());
                    child = death.watch(Spawn.of(cmd).start());
                    SocketAddress from = c.receive(ByteBuffer.allocateDirect(Link.BIG));
                    c.connect(from);
                    link = new Protocol.UdpLink(c);
                }
                case POSIX_MQ, POSIX_SEM -> {
                    // the harness's objects (Harness.objects), as for the C pair
                    cmd.addAll(objects);
                    child = death.watch(Spawn.of(cmd).start());
                    link = PosixLinks.open(m, objects, true);
                }
                default -> throw new IllegalArgumentException(m.id());
            }
            Protocol.Run r;
            try (link;
                    Cpus.Pinning _ = Cpus.pinCurrentThread(cpu)) {
                if (Protocol.DRY_RUN) {
                    Protocol.parent(link, m, 0, dry, Protocol.dry(n64), Protocol.dry(n4k));
                    Protocol.awaitJitQuiet();
                }
                long jit = Protocol.jitMillis();
                r = Protocol.parent(link, m, warm, rounds, n64, n4k);
                if (Boolean.getBoolean("jipc.bench.debug")) {
                    System.err.println(
                            "driver: JIT ms during the timed run: "
                                    + (Protocol.jitMillis() - jit)
                                    + " (timed run ended at uptime "
                                    + java.lang.management.ManagementFactory.getRuntimeMXBean()
                                            .getUptime()
                                    + " ms)");
                }
            }
            var status = child.waitFor(Duration.ofSeconds(30));
            if (status.isEmpty() || !status.get().success()) {
                throw new IOException(
                        "the Java peer "
                                + (status.isEmpty()
                                        ? "did not exit"
                                        : "ended with " + status.get()));
            }
            System.out.print(r.format());
            System.out.flush();
        } catch (Throwable e) {
            death.failed("jipc bench java driver " + String.join(" ", args) + ": " + e);
        }
        System.exit(0);
    }
}
