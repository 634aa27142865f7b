package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.IpcKey;
import io.jipc.sysv.SemOp;
import io.jipc.sysv.SemaphoreSet;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.TestKeys;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code jipc sem ...} end to end against the kernel (in-process, plus one child JVM for --undo).
 */
class SemCommandTest {

    @Test
    void create_get_set_op_stat_rm_by_key() throws Exception {
        String key = IpcKey.of(TestKeys.unused()).toString();
        CliRunner.Run c =
                CliRunner.run("sem", "create", "--key", key, "--nsems", "3", "--values", "1,0,2");
        assertEquals(0, c.exit(), c.err());
        int id = Integer.parseInt(c.out().trim());
        try {
            assertEquals(
                    id, SemaphoreSet.open(IpcKey.parse(key)).id(), "create prints only the semid");
            CliRunner.Run again =
                    CliRunner.run(
                            "sem", "create", "--key", key, "--nsems", "3", "--values", "9,9,9");
            assertEquals(0, again.exit());
            assertEquals(id + "\n", again.out(), "without --exclusive: opens, values untouched");
            assertEquals(
                    1,
                    CliRunner.run("sem", "create", "--key", key, "--nsems", "3", "--exclusive")
                            .exit());
            assertEquals("1 0 2\n", CliRunner.run("sem", "get", "--key", key).out());
            assertEquals(
                    "2\n",
                    CliRunner.run("sem", "get", "--id", Integer.toString(id), "--index", "2")
                            .out());

            assertEquals(
                    3,
                    CliRunner.run("sem", "op", "--key", key, "--ops", "0:-1,1:+1,2:0", "--nowait")
                            .exit(),
                    "2 is not zero: would block");
            assertEquals(
                    "1 0 2\n",
                    CliRunner.run("sem", "get", "--key", key).out(),
                    "atomic: nothing done");
            assertEquals(
                    0, CliRunner.run("sem", "op", "--key", key, "--ops", "0:-1,1:+1,2:-2").exit());
            assertEquals("0 1 0\n", CliRunner.run("sem", "get", "--key", key).out());
            CliRunner.Run timed =
                    CliRunner.run("sem", "op", "--key", key, "--ops", "0:-1", "--timeout", "150ms");
            assertEquals(3, timed.exit());
            assertTrue(timed.err().contains("timed out"), timed.err());

            assertEquals(
                    0,
                    CliRunner.run("sem", "set", "--key", key, "--index", "0", "--value", "4")
                            .exit());
            assertEquals(0, CliRunner.run("sem", "set", "--key", key, "--values", "4,5,6").exit());
            CliRunner.Run range =
                    CliRunner.run("sem", "set", "--key", key, "--index", "0", "--value", "40000");
            assertEquals(1, range.exit());
            assertTrue(range.err().contains("limit semvmx = 32767"), range.err());
            CliRunner.Run oob = CliRunner.run("sem", "op", "--key", key, "--ops", "3:+1");
            assertEquals(2, oob.exit(), "an index the set does not have is a bad option value");
            assertEquals(
                    "jipc sem op: --ops index 3, but semid "
                            + id
                            + " has 3 semaphore(s) (0..2) (see 'jipc sem op --help')\n",
                    oob.err());

            CliRunner.Run stat = CliRunner.run("sem", "stat", "--key", key);
            assertEquals(0, stat.exit(), stat.err());
            assertTrue(
                    stat.out().contains("nsems 3")
                            && stat.out().contains(" index  value   ncnt   zcnt      pid"),
                    stat.out());
            CliRunner.Run json =
                    CliRunner.run("sem", "stat", "--id", Integer.toString(id), "--json");
            assertTrue(
                    json.out().startsWith("{\"semid\":" + id + ",\"key\":\"" + key + "\""),
                    json.out());
            assertTrue(json.out().contains("\"mode\":\"600\",\"nsems\":3"), json.out());
            assertTrue(
                    json.out().contains("{\"index\":2,\"value\":6,\"ncnt\":0,\"zcnt\":0,\"pid\":"),
                    json.out());
        } finally {
            assertEquals(0, CliRunner.run("sem", "rm", "--key", key).exit());
        }
        CliRunner.Run gone = CliRunner.run("sem", "rm", "--key", key);
        assertEquals(1, gone.exit());
        assertTrue(gone.err().contains("no semaphore set has this key"), gone.err());
    }

    @Test
    void validation_errors_name_the_option_and_the_value() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 2, 0, 1);
        try {
            String id = Integer.toString(s.id());
            Map<String, List<String>> cases = new java.util.LinkedHashMap<>();
            cases.put(
                    "jipc sem create: --nsems must be >= 1 (got 0)",
                    List.of("sem", "create", "--key", "0", "--nsems", "0"));
            cases.put(
                    "jipc sem create: --values must be >= 0 (got -1 for semaphore 0)",
                    List.of("sem", "create", "--key", "0", "--nsems", "2", "--values", "-1,0"));
            cases.put(
                    "jipc sem create: --values has 1 value(s) for --nsems 2 (give one per semaphore, or none for zeros)",
                    List.of("sem", "create", "--key", "0", "--nsems", "2", "--values", "1"));
            cases.put(
                    "jipc sem set: --value must be >= 0 (got -1)",
                    List.of("sem", "set", "--id", id, "--index", "0", "--value", "-1"));
            cases.put(
                    "jipc sem set: --values must be >= 0 (got -2 for semaphore 1)",
                    List.of("sem", "set", "--id", id, "--values", "1,-2"));
            cases.put(
                    "jipc sem set: --values has 1 value(s), but semid "
                            + id
                            + " has 2 semaphore(s)",
                    List.of("sem", "set", "--id", id, "--values", "1"));
            cases.put(
                    "jipc sem set: --index 5, but semid " + id + " has 2 semaphore(s) (0..1)",
                    List.of("sem", "set", "--id", id, "--index", "5", "--value", "1"));
            cases.put(
                    "jipc sem get: --index 2, but semid " + id + " has 2 semaphore(s) (0..1)",
                    List.of("sem", "get", "--id", id, "--index", "2"));
            cases.put(
                    "jipc sem op: Invalid value for option '--ops' (OPS): '0:99999': DELTA 99999 is outside -32768..32767 "
                            + "(sem_op is a C short; no semaphore exceeds semvmx = 32767)",
                    List.of("sem", "op", "--id", id, "--ops", "0:99999"));
            cases.put(
                    "jipc sem op: Invalid value for option '--ops' (OPS): '99999999999:1': INDEX 99999999999 is not a "
                            + "semaphore number (0..65535, sem_num is an unsigned short)",
                    List.of("sem", "op", "--id", id, "--ops", "99999999999:1"));
            for (Map.Entry<String, List<String>> c : cases.entrySet()) {
                CliRunner.Run r = CliRunner.run(c.getValue().toArray(String[]::new));
                String name = c.getKey().substring(0, c.getKey().indexOf(':'));
                assertEquals(2, r.exit(), c.getValue() + ": " + r.err());
                assertEquals(
                        c.getKey() + " (see '" + name + " --help')\n",
                        r.err(),
                        c.getValue().toString());
            }
            assertEquals("0 1\n", CliRunner.run("sem", "get", "--id", id).out(), "nothing changed");
        } finally {
            s.remove();
        }
    }

    @Test
    void stat_shows_waiters_and_a_blocking_op_wakes() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 2, 0, 1);
        try {
            String id = Integer.toString(s.id());
            CompletableFuture<CliRunner.Run> op =
                    CompletableFuture.supplyAsync(
                            () -> CliRunner.run("sem", "op", "--id", id, "--ops", "0:-1,1:0"));
            io.jipc.testkit.ThreadStates.await(
                    () ->
                            CliRunner.run("sem", "stat", "--id", id, "--json")
                                    .out()
                                    .contains("{\"index\":0,\"value\":0,\"ncnt\":1"),
                    () -> "the op waits, as sem stat shows");
            s.op(SemOp.up(0), SemOp.down(1));
            assertEquals(0, op.get(20, TimeUnit.SECONDS).exit());
            assertEquals("0 0\n", CliRunner.run("sem", "get", "--id", id).out());
        } finally {
            s.remove();
        }
    }

    @Test
    void usage_errors_exit_2() {
        for (String[] args :
                new String[][] {
                    {"sem"},
                    {"sem", "op", "--id", "1"},
                    {"sem", "op", "--id", "1", "--ops", "0:x"},
                    {"sem", "op", "--id", "1", "--ops", "0:-1", "--timeout", "soon"},
                    {"sem", "create", "--id", "1", "--nsems", "1"},
                    {"sem", "create", "--key", "0x1", "--nsems", "1", "--mode", "0999"},
                    {"sem", "get"},
                    {"sem", "set", "--id", "1", "--index", "0"}
                }) {
            CliRunner.Run r = CliRunner.run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("--help"), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
    }

    @Test
    void undo_from_the_command_line_is_undone_when_jipc_exits() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1, 1);
        try {
            ChildJvm.run(
                            Duration.ofSeconds(60),
                            Main.class,
                            "sem",
                            "op",
                            "--id",
                            Integer.toString(s.id()),
                            "--ops",
                            "0:-1",
                            "--undo")
                    .assertExit(0);
            assertEquals(1, s.get(0), "the kernel applied the undo when the jipc process exited");
            ChildJvm.run(
                            Duration.ofSeconds(60),
                            Main.class,
                            "sem",
                            "op",
                            "--id",
                            Integer.toString(s.id()),
                            "--ops",
                            "0:-1")
                    .assertExit(0);
            assertEquals(0, s.get(0), "without --undo the change stays");
        } finally {
            s.remove();
        }
    }
}
