package io.jipc.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@code main} class of the test class path in a child JVM (the same JDK as the test), with
 * native access enabled and output captured. A child JVM costs about half a second to start: share
 * one across cases where that weakens no test.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * The command line that runs {@code main} of a class in a new JVM.
     *
     * @param main the class with a {@code main} method
     * @param args its arguments
     * @return the command
     */
    public static List<String> command(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts a child JVM.
     *
     * @param main the class with a {@code main} method
     * @param args its arguments
     * @return the running child
     */
    public static Processes.Child start(Class<?> main, String... args) {
        return Processes.start(command(main, args), Map.of(), null);
    }

    /**
     * Runs a child JVM to completion.
     *
     * @param timeout the longest wait
     * @param main the class with a {@code main} method
     * @param args its arguments
     * @return the result
     */
    public static Processes.Result run(Duration timeout, Class<?> main, String... args) {
        try (Processes.Child c = start(main, args)) {
            return c.await(timeout);
        }
    }
}
