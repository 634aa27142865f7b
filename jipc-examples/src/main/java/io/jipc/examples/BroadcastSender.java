package io.jipc.examples;

import java.net.InetAddress;

/**
 * The UDP broadcast sender: {@code broadcast-sender PORT NAME MATH CHINESE [ADDRESS]} sets {@code
 * SO_BROADCAST} (without it the kernel refuses a broadcast address with EACCES) and sends one
 * {@link MsgSt} to the broadcast address, by default the loopback network's 127.255.255.255, which
 * never leaves the host. Receivers: {@code broadcast-receiver} or the C twin.
 */
public final class BroadcastSender implements Example {
    /** Creates the example (a service). */
    public BroadcastSender() {}

    @Override
    public String name() {
        return "broadcast-sender";
    }

    @Override
    public String description() {
        return "UDP broadcast sender: broadcasts one struct msg_st to 127.255.255.255:PORT (SO_BROADCAST)";
    }

    @Override
    public String cTwin() {
        return "broadcast_sender.c";
    }

    @Override
    public int run(String... args) throws Exception {
        UsageError.requireCount(args, 4, 5, "PORT NAME MATH CHINESE [ADDRESS]");
        InetAddress bcast = InetAddress.getByName(UdpPrograms.arg(args, 4, "127.255.255.255"));
        UdpPrograms.send(MsgSt.parse(args, 1), bcast, Integer.parseInt(args[0]), true, null);
        return 0;
    }

    /**
     * Runs the example.
     *
     * @param args as {@link #run}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new BroadcastSender(), args);
    }
}
