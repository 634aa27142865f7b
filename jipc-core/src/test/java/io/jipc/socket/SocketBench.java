package io.jipc.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Not a test: 64-byte ping-pong between two JVMs over jipc's Unix-domain sockets (stream, datagram,
 * seqpacket), the JDK's Unix-domain {@code SocketChannel} and the JDK's TCP loopback (TCP_NODELAY),
 * for the numbers quoted beside C ({@code src/test/resources/c/socket_bench.c}). Run with the test
 * class path: {@code java --enable-native-access=ALL-UNNAMED -cp jipc-core/target/classes:jipc-core/target/test-classes
 * io.jipc.socket.SocketBench KIND ROUNDS} with KIND one of {@code stream dgram seqpacket jdk-uds tcp}.
 */
public final class SocketBench {
    private static final int SIZE = 64;
    private static final int WARMUP = 20_000;

    private SocketBench() {
    }

    /**
     * Entry point.
     *
     * @param args KIND ROUNDS, or (the child) echo KIND ADDRESS
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("echo")) {
            echo(args[1], args[2]);
        } else {
            measure(args[0], Integer.parseInt(args[1]));
        }
    }

    private static Process child(String kind, String address) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SocketBench.class.getName(), "echo", kind, address));
        return new ProcessBuilder(cmd).inheritIO().start();
    }

    /** A channel for one message: send and receive exactly SIZE bytes. */
    private static void full(ByteChannel c, ByteBuffer b, boolean write) throws IOException {
        b.clear();
        while (b.hasRemaining()) {
            int n = write ? c.write(b) : c.read(b);
            if (n < 0) {
                throw new IOException("end of stream");
            }
        }
    }

    private static void measure(String kind, int rounds) throws Exception {
        String name = "jipc-bench-" + UUID.randomUUID();
        ByteChannel ch;
        Process p;
        switch (kind) {
            case "stream", "seqpacket" -> {
                SocketType t = kind.equals("stream") ? SocketType.STREAM : SocketType.SEQPACKET;
                try (UnixServerSocket srv = UnixServerSocket.bind(t, UnixAddress.ofAbstract(name), 0600)) {
                    p = child(kind, name);
                    ch = srv.accept();
                }
            }
            case "dgram" -> {
                UnixSocket s = UnixSocket.bind(UnixAddress.ofAbstract(name), 0600);
                p = child(kind, name);
                UnixSocket.Received hello = s.receive(ByteBuffer.allocateDirect(SIZE), 0);
                ch = s.connectTo(hello.sender());
            }
            case "jdk-uds" -> {
                Path path = Files.createTempDirectory("jipc-bench").resolve("s");
                try (ServerSocketChannel srv = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                        .bind(UnixDomainSocketAddress.of(path))) {
                    p = child(kind, path.toString());
                    ch = srv.accept();
                }
                Files.delete(path);
                Files.delete(path.getParent());
            }
            case "tcp" -> {
                try (ServerSocketChannel srv = ServerSocketChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                    p = child(kind, Integer.toString(((InetSocketAddress) srv.getLocalAddress()).getPort()));
                    SocketChannel c = srv.accept();
                    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch = c;
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(SIZE);
        long[] rtt = new long[rounds];
        for (int i = 0; i < WARMUP + rounds; i++) {
            long t0 = System.nanoTime();
            full(ch, b, true);
            full(ch, b, false);
            if (i >= WARMUP) {
                rtt[i - WARMUP] = System.nanoTime() - t0;
            }
        }
        if (kind.equals("dgram")) {
            ch.write(ByteBuffer.allocate(1)); // a datagram peer sees no close: say stop
        }
        ch.close();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Arrays.sort(rtt);
        System.out.printf("java %-9s rounds=%d p50=%.1fus p99=%.1fus%n", kind, rounds,
                rtt[rounds / 2] / 1000.0, rtt[(int) (rounds * 0.99)] / 1000.0);
    }

    private static void echo(String kind, String address) throws Exception {
        ByteChannel ch = switch (kind) {
            case "stream" -> UnixSocket.connect(SocketType.STREAM, UnixAddress.ofAbstract(address));
            case "seqpacket" -> UnixSocket.connect(SocketType.SEQPACKET, UnixAddress.ofAbstract(address));
            case "dgram" -> {
                UnixSocket s = UnixSocket.bind(UnixAddress.ofAbstract(address + "-child"), 0600);
                s.send(ByteBuffer.allocateDirect(SIZE), UnixAddress.ofAbstract(address));
                yield s.connectTo(UnixAddress.ofAbstract(address));
            }
            case "jdk-uds" -> SocketChannel.open(UnixDomainSocketAddress.of(address));
            case "tcp" -> {
                SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        Integer.parseInt(address)));
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                yield c;
            }
            default -> throw new IllegalArgumentException(kind);
        };
        ByteBuffer b = ByteBuffer.allocateDirect(SIZE);
        try (ch) {
            while (true) {
                b.clear();
                while (b.hasRemaining()) {
                    int n = ch.read(b);
                    if (n < 0 || (n == 1 && kind.equals("dgram"))) {
                        return;
                    }
                    if (kind.equals("dgram") || kind.equals("seqpacket")) {
                        break;
                    }
                }
                full(ch, b, true);
            }
        } catch (IOException e) {
            // the parent closed
        }
    }
}
