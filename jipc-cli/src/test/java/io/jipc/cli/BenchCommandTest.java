package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.NoLeakedIpcObjects;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code jipc bench} end to end on two mechanisms with few rounds: table, JSON, HTML, nothing left.
 */
@ExtendWith(NoLeakedIpcObjects.class)
class BenchCommandTest {

    /**
     * What the bench's runs left in {@code root} (its jipc.bench.tmpdir: this test's, not shared
     * /tmp).
     */
    private static Set<String> benchTempEntries(Path root) throws Exception {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    /**
     * Runs a quick {@code jipc bench --mechanisms MECHANISMS} (300 rounds, one run) with its JSON
     * in {@code dir}, asserts exit 0, and returns the run with the JSON's rows.
     */
    @SuppressWarnings("unchecked")
    static QuickRun quickRun(Path dir, String mechanisms) throws Exception {
        System.setProperty(
                "jipc.cache", Path.of("target", "jipc-cache").toAbsolutePath().toString());
        Path json = dir.resolve("b.json");
        CliRunner.Run r =
                CliRunner.run(
                        "bench",
                        "--mechanisms",
                        mechanisms,
                        "--rounds",
                        "300",
                        "--runs",
                        "1",
                        "--json",
                        json.toString());
        assertEquals(0, r.exit(), r.err());
        return new QuickRun(
                r,
                (List<Map<String, Object>>)
                        JsonReader.parse(compact(java.nio.file.Files.readString(json))));
    }

    /** A quick bench run and the rows of its JSON. */
    record QuickRun(CliRunner.Run run, List<Map<String, Object>> rows) {}

    /** The test's JSON reader takes no whitespace between tokens. */
    static String compact(String json) {
        return json.replace("\n", "")
                .replace("  {", "{")
                .replace("\": ", "\":")
                .replace(", \"", ",\"")
                .replaceAll("\\[(\\d+), (\\d+)\\]", "[$1,$2]");
    }

    @Test
    void pipe_and_mq_write_json_and_html_and_leave_nothing(@TempDir Path dir) throws Exception {
        Path runs = Files.createDirectories(dir.resolve("runs"));
        System.setProperty("jipc.bench.tmpdir", runs.toString());
        try {
            runPipeAndMq(dir, runs);
        } finally {
            System.clearProperty("jipc.bench.tmpdir");
        }
    }

    private void runPipeAndMq(Path dir, Path runs) throws Exception {
        Set<String> tmpBefore = benchTempEntries(runs);
        System.setProperty(
                "jipc.cache", Path.of("target", "jipc-cache").toAbsolutePath().toString());
        Path json = dir.resolve("b.json");
        Path html = dir.resolve("b.html");
        CliRunner.Run r =
                CliRunner.run(
                        "bench",
                        "--mechanisms",
                        "pipe,mq",
                        "--rounds",
                        "300",
                        "--runs",
                        "1",
                        "--json",
                        json.toString(),
                        "--report",
                        html.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("SysV message queue") && r.out().contains("pipe"), r.out());

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows =
                (List<Map<String, Object>>) JsonReader.parse(compact(Files.readString(json)));
        Set<String> seen = new HashSet<>();
        boolean twoCpus = io.jipc.Cpus.allowed().size() >= 2;
        for (Map<String, Object> row : rows) {
            seen.add(row.get("mechanism") + "/" + row.get("impl") + "/" + row.get("placement"));
            if (row.containsKey("skipped")) {
                continue;
            }
            @SuppressWarnings("unchecked")
            List<Number> cpus = (List<Number>) row.get("cpus");
            assertEquals(2, cpus.size(), row.toString());
            assertEquals(
                    row.get("placement").equals("same"),
                    cpus.get(0).equals(cpus.get(1)),
                    row.toString());
            for (String k : List.of("rtt_p50_ns", "rtt_p99_ns", "msgs_per_s_64", "mb_per_s_4k")) {
                assertNotNull(row.get(k), k + " in " + row);
                assertTrue(((Number) row.get(k)).doubleValue() > 0, k + " in " + row);
            }
            assertTrue(
                    ((Number) row.get("rtt_p99_ns")).longValue()
                            >= ((Number) row.get("rtt_p50_ns")).longValue(),
                    row.toString());
        }
        for (String placement : List.of("split", "same")) {
            for (String pair :
                    List.of("pipe/java", "pipe/c", "mq/java", "mq/c", "mq/jna", "mq/python")) {
                assertTrue(
                        seen.contains(pair + "/" + placement),
                        pair + "/" + placement + " in " + seen);
            }
        }
        assertTrue(
                rows.stream()
                        .noneMatch(
                                x ->
                                        x.get("impl").equals("java")
                                                && x.containsKey("skipped")
                                                && (twoCpus || x.get("placement").equals("same"))),
                rows.toString());
        assertTrue(r.out().contains("split: ") && r.out().contains("same: "), r.out());

        String page = Files.readString(html);
        assertTrue(page.contains("<svg") && page.contains("</html>"), "HTML report without charts");
        assertTrue(
                !page.contains("http://")
                        || page.replace("http://www.w3.org/2000/svg", "").indexOf("http") < 0,
                "the report must not load anything from the network");

        assertEquals(
                List.of(),
                ProcessHandle.current()
                        .descendants()
                        .filter(ProcessHandle::isAlive)
                        .map(p -> p.info().commandLine().orElse("" + p.pid()))
                        .toList(),
                "children left running");
        assertEquals(Set.of(), tmpBefore);
        assertEquals(Set.of(), benchTempEntries(runs), "temporary files left behind");
    }

    @Test
    void one_cpu_runs_same_only_and_says_why_split_is_skipped(@TempDir Path dir) throws Exception {
        System.setProperty(
                "jipc.cache", Path.of("target", "jipc-cache").toAbsolutePath().toString());
        int cpu = io.jipc.Cpus.allowed().get(0);
        Path json = dir.resolve("one.json");
        CliRunner.Run r =
                CliRunner.run(
                        "bench",
                        "--mechanisms",
                        "sem",
                        "--rounds",
                        "100",
                        "--runs",
                        "1",
                        "--no-peers",
                        "--cpus",
                        "" + cpu,
                        "--json",
                        json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("--cpus names one CPU: split needs two"), r.out());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows =
                (List<Map<String, Object>>) JsonReader.parse(compact(Files.readString(json)));
        for (Map<String, Object> row : rows) {
            if (row.get("placement").equals("split")) {
                assertTrue(
                        String.valueOf(row.get("skipped")).contains("split skipped"),
                        row.toString());
                assertEquals(null, row.get("cpus"), row.toString());
            } else {
                assertEquals(List.of((long) cpu, (long) cpu), row.get("cpus"), row.toString());
                assertTrue(row.get("rtt_p50_ns") instanceof Number, row.toString());
            }
        }
        assertEquals(4, rows.size(), rows.toString());
    }

    @Test
    void placement_and_cpus_are_checked_before_anything_runs() throws Exception {
        CliRunner.Run bad = CliRunner.run("bench", "--placement", "apart");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("--placement must be split, same or both"), bad.err());
        CliRunner.Run cpu = CliRunner.run("bench", "--cpus", "4000");
        assertEquals(2, cpu.exit(), cpu.err());
        assertTrue(cpu.err().contains("--cpus 4000: this process may use CPUs"), cpu.err());
    }
}
