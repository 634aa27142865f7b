package io.jipc.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a command in an IPC namespace of its own ({@code unshare(1)}), so that a test of something
 * that acts on every object of the namespace ({@code jipc rm --orphans}) acts on the test's objects
 * only. As root, {@code unshare --ipc}; otherwise in a user namespace that maps the user to itself
 * ({@code unshare --user --map-current-user --ipc}), where the kernel allows it.
 */
public final class Namespaces {
    private static List<String> prefix;
    private static String unavailable;

    private Namespaces() {}

    /**
     * The command prefix that runs a command in a new IPC namespace, or skips the calling test
     * (with the reason) where none can be made.
     *
     * @return e.g. {@code [unshare, --ipc, --]}
     */
    public static synchronized List<String> privateIpc() {
        if (prefix == null && unavailable == null) {
            for (List<String> p :
                    List.of(
                            List.of("unshare", "--ipc", "--"),
                            List.of("unshare", "--user", "--map-current-user", "--ipc", "--"))) {
                List<String> probe = new ArrayList<>(p);
                probe.add("true");
                if (Processes.run(Duration.ofSeconds(30), probe.toArray(String[]::new)).exitCode()
                        == 0) {
                    prefix = p;
                    break;
                }
            }
            if (prefix == null) {
                unavailable =
                        "cannot make an IPC namespace here (unshare --ipc and unshare --user --ipc both failed)";
            }
        }
        assumeTrue(prefix != null, unavailable);
        return prefix;
    }

    /**
     * A command that runs {@code command} in a new IPC namespace.
     *
     * @param command the command
     * @return the prefixed command
     */
    public static List<String> inPrivateIpc(List<String> command) {
        List<String> all = new ArrayList<>(privateIpc());
        all.addAll(command);
        return all;
    }
}
