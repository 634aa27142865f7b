package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

class MainTest {

    /** Every command path of the tree, e.g. [mq, recv]. */
    static List<List<String>> commandPaths() {
        List<List<String>> all = new ArrayList<>();
        walk(new CommandLine(new Main()), new ArrayList<>(), all);
        return all;
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> all) {
        all.add(List.copyOf(path));
        cl.getSubcommands()
                .forEach(
                        (name, sub) -> {
                            if (!name.equals("help") && sub.getCommandName().equals(name)) {
                                List<String> p = new ArrayList<>(path);
                                p.add(name);
                                walk(sub, p, all);
                            }
                        });
    }

    @Test
    void version_and_help() {
        CliRunner.Run v = CliRunner.run("--version");
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("jipc 0."), v.out());
        assertEquals("", v.err());
        CliRunner.Run h = CliRunner.run("--help");
        assertEquals(0, h.exit());
        assertEquals("", h.err());
        assertTrue(h.out().contains("doctor") && h.out().contains("key"), h.out());
        assertTrue(h.out().contains("Exit codes: 0 ok, 1 failed, 2 usage, 3"), h.out());
    }

    @Test
    void every_help_prints_to_stdout_only_without_warnings() {
        List<List<String>> paths = commandPaths();
        assertTrue(paths.size() > 30, paths.toString());
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRunner.Run r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(0, r.exit(), args + ": " + r.err());
            assertEquals("", r.err(), args + " writes to stderr (a picocli WARN?)");
            assertTrue(r.out().startsWith("Usage: jipc"), args + ": " + r.out());
            assertFalse(
                    r.out().contains("%n") || r.out().contains("[picocli"), args + ": " + r.out());
        }
    }

    @Test
    void no_help_text_is_cut_mid_sentence() {
        // Each description element is a paragraph that picocli wraps: one cut by hand ends without
        // a sentence's end and reads broken at any other width.
        List<String> cut = new ArrayList<>();
        for (List<String> path : commandPaths()) {
            CommandLine cl = new CommandLine(new Main());
            for (String name : path) {
                cl = cl.getSubcommands().get(name);
            }
            List<String> texts =
                    new ArrayList<>(List.of(cl.getCommandSpec().usageMessage().description()));
            cl.getCommandSpec().options().forEach(o -> texts.addAll(List.of(o.description())));
            cl.getCommandSpec()
                    .positionalParameters()
                    .forEach(p -> texts.addAll(List.of(p.description())));
            for (String t : texts) {
                if (!t.isBlank() && !t.strip().matches("(?s).*[.:;)]$")) {
                    cut.add(path + ": " + t);
                }
            }
        }
        assertEquals(List.of(), cut);
    }

    @Test
    void usage_errors_exit_2_with_one_line_and_no_stack_trace() {
        for (String[] args :
                new String[][] {
                    {"bogus"},
                    {},
                    {"doctor", "--bogus"},
                    {"key"},
                    {"key", "/etc/services"},
                    {"key", "a", "b", "c"}
                }) {
            CliRunner.Run r = CliRunner.run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("jipc"), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("--help"), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertEquals("", r.out());
        }
    }
}
