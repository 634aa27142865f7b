package io.jipc.examples;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

/**
 * The UDP broadcast receiver: {@code broadcast-receiver [PORT [COUNT [ADDRESS]]]} binds the
 * broadcast address (127.255.255.255, the loopback network's, by default) and PORT with {@code
 * SO_REUSEADDR}, so that several receivers on the host get every broadcast, and prints each {@link
 * MsgSt}. Binding the broadcast address rather than 0.0.0.0 keeps unicast traffic and other
 * networks out. Senders: {@code broadcast-sender} or the C twin.
 */
public final class BroadcastReceiver implements Example {
    /** Creates the example (a service). */
    public BroadcastReceiver() {}

    @Override
    public String name() {
        return "broadcast-receiver";
    }

    @Override
    public String description() {
        return "UDP broadcast receiver: binds 0.0.0.0:PORT, prints each struct msg_st broadcast to it";
    }

    @Override
    public String cTwin() {
        return "broadcast_receiver.c";
    }

    @Override
    public int run(String... args) throws Exception {
        int port = UdpPrograms.intArg(args, 0, UdpPrograms.PORT);
        int count = UdpPrograms.intArg(args, 1, 0);
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(port));
            UdpPrograms.receive(ch, "listening for broadcasts", count);
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
        Examples.main(new BroadcastReceiver(), args);
    }
}
