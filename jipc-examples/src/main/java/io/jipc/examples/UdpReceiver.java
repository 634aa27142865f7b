package io.jipc.examples;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

/**
 * The UDP receiver, the passive end: {@code udp-receiver [PORT [COUNT]]} binds 127.0.0.1:PORT (1989
 * by default; 0 picks a free port and prints it) with a {@link DatagramChannel}, then prints each
 * {@link MsgSt} it receives; it stops after COUNT messages (0, the default: never). Senders: {@code
 * udp-sender} or the C twin {@code udp_sender}.
 */
public final class UdpReceiver implements Example {
    /** Creates the example (a service). */
    public UdpReceiver() {}

    @Override
    public String name() {
        return "udp-receiver";
    }

    @Override
    public String description() {
        return "UDP receiver (passive end, binds first): prints each struct msg_st sent to 127.0.0.1:PORT";
    }

    @Override
    public String cTwin() {
        return "udp_receiver.c";
    }

    @Override
    public int run(String... args) throws Exception {
        int port = UdpPrograms.intArg(args, 0, UdpPrograms.PORT);
        int count = UdpPrograms.intArg(args, 1, 0);
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            UdpPrograms.receive(ch, "listening", count);
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
        Examples.main(new UdpReceiver(), args);
    }
}
