package io.jipc.examples;

import java.net.InetAddress;
import java.nio.channels.DatagramChannel;

/**
 * The UDP sender, the active end: {@code udp-sender PORT NAME MATH CHINESE} sends one packed,
 * network-order {@link MsgSt} to 127.0.0.1:PORT from a {@link DatagramChannel} bound to 127.0.0.1
 * (the kernel picks its port). Receivers: {@code udp-receiver} or the C twin {@code udp_receiver}.
 */
public final class UdpSender implements Example {
    /** Creates the example (a service). */
    public UdpSender() {}

    @Override
    public String name() {
        return "udp-sender";
    }

    @Override
    public String description() {
        return "UDP sender (active end): sends one struct msg_st NAME MATH CHINESE to 127.0.0.1:PORT";
    }

    @Override
    public String cTwin() {
        return "udp_sender.c";
    }

    @Override
    public int run(String... args) throws Exception {
        UsageError.requireCount(args, 4, 4, "PORT NAME MATH CHINESE");
        UdpPrograms.send(
                MsgSt.parse(args, 1),
                InetAddress.getLoopbackAddress(),
                Integer.parseInt(args[0]),
                false,
                null);
        return 0;
    }

    /**
     * Runs the example.
     *
     * @param args as {@link #run}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new UdpSender(), args);
    }
}
