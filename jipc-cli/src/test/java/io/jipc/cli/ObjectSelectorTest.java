package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipc.IpcKey;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

/** The --key / --id / --path --proj selection every object subcommand shares. */
class ObjectSelectorTest {

    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        ObjectSelector.Target target;

        @Override
        public Integer call() throws Exception {
            target = sel.resolve();
            return 0;
        }
    }

    private static Probe parse(int expectedExit, String... args) {
        Probe p = new Probe();
        CommandLine cl = new CommandLine(p);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(expectedExit, cl.execute(args), String.join(" ", args) + ": " + err);
        return p;
    }

    @Test
    void by_key_id_or_ftok() throws Exception {
        assertEquals(
                new ObjectSelector.ByKey(IpcKey.of(0x67001234)),
                parse(0, "--key", "0x67001234").target);
        assertEquals(new ObjectSelector.ByKey(IpcKey.of(42)), parse(0, "--key", "42").target);
        assertEquals(new ObjectSelector.ById(7), parse(0, "--id", "7").target);
        assertEquals(
                new ObjectSelector.ByKey(IpcKey.ftok(java.nio.file.Path.of("/etc/services"), 'g')),
                parse(0, "--path", "/etc/services", "--proj", "g").target);
    }

    @Test
    void bad_selections_are_usage_errors() {
        parse(2);
        parse(2, "--key", "0x1", "--id", "1");
        parse(2, "--path", "/etc/services");
        parse(2, "--proj", "g");
        parse(2, "--key", "0xzz");
        parse(2, "--path", "/etc/services", "--proj", "0");
        parse(2, "--id", "x");
    }
}
