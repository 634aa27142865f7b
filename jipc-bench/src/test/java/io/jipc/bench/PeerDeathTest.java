package io.jipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jipc.Cpus;
import io.jipc.pipe.ExitStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A process of a pair killed in the middle of a run: the harness reports, within a few seconds (it
 * waited 120 s on the POSIX mechanisms before), one line naming the side that died, its signal and
 * the mechanism, for the Java pair (peer JVM or driver JVM killed) and the C pair (its forked child
 * killed), on System V and POSIX mechanisms and a pipe. The runs are far too long to end by
 * themselves meanwhile (two million round trips).
 */
class PeerDeathTest {
    /** Far more than it takes (some 0.5 s here); the bench waited 120 s before. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir Path tmp;

    private Harness.Params params(Mechanism m) {
        return new Harness.Params(
                List.of(m),
                1_000,
                2_000_000,
                1_000,
                1_000,
                1,
                List.of(cpu()),
                List.of(Placement.SAME),
                false);
    }

    private static int cpu() {
        try {
            return Cpus.allowed().get(0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private PairProcesses.Running java(Mechanism m) {
        Harness.Where w = new Harness.Where(Placement.SAME, cpu(), cpu());
        return PairProcesses.start(() -> JavaPair.run(m, params(m), w, tmp));
    }

    private PairProcesses.Running c(Mechanism m) {
        Path exe = Harness.compileC(s -> {}).orElse(null);
        assumeTrue(exe != null, () -> "the C pair cannot be built here: " + Harness.buildFailure());
        Harness.Where w = new Harness.Where(Placement.SAME, cpu(), cpu());
        return PairProcesses.start(() -> Harness.cPair(exe, m, params(m), w, tmp));
    }

    /**
     * Kills {@code pid} and returns the message the run ended with, checked to come within BOUND.
     */
    private static String killAndAwaitReport(PairProcesses.Running run, long pid) {
        assertTrue(!run.result().isDone(), () -> "the run ended before the kill: " + run.result());
        long killedAt = System.nanoTime();
        assertTrue(
                ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false),
                "kill " + pid);
        Throwable e = run.failure(Duration.ofSeconds(150));
        double took = (run.endedAt()[0] - killedAt) / 1e9;
        System.out.printf("pid %d killed: reported after %.2f s: %s%n", pid, took, e.getMessage());
        assertTrue(
                took < BOUND.toSeconds(),
                () -> "reported after " + took + " s, not within " + BOUND + ": " + e);
        return e.getMessage();
    }

    private static long await(String what, java.util.function.Supplier<Optional<Long>> poll) {
        return PairProcesses.await(what, Duration.ofSeconds(60), poll);
    }

    /** Kills the Java peer of {@code m} once {@code ready} holds for it; checks the report. */
    private void javaPeerKilled(
            Mechanism m, String ready, java.util.function.LongPredicate isReady) {
        PairProcesses.Running run = java(m);
        long peer =
                await(
                        "the Java peer " + ready,
                        () ->
                                PairProcesses.find("io.jipc.bench.Peer", " " + m.id() + " ")
                                        .filter(isReady::test));
        assertEquals(
                "the Java pair's peer JVM (pid "
                        + peer
                        + ") was killed by signal 9 (SIGKILL) during the "
                        + m.id()
                        + " run",
                killAndAwaitReport(run, peer));
    }

    @Test
    void a_java_peer_killed_mid_run_on_a_system_v_queue_is_reported_at_once() {
        javaPeerKilled(
                Mechanism.MQ, "received from the queue", PairProcesses::receivedFromSysvQueue);
    }

    @Test
    void a_java_peer_killed_mid_run_on_posix_queues_is_reported_at_once() {
        javaPeerKilled(
                Mechanism.POSIX_MQ,
                "opened its POSIX queues",
                pid -> PairProcesses.holds(pid, "jipc-bench-"));
    }

    @Test
    void a_java_peer_killed_on_a_pipe_is_reported_as_its_death_not_as_end_of_file() {
        // its measuring thread pinned: it is about to echo (on a machine of one CPU: any moment)
        javaPeerKilled(
                Mechanism.PIPE,
                "pinned its measuring thread",
                pid ->
                        PairProcesses.mainThreadCpus(pid)
                                .filter(c -> c.equals("" + cpu()))
                                .isPresent());
    }

    @Test
    void a_java_driver_killed_mid_run_on_posix_semaphores_is_reported_and_its_peer_ends() {
        PairProcesses.Running run = java(Mechanism.POSIX_SEM);
        long peer =
                await(
                        "the Java peer mapped its semaphores",
                        () ->
                                PairProcesses.find("io.jipc.bench.Peer", " posix-sem ")
                                        .filter(pid -> PairProcesses.maps(pid, "sem.jipc-bench-")));
        long driver = ProcessHandle.of(peer).flatMap(ProcessHandle::parent).orElseThrow().pid();
        assertTrue(
                PairProcesses.cmdline(driver).contains("io.jipc.bench.JavaPair"),
                PairProcesses.cmdline(driver));
        assertEquals(
                "the Java pair's driver JVM (pid "
                        + driver
                        + ") was killed by signal 9 (SIGKILL) during the posix-sem run",
                killAndAwaitReport(run, driver));
        await(
                "the orphaned peer ended",
                () ->
                        ProcessHandle.of(peer).filter(ProcessHandle::isAlive).isEmpty()
                                ? Optional.of(peer)
                                : Optional.empty());
    }

    @Test
    void
            a_c_child_killed_mid_run_on_posix_semaphores_and_on_system_v_semaphores_is_reported_at_once() {
        for (Mechanism m : List.of(Mechanism.POSIX_SEM, Mechanism.SEM)) {
            PairProcesses.Running run = c(m);
            long parent =
                    await(
                            "the C pair started",
                            () -> PairProcesses.find("bench_peer " + m.id() + " "));
            long child =
                    await(
                            "the C child pinned itself and opened " + m.id(),
                            () ->
                                    ProcessHandle.of(parent)
                                            .flatMap(h -> h.children().findFirst())
                                            .map(ProcessHandle::pid)
                                            .filter(
                                                    pid ->
                                                            m == Mechanism.SEM
                                                                    || PairProcesses.maps(
                                                                            pid, "sem.jipc-bench-"))
                                            .filter(
                                                    pid ->
                                                            PairProcesses.tasks(pid).stream()
                                                                    .anyMatch(
                                                                            t ->
                                                                                    t.cpus()
                                                                                            .equals(
                                                                                                    ""
                                                                                                            + cpu()))));
            assertEquals(
                    "the C pair's child (pid "
                            + child
                            + ") was killed by signal 9 (SIGKILL) during the "
                            + m.id()
                            + " run",
                    killAndAwaitReport(run, child));
        }
    }

    @Test
    void the_failure_line_names_the_side_that_died_how_and_the_mechanism_never_null() {
        String peerFailed =
                "jipc bench peer mq 1 2: java.io.IOException: boom\n"
                        + PeerDeath.PREFIX
                        + "the Java pair's peer JVM (pid 5) exited with status 1 during the mq run\n";
        assertEquals(
                "the Java pair's peer JVM (pid 5) exited with status 1 during the mq run; before that: "
                        + "jipc bench peer mq 1 2: java.io.IOException: boom",
                Harness.failure(
                        "the Java pair's driver JVM", 4, new ExitStatus(1, 0), "mq", peerFailed));
        assertEquals(
                "the C pair's child (pid 8) was killed by signal 9 (SIGKILL) during the sem run",
                Harness.failure(
                        "the C pair's parent",
                        7,
                        new ExitStatus(1, 0),
                        "sem",
                        PeerDeath.PREFIX
                                + "the C pair's child (pid 8) was killed by signal 9 (SIGKILL) during the sem run\n"));
        assertEquals(
                "the C pair's parent (pid 7) was killed by signal 11 (SIGSEGV) during the sem run",
                Harness.failure("the C pair's parent", 7, new ExitStatus(-1, 11), "sem", ""));
        assertEquals(
                "the C pair's parent (pid 7) exited with status 1 during the posix-mq run: bench_peer: mq_open: "
                        + "No such file or directory",
                Harness.failure(
                        "the C pair's parent",
                        7,
                        new ExitStatus(1, 0),
                        "posix-mq",
                        "bench_peer: mq_open: No such file or directory\n"));
        assertEquals(
                "the Python pair's parent (pid 3) did not finish in 120 s",
                Harness.failure("the Python pair's parent", 3, null, "mq", ""));
        assertEquals(
                "the JNA pair's peer JVM (pid 9) was killed by signal 64",
                PeerDeath.line("the JNA pair's peer JVM", 9, new ExitStatus(-1, 64), "mq")
                        .replace(" during the mq run", ""));
    }
}
