package io.jipc.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP server with a pool of worker processes: {@code tcp-server [PORT [WORKERS]]} (1989 and 2
 * by default; port 0 picks a free one) starts WORKERS processes that each accept connections on
 * 127.0.0.1:PORT. A client sends one packed, network-order {@link MsgSt} and half-closes; the
 * worker that got the connection prints it and answers with the same scores and the name
 * {@code NAME (served by worker PID)}, then closes. Clients: {@code tcp-client} or the C twin
 * {@code tcp_client}.
 *
 * <h2>The model: pre-started worker processes sharing the port through {@code SO_REUSEPORT}</h2>
 * The C twin pre-forks: it listens, then fork()s workers that inherit the listening socket and all
 * block in accept() on it. A JVM cannot fork, and the JDK cannot give a child process a socket
 * (no descriptor inheritance in {@link ProcessBuilder}, no public descriptor of a channel). So each
 * worker here is a JVM that opens its own listening socket on the same address with
 * {@code SO_REUSEPORT}, and the kernel spreads incoming connections over the workers' sockets (by a
 * hash of the client's address and port) — the same pool of processes blocked in accept(), but
 * with one queue per worker instead of one shared queue. The parent first reserves the port with a
 * bound, non-listening socket (so port 0 works and no other user can take the port between
 * workers), starts the workers, prints their pids and waits. Processes rather than threads because
 * that is the seed's design and what it shows: a worker that crashes takes only its own
 * connections with it. The cost: connections already queued on a worker that dies are reset.
 * Workers exit when the parent dies (they watch their stdin, a pipe from the parent).
 */
public final class TcpServer implements Example {
    /** Creates the example (a service). */
    public TcpServer() {
    }

    @Override
    public String name() {
        return "tcp-server";
    }

    @Override
    public String description() {
        return "TCP server: WORKERS worker processes (SO_REUSEPORT) answer struct msg_st on 127.0.0.1:PORT";
    }

    @Override
    public String cTwin() {
        return "tcp_server.c";
    }

    @Override
    public int run(String... args) throws Exception {
        if (args.length == 2 && args[0].equals("worker")) {
            return worker(Integer.parseInt(args[1]));
        }
        int port = UdpPrograms.intArg(args, 0, UdpPrograms.PORT);
        int count = UdpPrograms.intArg(args, 1, 2);
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (SocketChannel reservation = SocketChannel.open(StandardProtocolFamily.INET)) {
            reservation.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            reservation.bind(new InetSocketAddress(lo, port));
            port = ((InetSocketAddress) reservation.getLocalAddress()).getPort();
            List<Process> workers = new ArrayList<>();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> workers.forEach(Process::destroy)));
            for (int i = 0; i < count; i++) {
                Process w = new ProcessBuilder(JavaCommand.of(TcpServer.class, "worker", Integer.toString(port)))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                workers.add(w);
                BufferedReader out = new BufferedReader(new InputStreamReader(w.getInputStream(), StandardCharsets.UTF_8));
                String first = out.readLine();
                if (first == null || !first.equals("ready")) {
                    System.err.println("tcp-server: worker " + w.pid() + " failed to start");
                    return 1;
                }
                System.out.println("server: worker " + w.pid() + " ready");
                Thread.ofPlatform().daemon().start(() -> copy(out));
            }
            System.out.println("server: listening on " + lo.getHostAddress() + ":" + port + " with " + count + " worker processes");
            System.out.flush();
            for (Process w : workers) {
                w.waitFor();
            }
        }
        return 0;
    }

    private static void copy(BufferedReader from) {
        try {
            for (String line; (line = from.readLine()) != null; ) {
                System.out.println(line);
                System.out.flush();
            }
        } catch (IOException e) {
            // the worker is gone
        }
    }

    private static int worker(int port) throws IOException {
        long pid = ProcessHandle.current().pid();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            Thread.ofPlatform().daemon().start(() -> {
                try (InputStream parent = System.in) {
                    while (parent.read() >= 0) {
                        // nothing is sent; end of file means the parent is gone
                    }
                } catch (IOException e) {
                    // same
                }
                System.exit(0);
            });
            System.out.println("ready");
            System.out.flush();
            while (true) {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer in = ByteBuffer.allocate(MsgSt.MAX);
                    while (in.hasRemaining() && c.read(in) >= 0) {
                        // until the client half-closes
                    }
                    MsgSt m = MsgSt.CODEC.decode(in.flip());
                    System.out.println("worker " + pid + ": " + m.describe());
                    System.out.flush();
                    ByteBuffer reply = ByteBuffer.wrap(MsgSt.CODEC.encode(
                            new MsgSt(m.math(), m.chinese(), m.name() + " (served by worker " + pid + ")")));
                    while (reply.hasRemaining()) {
                        c.write(reply);
                    }
                } catch (RuntimeException | IOException e) {
                    System.err.println("worker " + pid + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * Runs the example.
     *
     * @param args as {@link #run}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        System.exit(new TcpServer().run(args));
    }
}
