package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.NoLeakedIpcObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code jipc bench} end to end on two mechanisms with few rounds: table, JSON, HTML, nothing left. */
@ExtendWith(NoLeakedIpcObjects.class)
class BenchCommandTest {

    private static Set<String> benchTempEntries() throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("jipc-bench"))
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    /** The test's JSON reader takes no whitespace between tokens. */
    private static String compact(String json) {
        return json.replace("\n", "").replace("  {", "{").replace("\": ", "\":").replace(", \"", ",\"");
    }

    @Test
    void pipe_and_mq_write_json_and_html_and_leave_nothing(@TempDir Path dir) throws Exception {
        Set<String> tmpBefore = benchTempEntries();
        System.setProperty("jipc.cache", Path.of("target", "jipc-cache").toAbsolutePath().toString());
        Path json = dir.resolve("b.json");
        Path html = dir.resolve("b.html");
        CliRunner.Run r = CliRunner.run("bench", "--mechanisms", "pipe,mq", "--rounds", "300", "--runs", "1",
                "--json", json.toString(), "--report", html.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("SysV message queue") && r.out().contains("pipe"), r.out());

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) JsonReader.parse(compact(Files.readString(json)));
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> row : rows) {
            seen.add(row.get("mechanism") + "/" + row.get("impl"));
            if (row.containsKey("skipped")) {
                continue;
            }
            for (String k : List.of("rtt_p50_ns", "rtt_p99_ns", "msgs_per_s_64", "mb_per_s_4k")) {
                assertNotNull(row.get(k), k + " in " + row);
                assertTrue(((Number) row.get(k)).doubleValue() > 0, k + " in " + row);
            }
            assertTrue(((Number) row.get("rtt_p99_ns")).longValue() >= ((Number) row.get("rtt_p50_ns")).longValue(), row.toString());
        }
        assertTrue(seen.containsAll(Set.of("pipe/java", "pipe/c", "mq/java", "mq/c", "mq/jna", "mq/python")), seen.toString());
        assertTrue(rows.stream().noneMatch(x -> x.get("impl").equals("java") && x.containsKey("skipped")), rows.toString());

        String page = Files.readString(html);
        assertTrue(page.contains("<svg") && page.contains("</html>"), "HTML report without charts");
        assertTrue(!page.contains("http://") || page.replace("http://www.w3.org/2000/svg", "").indexOf("http") < 0,
                "the report must not load anything from the network");

        assertEquals(List.of(), ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("" + p.pid())).toList(), "children left running");
        Set<String> left = new HashSet<>(benchTempEntries());
        left.removeAll(tmpBefore); // entries of other processes may come and go meanwhile
        assertEquals(Set.of(), left, "temporary files left behind");
    }
}
