package io.jipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/** Arguments an example cannot use: one line with the reason, exit 2, from its own main too. */
class ExampleUsageTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void an_examples_own_main_says_the_reason_in_one_line() {
        Processes.Result r = ChildJvm.run(WAIT, UdpSender.class, "notaport").assertExit(2);
        assertEquals(
                "udp-sender: expected 4 arguments, got 1; the arguments are PORT NAME MATH CHINESE\n",
                r.stderr());
        assertEquals("", r.stdout());
    }

    @Test
    void the_counts_and_ranges_read_as_english() {
        assertEquals("expected 1 argument, got 0", reason(0, 1, 1));
        assertEquals("expected 4 or 5 arguments, got 3", reason(3, 4, 5));
        assertEquals("expected at least 2 arguments, got 1", reason(1, 2, Integer.MAX_VALUE));
        assertEquals("expected 2 to 4 arguments, got 5", reason(5, 2, 4));
    }

    private static String reason(int given, int min, int max) {
        try {
            UsageError.requireCount(new String[given], min, max, "A B");
        } catch (UsageError e) {
            assertEquals("A B", e.synopsis());
            return e.reason();
        }
        return "accepted";
    }
}
