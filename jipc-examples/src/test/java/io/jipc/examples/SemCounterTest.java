package io.jipc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The semaphore counter classic with real processes: 20 Java child JVMs (about 10 s on two cores:
 * the one expensive test of this module), the C twin alone, and a mixed run where Java and C
 * children contend on the same set and file.
 */
class SemCounterTest {

    private static Path cTwin() throws IOException {
        return Gcc.compileSource(
                "sem_counter", Files.readString(Path.of("src", "main", "c", "sem_counter.c")));
    }

    private static Processes.Result runParent(String... args) {
        return Processes.run(
                Duration.ofSeconds(300),
                io.jipc.testkit.ChildJvm.command(SemCounter.class, args).toArray(String[]::new));
    }

    @Test
    void twenty_java_processes_count_to_exactly_20() {
        Processes.Result r = runParent().assertExit(0);
        assertTrue(
                r.stdout()
                        .startsWith(
                                "counter = 20 (expected 20; 20 Java + 0 C processes x 1 rounds)"),
                r.stdout());
    }

    @Test
    void the_c_twin_counts_exactly_too() throws IOException {
        Processes.Result r =
                Processes.run(Duration.ofSeconds(120), cTwin().toString(), "20", "50")
                        .assertExit(0);
        assertTrue(r.stdout().startsWith("counter = 1000 (expected 1000)"), r.stdout());
    }

    @Test
    void java_and_c_processes_contending_on_one_set_give_the_exact_total() throws IOException {
        Processes.Result r =
                runParent("java=3", "c=5", "c-binary=" + cTwin(), "rounds=150").assertExit(0);
        assertTrue(
                r.stdout()
                        .startsWith(
                                "counter = 1200 (expected 1200; 3 Java + 5 C processes x 150 rounds)"),
                r.stdout());
    }
}
