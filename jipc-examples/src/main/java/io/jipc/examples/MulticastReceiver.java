package io.jipc.examples;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

/**
 * The UDP multicast receiver: {@code multicast-receiver [PORT [COUNT [GROUP]]]} binds GROUP:PORT
 * (239.0.0.89, an organisation-local group, by default) with {@code SO_REUSEADDR} and joins the
 * group on the loopback interface {@code lo} ({@link DatagramChannel#join}); it prints each {@link
 * MsgSt}. Linux delivers multicast on {@code lo} although {@code ip link show lo} lacks the
 * MULTICAST flag (the flag only matters to link-layer filtering); nothing leaves the host. Senders:
 * {@code multicast-sender} or the C twin.
 */
public final class MulticastReceiver implements Example {
    /** Creates the example (a service). */
    public MulticastReceiver() {}

    @Override
    public String name() {
        return "multicast-receiver";
    }

    @Override
    public String description() {
        return "UDP multicast receiver: joins GROUP (239.0.0.89) on lo, prints each struct msg_st sent to GROUP:PORT";
    }

    @Override
    public String cTwin() {
        return "multicast_receiver.c";
    }

    @Override
    public int run(String... args) throws Exception {
        int port = UdpPrograms.intArg(args, 0, UdpPrograms.PORT);
        int count = UdpPrograms.intArg(args, 1, 0);
        InetAddress group = InetAddress.getByName(UdpPrograms.arg(args, 2, "239.0.0.89"));
        NetworkInterface lo = NetworkInterface.getByName("lo");
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(group, port));
            ch.join(group, lo);
            UdpPrograms.receive(
                    ch, "joined " + group.getHostAddress() + " on lo, listening", count);
        }
        return 0;
    }

    /**
     * Runs the example.
     *
     * @param args as {@link #run}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new MulticastReceiver(), args);
    }
}
