package io.jipc.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

/**
 * The measurement protocol both sides run, the same as {@code bench_peer.c}: ping-pongs of 64 bytes
 * (the parent times the last {@code rounds}), then one-way runs of 64-byte and 4 KiB messages, each
 * ended by a 64-byte ack from the child that carries the count it received.
 */
final class Protocol {
    static final int SMALL = 64;

    /**
     * One-way phases: an untimed warm-up of a fifth of the messages before each timed run, so that
     * the JIT has compiled the one-way paths of both JVMs (the C pair does the same).
     */
    static final int PHASES = 4;

    static final int[] SIZES = {SMALL, SMALL, Link.BIG, Link.BIG};

    static long[] counts(long n64, long n4k) {
        return new long[] {n64 / 5, n64, n4k / 5, n4k};
    }

    private Protocol() {}

    /** What one run of one pair measured. */
    record Run(long[] rttNs, long count64, long ns64, long count4k, long ns4k) {
        /**
         * Parses the C/Python/JNA pair's output: "rtt NS ...", "thr 64 COUNT NS", "thr 4096 COUNT
         * NS".
         */
        static Run parse(String text) {
            long[] rtt = null;
            long[] thr = new long[4];
            for (String line : text.split("\n")) {
                String[] w = line.trim().split(" ");
                if (w[0].equals("rtt")) {
                    rtt = new long[w.length - 1];
                    for (int i = 1; i < w.length; i++) {
                        rtt[i - 1] = Long.parseLong(w[i]);
                    }
                } else if (w[0].equals("thr") && w.length == 4) {
                    int at = w[1].equals("64") ? 0 : 2;
                    thr[at] = Long.parseLong(w[2]);
                    thr[at + 1] = Long.parseLong(w[3]);
                }
            }
            if (rtt == null) {
                throw new IllegalStateException(
                        "no 'rtt' line in the pair's output: "
                                + (text.isBlank()
                                        ? "(empty)"
                                        : text.lines().findFirst().orElse("")));
            }
            Arrays.sort(rtt);
            return new Run(rtt, thr[0], thr[1], thr[2], thr[3]);
        }

        /** The text {@link #parse} reads (what {@code bench_peer.c} prints). */
        String format() {
            StringBuilder b = new StringBuilder("rtt");
            for (long r : rttNs) {
                b.append(' ').append(r);
            }
            return b.append("\nthr 64 ")
                    .append(count64)
                    .append(' ')
                    .append(ns64)
                    .append("\nthr ")
                    .append(Link.BIG)
                    .append(' ')
                    .append(count4k)
                    .append(' ')
                    .append(ns4k)
                    .append('\n')
                    .toString();
        }
    }

    /**
     * Messages per call of the one-way loops. The JIT compiles a method after a few thousand calls,
     * but a loop inside one call only after some 60,000 iterations (on-stack replacement): so every
     * round trip is one call of {@link #roundTrip} and the one-way runs go in calls of {@code
     * CHUNK} messages, and the warm-up leaves compiled code for the timed part.
     */
    static final int CHUNK = 16;

    /**
     * Round trips of the Java pair's untimed dry run, which runs the whole protocol once before the
     * timed run so that the JIT has compiled every path of both JVMs; the driver decides it and
     * tells the peer. At least 30,000 when both sides share a CPU, 10,000 on two CPUs (for runs of
     * 1,000 timed round trips or more): the JIT's C2 tier takes a method called per round trip
     * after some thousands of calls, later when its queue is long, and a shorter dry run left those
     * compilations to the timed run (measured with {@code jipc.bench.debug}); on two CPUs each
     * round trip is some 20 times longer, which gives the compilers the time instead.
     */
    static int dryRounds(int rounds, boolean sameCpu) {
        return rounds >= 1_000 ? Math.max(rounds, sameCpu ? 30_000 : 10_000) : rounds;
    }

    /** One-way messages of a phase of the dry run (see {@link #dryRounds}). */
    static long dry(long n) {
        return Math.min(n, 20_000);
    }

    /**
     * Whether the Java pair makes its dry run (system property {@code jipc.bench.dryRun}, default
     * true; the system-call parity test turns it off to count the timed protocol only).
     */
    static final boolean DRY_RUN = !"false".equals(System.getProperty("jipc.bench.dryRun"));

    /**
     * Waits until this JVM's JIT compilers have finished nothing new for 300 ms (at most 4 s), so
     * that compiler threads do not share the measuring CPU with the timed run. (Run with {@code
     * -Djipc.bench.jvmArgs=-Djipc.bench.debug=true} to see, on the pair's stderr, how many
     * milliseconds the JIT still compiled during the timed run.)
     */
    static void awaitJitQuiet() {
        java.lang.management.CompilationMXBean jit =
                java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long start = System.nanoTime();
        long quietSince = start;
        long last = jit.getTotalCompilationTime();
        while (System.nanoTime() - start < 4_000_000_000L) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long t = jit.getTotalCompilationTime();
            long now = System.nanoTime();
            if (t != last) {
                last = t;
                quietSince = now;
            } else if (now - quietSince >= 300_000_000L) {
                return;
            }
        }
    }

    /** This JVM's total JIT compilation time so far, in ms (0 if not monitored). */
    static long jitMillis() {
        java.lang.management.CompilationMXBean jit =
                java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported()
                ? jit.getTotalCompilationTime()
                : 0;
    }

    /** The parent's side. */
    static Run parent(Link link, Mechanism m, int warm, int rounds, long n64, long n4k)
            throws IOException {
        long[] rtt = new long[rounds];
        for (int i = 0; i < warm; i++) {
            roundTrip(link);
        }
        for (int i = 0; i < rounds; i++) {
            rtt[i] = roundTrip(link);
        }
        long[] counts = new long[PHASES];
        long[] took = new long[PHASES];
        long[] ns = counts(n64, n4k);
        for (int p = 0; p < PHASES; p++) {
            long t0 = System.nanoTime();
            for (long i = 0; i < ns[p]; i += CHUNK) {
                sendChunk(link, SIZES[p], i, Math.min(CHUNK, ns[p] - i));
            }
            if (link instanceof UdpLink u) {
                u.endMarkers((byte) (p + 1));
            } else {
                link.receive(SMALL);
            }
            took[p] = System.nanoTime() - t0;
            counts[p] =
                    !m.carriesData() ? ns[p] : link.buf.order(ByteOrder.nativeOrder()).getLong(0);
        }
        Arrays.sort(rtt);
        return new Run(rtt, counts[1], took[1], counts[3], took[3]);
    }

    /** One timed ping-pong. */
    private static long roundTrip(Link link) throws IOException {
        long t0 = System.nanoTime();
        link.send(SMALL);
        link.receive(SMALL);
        return System.nanoTime() - t0;
    }

    /** One-way data messages {@code from .. from + n - 1}. */
    private static void sendChunk(Link link, int size, long from, long n) throws IOException {
        for (long i = from; i < from + n; i++) {
            link.sendData(size, i);
        }
    }

    /** The child's side. */
    static void child(Link link, Mechanism m, int warm, int rounds, long n64, long n4k)
            throws IOException {
        for (int i = 0; i < warm + rounds; i++) {
            echo(link);
        }
        long[] ns = counts(n64, n4k);
        for (int p = 0; p < PHASES; p++) {
            long count = 0;
            for (long i = 0; i < ns[p]; ) {
                int got = receiveChunk(link, m, p, SIZES[p], i, (int) Math.min(CHUNK, ns[p] - i));
                if (got < 0) {
                    count += -got - 1;
                    break; // this phase's UDP end marker
                }
                count += got;
                i += got;
            }
            link.buf.clear();
            link.buf.order(ByteOrder.nativeOrder()).putLong(0, count);
            link.send(SMALL);
        }
    }

    /** One ping-pong, the child's half. */
    private static void echo(Link link) throws IOException {
        link.receive(SMALL);
        link.send(SMALL);
    }

    /**
     * Receives one-way messages {@code from .. from + n - 1}: the number received, or {@code
     * -(received + 1)} when the phase's UDP end marker came first.
     */
    private static int receiveChunk(Link link, Mechanism m, int phase, int size, long from, int n)
            throws IOException {
        int got = 0;
        while (got < n) {
            int r = link.receiveData(size, from + got);
            if (m == Mechanism.UDP && r == 1) {
                if (link.buf.get(0) == phase + 1) {
                    return -(got + 1); // this phase's end marker
                }
                continue; // a late marker of the previous phase
            }
            got++;
        }
        return got;
    }

    /**
     * UDP: datagrams can be dropped, so the end of a one-way run is a marker sent until acked: one
     * marker, then a wait of up to 2 ms for the ack, as the C pair does with poll(2).
     */
    static final class UdpLink extends Link.ChannelLink {
        private final DatagramChannel ch;
        private final byte[] ack = new byte[SMALL];

        UdpLink(DatagramChannel ch) {
            super(ch, ch, false);
            this.ch = ch;
        }

        void endMarkers(byte phase) throws IOException {
            ByteBuffer mark = ByteBuffer.allocateDirect(1);
            java.net.DatagramSocket socket = ch.socket();
            socket.setSoTimeout(2);
            try {
                while (true) {
                    ch.write(mark.clear().put(0, phase));
                    java.net.DatagramPacket packet = new java.net.DatagramPacket(ack, SMALL);
                    try {
                        socket.receive(packet); // the timed wait (poll) and the receive
                    } catch (java.net.SocketTimeoutException e) {
                        continue;
                    }
                    if (packet.getLength() == SMALL) {
                        buf.clear().put(0, ack, 0, SMALL);
                        return;
                    }
                }
            } finally {
                socket.setSoTimeout(0);
            }
        }
    }
}
