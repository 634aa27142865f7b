package io.jipc.pipe;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: measures a pipe between two JVMs, for the numbers quoted beside C
 * ({@code src/test/resources/c/pipe_bench.c}). Run with the test class path:
 * {@code java --enable-native-access=ALL-UNNAMED -cp jipc-core/target/classes:jipc-core/target/test-classes
 * io.jipc.pipe.PipeBench [throughput MiB CAPACITY | pingpong ROUNDS]}.
 */
public final class PipeBench {
    private PipeBench() {
    }

    static List<String> self(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                PipeBench.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Entry point.
     *
     * @param args the mode and its parameters
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "throughput" -> throughput(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "pingpong" -> pingpong(Integer.parseInt(args[1]));
            case "sink" -> sink();
            case "echo" -> echo();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Parent writes MiB chunks of 1 MiB; the child reads and reports. */
    static void throughput(int mib, int capacity) throws Exception {
        try (Pipe p = Pipe.open(); Pipe back = Pipe.open()) {
            if (capacity > 0) {
                p.sink().setCapacity(capacity);
            }
            Child c = Spawn.of(self("sink")).fd(3, p.source()).stdout(back.sink()).start();
            p.source().close();
            back.sink().close();
            ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
            for (int i = 0; i < mib; i++) {
                p.sink().write(chunk.clear());
            }
            p.sink().close();
            System.out.print(new String(back.source().inputStream().readAllBytes()));
            c.waitFor();
        }
    }

    static void sink() throws Exception {
        try (ReadEnd in = ReadEnd.inherited(3)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            long total = 0;
            long start = 0;
            long warm = 256L << 20;
            long measured = 0;
            for (int r; (r = in.read(buf.clear())) >= 0; ) {
                total += r;
                if (start == 0 && total >= warm) {
                    start = System.nanoTime();
                    measured = total;
                }
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf("java pipe 1MiB writes: %.2f GB/s (%d MiB after %d MiB warm-up)%n",
                    (total - measured) / s / 1e9, (total - measured) >> 20, measured >> 20);
        }
    }

    /** Parent sends 64 bytes, the child echoes them; RTT percentiles. */
    static void pingpong(int rounds) throws Exception {
        try (Pipe there = Pipe.open(); Pipe back = Pipe.open()) {
            Child c = Spawn.of(self("echo")).fd(3, there.source()).fd(4, back.sink()).start();
            there.source().close();
            back.sink().close();
            ByteBuffer msg = ByteBuffer.allocateDirect(64);
            int warm = 20_000;
            long[] rtt = new long[rounds];
            for (int i = 0; i < warm + rounds; i++) {
                long t0 = System.nanoTime();
                there.sink().write(msg.clear());
                msg.clear();
                while (msg.hasRemaining()) {
                    back.source().read(msg);
                }
                if (i >= warm) {
                    rtt[i - warm] = System.nanoTime() - t0;
                }
            }
            there.sink().close();
            c.waitFor();
            Arrays.sort(rtt);
            System.out.printf("java pipe 64B ping-pong: RTT p50 %.1f us, p99 %.1f us, mean %.1f us (%d rounds)%n",
                    rtt[rounds / 2] / 1e3, rtt[(int) (rounds * 0.99)] / 1e3,
                    Arrays.stream(rtt).average().orElse(0) / 1e3, rounds);
        }
    }

    static void echo() throws Exception {
        try (ReadEnd in = ReadEnd.inherited(3); WriteEnd out = WriteEnd.inherited(4)) {
            ByteBuffer msg = ByteBuffer.allocateDirect(64);
            while (true) {
                msg.clear();
                while (msg.hasRemaining()) {
                    if (in.read(msg) < 0) {
                        return;
                    }
                }
                out.write(msg.flip());
            }
        }
    }
}
