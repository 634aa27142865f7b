package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.NotFoundException;
import io.jipc.posix.PosixMessageQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The POSIX mechanisms of {@code jipc bench} ({@code posix-mq}, {@code posix-sem}) end to end with
 * few rounds: both pairs measure, the semaphores carry no payload, and no queue or semaphore is
 * left behind.
 */
class BenchPosixTest {

    private static Set<String> benchSemaphores() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("sem.jipc-bench-"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void posix_mq_and_posix_sem_measure_java_and_c_and_leave_nothing(@TempDir Path dir)
            throws Exception {
        Set<String> before = benchSemaphores();
        BenchCommandTest.QuickRun quick = BenchCommandTest.quickRun(dir, "posix-mq,posix-sem");
        CliRunner.Run r = quick.run();
        assertTrue(
                r.out().contains("POSIX message queue") && r.out().contains("POSIX semaphores"),
                r.out());
        List<Map<String, Object>> rows = quick.rows();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> row : rows) {
            seen.add(row.get("mechanism") + "/" + row.get("impl"));
            assertTrue(!row.containsKey("skipped"), row.toString());
            assertTrue(((Number) row.get("rtt_p50_ns")).longValue() > 0, row.toString());
            assertTrue(((Number) row.get("msgs_per_s_64")).doubleValue() > 0, row.toString());
            if (row.get("mechanism").equals("posix-sem")) {
                assertNull(row.get("mb_per_s_4k"), "semaphores carry no payload: " + row);
            }
        }
        assertEquals(Set.of("posix-mq/java", "posix-mq/c", "posix-sem/java", "posix-sem/c"), seen);
        assertEquals(before, benchSemaphores(), "named semaphores left in /dev/shm");
        long pid = ProcessHandle.current().pid();
        for (int n = 1; n <= 50; n++) {
            for (String dirName : List.of("there", "back")) {
                String q = "/jipc-bench-" + pid + "-" + n + "-" + dirName;
                assertThrows(
                        NotFoundException.class,
                        () -> PosixMessageQueue.unlink(q),
                        "queue left: " + q);
            }
        }
    }
}
