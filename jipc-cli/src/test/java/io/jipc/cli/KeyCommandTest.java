package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

class KeyCommandTest {

    @Test
    void jipc_key_prints_what_c_ftok_prints_for_1000_random_pairs(@TempDir Path dir)
            throws IOException {
        Path probe = Gcc.compileResource("c/ftok_probe.c");
        List<Path> paths =
                new ArrayList<>(
                        List.of(Path.of("/etc/services"), Path.of("/"), Path.of("/usr/bin")));
        for (int i = 0; i < 100; i++) {
            paths.add(Files.createFile(dir.resolve("f" + i)));
        }
        Random rnd = new Random(7);
        StringBuilder input = new StringBuilder();
        List<String> jipc = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Path p = paths.get(rnd.nextInt(paths.size()));
            int proj = 1 + rnd.nextInt(255);
            input.append(proj).append(' ').append(p).append('\n');
            // Exercise every PROJ spelling the CLI accepts.
            String projArg =
                    switch (i % 3) {
                        case 0 -> Integer.toString(proj);
                        case 1 -> "0x" + Integer.toHexString(proj);
                        default ->
                                proj > '9' && proj < 127
                                        ? Character.toString((char) proj)
                                        : Integer.toString(proj);
                    };
            CliRunner.Run r = CliRunner.run("key", p.toString(), projArg);
            assertEquals(0, r.exit(), r.err());
            jipc.add(r.out().strip());
        }
        Path in = Files.writeString(dir.resolve("pairs.txt"), input);
        List<String> c;
        try (Processes.Child child = Processes.start(List.of(probe.toString()), Map.of(), in)) {
            c = child.await(Duration.ofSeconds(30)).assertExit(0).stdout().lines().toList();
        }
        assertEquals(c, jipc);
    }

    @Test
    void proj_spellings() {
        String g = CliRunner.run("key", "/etc/services", "g").out();
        assertEquals(g, CliRunner.run("key", "/etc/services", "103").out());
        assertEquals(g, CliRunner.run("key", "/etc/services", "0x67").out());
        assertTrue(g.matches("0x67[0-9a-f]{6}\n"), g);
        assertTrue(CliRunner.run("key", "/etc/services", "7").out().startsWith("0x07"));
    }

    @Test
    void a_missing_path_exits_1_with_one_line() {
        CliRunner.Run r = CliRunner.run("key", "/nonexistent", "x");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("jipc key: no such file: /nonexistent\n", r.err());
    }

    @Test
    void bad_proj_is_a_usage_error() {
        for (String bad : new String[] {"0", "256", "0x100", "gg", "-1", "1.5", ""}) {
            CliRunner.Run r = CliRunner.run("key", "/etc/services", bad);
            assertEquals(2, r.exit(), bad);
            assertTrue(r.err().contains("PROJ") || r.err().contains("project id"), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }

    @Test
    void verbose_prints_the_stack_trace() {
        CliRunner.Run r = CliRunner.run("key", "--verbose", "/nonexistent", "x");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("\tat "), r.err());
        assertTrue(r.err().endsWith("jipc key: no such file: /nonexistent\n"), r.err());
    }
}
