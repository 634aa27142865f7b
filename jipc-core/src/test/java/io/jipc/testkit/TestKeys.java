package io.jipc.testkit;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Fresh System V keys for tests: random, and not used by any object right now. The keys handed out
 * are remembered: an object with one is the suite's ({@link Suite#made}).
 */
public final class TestKeys {
    private TestKeys() {}

    /**
     * A random key that no current object has (never {@code IPC_PRIVATE}).
     *
     * @return the key's value
     */
    public static int unused() {
        SysvSnapshot now = SysvSnapshot.take();
        while (true) {
            int k = ThreadLocalRandom.current().nextInt();
            String hex = String.format("0x%08x", k);
            if (k != 0 && now.objects().stream().noneMatch(o -> o.contains(" " + hex + " "))) {
                Suite.issued(k);
                return k;
            }
        }
    }
}
