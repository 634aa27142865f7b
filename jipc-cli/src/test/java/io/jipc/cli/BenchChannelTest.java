package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
 * The channel mechanisms of {@code jipc bench} ({@code channel}, {@code channel-park}) end to end
 * with few rounds: the jipc pairs in Java and C, Aeron IPC and Agrona's ring buffer all measure
 * (the spinning row in the split placement only), and nothing is left in /dev/shm (channel memfds,
 * the Agrona ring files, the Aeron directory).
 */
class BenchChannelTest {

    private static Set<String> benchFiles() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("jipc-bench-"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    @Timeout(300)
    void channel_and_channel_park_measure_java_c_aeron_and_agrona_and_leave_nothing(
            @TempDir Path dir) throws Exception {
        Set<String> before = benchFiles();
        BenchCommandTest.QuickRun quick = BenchCommandTest.quickRun(dir, "channel,channel-park");
        CliRunner.Run r = quick.run();
        assertTrue(
                r.out().contains("channel (spin)") && r.out().contains("channel (futex)"), r.out());
        List<Map<String, Object>> rows = quick.rows();
        Set<String> measured = new HashSet<>();
        Set<String> skipped = new HashSet<>();
        for (Map<String, Object> row : rows) {
            String key = row.get("mechanism") + "/" + row.get("impl") + "/" + row.get("placement");
            if (row.containsKey("skipped")) {
                skipped.add(key);
                continue;
            }
            measured.add(key);
            assertTrue(((Number) row.get("rtt_p50_ns")).longValue() > 0, row.toString());
            assertTrue(((Number) row.get("rtt_p99_ns")).longValue() > 0, row.toString());
            assertTrue(((Number) row.get("msgs_per_s_64")).doubleValue() > 0, row.toString());
            assertTrue(((Number) row.get("mb_per_s_4k")).doubleValue() > 0, row.toString());
        }
        Set<String> expected = new HashSet<>();
        for (String impl : List.of("java", "c", "aeron", "agrona")) {
            expected.add("channel/" + impl + "/split");
            expected.add("channel-park/" + impl + "/split");
            expected.add("channel-park/" + impl + "/same");
        }
        if (Runtime.getRuntime().availableProcessors() >= 2) {
            assertEquals(expected, measured);
            assertEquals(
                    Set.of(
                            "channel/java/same",
                            "channel/c/same",
                            "channel/aeron/same",
                            "channel/agrona/same"),
                    skipped,
                    "two spinning sides on one CPU are not measured");
        }
        assertEquals(before, benchFiles(), "bench files left in /dev/shm");
    }
}
