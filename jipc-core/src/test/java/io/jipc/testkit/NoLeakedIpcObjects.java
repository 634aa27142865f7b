package io.jipc.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.List;

/**
 * Fails a test class that leaves System V objects behind: snapshots {@code /proc/sysvipc/*} before
 * the class and compares after it. The leaked objects that are the suite's (see {@link Suite#made}:
 * all of them in the suite's private IPC namespace; otherwise those with a test key or a recorded
 * pid of the suite) are removed (with {@code ipcrm}) and reported, so that later classes are judged
 * on their own. Objects that appeared meanwhile but are not the suite's (another user's, on a
 * machine where the suite cannot have a namespace of its own) are only mentioned on stderr, never
 * removed, and do not fail the class.
 *
 * <p>Registered for every test class by JUnit's extension auto-detection ({@code META-INF/services}
 * and {@code junit-platform.properties} in this test jar).
 */
public final class NoLeakedIpcObjects implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(NoLeakedIpcObjects.class);

    /** Creates the extension (JUnit instantiates it). */
    public NoLeakedIpcObjects() {}

    @Override
    public void beforeAll(ExtensionContext context) {
        Suite.announce();
        context.getStore(NS).put("before", SysvSnapshot.take());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        SysvSnapshot before = context.getStore(NS).get("before", SysvSnapshot.class);
        if (before == null) {
            return;
        }
        List<String> created = SysvSnapshot.take().createdSince(before);
        List<String> leaked = created.stream().filter(Suite::made).toList();
        List<String> others = created.stream().filter(o -> !leaked.contains(o)).toList();
        if (!others.isEmpty()) {
            System.err.println(
                    "jipc tests: objects that appeared during "
                            + context.getDisplayName()
                            + " but are not the suite's, left alone: "
                            + others);
        }
        if (!leaked.isEmpty()) {
            for (String obj : leaked) {
                String[] f = obj.split(" ");
                String flag =
                        switch (f[0]) {
                            case "msg" -> "-q";
                            case "sem" -> "-s";
                            default -> "-m";
                        };
                Processes.run(Duration.ofSeconds(10), "ipcrm", flag, f[2].substring(3));
            }
            fail(
                    context.getDisplayName()
                            + " left System V objects behind (now removed): "
                            + leaked);
        }
    }
}
