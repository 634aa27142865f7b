package io.jipc.examples;

import java.net.InetAddress;
import java.net.NetworkInterface;

/**
 * The UDP multicast sender: {@code multicast-sender PORT NAME MATH CHINESE [GROUP]} sends one
 * {@link MsgSt} to GROUP:PORT with {@code IP_MULTICAST_IF} set to {@code lo} (so the datagram never
 * leaves the host), {@code IP_MULTICAST_LOOP} on and a TTL of 1. Receivers: {@code
 * multicast-receiver} or the C twin.
 */
public final class MulticastSender implements Example {
    /** Creates the example (a service). */
    public MulticastSender() {}

    @Override
    public String name() {
        return "multicast-sender";
    }

    @Override
    public String description() {
        return "UDP multicast sender: sends one struct msg_st to GROUP:PORT out of lo";
    }

    @Override
    public String cTwin() {
        return "multicast_sender.c";
    }

    @Override
    public int run(String... args) throws Exception {
        UsageError.requireCount(args, 4, 5, "PORT NAME MATH CHINESE [GROUP]");
        InetAddress group = InetAddress.getByName(UdpPrograms.arg(args, 4, "239.0.0.89"));
        UdpPrograms.send(
                MsgSt.parse(args, 1),
                group,
                Integer.parseInt(args[0]),
                false,
                NetworkInterface.getByName("lo"));
        return 0;
    }

    /**
     * Runs the example.
     *
     * @param args as {@link #run}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new MulticastSender(), args);
    }
}
