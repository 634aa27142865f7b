package io.jipc.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

/**
 * A probe for starved virtual threads: one virtual thread doing 200 sleeps of 1 ms (about 230 ms on
 * an idle machine). If blocked calls pinned every carrier, it would never finish.
 */
public final class VirtualThreadProbe {
    private VirtualThreadProbe() {}

    /**
     * Runs the probe, failing the test if it does not finish within 30 s.
     *
     * @return how long the probe took, in milliseconds
     * @throws InterruptedException if the test thread is interrupted
     */
    public static long millisFor200Sleeps() throws InterruptedException {
        long start = System.nanoTime();
        Thread probe =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    for (int i = 0; i < 200; i++) {
                                        try {
                                            Thread.sleep(1);
                                        } catch (InterruptedException e) {
                                            return;
                                        }
                                    }
                                });
        assertTrue(probe.join(Duration.ofSeconds(30)), "the probe virtual thread was starved");
        return (System.nanoTime() - start) / 1_000_000;
    }
}
