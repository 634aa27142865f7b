package io.jipc.bench;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import io.jipc.Cpus;
import io.jipc.pipe.Child;
import io.jipc.pipe.Spawn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JNA pair of the message-queue row: what a Java program without jipc writes today, msgsnd(2)
 * and msgrcv(2) bound through JNA direct mapping with a reused native buffer. {@code JnaPair driver
 * MSQID WARMUP ROUNDS N64 N4K CPU CPU_PEER} runs the parent and starts {@code JnaPair peer MSQID
 * WARMUP ROUNDS N64 N4K CPU_PEER DRY} in a child JVM; each pins its main (measuring) thread to its
 * CPU; output as {@code bench_peer.c}'s.
 */
public final class JnaPair {
    private JnaPair() {}

    /** libc, directly mapped. */
    static final class LibC {
        static {
            Native.register(com.sun.jna.NativeLibrary.getInstance("c"));
        }

        private LibC() {}

        static native int msgsnd(int msqid, Pointer msgp, long msgsz, int msgflg)
                throws LastErrorException;

        static native long msgrcv(int msqid, Pointer msgp, long msgsz, long msgtyp, int msgflg)
                throws LastErrorException;
    }

    /**
     * Entry point.
     *
     * @param args driver|peer MSQID WARMUP ROUNDS N64 N4K CPU [CPU_PEER]
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (Cpus.Pinning _ = Cpus.pinCurrentThread(Integer.parseInt(args[6]))) {
            run(args);
        }
    }

    private static void run(String[] args) throws Exception {
        boolean parent = args[0].equals("driver");
        int q = Integer.parseInt(args[1]);
        int warm = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        long n64 = Long.parseLong(args[4]);
        long n4k = Long.parseLong(args[5]);
        Memory m = new Memory(8 + 4096);
        // As the jipc pair: an untimed dry run of the whole protocol, then the timed run once the
        // JIT is idle.
        long[] dry = Protocol.counts(Protocol.dry(n64), Protocol.dry(n4k));
        int dryRounds =
                parent
                        ? Protocol.dryRounds(rounds, args[6].equals(args[7]))
                        : Integer.parseInt(args[7]);
        long[] ns = Protocol.counts(n64, n4k);
        if (!parent) {
            Peer.watchParent();
            if (Protocol.DRY_RUN) {
                child(q, m, dryRounds, dry);
                Protocol.awaitJitQuiet();
            }
            child(q, m, warm + rounds, ns);
            return;
        }
        List<String> cmd = new ArrayList<>(JavaPair.jvm(JnaPair.class.getName()));
        cmd.addAll(
                List.of(
                        "peer",
                        args[1],
                        args[2],
                        args[3],
                        args[4],
                        args[5],
                        args[7],
                        "" + dryRounds));
        // the peer's death ends this side at once, with one line (a blocked msgrcv would not wake)
        PeerDeath death = new PeerDeath("the JNA pair's peer JVM", Mechanism.MQ.id());
        Child child = null;
        try {
            child = death.watch(Spawn.of(cmd).start());
            if (Protocol.DRY_RUN) {
                parent(q, m, 0, dryRounds, dry);
                Protocol.awaitJitQuiet();
            }
            String out = parent(q, m, warm, rounds, ns);
            if (!child.waitFor().success()) {
                throw new IOException("the JNA peer failed");
            }
            System.out.print(out);
        } catch (Exception | Error e) {
            death.failed("jipc bench JNA driver " + String.join(" ", args) + ": " + e);
        } finally {
            if (child != null) {
                child.destroyForcibly();
            }
        }
    }

    private static void child(int q, Memory m, int roundTrips, long[] ns) {
        for (int i = 0; i < roundTrips; i++) {
            echo(q, m);
        }
        for (int p = 0; p < Protocol.PHASES; p++) {
            for (long i = 0; i < ns[p]; i += Protocol.CHUNK) {
                receiveChunk(q, m, Math.min(Protocol.CHUNK, ns[p] - i));
            }
            m.setLong(8, ns[p]);
            send(q, m, 2, 64);
        }
    }

    /** The timed side: the results as bench_peer.c prints them. */
    private static String parent(int q, Memory m, int warm, int rounds, long[] ns) {
        long[] rtt = new long[rounds];
        for (int i = 0; i < warm; i++) {
            roundTrip(q, m);
        }
        for (int i = 0; i < rounds; i++) {
            rtt[i] = roundTrip(q, m);
        }
        StringBuilder out = new StringBuilder("rtt");
        Arrays.sort(rtt);
        for (long r : rtt) {
            out.append(' ').append(r);
        }
        out.append('\n');
        for (int p = 0; p < Protocol.PHASES; p++) {
            long t0 = System.nanoTime();
            for (long i = 0; i < ns[p]; i += Protocol.CHUNK) {
                sendChunk(q, m, Protocol.SIZES[p], Math.min(Protocol.CHUNK, ns[p] - i));
            }
            recv(q, m, 2);
            if (p % 2 == 0) {
                continue; // the untimed warm-up
            }
            out.append("thr ")
                    .append(Protocol.SIZES[p])
                    .append(' ')
                    .append(m.getLong(8))
                    .append(' ')
                    .append(System.nanoTime() - t0)
                    .append('\n');
        }
        return out.toString();
    }

    // Per round and per chunk of one-way messages, like the Java pair (see Protocol.CHUNK):
    // compiled
    // by the JIT during the warm-up, not only after on-stack replacement of a long loop.

    private static long roundTrip(int q, Memory m) {
        long t0 = System.nanoTime();
        send(q, m, 1, 64);
        recv(q, m, 2);
        return System.nanoTime() - t0;
    }

    private static void echo(int q, Memory m) {
        recv(q, m, 1);
        send(q, m, 2, 64);
    }

    private static void sendChunk(int q, Memory m, int size, long n) {
        for (long i = 0; i < n; i++) {
            send(q, m, 1, size);
        }
    }

    private static void receiveChunk(int q, Memory m, long n) {
        for (long i = 0; i < n; i++) {
            recv(q, m, 1);
        }
    }

    private static void send(int q, Memory m, long type, int n) {
        m.setLong(0, type);
        while (true) {
            try {
                LibC.msgsnd(q, m, n, 0);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != 4) { // EINTR
                    throw e;
                }
            }
        }
    }

    private static void recv(int q, Memory m, long type) {
        while (true) {
            try {
                LibC.msgrcv(q, m, 4096, type, 0);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != 4) {
                    throw e;
                }
            }
        }
    }
}
