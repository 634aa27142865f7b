package io.jipc.examples;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The TCP client: {@code tcp-client PORT NAME MATH CHINESE} connects to 127.0.0.1:PORT, sends one
 * packed, network-order {@link MsgSt}, half-closes (that ends the request), reads the reply until
 * the server closes and prints it. Servers: {@code tcp-server} or the C twin {@code tcp_server}.
 */
public final class TcpClient implements Example {
    /** Creates the example (a service). */
    public TcpClient() {}

    @Override
    public String name() {
        return "tcp-client";
    }

    @Override
    public String description() {
        return "TCP client: sends one struct msg_st NAME MATH CHINESE to 127.0.0.1:PORT, prints the reply";
    }

    @Override
    public String cTwin() {
        return "tcp_client.c";
    }

    @Override
    public int run(String... args) throws Exception {
        UsageError.requireCount(args, 4, 4, "PORT NAME MATH CHINESE");
        MsgSt m = MsgSt.parse(args, 1);
        try (SocketChannel c =
                SocketChannel.open(
                        new InetSocketAddress(
                                InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])))) {
            ByteBuffer out = ByteBuffer.wrap(MsgSt.CODEC.encode(m));
            while (out.hasRemaining()) {
                c.write(out);
            }
            c.shutdownOutput();
            ByteBuffer in = ByteBuffer.allocate(MsgSt.MAX);
            while (in.hasRemaining() && c.read(in) >= 0) {
                // until the server closes
            }
            System.out.println("client: reply " + MsgSt.CODEC.decode(in.flip()).describe());
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
        Examples.main(new TcpClient(), args);
    }
}
