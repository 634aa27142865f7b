package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExampleCommandTest {

    @Test
    void lists_every_registered_example_with_a_description() {
        CliRunner.Run r = CliRunner.run("example");
        assertEquals(0, r.exit(), r.err());
        for (String name : new String[] {"pipe-parent", "pipe-child", "fifo-reader", "fifo-writer", "shm-parent"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(name + " ") && l.length() > 25), name + " in\n" + r.out());
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
        assertEquals("jipc example: 'notanumber' is not a number; the arguments of mq-sender are [NAME MATH CHINESE]"
                + " (see 'jipc example --help')\n", bad.err());
    }
}
