package io.jipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

class IpcKeyTest {

    /**
     * Paths for the ftok comparison: many fresh files (varied inodes), directories, system files.
     */
    static List<Path> samplePaths(Path dir, int files) throws IOException {
        List<Path> paths =
                new ArrayList<>(
                        List.of(
                                Path.of("/etc/services"),
                                Path.of("/etc/passwd"),
                                Path.of("/tmp"),
                                Path.of("/"),
                                Path.of("/proc/version"),
                                Path.of("/dev/null")));
        for (int i = 0; i < files; i++) {
            paths.add(Files.createFile(dir.resolve("f" + i)));
        }
        paths.add(Files.createSymbolicLink(dir.resolve("link"), Path.of("/etc/services")));
        return paths;
    }

    @Test
    void ftok_equals_glibc_for_1000_random_path_and_proj_pairs(@TempDir Path dir)
            throws IOException {
        Path probe = Gcc.compileResource("c/ftok_probe.c");
        List<Path> paths = samplePaths(dir, 200);
        Random rnd = new Random(42);
        StringBuilder input = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Path p = paths.get(rnd.nextInt(paths.size()));
            int proj = 1 + rnd.nextInt(255);
            input.append(proj).append(' ').append(p).append('\n');
            expected.add(IpcKey.ftok(p, proj).toString());
        }
        Path in = Files.writeString(dir.resolve("pairs.txt"), input);
        try (Processes.Child c = Processes.start(List.of(probe.toString()), Map.of(), in)) {
            List<String> got =
                    c.await(Duration.ofSeconds(30)).assertExit(0).stdout().lines().toList();
            assertEquals(expected.size(), got.size());
            List<String> mismatches = new ArrayList<>();
            String[] lines = input.toString().split("\n");
            for (int i = 0; i < expected.size(); i++) {
                if (!expected.get(i).equals(got.get(i))) {
                    mismatches.add(lines[i] + ": java " + expected.get(i) + ", C " + got.get(i));
                }
            }
            assertEquals(List.of(), mismatches);
        }
    }

    @Test
    void ftok_with_a_char_uses_its_code() throws IOException {
        Path p = Path.of("/etc/services");
        assertEquals(IpcKey.ftok(p, 103), IpcKey.ftok(p, 'g'));
        assertEquals(0x67, IpcKey.ftok(p, 'g').value() >>> 24);
    }

    @Test
    void ftok_of_a_missing_path_is_NoSuchFileException() {
        NoSuchFileException e =
                assertThrows(
                        NoSuchFileException.class,
                        () -> IpcKey.ftok(Path.of("/nonexistent/x"), 'x'));
        assertTrue(e.getMessage().contains("/nonexistent/x"));
    }

    @Test
    void ftok_refuses_proj_outside_1_to_255() {
        assertThrows(IllegalArgumentException.class, () -> IpcKey.ftok(Path.of("/"), 0));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> IpcKey.ftok(Path.of("/"), 256));
        assertTrue(e.getMessage().contains("proj=256"), e.getMessage());
    }

    @Test
    void parse_and_print() {
        assertEquals(0x67001234, IpcKey.parse("0x67001234").value());
        assertEquals(0xffffffff, IpcKey.parse("0xFFFFFFFF").value());
        assertEquals(-5, IpcKey.parse("-5").value());
        assertEquals(42, IpcKey.parse("42").value());
        assertEquals("0x0000002a", IpcKey.of(42).toString());
        assertEquals("0xffffffff", IpcKey.of(-1).toString());
        assertTrue(IpcKey.PRIVATE.isPrivate());
        for (String bad : new String[] {"", "0x", "0x123456789", "12ab", "0xzz", "4294967296"}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> IpcKey.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("key="), e.getMessage());
        }
    }
}
