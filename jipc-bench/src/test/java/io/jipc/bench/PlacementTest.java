package io.jipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jipc.Cpus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which CPUs each placement gets, the reasons a placement is skipped, how the report shows both,
 * and where each side of a pair really runs: the affinity of its measuring thread as the kernel has
 * it ({@code Cpus_allowed_list} in {@code /proc/PID/task/TID/status}), in the middle of a run.
 */
class PlacementTest {

    private static Harness.Params params(List<Integer> cpus, List<Placement> placements) {
        return new Harness.Params(
                List.of(Mechanism.PIPE), 10, 100, 100, 100, 1, cpus, placements, false);
    }

    @Test
    void default_cpus_are_the_first_two_allowed_and_same_uses_the_first() {
        Map<Placement, Object> plan =
                Harness.plan(params(List.of(), List.of(Placement.values())), List.of(2, 5, 7));
        assertEquals(new Harness.Where(Placement.SPLIT, 2, 5), plan.get(Placement.SPLIT));
        assertEquals(new Harness.Where(Placement.SAME, 2, 2), plan.get(Placement.SAME));
        assertEquals(
                List.of(Placement.SPLIT, Placement.SAME), List.copyOf(plan.keySet()), "run order");
    }

    @Test
    void explicit_cpus_win_over_the_allowed_ones() {
        Map<Placement, Object> plan =
                Harness.plan(params(List.of(1, 0), List.of(Placement.values())), List.of(0, 1));
        assertEquals(new Harness.Where(Placement.SPLIT, 1, 0), plan.get(Placement.SPLIT));
        assertEquals(new Harness.Where(Placement.SAME, 1, 1), plan.get(Placement.SAME));
    }

    @Test
    void split_is_skipped_with_the_reason_when_there_is_one_cpu() {
        Map<Placement, Object> one =
                Harness.plan(params(List.of(), List.of(Placement.values())), List.of(3));
        assertEquals(
                "only one CPU (3) is allowed to this process: split needs two",
                one.get(Placement.SPLIT));
        assertEquals(new Harness.Where(Placement.SAME, 3, 3), one.get(Placement.SAME));
        assertEquals(
                "--cpus names one CPU: split needs two",
                Harness.plan(params(List.of(1), List.of(Placement.SPLIT)), List.of(0, 1))
                        .get(Placement.SPLIT));
        assertEquals(
                "--cpus names CPU 1 twice: split needs two different CPUs",
                Harness.plan(params(List.of(1, 1), List.of(Placement.SPLIT)), List.of(0, 1))
                        .get(Placement.SPLIT));
    }

    private static Result result(Mechanism m, String impl, Placement p, long p50, long ns64) {
        Harness.Where w = new Harness.Where(p, 0, p == Placement.SAME ? 0 : 1);
        Result r = new Result(m, impl, p, w);
        long[] rtt = new long[1000];
        java.util.Arrays.fill(rtt, p50);
        r.add(new Protocol.Run(rtt, 1000, ns64, 1000, ns64 * 4));
        return r;
    }

    @Test
    void a_binding_much_cheaper_than_c_is_flagged_as_a_measurement_problem() {
        List<Result> rs =
                List.of(
                        result(Mechanism.PIPE, "java", Placement.SPLIT, 10_000, 1_000_000),
                        result(Mechanism.PIPE, "c", Placement.SPLIT, 50_000, 1_000_000),
                        result(Mechanism.PIPE, "java", Placement.SAME, 5_000, 1_000_000),
                        result(Mechanism.PIPE, "c", Placement.SAME, 5_000, 1_400_000));
        String w = Report.warnings(rs);
        assertTrue(w.startsWith("warning: split, pipe, java: round trip p50 0.20 x C."), w);
        assertTrue(
                w.contains("warning: same, pipe, java: 64 B throughput 1.40 x C (time 0.71 x C)"),
                w);
        assertTrue(w.contains("not the library, is the likely cause"), w);
        assertEquals(2, w.lines().count(), w);
        String table = Report.table(rs);
        assertTrue(table.contains("split: " + Placement.SPLIT.explanation()), table);
        assertTrue(table.contains("same: " + Placement.SAME.explanation()), table);
        assertTrue(
                table.contains("CPU 0 (this side) and CPU 1 (peer)")
                        && table.contains("both on CPU 0"),
                table);
        assertTrue(table.endsWith(w), table);
        String json = Report.json(rs);
        assertTrue(json.contains("\"placement\": \"split\", \"cpus\": [0, 1]"), json);
        assertTrue(json.contains("\"placement\": \"same\", \"cpus\": [0, 0]"), json);
        String html = Report.html(rs, "test");
        assertTrue(html.contains("<h2 id=\"split\">") && html.contains("<h2 id=\"same\">"), html);
        assertTrue(html.contains("class=\"warn\""), html);
    }

    @Test
    void ratios_within_reach_of_c_raise_no_warning_and_a_skipped_placement_says_why() {
        Result skippedJava = new Result(Mechanism.PIPE, "java", Placement.SPLIT, null);
        skippedJava.skipped =
                "split skipped: only one CPU (0) is allowed to this process: split needs two";
        List<Result> rs =
                List.of(
                        skippedJava,
                        result(Mechanism.PIPE, "java", Placement.SAME, 5_200, 1_000_000),
                        result(Mechanism.PIPE, "c", Placement.SAME, 5_000, 1_000_000));
        assertEquals("", Report.warnings(rs));
        String table = Report.table(rs);
        assertTrue(
                table.contains(
                        "  split skipped: only one CPU (0) is allowed to this process: split needs two\n"),
                table);
        assertTrue(
                Report.json(rs)
                        .contains(
                                "\"placement\": \"split\", \"cpus\": null, \"skipped\": \"split skipped"),
                Report.json(rs));
        assertTrue(!skippedJava.failed(), "a placement this machine cannot run is not a failure");
    }

    /**
     * Runs a pair of the System V queue placed as {@link Harness#plan} says, and once the peer has
     * received (so both sides have pinned themselves and exchange), reads the affinity of each
     * side's measuring thread: the JVM's main thread (the Java pair), the process (the C pair, one
     * thread each). The JVMs' other threads (JIT, GC, the launcher's) stay free. Then kills the
     * outer process to end the run.
     */
    private static void assertPinned(Placement placement, boolean javaPair, Path tmp)
            throws Exception {
        List<Integer> allowed = Cpus.allowed();
        Harness.Params p =
                new Harness.Params(
                        List.of(Mechanism.MQ),
                        1_000,
                        2_000_000,
                        1_000,
                        1_000,
                        1,
                        List.of(),
                        List.of(placement),
                        false);
        Object planned = Harness.plan(p, allowed).get(placement);
        assumeTrue(
                planned instanceof Harness.Where,
                () -> placement.id() + " cannot run here: " + planned);
        Harness.Where w = (Harness.Where) planned;
        PairProcesses.Running run;
        long self;
        long peer;
        Duration max = Duration.ofSeconds(60);
        if (javaPair) {
            run = PairProcesses.start(() -> JavaPair.run(Mechanism.MQ, p, w, tmp));
            peer =
                    PairProcesses.await(
                            "the Java peer received",
                            max,
                            () ->
                                    PairProcesses.find("io.jipc.bench.Peer", " mq ")
                                            .filter(PairProcesses::receivedFromSysvQueue));
            self = ProcessHandle.of(peer).flatMap(ProcessHandle::parent).orElseThrow().pid();
        } else {
            Path exe = Harness.compileC(s -> {}).orElse(null);
            assumeTrue(
                    exe != null,
                    () -> "the C pair cannot be built here: " + Harness.buildFailure());
            run = PairProcesses.start(() -> Harness.cPair(exe, Mechanism.MQ, p, w, tmp));
            self =
                    PairProcesses.await(
                            "the C pair started", max, () -> PairProcesses.find("bench_peer mq "));
            peer =
                    PairProcesses.await(
                            "the C child received",
                            max,
                            () ->
                                    ProcessHandle.of(self)
                                            .flatMap(h -> h.children().findFirst())
                                            .map(ProcessHandle::pid)
                                            .filter(PairProcesses::receivedFromSysvQueue));
        }
        try {
            String all =
                    PairProcesses.tasks(self).stream()
                            .filter(t -> t.tid() == self)
                            .findFirst()
                            .orElseThrow()
                            .cpus();
            Optional<String> selfCpus =
                    javaPair ? PairProcesses.mainThreadCpus(self) : Optional.of(all);
            Optional<String> peerCpus =
                    javaPair
                            ? PairProcesses.mainThreadCpus(peer)
                            : Optional.of(PairProcesses.tasks(peer).getFirst().cpus());
            String where =
                    placement.id()
                            + ", "
                            + (javaPair ? "java" : "c")
                            + ": this side "
                            + PairProcesses.tasks(self)
                            + ", peer "
                            + PairProcesses.tasks(peer);
            System.out.println(where);
            assertEquals(Optional.of("" + w.self()), selfCpus, where);
            assertEquals(Optional.of("" + w.peer()), peerCpus, where);
            if (javaPair && allowed.size() > 1) {
                assertTrue(
                        !all.equals("" + w.self()),
                        "only the measuring thread is pinned, not the JVM: " + where);
                assertTrue(
                        PairProcesses.tasks(peer).stream()
                                .filter(t -> t.comm().startsWith("C2 Compiler"))
                                .allMatch(t -> !t.cpus().equals("" + w.peer())),
                        "the JIT stays free: " + where);
            }
        } finally {
            ProcessHandle.of(self).ifPresent(ProcessHandle::destroyForcibly);
            run.failure(max);
        }
    }

    @Test
    void each_side_of_the_java_pair_really_runs_where_the_placement_says(@TempDir Path tmp)
            throws Exception {
        assertPinned(Placement.SPLIT, true, tmp);
        assertPinned(Placement.SAME, true, tmp);
    }

    @Test
    void each_side_of_the_c_pair_really_runs_where_the_placement_says(@TempDir Path tmp)
            throws Exception {
        assertPinned(Placement.SPLIT, false, tmp);
        assertPinned(Placement.SAME, false, tmp);
    }
}
