package io.jipc.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** What the three UDP receivers and senders share: the receive loop and the send. */
final class UdpPrograms {
    /** Default port of the examples, as in their C twins. */
    static final int PORT = 1989;

    private UdpPrograms() {}

    static int intArg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    static String arg(String[] args, int i, String dflt) {
        return args.length > i ? args[i] : dflt;
    }

    /** Prints where it listens, then each message; stops after {@code count} (0: never). */
    static void receive(DatagramChannel ch, String what, int count) throws IOException {
        InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
        System.out.println(
                "receiver: "
                        + what
                        + " on "
                        + local.getAddress().getHostAddress()
                        + ":"
                        + local.getPort());
        System.out.flush();
        ByteBuffer buf = ByteBuffer.allocate(MsgSt.MAX);
        for (int n = 0; count == 0 || n < count; n++) {
            buf.clear();
            InetSocketAddress from = (InetSocketAddress) ch.receive(buf);
            buf.flip();
            MsgSt m = MsgSt.CODEC.decode(buf);
            System.out.println(
                    "receiver: " + m.describe() + " from " + from.getAddress().getHostAddress());
            System.out.flush();
        }
    }

    /** Sends one message; {@code lo} set means multicast out of the loopback interface. */
    static void send(MsgSt m, InetAddress to, int port, boolean broadcast, NetworkInterface lo)
            throws IOException {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            // From 127.0.0.1: the datagram's source is the loopback address, not the host's main
            // one.
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            if (broadcast) {
                ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            if (lo != null) {
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
                ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
                ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            }
            SocketAddress target = new InetSocketAddress(to, port);
            int n = ch.send(ByteBuffer.wrap(MsgSt.CODEC.encode(m)), target);
            System.out.println(
                    "sender: sent " + n + " bytes to " + to.getHostAddress() + ":" + port);
        }
    }
}
