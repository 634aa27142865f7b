package io.jipc.bench;

import io.jipc.Cpus;
import io.jipc.pipe.Fifo;
import io.jipc.pipe.ReadEnd;
import io.jipc.pipe.WriteEnd;
import io.jipc.socket.UnixSocket;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.SemaphoreSet;
import io.jipc.sysv.SharedMemory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The child JVM of the Java pair: {@code Peer MECH WARMUP ROUNDS N64 N4K CPU DRY [ADDRESS...]},
 * started by {@link JavaPair}'s driver. Pins its main (measuring) thread to CPU, echoes the
 * ping-pongs, counts the one-way messages and acks them, first in the driver's untimed dry run,
 * then, once its JIT compiler is idle, in the timed run; exits when done, on any failure (status 1,
 * one line on stderr), or when its parent is gone. The socket mechanisms inherit their end of a
 * socketpair as fd 3.
 */
public final class Peer {
    private Peer() {}

    /**
     * Entry point.
     *
     * @param args the mechanism, the counts and the mechanism's addresses
     */
    public static void main(String[] args) {
        watchParent();
        try {
            Mechanism m = Mechanism.of(args[0]);
            int warm = Integer.parseInt(args[1]);
            int rounds = Integer.parseInt(args[2]);
            long n64 = Long.parseLong(args[3]);
            long n4k = Long.parseLong(args[4]);
            try (Cpus.Pinning _ = Cpus.pinCurrentThread(Integer.parseInt(args[5]));
                    Link link = open(m, args)) {
                if (Protocol.DRY_RUN) {
                    Protocol.child(
                            link,
                            m,
                            0,
                            Integer.parseInt(args[6]),
                            Protocol.dry(n64),
                            Protocol.dry(n4k));
                    Protocol.awaitJitQuiet();
                }
                long jit = Protocol.jitMillis();
                Protocol.child(link, m, warm, rounds, n64, n4k);
                if (Boolean.getBoolean("jipc.bench.debug")) {
                    System.err.println(
                            "peer: JIT ms during the timed run: "
                                    + (Protocol.jitMillis() - jit)
                                    + " (timed run ended at uptime "
                                    + java.lang.management.ManagementFactory.getRuntimeMXBean()
                                            .getUptime()
                                    + " ms)");
                }
            }
        } catch (Throwable e) {
            System.err.println("jipc bench peer " + String.join(" ", args) + ": " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    /** A peer (or driver) whose parent died (killed, Ctrl-C) must not stay blocked forever. */
    static void watchParent() {
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread t =
                new Thread(
                        () -> {
                            while (true) {
                                try {
                                    Thread.sleep(250);
                                } catch (InterruptedException e) {
                                    return;
                                }
                                long now =
                                        ProcessHandle.current()
                                                .parent()
                                                .map(ProcessHandle::pid)
                                                .orElse(-1L);
                                if (now != parent) {
                                    Runtime.getRuntime().halt(3);
                                }
                            }
                        },
                        "parent-watch");
        t.setDaemon(true);
        t.start();
    }

    private static Link open(Mechanism m, String[] a) throws Exception {
        return switch (m) {
            case PIPE -> new Link.ChannelLink(ReadEnd.inherited(3), WriteEnd.inherited(4), true);
            case FIFO -> {
                ReadEnd in = Fifo.of(Path.of(a[7])).openReader();
                WriteEnd out = Fifo.of(Path.of(a[8])).openWriter();
                yield new Link.ChannelLink(in, out, true);
            }
            case MQ -> new Link.MqLink(MessageQueue.ofId(Integer.parseInt(a[7])), false);
            case SEM -> new Link.SemLink(SemaphoreSet.ofId(Integer.parseInt(a[7])), false);
            case SHM ->
                    new Link.ShmLink(
                            SemaphoreSet.ofId(Integer.parseInt(a[8])),
                            SharedMemory.ofId(Integer.parseInt(a[7])).attach(),
                            false);
            case UDS_STREAM, UDS_DGRAM, UDS_SEQPACKET -> {
                UnixSocket s = UnixSocket.inherited(3);
                yield new Link.ChannelLink(s, s, m == Mechanism.UDS_STREAM);
            }
            case TCP -> {
                SocketChannel c =
                        SocketChannel.open(
                                new InetSocketAddress(
                                        InetAddress.getLoopbackAddress(), Integer.parseInt(a[7])));
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                yield new Link.ChannelLink(c, c, true);
            }
            case UDP -> {
                DatagramChannel c =
                        DatagramChannel.open()
                                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                InetSocketAddress parent =
                        new InetSocketAddress(
                                InetAddress.getLoopbackAddress(), Integer.parseInt(a[7]));
                c.connect(parent);
                c.write(ByteBuffer.allocateDirect(1));
                yield new Protocol.UdpLink(c);
            }
            case POSIX_MQ, POSIX_SEM ->
                    PosixLinks.open(m, java.util.Arrays.asList(a).subList(7, a.length), false);
            case CHANNEL, CHANNEL_PARK ->
                    throw new IllegalArgumentException("the channel pairs run in ChannelPair");
        };
    }
}
