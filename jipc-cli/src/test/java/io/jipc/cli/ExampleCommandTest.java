package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExampleCommandTest {

    @Test
    void lists_every_registered_example_with_a_description() {
        CliRunner.Run r = CliRunner.run("example");
        assertEquals(0, r.exit(), r.err());
        for (String name :
                new String[] {
                    "pipe-parent", "pipe-child", "fifo-reader", "fifo-writer", "shm-parent"
                }) {
            assertTrue(
                    r.out().lines().anyMatch(l -> l.startsWith(name + " ") && l.length() > 25),
                    name + " in\n" + r.out());
        }
    }

    @Test
    void source_prints_the_c_twin() {
        CliRunner.Run r = CliRunner.run("example", "--source", "pipe-parent");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("#include") && r.out().contains("pipe2("), r.out());
    }

    @Test
    void an_unknown_example_is_a_usage_error() {
        CliRunner.Run r = CliRunner.run("example", "no-such-example");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no example named 'no-such-example'"), r.err());
    }

    @Test
    void an_examples_help_describes_it_and_a_bad_number_names_the_arguments() {
        CliRunner.Run help = CliRunner.run("example", "tcp-server", "--help");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().startsWith("jipc example tcp-server: TCP server"), help.out());
        CliRunner.Run bad = CliRunner.run("example", "mq-sender", "Alan", "notanumber", "85");
        assertEquals(2, bad.exit());
        assertEquals(
                "jipc example: 'notanumber' is not a number; the arguments of mq-sender are [NAME MATH CHINESE]"
                        + " (see 'jipc example --help')\n",
                bad.err());
    }

    @Test
    void arguments_an_example_cannot_use_are_one_line_with_the_reason() {
        CliRunner.Run extra = CliRunner.run("example", "sem-counter", "extra", "args");
        assertEquals(2, extra.exit());
        assertEquals(
                "jipc example: unknown argument 'extra'; the arguments of sem-counter are [java=N] [c=N c-binary=PATH]"
                        + " [rounds=R] (see 'jipc example --help')\n",
                extra.err());
        CliRunner.Run count = CliRunner.run("example", "udp-sender", "notaport");
        assertEquals(2, count.exit());
        assertEquals(
                "jipc example: expected 4 arguments, got 1; the arguments of udp-sender are PORT NAME MATH CHINESE"
                        + " (see 'jipc example --help')\n",
                count.err());
        CliRunner.Run notCount = CliRunner.run("example", "sem-counter", "java=x");
        assertEquals(
                "jipc example: java=x is not a count (a number >= 0); the arguments of sem-counter are [java=N]"
                        + " [c=N c-binary=PATH] [rounds=R] (see 'jipc example --help')\n",
                notCount.err());
        assertEquals("", extra.out() + count.out() + notCount.out());
    }
}
