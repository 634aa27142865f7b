package io.jipc.examples;

import io.jipc.pipe.Child;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.ReadEnd;
import io.jipc.pipe.Spawn;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The TCP server with a pool of pre-started worker processes: {@code tcp-server [PORT [WORKERS
 * [PROGRAM ARGS...]]]} (1989 and 2 by default; port 0 picks a free one) listens on 127.0.0.1:PORT
 * once and starts WORKERS processes that all {@code accept} on that one listening socket. A client
 * sends one packed, network-order {@link MsgSt} and half-closes; the worker that got the connection
 * prints it and answers with the same scores and the name {@code NAME (served by worker PID)}, then
 * closes. Clients: {@code tcp-client} or the C twin {@code tcp_client}.
 *
 * <h2>The design: one listening socket, inherited by every worker</h2>
 *
 * The C twin is the course's pre-forked server: it binds and listens, then {@code fork()}s workers
 * that inherit the listening socket and all block in {@code accept()} on it; the kernel hands each
 * connection to one of them. A JVM cannot fork (a forked JVM would have one thread and a heap whose
 * other threads are gone), so this parent does the faithful equivalent with {@link Spawn}: it binds
 * and listens once (a plain JDK {@link ServerSocketChannel}), then starts each worker with that
 * socket as its descriptor 0 — the inetd convention, under which the JDK's {@link
 * System#inheritedChannel()} in the worker JVM returns the same listening socket as a {@code
 * ServerSocketChannel}. So, as in C, there is one socket and one accept queue for all workers: a
 * connection waits in the queue until some worker is free, workers never compete for a port, and a
 * worker that crashes loses at most the connection it was serving while the others go on accepting.
 * (The JDK's own {@link ProcessBuilder} could not do this: it passes no descriptor but 0, 1 and 2,
 * and only as pipes or files.)
 *
 * <p>Because the socket is shared at the kernel level, workers need not be JVMs: with PROGRAM,
 * every second worker runs {@code PROGRAM ARGS...} with the same descriptors, e.g. the C twin as
 * {@code tcp_server --worker}; and the C twin, given a Java worker command, runs every second
 * worker as a JVM. A worker's descriptors: 0 the listening socket, 1 and 2 this process's stdout
 * and stderr, 3 the read end of a "lifeline" pipe whose write end only this parent holds, so that
 * end-of-file on it tells a worker that the parent is gone. {@code tcp-server --worker} is the Java
 * worker.
 */
public final class TcpServer implements Example {
    /** The worker's lifeline: the read end of a pipe only the parent writes to. */
    static final int LIFELINE_FD = 3;

    /** Creates the example (a service). */
    public TcpServer() {}

    @Override
    public String name() {
        return "tcp-server";
    }

    @Override
    public String description() {
        return "TCP server: listens once on 127.0.0.1:PORT, WORKERS worker processes accept on the inherited socket"
                + " [PORT [WORKERS [WORKER-PROGRAM ARGS...]]]";
    }

    @Override
    public String cTwin() {
        return "tcp_server.c";
    }

    @Override
    public int run(String... args) throws Exception {
        if (args.length > 0 && args[0].equals("--worker")) {
            return worker();
        }
        int port = UdpPrograms.intArg(args, 0, UdpPrograms.PORT);
        int count = UdpPrograms.intArg(args, 1, 2);
        List<String> other =
                args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of();
        List<String> javaWorker = JavaCommand.of(TcpServer.class, "--worker");
        String otherName =
                other.isEmpty()
                        ? ""
                        : Path.of(other.get(0)).getFileName()
                                + " "
                                + String.join(" ", other.subList(1, other.size()));
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
                Pipe lifeline = Pipe.open()) {
            server.bind(new InetSocketAddress(lo, port), 128); // bind and listen, once
            port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            List<Child> workers = new CopyOnWriteArrayList<>();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> workers.forEach(TcpServer::stop)));
            for (int i = 0; i < count; i++) {
                boolean c = !other.isEmpty() && i % 2 == 1;
                Child w =
                        Spawn.of(c ? other : javaWorker)
                                .stdin(server)
                                .fd(LIFELINE_FD, lifeline.source())
                                .start();
                workers.add(w);
                System.out.println(
                        "server: worker " + w.pid() + " ready (" + (c ? otherName : "Java") + ")");
            }
            lifeline.source()
                    .close(); // only the workers hold the read end; this process holds the write
            // end
            System.out.println(
                    "server: listening on "
                            + lo.getHostAddress()
                            + ":"
                            + port
                            + " with "
                            + count
                            + " worker processes");
            System.out.flush();
            for (Child w : workers) {
                System.out.println("server: worker " + w.pid() + " " + w.waitFor());
                System.out.flush();
            }
        }
        return 0;
    }

    private static void stop(Child worker) {
        try {
            worker.destroy();
        } catch (IOException gone) {
            // already reaped
        }
    }

    /**
     * The worker: accepts on the listening socket inherited as fd 0 (inetd style), serves one
     * request per connection, and exits when the parent is gone (end-of-file on fd 3).
     */
    private static int worker() throws IOException {
        Channel inherited = System.inheritedChannel();
        if (!(inherited instanceof ServerSocketChannel server)) {
            System.err.println(
                    "tcp-server --worker: fd 0 must be a listening socket (the worker is started by tcp-server)");
            return 2;
        }
        long pid = ProcessHandle.current().pid();
        ReadEnd lifeline = ReadEnd.inherited(LIFELINE_FD);
        Thread.ofPlatform()
                .daemon()
                .start(
                        () -> {
                            try (lifeline) {
                                while (lifeline.read(ByteBuffer.allocate(1)) >= 0) {
                                    // nothing is sent; end-of-file means the parent is gone
                                }
                            } catch (IOException e) {
                                // same
                            }
                            System.exit(0);
                        });
        System.out.println("worker " + pid + ": accepting");
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
                ByteBuffer reply =
                        ByteBuffer.wrap(
                                MsgSt.CODEC.encode(
                                        new MsgSt(
                                                m.math(),
                                                m.chinese(),
                                                m.name() + " (served by worker " + pid + ")")));
                while (reply.hasRemaining()) {
                    c.write(reply);
                }
            } catch (ClosedChannelException e) {
                return 1;
            } catch (RuntimeException | IOException e) {
                System.err.println("worker " + pid + ": " + e.getMessage());
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
        Examples.main(new TcpServer(), args);
    }
}
