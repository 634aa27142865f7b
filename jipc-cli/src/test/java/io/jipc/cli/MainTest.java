package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void version_and_help() {
        CliRunner.Run v = CliRunner.run("--version");
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("jipc 0."), v.out());
        CliRunner.Run h = CliRunner.run("--help");
        assertEquals(0, h.exit());
        assertTrue(h.out().contains("doctor") && h.out().contains("key"), h.out());
        assertTrue(h.out().contains("Exit codes: 0 ok, 1 failed, 2 usage, 3"), h.out());
    }

    @Test
    void usage_errors_exit_2_without_stack_trace() {
        for (String[] args : new String[][] {{"bogus"}, {}, {"doctor", "--bogus"}, {"key"}, {"key", "/etc/services"},
                {"key", "a", "b", "c"}}) {
            CliRunner.Run r = CliRunner.run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("jipc: "), r.err());
            assertTrue(r.err().contains("--help"), r.err());
            assertTrue(!r.err().contains("\tat "), r.err());
        }
    }
}
