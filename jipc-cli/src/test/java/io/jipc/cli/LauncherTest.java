package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The ./jipc launcher's JDK discovery, run as a real shell script. */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "jipc").toAbsolutePath().normalize();

    private static Processes.Result launch(Map<String, String> env, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        try (Processes.Child c = Processes.start(cmd, env, null)) {
            return c.await(Duration.ofSeconds(30));
        }
    }

    @Test
    void without_a_jdk_25_it_stops_with_one_clear_line() {
        assertTrue(Files.isRegularFile(LAUNCHER), LAUNCHER.toString());
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", null);
        env.put("PATH", "/usr/bin:/bin"); // java 17 lives here on this machine, or no java at all
        env.put("JIPC_JDK_SEARCH", "/nonexistent/*");
        Processes.Result r = launch(env, "--version");
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals("", r.stdout());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(
                r.stderr().startsWith("jipc: needs a JDK 25 or newer, and none was found"),
                r.stderr());
        // The same sentence as java -jar jipc.jar and the library say on an old JVM (CliJarIT).
        assertTrue(
                r.stderr()
                        .strip()
                        .endsWith(
                                "; install one, e.g. Temurin 25, and use its java (or set JAVA_HOME to it)."),
                r.stderr());
    }

    @Test
    void an_old_java_home_is_not_used() {
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(jdk17), "no JDK 17 here to point JAVA_HOME at");
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", jdk17.toString());
        env.put("PATH", "/usr/bin:/bin");
        env.put("JIPC_JDK_SEARCH", jdk17.toString());
        Processes.Result r = launch(env, "--version");
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(
                r.stderr().startsWith("jipc: needs a JDK 25 or newer, and none was found"),
                r.stderr());
    }
}
