package io.jipc.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves System V objects behind: snapshots {@code /proc/sysvipc/*}
 * before the class and compares after it. The leaked objects are then removed (with
 * {@code ipcrm}) so that the suite still leaves the host as it found it and later classes are
 * judged on their own.
 *
 * <p>Registered for every test class by JUnit's extension auto-detection
 * ({@code META-INF/services} and {@code junit-platform.properties} in this test jar).
 */
public final class NoLeakedIpcObjects implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoLeakedIpcObjects.class);

    /** Creates the extension (JUnit instantiates it). */
    public NoLeakedIpcObjects() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("before", SysvSnapshot.take());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        SysvSnapshot before = context.getStore(NS).get("before", SysvSnapshot.class);
        if (before == null) {
            return;
        }
        List<String> leaked = SysvSnapshot.take().createdSince(before);
        if (!leaked.isEmpty()) {
            for (String obj : leaked) {
                String[] f = obj.split(" ");
                String flag = switch (f[0]) {
                    case "msg" -> "-q";
                    case "sem" -> "-s";
                    default -> "-m";
                };
                Processes.run(Duration.ofSeconds(10), "ipcrm", flag, f[2].substring(3));
            }
            fail(context.getDisplayName() + " left System V objects behind (now removed): " + leaked);
        }
    }
}
