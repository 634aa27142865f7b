package io.jipc.examples;

import io.jipc.socket.SocketType;
import io.jipc.socket.UnixAddress;
import io.jipc.socket.UnixSocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A client of {@code poll-server}: {@code poll-client SOCKET LINE...} connects to the Unix-domain
 * stream socket SOCKET, sends each LINE, half-closes, and prints every reply line as {@code client:
 * REPLY} until the server closes. The C twin is {@code poll_client}.
 */
public final class PollClient implements Example {
    /** Creates the example (a service). */
    public PollClient() {}

    @Override
    public String name() {
        return "poll-client";
    }

    @Override
    public String description() {
        return "client of poll-server: sends LINEs over the Unix-domain socket SOCKET, prints the replies";
    }

    @Override
    public String cTwin() {
        return "poll_client.c";
    }

    @Override
    public int run(String... args) throws Exception {
        UsageError.requireCount(args, 2, Integer.MAX_VALUE, "SOCKET LINE...");
        try (UnixSocket s =
                UnixSocket.connect(SocketType.STREAM, UnixAddress.of(Path.of(args[0])))) {
            for (int i = 1; i < args.length; i++) {
                ByteBuffer line =
                        ByteBuffer.wrap((args[i] + "\n").getBytes(StandardCharsets.UTF_8));
                while (line.hasRemaining()) {
                    s.write(line);
                }
            }
            s.shutdownOutput();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (s.read(b.clear()) >= 0) {
                all.write(b.array(), 0, b.position());
            }
            for (String reply : all.toString(StandardCharsets.UTF_8).lines().toList()) {
                System.out.println("client: " + reply);
            }
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
        Examples.main(new PollClient(), args);
    }
}
