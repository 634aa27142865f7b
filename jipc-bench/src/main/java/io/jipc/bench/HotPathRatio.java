package io.jipc.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@link HotPathBench}'s pairs measured for a noisy machine: each Java method and its C twin run in
 * alternating blocks (Java block, C block, Java block, ...), so that whatever else the machine does
 * hits both alike, and the report gives per-operation times as the <em>minimum</em> and the
 * <em>median</em> over the blocks, with their Java/C ratios. The minimum is the least disturbed
 * block of each side; the median says how typical it is. The benchmark thread is pinned as in
 * {@link HotPathBench}.
 *
 * <pre>
 * mvn -q -B -o package -DskipTests -pl jipc-bench -am
 * unshare --ipc JDK25/bin/java --enable-native-access=ALL-UNNAMED \
 *     -cp 'jipc-bench/target/classes:jipc-bench/target/lib/*' io.jipc.bench.HotPathRatio [BLOCKS [OPS] [NAME...]]
 * </pre>
 *
 * BLOCKS (default 41) blocks of OPS (default 20000) operations per side after 5 warm-up blocks;
 * NAMEs restrict the pairs (e.g. {@code semUpDown}). The Java side is called through one interface
 * call per operation (a few ns, in its disfavour); the C side through one downcall per {@value
 * HotPathBench#BATCH} operations.
 */
public final class HotPathRatio {
    private HotPathRatio() {}

    /** One benchmark method. */
    @FunctionalInterface
    interface Op {
        Object run() throws Throwable;
    }

    /**
     * A Java method and its C twin (java null: the C sendmsg/recvmsg twin over the C send/recv
     * one).
     */
    record Pair(String name, Op java, Op c) {}

    /** Blackhole of sorts: the results' hash, printed at the end so nothing is dead code. */
    private static int sink;

    /**
     * Entry point.
     *
     * @param args [BLOCKS [OPS [NAME...]]]
     * @throws Throwable on failure
     */
    public static void main(String[] args) throws Throwable {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 41;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        List<String> only = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
        ops = Math.max(HotPathBench.BATCH, ops / HotPathBench.BATCH * HotPathBench.BATCH);
        HotPathBench b = new HotPathBench();
        b.cpu = -1;
        b.setUp();
        try {
            List<Pair> pairs =
                    List.of(
                            new Pair("mqSendReceive", b::mqSendReceive_java, b::mqSendReceive_c),
                            new Pair(
                                    "mqTryReceiveEmpty",
                                    b::mqTryReceiveEmpty_java,
                                    b::mqTryReceiveEmpty_c),
                            new Pair("semUpDown", b::semUpDown_java, b::semUpDown_c),
                            new Pair("semUpDown_ffm", b::semUpDown_ffm, b::semUpDown_c),
                            new Pair("semUpDown_ffmHook", b::semUpDown_ffmHook, b::semUpDown_c),
                            new Pair(
                                    "semTryDownOnZero",
                                    b::semTryDownOnZero_java,
                                    b::semTryDownOnZero_c),
                            new Pair("shmHandoff", b::shmHandoff_java, b::shmHandoff_c),
                            new Pair("pipeWriteRead", b::pipeWriteRead_java, b::pipeWriteRead_c),
                            new Pair(
                                    "udsDgramSendReceive",
                                    b::udsDgramSendReceive_java,
                                    b::udsDgramSendReceive_c),
                            new Pair("udsDgram_cMsgOverSendRecv", null, b::udsDgramSendRecv_c),
                            new Pair(
                                    "udsSeqpacketSendReceive",
                                    b::udsSeqpacketSendReceive_java,
                                    b::udsSeqpacketSendReceive_c),
                            new Pair(
                                    "udsStreamWriteRead",
                                    b::udsStreamWriteRead_java,
                                    b::udsStreamWriteRead_c));
            System.out.printf(
                    Locale.ROOT,
                    "%d blocks of %d operations per side, alternating; ns per operation%n",
                    blocks,
                    ops);
            System.out.printf(
                    Locale.ROOT,
                    "%-24s %9s %9s %7s   %9s %9s %7s%n",
                    "pair",
                    "java min",
                    "c min",
                    "ratio",
                    "java p50",
                    "c p50",
                    "ratio");
            for (Pair p : pairs) {
                if (!only.isEmpty() && !only.contains(p.name())) {
                    continue;
                }
                double[] java = new double[blocks];
                double[] c = new double[blocks];
                Op first = p.java() != null ? p.java() : b::udsDgramSendReceive_c;
                int firstCalls = p.java() != null ? ops : ops / HotPathBench.BATCH;
                for (int i = 0; i < 5; i++) {
                    time(first, firstCalls);
                    time(p.c(), ops / HotPathBench.BATCH);
                }
                for (int i = 0; i < blocks; i++) {
                    java[i] = time(first, firstCalls) / ops;
                    c[i] = time(p.c(), ops / HotPathBench.BATCH) / ops;
                }
                Arrays.sort(java);
                Arrays.sort(c);
                double jm = java[blocks / 2];
                double cm = c[blocks / 2];
                System.out.printf(
                        Locale.ROOT,
                        "%-24s %9.1f %9.1f %7.3f   %9.1f %9.1f %7.3f%n",
                        p.name(),
                        java[0],
                        c[0],
                        java[0] / c[0],
                        jm,
                        cm,
                        jm / cm);
            }
        } finally {
            b.tearDown();
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** Nanoseconds for {@code n} calls. */
    private static double time(Op op, int n) throws Throwable {
        int h = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Object r = op.run();
            h += r == null ? 0 : r.hashCode();
        }
        long t = System.nanoTime() - t0;
        sink += h;
        return t;
    }
}
