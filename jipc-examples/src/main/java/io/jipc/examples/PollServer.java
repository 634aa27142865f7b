package io.jipc.examples;

import io.jipc.Descriptor;
import io.jipc.pipe.Child;
import io.jipc.pipe.Fifo;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.ReadEnd;
import io.jipc.pipe.Spawn;
import io.jipc.pipe.WriteEnd;
import io.jipc.poll.Poller;
import io.jipc.poll.Readiness;
import io.jipc.socket.SocketType;
import io.jipc.socket.UnixAddress;
import io.jipc.socket.UnixServerSocket;
import io.jipc.socket.UnixSocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * One thread, many descriptors: {@code poll-server FIFO SOCKET [CHILD-COMMAND...]} creates the FIFO
 * (0600), listens on the Unix-domain stream socket SOCKET (0600) and starts a child whose stdout is
 * a pipe to this process (by default {@code echo hello from the child}), then waits for all of them
 * at once with a {@link Poller} (epoll) and prints every line that arrives, saying where it came
 * from: {@code fifo: LINE}, {@code child: LINE}, {@code socket N: LINE}. Each line from a socket
 * client is answered with {@code echo LINE}. A line {@code quit} from any of them ends the server,
 * which then removes the FIFO and the socket file. Writers: {@code fifo-writer FIFO LINE...} or the
 * C {@code fifo_writer}, or {@code echo LINE > FIFO}; socket clients: {@code poll-client} or the C
 * {@code poll_client}. The C twin {@code poll_server} does the same with epoll(7) directly.
 *
 * <p>What it shows: readiness, not threads. The listening socket is ready to {@code ACCEPT}, the
 * FIFO, the pipe and the connections are ready to {@code READ}; a read of a ready descriptor does
 * not block, so one thread serves them all in turn. Two details every such server needs: the FIFO
 * is opened for reading without waiting for a writer, and the server keeps a write end of it open
 * itself, so that writers may come and go without the FIFO reporting hang-up (end-of-file) in
 * between; and a source that reaches end-of-file is closed, which also removes it from the poller
 * (level triggering would otherwise report it on every poll).
 */
public final class PollServer implements Example {
    /** Creates the example (a service). */
    public PollServer() {}

    @Override
    public String name() {
        return "poll-server";
    }

    @Override
    public String description() {
        return "one thread serves a FIFO, a child's pipe and a UDS server with a Poller (epoll): FIFO SOCKET [CHILD-COMMAND...]";
    }

    @Override
    public String cTwin() {
        return "poll_server.c";
    }

    /** What a key stands for, and the bytes of its unfinished line. */
    private record Source(String label, ByteArrayOutputStream partial) {
        Source(String label) {
            this(label, new ByteArrayOutputStream());
        }
    }

    @Override
    public int run(String... args) throws Exception {
        UsageError.requireCount(args, 2, Integer.MAX_VALUE, "FIFO SOCKET [CHILD-COMMAND...]");
        List<String> childCommand =
                args.length > 2
                        ? Arrays.asList(args).subList(2, args.length)
                        : List.of("echo", "hello from the child");
        Fifo fifo = Fifo.create(Path.of(args[0]), 0600);
        UnixServerSocket server = null;
        WriteEnd keepOpen = null;
        Child child = null;
        try (Poller poller = Poller.open();
                ReadEnd fifoIn = fifo.openReaderNonBlocking(); // no writer needed yet
                Pipe fromChild = Pipe.open()) {
            keepOpen = fifo.openWriterNonBlocking(); // writers may come and go: never end-of-file
            server =
                    UnixServerSocket.bind(
                            SocketType.STREAM, UnixAddress.of(Path.of(args[1])), 0600);
            child = Spawn.of(childCommand).stdout(fromChild.sink()).start();
            fromChild.sink().close(); // end-of-file once the child's copy is closed too
            poller.register(fifoIn, EnumSet.of(Readiness.READ)).attach(new Source("fifo"));
            poller.register(fromChild.source(), EnumSet.of(Readiness.READ))
                    .attach(new Source("child"));
            Poller.Key accepting = poller.register(server, EnumSet.of(Readiness.ACCEPT));
            System.out.println(
                    "poll-server: FIFO "
                            + args[0]
                            + ", socket "
                            + args[1]
                            + ", child "
                            + child.pid()
                            + "; waiting");
            System.out.flush();
            int clients = 0;
            while (true) {
                for (Poller.Key k : poller.poll()) {
                    if (k == accepting) {
                        UnixSocket c = server.accept();
                        clients++;
                        poller.register(c, EnumSet.of(Readiness.READ))
                                .attach(new Source("socket " + clients));
                        continue;
                    }
                    if (serve(k)) {
                        System.out.println("poll-server: quit");
                        return 0;
                    }
                }
                System.out.flush();
            }
        } finally {
            if (keepOpen != null) {
                keepOpen.close();
            }
            if (server != null) {
                server.remove();
            }
            fifo.remove();
            if (child != null) {
                child.destroy();
                child.waitFor();
            }
        }
    }

    /** Reads what the ready source has, prints complete lines; true when one of them is "quit". */
    private static boolean serve(Poller.Key k) throws IOException {
        Source s = (Source) k.attachment();
        Descriptor d = k.descriptor();
        ByteBuffer b = ByteBuffer.allocate(4096);
        int n;
        try {
            n = d instanceof UnixSocket sock ? sock.read(b) : ((ReadEnd) d).read(b);
        } catch (IOException e) {
            n = -1; // a client that reset its connection
        }
        boolean quit = false;
        for (int i = 0; i < Math.max(n, 0); i++) {
            byte c = b.get(i);
            if (c != '\n') {
                s.partial().write(c);
                continue;
            }
            String line = s.partial().toString(StandardCharsets.UTF_8);
            s.partial().reset();
            System.out.println(s.label() + ": " + line);
            if (d instanceof UnixSocket sock) {
                sock.write(
                        ByteBuffer.wrap(("echo " + line + "\n").getBytes(StandardCharsets.UTF_8)));
            }
            quit |= line.equals("quit");
        }
        if (n < 0) {
            System.out.println(s.label() + ": end of file");
            d.close(); // also leaves the poller
        }
        return quit;
    }

    /**
     * Runs the example.
     *
     * @param args as {@link #run}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new PollServer(), args);
    }
}
