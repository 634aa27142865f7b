package io.jipc.bench;

import io.jipc.pipe.Fifo;
import io.jipc.pipe.ReadEnd;
import io.jipc.pipe.WriteEnd;
import io.jipc.socket.SocketType;
import io.jipc.socket.UnixAddress;
import io.jipc.socket.UnixSocket;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.SemaphoreSet;
import io.jipc.sysv.SharedMemory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The child JVM of the Java pair: {@code Peer MECH WARMUP ROUNDS N64 N4K [ADDRESS...]}, started by
 * {@link JavaPair}. Echoes the ping-pongs, counts the one-way messages and acks them; exits when
 * done, on any failure (status 1, one line on stderr), or when its parent is gone.
 */
public final class Peer {
    private Peer() {
    }

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
            try (Link link = open(m, args)) {
                Protocol.child(link, m, warm, rounds, n64, n4k);
            }
        } catch (Throwable e) {
            System.err.println("jipc bench peer " + String.join(" ", args) + ": " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    /** A peer whose parent died (killed, Ctrl-C) must not stay blocked forever. */
    static void watchParent() {
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (now != parent) {
                    Runtime.getRuntime().halt(3);
                }
            }
        }, "parent-watch");
        t.setDaemon(true);
        t.start();
    }

    private static Link open(Mechanism m, String[] a) throws Exception {
        return switch (m) {
            case PIPE -> new Link.ChannelLink(ReadEnd.inherited(3), WriteEnd.inherited(4), true);
            case FIFO -> {
                ReadEnd in = Fifo.of(Path.of(a[5])).openReader();
                WriteEnd out = Fifo.of(Path.of(a[6])).openWriter();
                yield new Link.ChannelLink(in, out, true);
            }
            case MQ -> new Link.MqLink(MessageQueue.ofId(Integer.parseInt(a[5])), false);
            case SEM -> new Link.SemLink(SemaphoreSet.ofId(Integer.parseInt(a[5])), false);
            case SHM -> new Link.ShmLink(SemaphoreSet.ofId(Integer.parseInt(a[6])),
                    SharedMemory.ofId(Integer.parseInt(a[5])).attach(), false);
            case UDS_STREAM -> {
                SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(a[5]));
                yield new Link.ChannelLink(c, c, true);
            }
            case UDS_SEQPACKET -> {
                UnixSocket s = UnixSocket.connect(SocketType.SEQPACKET, UnixAddress.ofAbstract(a[5]));
                yield new Link.ChannelLink(s, s, false);
            }
            case UDS_DGRAM -> {
                UnixSocket s = UnixSocket.bind(UnixAddress.ofAbstract(a[5] + "-peer"), 0600);
                s.send(ByteBuffer.allocateDirect(1), UnixAddress.ofAbstract(a[5]));
                s.connectTo(UnixAddress.ofAbstract(a[5]));
                yield new Link.ChannelLink(s, s, false);
            }
            case TCP -> {
                SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        Integer.parseInt(a[5])));
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                yield new Link.ChannelLink(c, c, true);
            }
            case UDP -> {
                DatagramChannel c = DatagramChannel.open()
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                InetSocketAddress parent = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        Integer.parseInt(a[5]));
                c.connect(parent);
                c.write(ByteBuffer.allocateDirect(1));
                yield new Protocol.UdpLink(c);
            }
            case POSIX_MQ, POSIX_SEM -> PosixLinks.open(m, java.util.Arrays.asList(a).subList(5, a.length), false);
            case CHANNEL, CHANNEL_PARK -> throw new IllegalArgumentException("the channel pairs run in ChannelPair");
        };
    }
}
