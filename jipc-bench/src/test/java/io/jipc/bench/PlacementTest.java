package io.jipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which CPUs each placement gets, the reasons a placement is skipped, and how the report shows both. */
class PlacementTest {

    private static Harness.Params params(List<Integer> cpus, List<Placement> placements) {
        return new Harness.Params(List.of(Mechanism.PIPE), 10, 100, 100, 100, 1, cpus, placements, false);
    }

    @Test
    void default_cpus_are_the_first_two_allowed_and_same_uses_the_first() {
        Map<Placement, Object> plan = Harness.plan(params(List.of(), List.of(Placement.values())), List.of(2, 5, 7));
        assertEquals(new Harness.Where(Placement.SPLIT, 2, 5), plan.get(Placement.SPLIT));
        assertEquals(new Harness.Where(Placement.SAME, 2, 2), plan.get(Placement.SAME));
        assertEquals(List.of(Placement.SPLIT, Placement.SAME), List.copyOf(plan.keySet()), "run order");
    }

    @Test
    void explicit_cpus_win_over_the_allowed_ones() {
        Map<Placement, Object> plan = Harness.plan(params(List.of(1, 0), List.of(Placement.values())), List.of(0, 1));
        assertEquals(new Harness.Where(Placement.SPLIT, 1, 0), plan.get(Placement.SPLIT));
        assertEquals(new Harness.Where(Placement.SAME, 1, 1), plan.get(Placement.SAME));
    }

    @Test
    void split_is_skipped_with_the_reason_when_there_is_one_cpu() {
        Map<Placement, Object> one = Harness.plan(params(List.of(), List.of(Placement.values())), List.of(3));
        assertEquals("only one CPU (3) is allowed to this process: split needs two", one.get(Placement.SPLIT));
        assertEquals(new Harness.Where(Placement.SAME, 3, 3), one.get(Placement.SAME));
        assertEquals("--cpus names one CPU: split needs two",
                Harness.plan(params(List.of(1), List.of(Placement.SPLIT)), List.of(0, 1)).get(Placement.SPLIT));
        assertEquals("--cpus names CPU 1 twice: split needs two different CPUs",
                Harness.plan(params(List.of(1, 1), List.of(Placement.SPLIT)), List.of(0, 1)).get(Placement.SPLIT));
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
        List<Result> rs = List.of(
                result(Mechanism.PIPE, "java", Placement.SPLIT, 10_000, 1_000_000),
                result(Mechanism.PIPE, "c", Placement.SPLIT, 50_000, 1_000_000),
                result(Mechanism.PIPE, "java", Placement.SAME, 5_000, 1_000_000),
                result(Mechanism.PIPE, "c", Placement.SAME, 5_000, 1_400_000));
        String w = Report.warnings(rs);
        assertTrue(w.startsWith("warning: split, pipe, java: round trip p50 0.20 x C."), w);
        assertTrue(w.contains("warning: same, pipe, java: 64 B throughput 1.40 x C (time 0.71 x C)"), w);
        assertTrue(w.contains("not the library, is the likely cause"), w);
        assertEquals(2, w.lines().count(), w);
        String table = Report.table(rs);
        assertTrue(table.contains("split: " + Placement.SPLIT.explanation()), table);
        assertTrue(table.contains("same: " + Placement.SAME.explanation()), table);
        assertTrue(table.contains("CPU 0 (this side) and CPU 1 (peer)") && table.contains("both on CPU 0"), table);
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
        skippedJava.skipped = "split skipped: only one CPU (0) is allowed to this process: split needs two";
        List<Result> rs = List.of(skippedJava,
                result(Mechanism.PIPE, "java", Placement.SAME, 5_200, 1_000_000),
                result(Mechanism.PIPE, "c", Placement.SAME, 5_000, 1_000_000));
        assertEquals("", Report.warnings(rs));
        String table = Report.table(rs);
        assertTrue(table.contains("  split skipped: only one CPU (0) is allowed to this process: split needs two\n"), table);
        assertTrue(Report.json(rs).contains("\"placement\": \"split\", \"cpus\": null, \"skipped\": \"split skipped"),
                Report.json(rs));
        assertTrue(!skippedJava.failed(), "a placement this machine cannot run is not a failure");
    }
}
