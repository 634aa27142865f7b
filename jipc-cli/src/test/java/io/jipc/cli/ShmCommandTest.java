package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.IpcKey;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;
import io.jipc.testkit.TestKeys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code jipc shm}: create, write, read, stat, rm on real segments. */
class ShmCommandTest {

    @Test
    void create_prints_only_the_shmid_and_write_read_round_trip_in_every_format(@TempDir Path dir)
            throws Exception {
        String key = IpcKey.of(TestKeys.unused()).toString();
        CliRunner.Run created =
                CliRunner.run("shm", "create", "--key", key, "--size", "4k", "--mode", "0640");
        assertEquals(0, created.exit(), created.err());
        assertTrue(created.out().matches("\\d+\n"), created.out());
        String id = created.out().strip();
        try {
            assertEquals(
                    1,
                    CliRunner.run("shm", "create", "--key", key, "--size", "4096", "--exclusive")
                            .exit());
            assertEquals(
                    id + "\n",
                    CliRunner.run("shm", "create", "--key", key, "--size", "100").out(),
                    "create-or-open returns the existing segment");

            assertEquals(
                    0,
                    CliRunner.run(
                                    "shm",
                                    "write",
                                    "--key",
                                    key,
                                    "--offset",
                                    "100",
                                    "--text",
                                    "héllo")
                            .exit());
            assertEquals(
                    "héllo\n",
                    CliRunner.run("shm", "read", "--id", id, "--offset", "100", "--format", "text")
                            .out());
            assertEquals(
                    "68c3a96c6c6f0000\n",
                    CliRunner.run(
                                    "shm",
                                    "read",
                                    "--key",
                                    key,
                                    "--offset",
                                    "100",
                                    "--length",
                                    "8",
                                    "--format",
                                    "hex")
                            .out());
            assertEquals(
                    0,
                    CliRunner.run(
                                    "shm",
                                    "write",
                                    "--id",
                                    id,
                                    "--offset",
                                    "4092",
                                    "--hex",
                                    "DEADbeef")
                            .exit());
            assertEquals(
                    "deadbeef\n",
                    CliRunner.run("shm", "read", "--id", id, "--offset", "4092", "--format", "hex")
                            .out(),
                    "the default length runs to the end of the segment");
            Path f = Files.write(dir.resolve("bytes"), new byte[] {'a', 'b', 0, 'c'});
            assertEquals(
                    0,
                    CliRunner.run(
                                    "shm",
                                    "write",
                                    "--id",
                                    id,
                                    "--offset",
                                    "0x10",
                                    "--file",
                                    f.toString())
                            .exit());
            assertEquals(
                    "ab\n",
                    CliRunner.run("shm", "read", "--id", id, "--offset", "16", "--format", "text")
                            .out(),
                    "text stops at the first NUL");

            // stdin in, raw bytes out: a real process
            Path in = Files.write(dir.resolve("in"), new byte[] {0, (byte) 0xff, 0x10, '\n'});
            try (Processes.Child w =
                    Processes.start(
                            ChildJvm.command(
                                    Main.class, "shm", "write", "--id", id, "--offset", "2000"),
                            Map.of(),
                            in)) {
                w.await(Duration.ofSeconds(60)).assertExit(0);
            }
            try (Processes.Child r =
                    ChildJvm.start(
                            Main.class,
                            "shm",
                            "read",
                            "--id",
                            id,
                            "--offset",
                            "1999",
                            "--length",
                            "6")) {
                r.await(Duration.ofSeconds(60)).assertExit(0);
                assertArrayEquals(
                        new byte[] {0, 0, (byte) 0xff, 0x10, '\n', 0},
                        Files.readAllBytes(r.stdout()));
            }
        } finally {
            assertEquals(0, CliRunner.run("shm", "rm", "--id", id).exit());
        }
    }

    @Test
    void out_of_range_offsets_and_lengths_fail_with_the_segment_size() {
        String id = CliRunner.run("shm", "create", "--key", "0", "--size", "4096").out().strip();
        try {
            // a range outside the segment is a bad option value (2), named by its options; more
            // data than
            // fits is a failure (1)
            for (String[] args :
                    List.of(
                            new String[] {"2", "shm", "read", "--id", id, "--offset", "5000"},
                            new String[] {
                                "2", "shm", "read", "--id", id, "--offset", "4000", "--length", "97"
                            },
                            new String[] {
                                "2", "shm", "write", "--id", id, "--offset", "4097", "--text", "0"
                            },
                            new String[] {
                                "1",
                                "shm",
                                "write",
                                "--id",
                                id,
                                "--offset",
                                "4090",
                                "--text",
                                "0123456789"
                            })) {
                CliRunner.Run r = CliRunner.run(java.util.Arrays.copyOfRange(args, 1, args.length));
                assertEquals(
                        Integer.parseInt(args[0]),
                        r.exit(),
                        String.join(" ", args) + ": " + r.err());
                assertTrue(r.err().contains("whose size is 4096 bytes"), r.err());
                assertEquals(1, r.err().lines().count(), r.err());
            }
            assertEquals(
                    "jipc shm write: --offset 5000 is past the end of shmid "
                            + id
                            + ", whose size is 4096 bytes"
                            + " (see 'jipc shm write --help')\n",
                    CliRunner.run("shm", "write", "--id", id, "--offset", "5000", "--text", "a")
                            .err());
            assertEquals(
                    "jipc shm read: --offset 4000 and --length 97 go past the end of shmid "
                            + id
                            + ", whose size is "
                            + "4096 bytes (see 'jipc shm read --help')\n",
                    CliRunner.run("shm", "read", "--id", id, "--offset", "4000", "--length", "97")
                            .err());
            assertEquals(
                    "jipc shm create: --size must be >= 1 (got 0) (see 'jipc shm create --help')\n",
                    CliRunner.run("shm", "create", "--key", "0", "--size", "0").err());
            assertEquals(
                    "\n",
                    CliRunner.run("shm", "read", "--id", id, "--offset", "4096", "--format", "hex")
                            .out(),
                    "an empty range at the very end is fine");
        } finally {
            CliRunner.run("shm", "rm", "--id", id);
        }
    }

    @Test
    void stat_human_and_json_then_rm_then_not_found() {
        String key = IpcKey.of(TestKeys.unused()).toString();
        String id =
                CliRunner.run("shm", "create", "--key", key, "--size", "12345", "--exclusive")
                        .out()
                        .strip();
        CliRunner.Run human = CliRunner.run("shm", "stat", "--key", key);
        assertEquals(0, human.exit(), human.err());
        assertTrue(
                human.out().contains("size         12345 bytes")
                        && human.out().contains("mode         600")
                        && human.out().contains("last attach  never"),
                human.out());
        String json = CliRunner.run("shm", "stat", "--id", id, "--json").out();
        assertTrue(
                json.startsWith(
                        "{\"shmid\":"
                                + id
                                + ",\"key\":\""
                                + key
                                + "\",\"size\":12345,\"attach_count\":0,"
                                + "\"mode\":\"600\",\"removal_pending\":false,\"locked\":false,"),
                json);
        assertTrue(json.contains("\"last_attach\":null"), json);
        assertEquals(0, CliRunner.run("shm", "rm", "--key", key).exit());
        CliRunner.Run gone = CliRunner.run("shm", "stat", "--id", id);
        assertEquals(1, gone.exit());
        assertTrue(
                gone.err().contains("EINVAL")
                        && gone.err().contains("no shared memory segment has this id"),
                gone.err());
        CliRunner.Run usage = CliRunner.run("shm", "create", "--id", id, "--size", "1");
        assertEquals(2, usage.exit(), usage.err());
    }
}
