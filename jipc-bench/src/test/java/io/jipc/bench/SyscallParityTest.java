package io.jipc.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jipc.Cpus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * System-call parity: for every mechanism, the Java pair makes no more of the mechanism's system
 * calls per message than the C pair (at most 2 % more), counted with {@code strace -f -c} around
 * whole pairs (this JVM's harness side and the peer). Each pair runs twice, with a workload and
 * with three times that workload; the difference between the two counts is what the messages cost,
 * so the calls a JVM makes while starting (class loading reads jars) cancel out. The POSIX
 * semaphores' system call is {@code futex}, which both JVMs also use for their own locks: for them
 * only the shared (not {@code _PRIVATE}) futex operations count, those on the semaphores; and as
 * how many there are depends on the interleaving of the two sides (a call only to wait or to wake a
 * waiter), the check there is per operation: at most one, as glibc's sem_wait and sem_post make.
 *
 * <p>Skipped, with the reason, where strace or gcc is missing.
 */
class SyscallParityTest {
    /**
     * The mechanism's own system calls: what a message costs, in any of the forms either side might
     * use.
     */
    private static final Map<Mechanism, String> CALLS = new LinkedHashMap<>();

    static {
        String fd =
                "read,write,readv,writev,preadv2,pwritev2,poll,ppoll,pselect6,select,epoll_wait,epoll_pwait";
        String sock = fd + ",sendmsg,recvmsg,sendto,recvfrom,sendmmsg,recvmmsg";
        CALLS.put(Mechanism.PIPE, fd);
        CALLS.put(Mechanism.FIFO, fd);
        CALLS.put(Mechanism.MQ, "msgsnd,msgrcv");
        CALLS.put(Mechanism.SEM, "semop,semtimedop");
        CALLS.put(Mechanism.SHM, "semop,semtimedop");
        CALLS.put(Mechanism.UDS_STREAM, sock);
        CALLS.put(Mechanism.UDS_DGRAM, sock);
        CALLS.put(Mechanism.UDS_SEQPACKET, sock);
        CALLS.put(Mechanism.TCP, sock);
        // glibc's mq_send/mq_receive are the mq_timedsend/mq_timedreceive system calls
        CALLS.put(
                Mechanism.POSIX_MQ,
                "mq_timedsend,mq_timedreceive,poll,ppoll,pselect6,select,epoll_wait,epoll_pwait");
        // sem_wait/sem_post wait and wake on the futex of the shared sem_t: the shared futex
        // operations only (see SHARED_FUTEX), the JVMs' own (pthread) ones are private
        CALLS.put(Mechanism.POSIX_SEM, "futex");
    }

    /**
     * The mechanisms whose system call is {@code futex}: counted from strace's call lines, only the
     * operations without {@code _PRIVATE} (those of a semaphore in shared memory), not with {@code
     * strace -c}, which would count every lock of both JVMs too.
     */
    private static final java.util.Set<Mechanism> SHARED_FUTEX =
            java.util.Set.of(Mechanism.POSIX_SEM);

    private static final int SMALL_ROUNDS = 400;
    private static final int BIG_ROUNDS = 3 * SMALL_ROUNDS;

    /**
     * Runs one pair in this JVM's child: {@code OnePair java|c MECH ROUNDS CPU}, the counts of
     * {@code jipc bench} scaled from ROUNDS (warm-up ROUNDS, 10x ROUNDS 64-byte and 2x ROUNDS 4 KiB
     * one-way messages).
     */
    public static final class OnePair {
        private OnePair() {}

        /**
         * Entry point.
         *
         * @param args java|c, the mechanism, the rounds, the CPU of both sides
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            Mechanism m = Mechanism.of(args[1]);
            int rounds = Integer.parseInt(args[2]);
            int cpu = Integer.parseInt(args[3]);
            Harness.Params p =
                    new Harness.Params(
                            List.of(m),
                            rounds,
                            rounds,
                            10L * rounds,
                            2L * rounds,
                            1,
                            List.of(cpu),
                            List.of(Placement.SAME),
                            false);
            Harness.Where w = new Harness.Where(Placement.SAME, cpu, cpu);
            Path tmp = Files.createTempDirectory("jipc-bench-parity");
            try {
                if (args[0].equals("java")) {
                    JavaPair.run(m, p, w, tmp);
                } else {
                    Harness.cPair(Harness.compileC(s -> {}).orElseThrow(), m, p, w, tmp);
                }
            } finally {
                try (Stream<Path> s = Files.list(tmp)) {
                    for (Path f : s.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.delete(tmp);
            }
            System.exit(0);
        }
    }

    /** Calls and failed calls of the mechanism's system calls in one traced run. */
    private record Count(long calls, long errors) {
        Count minus(Count o) {
            return new Count(calls - o.calls, errors - o.errors);
        }
    }

    private static Count traced(Path dir, String impl, Mechanism m, int rounds, int cpu)
            throws Exception {
        Path out = dir.resolve(impl + "-" + m.id() + "-" + rounds + ".strace");
        Path log = dir.resolve(impl + "-" + m.id() + "-" + rounds + ".log");
        boolean futex = SHARED_FUTEX.contains(m);
        List<String> cmd = new ArrayList<>(List.of("strace", "-f"));
        if (!futex) {
            cmd.add("-c");
        }
        cmd.addAll(List.of("--seccomp-bpf", "-e", "trace=" + CALLS.get(m), "-o", out.toString()));
        System.setProperty(
                "jipc.bench.dryRun",
                "false"); // passed on to the pair's JVMs: count the timed protocol only
        cmd.addAll(JavaPair.jvm(OnePair.class.getName()));
        cmd.addAll(List.of(impl, m.id(), "" + rounds, "" + cpu));
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(
                    "strace of the " + impl + " pair (" + m.id() + ") did not finish in 180 s");
        }
        assertTrue(
                p.exitValue() == 0,
                "strace of the "
                        + impl
                        + " pair ("
                        + m.id()
                        + ") failed:\n"
                        + Files.readString(log));
        if (futex) {
            return sharedFutexCalls(out);
        }
        long calls = 0;
        long errors = 0;
        // strace -c: "% time  seconds  usecs/call  calls  [errors]  syscall"; the total line is
        // skipped.
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 5 || !w[0].matches("[0-9.]+") || w[w.length - 1].equals("total")) {
                continue;
            }
            calls += Long.parseLong(w[3]);
            errors += w.length == 6 ? Long.parseLong(w[4]) : 0;
        }
        return new Count(calls, errors);
    }

    /**
     * The semaphore operations (sem_wait or sem_post) of one posix-sem pair run by {@link OnePair}:
     * four per round trip (each side posts once and waits once) and per one-way message (a credit
     * taken and an item posted, the item taken and the credit given back), two per ack.
     */
    private static long semaphoreOperations(int rounds) {
        long roundTrips = 2L * rounds; // warm-up and timed
        long oneWay = java.util.Arrays.stream(Protocol.counts(10L * rounds, 2L * rounds)).sum();
        return 4 * (roundTrips + oneWay) + 2 * Protocol.PHASES;
    }

    /**
     * The shared futex operations in strace's output ({@code PID futex(ADDR, FUTEX_WAKE, 1) = 0}, a
     * call that waits showing as {@code <unfinished ...>} then {@code <... futex resumed>}): each
     * call once, failed when its result is {@code -1}.
     */
    private static Count sharedFutexCalls(Path out) throws java.io.IOException {
        long calls = 0;
        long errors = 0;
        java.util.Set<String> sharedUnfinished = new java.util.HashSet<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            String pid = line.split("\\s+", 2)[0];
            int at = line.indexOf("futex(");
            if (at >= 0) {
                String op =
                        line.substring(at).split(",", 3).length > 1
                                ? line.substring(at).split(",", 3)[1]
                                : "";
                if (op.contains("_PRIVATE") || !op.contains("FUTEX_")) {
                    continue;
                }
                calls++;
                if (line.endsWith("<unfinished ...>")) {
                    sharedUnfinished.add(pid);
                } else if (line.matches(".*= -1 .*")) {
                    errors++;
                }
            } else if (line.contains("<... futex resumed>")
                    && sharedUnfinished.remove(pid)
                    && line.matches(".*= -1 .*")) {
                errors++;
            }
        }
        return new Count(calls, errors);
    }

    private static boolean onPath(String program) {
        return Harness.onPath(program).isPresent();
    }

    @Test
    void java_makes_no_more_system_calls_per_message_than_c(@TempDir Path dir) throws Exception {
        assumeTrue(
                onPath("strace"),
                "strace is not installed (Debian: apt-get install strace): parity not counted");
        assumeTrue(
                Harness.compileC(s -> {}).isPresent(),
                "the C pair cannot be built here (gcc missing?)");
        int cpu = Cpus.allowed().get(0);
        StringBuilder table =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "%-14s %12s %12s %8s %14s %14s%n",
                                "mechanism",
                                "java calls",
                                "c calls",
                                "java/c",
                                "java failing",
                                "c failing"));
        List<String> over = new ArrayList<>();
        for (Mechanism m : CALLS.keySet()) {
            Count java =
                    traced(dir, "java", m, BIG_ROUNDS, cpu)
                            .minus(traced(dir, "java", m, SMALL_ROUNDS, cpu));
            Count c =
                    traced(dir, "c", m, BIG_ROUNDS, cpu)
                            .minus(traced(dir, "c", m, SMALL_ROUNDS, cpu));
            double ratio = (double) java.calls() / c.calls();
            table.append(
                    String.format(
                            Locale.ROOT,
                            "%-14s %12d %12d %8.3f %14d %14d%n",
                            m.id(),
                            java.calls(),
                            c.calls(),
                            ratio,
                            java.errors(),
                            c.errors()));
            if (SHARED_FUTEX.contains(m)) {
                // A futex call is made only when a side must wait or wake a waiter, which depends
                // on
                // the interleaving (on one CPU, whether the woken side runs at once): the count of
                // either pair varies by tens of percent from run to run, both ways. What the
                // binding
                // decides is per operation: glibc's sem_wait and sem_post make at most one call
                // each, and the Java side must not add any.
                long ops = semaphoreOperations(BIG_ROUNDS) - semaphoreOperations(SMALL_ROUNDS);
                table.append(
                        String.format(
                                Locale.ROOT,
                                "%-14s %12.3f %12.3f  futex calls per sem_wait/sem_post"
                                        + " (at most 1; the ratio above is the interleaving's)%n",
                                "",
                                (double) java.calls() / ops,
                                (double) c.calls() / ops));
                if (java.calls() > ops || c.calls() > ops) {
                    over.add(m.id() + " (more than one futex call per semaphore operation)");
                }
            } else if (java.calls() > c.calls() * 1.02) {
                over.add(m.id());
            }
        }
        System.out.println(
                "System calls of each mechanism for "
                        + (BIG_ROUNDS - SMALL_ROUNDS)
                        + " more round trips and 12x that many one-way messages (strace -f -c, difference of two runs):\n"
                        + table);
        assertTrue(
                over.isEmpty(),
                "the Java pair makes more than C + 2 % of the system calls for "
                        + over
                        + ":\n"
                        + table);
    }
}
