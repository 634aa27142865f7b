package io.jipc.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

/**
 * The measurement protocol both sides run, the same as {@code bench_peer.c}: ping-pongs of 64
 * bytes (the parent times the last {@code rounds}), then one-way runs of 64-byte and 4 KiB
 * messages, each ended by a 64-byte ack from the child that carries the count it received.
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

    private Protocol() {
    }

    /** What one run of one pair measured. */
    record Run(long[] rttNs, long count64, long ns64, long count4k, long ns4k) {
        /**
         * Parses the C/Python/JNA pair's output: "rtt NS ...", "thr 64 COUNT NS", "thr 4096 COUNT NS".
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
                throw new IllegalStateException("no 'rtt' line in the pair's output: "
                        + (text.isBlank() ? "(empty)" : text.lines().findFirst().orElse("")));
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
            return b.append("\nthr 64 ").append(count64).append(' ').append(ns64).append("\nthr ").append(Link.BIG)
                    .append(' ').append(count4k).append(' ').append(ns4k).append('\n').toString();
        }
    }

    /** The parent's side. */
    static Run parent(Link link, Mechanism m, int warm, int rounds, long n64, long n4k) throws IOException {
        long[] rtt = new long[rounds];
        for (int i = 0; i < warm + rounds; i++) {
            long t0 = System.nanoTime();
            link.send(SMALL);
            link.receive(SMALL);
            if (i >= warm) {
                rtt[i - warm] = System.nanoTime() - t0;
            }
        }
        long[] counts = new long[PHASES];
        long[] took = new long[PHASES];
        long[] ns = counts(n64, n4k);
        for (int p = 0; p < PHASES; p++) {
            long t0 = System.nanoTime();
            for (long i = 0; i < ns[p]; i++) {
                link.sendData(SIZES[p], i);
            }
            if (link instanceof UdpLink u) {
                u.endMarkers((byte) (p + 1));
            } else {
                link.receive(SMALL);
            }
            took[p] = System.nanoTime() - t0;
            counts[p] = !m.carriesData() ? ns[p] : link.buf.order(ByteOrder.nativeOrder()).getLong(0);
        }
        Arrays.sort(rtt);
        return new Run(rtt, counts[1], took[1], counts[3], took[3]);
    }

    /** The child's side. */
    static void child(Link link, Mechanism m, int warm, int rounds, long n64, long n4k) throws IOException {
        for (int i = 0; i < warm + rounds; i++) {
            link.receive(SMALL);
            link.send(SMALL);
        }
        long[] ns = counts(n64, n4k);
        for (int p = 0; p < PHASES; p++) {
            long count = 0;
            for (long i = 0; i < ns[p]; i++) {
                int r = link.receiveData(SIZES[p], i);
                if (m == Mechanism.UDP && r == 1) {
                    if (link.buf.get(0) == p + 1) {
                        break; // this phase's end marker
                    }
                    i--; // a late marker of the previous phase
                    continue;
                }
                count++;
            }
            link.buf.clear();
            link.buf.order(ByteOrder.nativeOrder()).putLong(0, count);
            link.send(SMALL);
        }
    }

    /** UDP: datagrams can be dropped, so the end of a one-way run is a marker sent until acked. */
    static final class UdpLink extends Link.ChannelLink {
        private final DatagramChannel ch;

        UdpLink(DatagramChannel ch) {
            super(ch, ch, false);
            this.ch = ch;
        }

        void endMarkers(byte phase) throws IOException {
            ByteBuffer mark = ByteBuffer.allocateDirect(1);
            ch.configureBlocking(false);
            try {
                while (true) {
                    ch.write(mark.clear().put(0, phase));
                    long until = System.nanoTime() + 2_000_000;
                    while (System.nanoTime() < until) {
                        buf.clear();
                        if (ch.read(buf) == SMALL) {
                            return;
                        }
                        Thread.onSpinWait();
                    }
                }
            } finally {
                ch.configureBlocking(true);
            }
        }
    }
}
