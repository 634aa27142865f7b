package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The runnable jar (target/jipc.jar) and the jars' manifests, from outside the build: run with
 * {@code java -jar} as a user would, on this JDK and on an older one (run by failsafe after {@code
 * package}).
 */
class CliJarIT {
    private static final Path JAR = Path.of("target", "jipc.jar");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static Processes.Result run(Path java, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(List.of(args));
        try (Processes.Child c = Processes.start(cmd)) {
            return c.await(TIMEOUT);
        }
    }

    private static Path thisJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** A JDK older than 25 on this machine (/usr/lib/jvm), if any. */
    private static Optional<Path> oldJava() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(jvms)) {
            for (Path home : s.sorted().toList()) {
                Path release = home.resolve("release");
                Path java = home.resolve("bin/java");
                if (!Files.isRegularFile(release) || !Files.isExecutable(java)) {
                    continue;
                }
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=\"")) {
                        String v = line.substring("JAVA_VERSION=\"".length());
                        int feature =
                                Integer.parseInt(v.replaceFirst("^1\\.", "").split("[.\"+-]")[0]);
                        if (feature < 25) {
                            return Optional.of(java);
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Attributes manifest(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.getManifest().getMainAttributes();
        }
    }

    @Test
    void the_jar_runs_alone_and_native_access_comes_from_its_manifest() {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by the package phase");
        Processes.Result v = run(thisJava(), "-jar", JAR.toString(), "--version").assertExit(0);
        assertTrue(
                v.stdout().startsWith("jipc " + System.getProperty("jipc.version", "")),
                v.stdout());
        // deny: any native call without Enable-Native-Access in the manifest would fail.
        Processes.Result ls =
                run(
                                thisJava(),
                                "--illegal-native-access=deny",
                                "-jar",
                                JAR.toString(),
                                "ls",
                                "--limits")
                        .assertExit(0);
        assertTrue(ls.stdout().contains("msgmax"), ls.stdout());
        assertEquals("", ls.stderr(), ls.child().describe());
    }

    @Test
    void an_old_jdk_gets_the_launchers_one_sentence() throws IOException {
        Optional<Path> old = oldJava();
        Assumptions.assumeTrue(old.isPresent(), "no JDK older than 25 under /usr/lib/jvm");
        Processes.Result r = run(old.get(), "-jar", JAR.toString(), "ls").assertExit(1);
        assertEquals("", r.stdout());
        assertEquals(1, r.stderr().lines().count(), r.child().describe());
        assertTrue(
                r.stderr().startsWith("jipc: needs a JDK 25 or newer, and this is Java "),
                r.stderr());
        assertTrue(
                r.stderr()
                        .strip()
                        .endsWith(
                                "; install one, e.g. Temurin 25, and use its java (or set JAVA_HOME to it)."),
                r.stderr());
    }

    @Test
    void manifests_carry_version_entry_point_and_native_access() throws IOException {
        String version = System.getProperty("jipc.version");
        Attributes fat = manifest(JAR);
        assertEquals("io.jipc.cli.JarMain", fat.getValue("Main-Class"));
        assertEquals("ALL-UNNAMED", fat.getValue("Enable-Native-Access"));
        // No versioned classes: a shaded copy of it behaves the same with or without Multi-Release.
        assertNull(fat.getValue("Multi-Release"));
        assertEquals(version, fat.getValue("Implementation-Version"));
        // The thin jar needs target/lib beside it (the launcher's class path): not runnable alone,
        // so it names no entry point (java -jar says "no main manifest attribute").
        Attributes cli = manifest(Path.of("target", "jipc-cli-" + version + ".jar"));
        assertNull(cli.getValue("Main-Class"));
        assertNull(cli.getValue("Enable-Native-Access"));
        assertEquals(version, cli.getValue("Implementation-Version"));
        Path coreJar = Path.of("target", "lib", "jipc-core.jar");
        Attributes core = manifest(coreJar);
        assertEquals(version, core.getValue("Implementation-Version"));
        assertNull(core.getValue("Multi-Release"));
        try (JarFile f = new JarFile(coreJar.toFile())) {
            assertNotNull(
                    f.getJarEntry("module-info.class"),
                    "the module descriptor at the root of " + coreJar);
            assertTrue(
                    f.stream().noneMatch(e -> e.getName().startsWith("META-INF/versions/")),
                    coreJar + " has versioned entries");
        }
    }
}
