package io.jipc.outside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.internal.linux.Native;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs in package {@code io.jipc.outside}, which is not one of module {@code io.jipc}'s packages,
 * so that the child can stay on the class path while jipc is on the module path.
 *
 * <p>Without native access granted, the first call says in one sentence which flag to add: as the
 * exception's message when the JVM denies native access (every call, not only the first), and on
 * stderr beside the JDK's own warning when it only warns.
 */
class NativeAccessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static Path mainClasses() {
        try {
            return Path.of(
                    Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test class path without jipc's own classes (so that the module path alone has them). */
    private static String testClassPath() {
        List<String> kept = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(e).toAbsolutePath().equals(mainClasses().toAbsolutePath())) {
                kept.add(e);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    private static Processes.Result run(List<String> jvmFlags, boolean modulePath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.addAll(jvmFlags);
        if (modulePath) {
            cmd.addAll(
                    List.of(
                            "--module-path",
                            mainClasses().toString(),
                            "--add-modules",
                            "io.jipc",
                            "-cp",
                            testClassPath()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
        }
        cmd.add(NativeAccessChild.class.getName());
        try (Processes.Child c = Processes.start(cmd)) {
            return c.await(TIMEOUT).assertExit(0);
        }
    }

    @Test
    void denied_on_the_class_path_names_all_unnamed() {
        Processes.Result r = run(List.of("--illegal-native-access=deny"), false);
        String sentence =
                "refused: jipc needs native access, which this JVM denies to the class path:"
                        + " add --enable-native-access=ALL-UNNAMED to the java command line.";
        assertEquals(sentence + "\n" + sentence + "\n", r.stdout(), r.child().describe());
    }

    @Test
    void denied_on_the_module_path_names_the_module() {
        Processes.Result r =
                run(
                        List.of(
                                "--illegal-native-access=deny",
                                "--enable-native-access=ALL-UNNAMED"),
                        true);
        String sentence =
                "refused: jipc needs native access, which this JVM denies to module io.jipc:"
                        + " add --enable-native-access=io.jipc to the java command line.";
        assertEquals(sentence + "\n" + sentence + "\n", r.stdout(), r.child().describe());
    }

    @Test
    void only_warned_it_works_and_says_the_flag_once_beside_the_jdk_warning() {
        Processes.Result r = run(List.of("--illegal-native-access=warn"), true);
        assertEquals("ok\nok\n", r.stdout(), r.child().describe());
        List<String> ours = r.stderr().lines().filter(l -> l.startsWith("jipc:")).toList();
        assertEquals(
                List.of(
                        "jipc: native access is not enabled for module io.jipc (the JDK warns now and will"
                                + " refuse in a future release): add --enable-native-access=io.jipc to the java command line."),
                ours,
                r.child().describe());
        assertTrue(r.stderr().contains("WARNING: A restricted method"), r.child().describe());
    }

    @Test
    void granted_it_is_silent() {
        Processes.Result r =
                run(
                        List.of("--illegal-native-access=deny", "--enable-native-access=io.jipc"),
                        true);
        assertEquals("ok\nok\n", r.stdout(), r.child().describe());
        assertEquals("", r.stderr(), r.child().describe());
    }
}
