package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jipc.Limit;
import io.jipc.posix.PosixMessageQueue;
import io.jipc.posix.PosixObjects;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code jipc pmq}, {@code jipc psem}, {@code jipc pshm} and the POSIX part of {@code jipc ls} on
 * real objects: exit codes, one-line errors, formats. The build runs in a private IPC namespace
 * (queues); /dev/shm is shared, so every name carries this JVM's pid, and each test removes what it
 * made.
 */
class PosixCommandsTest {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private final List<String> made = new ArrayList<>();

    private String name(String tag) {
        String n =
                "/jipc-cli-t"
                        + ProcessHandle.current().pid()
                        + "-"
                        + NEXT.incrementAndGet()
                        + "-"
                        + tag;
        made.add(n);
        return n;
    }

    @AfterEach
    void removeWhatWasMade() {
        List<String> left = new ArrayList<>();
        for (String n : made) {
            for (String kind : List.of("pmq", "psem", "pshm")) {
                if (CliRunner.run(kind, "rm", n).exit() == 0) {
                    left.add(kind + " " + n);
                }
            }
        }
        assertEquals(List.of(), left, "the test left objects behind (now removed)");
    }

    private static CliRunner.Run ok(String... args) {
        CliRunner.Run r = CliRunner.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
        return r;
    }

    private static void oneLine(CliRunner.Run r, int exit, String startsWith) {
        assertEquals(exit, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith(startsWith), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void pmq_round_trip_in_priority_order_and_every_format() throws Exception {
        String q = name("q");
        ok("pmq", "create", q, "--max-messages", "5", "--message-size", "64", "--mode", "0640");
        oneLine(
                CliRunner.run("pmq", "create", q, "--exclusive"),
                1,
                "jipc pmq create: mq_open(" + q + "): EEXIST");
        ok("pmq", "send", q, "--text", "low");
        ok("pmq", "send", q, "--priority", "9", "--hex", "00ff");
        assertEquals(
                0,
                CliRunner.runWithInput(
                                "from stdin".getBytes(UTF_8), "pmq", "send", q, "--priority", "5")
                        .exit());
        Map<?, ?> st = (Map<?, ?>) JsonReader.parse(ok("pmq", "stat", q, "--json").out());
        assertEquals(q, st.get("name"));
        assertEquals("0640", st.get("mode"));
        assertEquals(5L, ((Number) st.get("max_messages")).longValue());
        assertEquals(64L, ((Number) st.get("message_size")).longValue());
        assertEquals(3L, ((Number) st.get("messages")).longValue());
        assertEquals(15L, ((Number) st.get("bytes")).longValue());
        assertEquals(0L, ((Number) st.get("notify_pid")).longValue());
        assertEquals("9 00ff\n", ok("pmq", "recv", q, "--format", "hex").out());
        Map<?, ?> json =
                (Map<?, ?>) JsonReader.parse(ok("pmq", "recv", q, "--format", "json").out());
        assertEquals(5L, ((Number) json.get("priority")).longValue());
        assertEquals(10L, ((Number) json.get("size")).longValue());
        assertEquals("66726f6d20737464696e", json.get("hex"));
        assertEquals("from stdin", json.get("text"));
        assertEquals("0\tlow\n", ok("pmq", "recv", q).out());
        oneLine(CliRunner.run("pmq", "recv", q, "--nowait"), 3, "jipc pmq recv: no message");
        CliRunner.Run timed = CliRunner.run("pmq", "recv", q, "--timeout", "100ms");
        oneLine(timed, 3, "jipc pmq recv: no message within 100ms");
        assertTrue(ok("pmq", "stat", q).out().contains("messages      0 of at most 5"));
        ok("pmq", "rm", q);
        oneLine(CliRunner.run("pmq", "rm", q), 1, "jipc pmq rm: mq_unlink(" + q + "): ENOENT");
        oneLine(
                CliRunner.run("pmq", "send", q, "--text", "x"),
                1,
                "jipc pmq send: mq_open(" + q + "): ENOENT");
    }

    @Test
    void pmq_struct_decoding_raw_bodies_and_a_full_queue() throws Exception {
        String q = name("q");
        ok("pmq", "create", q, "--max-messages", "1", "--message-size", "40");
        ok(
                "pmq",
                "send",
                q,
                "--priority",
                "1",
                "--hex",
                "416c616e" + "00".repeat(28) + "5a000000" + "55000000");
        oneLine(
                CliRunner.run("pmq", "send", q, "--nowait", "--text", "x"),
                3,
                "jipc pmq send: the queue is full");
        oneLine(
                CliRunner.run("pmq", "send", q, "--timeout", "50ms", "--text", "x"),
                3,
                "jipc pmq send: no room within");
        assertEquals(
                "1\tname=\"Alan\" math=90 chinese=85\n",
                ok("pmq", "recv", q, "--struct", "char name[32]; int math; int chinese;").out());
        ok("pmq", "send", q, "--hex", "000102");
        assertArrayEquals(new byte[] {0, 1, 2}, ok("pmq", "recv", q, "--format", "raw").bytes());
        ok("pmq", "rm", q);
    }

    @Test
    void pmq_bad_input_is_one_line_with_exit_2_or_1() throws Exception {
        oneLine(
                CliRunner.run("pmq", "create", "jobs"),
                2,
                "jipc pmq create: name=jobs (a POSIX IPC name starts with '/'");
        oneLine(
                CliRunner.run("pmq", "create", "/jobs/today"),
                2,
                "jipc pmq create: name=/jobs/today (only the leading");
        String q = name("q");
        ok("pmq", "create", q, "--max-messages", "2", "--message-size", "8");
        oneLine(
                CliRunner.run("pmq", "send", q, "--priority", "32768", "--text", "x"),
                2,
                "jipc pmq send: --priority must be 0..32767");
        CliRunner.Run big = CliRunner.run("pmq", "send", q, "--text", "123456789");
        oneLine(
                big,
                1,
                "jipc pmq send: --text holds more than the message size of "
                        + q
                        + " (mq_msgsize = 8 bytes)");
        assertEquals(
                0L,
                ((Number)
                                ((Map<?, ?>) JsonReader.parse(ok("pmq", "stat", q, "--json").out()))
                                        .get("messages"))
                        .longValue(),
                "nothing was sent");
        ok("pmq", "rm", q);
        long sizeMax = Limit.MQ_MSGSIZE_MAX.value();
        String over = name("q");
        CliRunner.Run limit =
                CliRunner.run("pmq", "create", over, "--message-size", "" + (sizeMax + 1));
        if (!io.jipc.Capabilities.effective()
                .contains(io.jipc.Capabilities.Capability.CAP_SYS_RESOURCE)) {
            oneLine(limit, 1, "jipc pmq create: mq_open(" + over + "): EINVAL");
            assertTrue(
                    limit.err()
                            .contains(
                                    "limit msgsize_max = "
                                            + sizeMax
                                            + " (set in /proc/sys/fs/mqueue/msgsize_max)"),
                    limit.err());
        }
        oneLine(
                CliRunner.run("pmq", "recv", q, "--count", "0"),
                2,
                "jipc pmq recv: --count must be >= 1");
    }

    @Test
    void psem_create_post_wait_get_rm() throws Exception {
        String s = name("sem");
        ok("psem", "create", s, "--value", "1");
        assertEquals("1\n", ok("psem", "get", s).out());
        ok("psem", "wait", s);
        oneLine(CliRunner.run("psem", "wait", s, "--nowait"), 3, "jipc psem wait: the value is 0");
        oneLine(
                CliRunner.run("psem", "wait", s, "--timeout", "50ms"),
                3,
                "jipc psem wait: the value stayed 0 for");
        ok("psem", "post", s);
        ok("psem", "post", s);
        assertEquals("2\n", ok("psem", "get", s).out());
        ok("psem", "create", s, "--value", "7");
        assertEquals("2\n", ok("psem", "get", s).out(), "create-or-open keeps the value");
        oneLine(
                CliRunner.run("psem", "create", s, "--exclusive"),
                1,
                "jipc psem create: sem_open(" + s + "): EEXIST");
        ok("psem", "rm", s);
        oneLine(
                CliRunner.run("psem", "get", s),
                1,
                "jipc psem get: sem_open("
                        + s
                        + "): ENOENT (No such file or directory):"
                        + " no semaphore has this name");
        oneLine(CliRunner.run("psem", "create", "/a/b"), 2, "jipc psem create: name=/a/b");
    }

    @Test
    void pshm_create_write_read_stat_rm() throws Exception {
        String m = name("shm");
        ok("pshm", "create", m, "--size", "4k", "--mode", "0604");
        ok("pshm", "write", m, "--offset", "100", "--text", "héllo");
        assertEquals("héllo\n", ok("pshm", "read", m, "--offset", "100", "--format", "text").out());
        assertEquals(
                "68c3a96c6c6f0000\n",
                ok("pshm", "read", m, "--offset", "100", "--length", "8", "--format", "hex").out());
        ok("pshm", "write", m, "--offset", "4092", "--hex", "DEADbeef");
        assertEquals(
                "deadbeef\n", ok("pshm", "read", m, "--offset", "4092", "--format", "hex").out());
        assertArrayEquals(
                new byte[] {(byte) 0xde, (byte) 0xad},
                ok("pshm", "read", m, "--offset", "4092", "--length", "2").bytes());
        oneLine(
                CliRunner.run("pshm", "write", m, "--offset", "4094", "--hex", "010203"),
                1,
                "jipc pshm write: --hex holds more than the 2 bytes from offset 4094");
        oneLine(
                CliRunner.run("pshm", "read", m, "--offset", "5000"),
                2,
                "jipc pshm read: --offset 5000 is past the end of ");
        Map<?, ?> st = (Map<?, ?>) JsonReader.parse(ok("pshm", "stat", m, "--json").out());
        assertEquals(
                List.of("pshm", m, "0604", 4096L),
                List.of(
                        st.get("kind"),
                        st.get("name"),
                        st.get("mode"),
                        ((Number) st.get("size")).longValue()));
        ok("pshm", "create", m, "--size", "8k");
        assertTrue(
                ok("pshm", "stat", m).out().contains("size   8192 bytes"), "grown, never shrunk");
        ok("pshm", "rm", m);
        oneLine(CliRunner.run("pshm", "read", m), 1, "jipc pshm read: shm_open(" + m + "): ENOENT");
    }

    @Test
    void ls_shows_posix_objects_and_says_how_to_mount_mqueue_when_it_is_not() throws Exception {
        assumeTrue(PosixObjects.mqueueMount().isEmpty(), "the mqueue file system is mounted here");
        String m = name("shm");
        String s = name("sem");
        ok("pshm", "create", m, "--size", "100");
        ok("psem", "create", s, "--value", "3", "--mode", "0644");
        String table = ok("ls", "--posix").out();
        assertTrue(
                table.startsWith(
                        "POSIX message queues\n(not listed: the mqueue file system is not mounted; mount it"
                                + " with: mount -t mqueue none /dev/mqueue)\n"),
                table);
        assertTrue(
                table.lines()
                        .anyMatch(
                                l ->
                                        l.matches(
                                                java.util.regex.Pattern.quote(m)
                                                        + " +\\S+ +0600 +100")),
                table);
        assertTrue(
                table.lines()
                        .anyMatch(
                                l ->
                                        l.matches(
                                                java.util.regex.Pattern.quote(s)
                                                        + " +\\S+ +0644 +3")),
                table);
        assertTrue(
                ok("ls").out().contains("\nPOSIX shared memory (/dev/shm)\n"),
                "after the System V tables");
        CliRunner.Run json = ok("ls", "--posix", "--json");
        assertEquals(
                "jipc ls: warning: POSIX message queues not listed: the mqueue file system is not mounted; mount"
                        + " it with: mount -t mqueue none /dev/mqueue\n",
                json.err());
        List<?> all = (List<?>) JsonReader.parse(json.out());
        assertTrue(
                all.stream()
                        .anyMatch(
                                o ->
                                        ((Map<?, ?>) o).get("name").equals(s)
                                                && ((Map<?, ?>) o).get("kind").equals("psem")
                                                && ((Number) ((Map<?, ?>) o).get("value"))
                                                                .intValue()
                                                        == 3),
                json.out());
        assertEquals(2, CliRunner.run("ls", "--posix", "msg").exit(), "--posix has no KIND");
        String stranger =
                io.jipc.Capabilities.effectiveUid() == 4242 ? "4243" : "4242"; // owns nothing here
        assertEquals(
                3,
                CliRunner.run("ls", "--posix", "--owner", stranger).exit(),
                "nothing owned by uid " + stranger);
        ok("pshm", "rm", m);
        ok("psem", "rm", s);
        String doctor = ok("doctor").out();
        assertTrue(
                doctor.contains("mqueue      not mounted: POSIX queues work but cannot be listed;"),
                doctor);
        assertTrue(doctor.contains("RLIMIT_MSGQUEUE"), doctor);
        assertTrue(doctor.contains("/proc/sys/fs/mqueue/msgsize_max"), doctor);
    }

    @Test
    void ls_lists_queues_where_the_mqueue_file_system_is_mounted() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "mqueue-mount").toAbsolutePath());
        String q = name("q");
        // a queue and the listing in an IPC and mount namespace of their own, with mqueue mounted
        String jipc =
                String.join(
                        " ",
                        ChildJvm.command(Main.class).stream().map(a -> "'" + a + "'").toList());
        String script =
                "mount -t mqueue none '"
                        + dir
                        + "' || exit 99\n"
                        + jipc
                        + " pmq create "
                        + q
                        + " --max-messages 3 --message-size 16 --mode 0640 || exit 98\n"
                        + jipc
                        + " pmq send "
                        + q
                        + " --text hello || exit 97\n"
                        + jipc
                        + " ls --posix --json || exit 96\n"
                        + jipc
                        + " pmq rm "
                        + q
                        + " || exit 95\n";
        Processes.Result r;
        try (Processes.Child c =
                Processes.start(List.of("unshare", "--ipc", "--mount", "--", "sh", "-c", script))) {
            r = c.await(Duration.ofSeconds(120));
        }
        assumeTrue(
                r.exitCode() != 99 && !r.stderr().startsWith("unshare:"),
                "cannot make a mount namespace with mqueue mounted here (needs root): "
                        + r.stderr());
        r.assertExit(0);
        List<?> all = (List<?>) JsonReader.parse(r.stdout());
        Map<?, ?> queue =
                all.stream()
                        .map(o -> (Map<?, ?>) o)
                        .filter(o -> o.get("name").equals(q))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(r.stdout()));
        assertEquals("pmq", queue.get("kind"));
        assertEquals("0640", queue.get("mode"));
        assertEquals(
                List.of(3L, 16L, 1L, 5L, 0L),
                List.of(
                        ((Number) queue.get("max_messages")).longValue(),
                        ((Number) queue.get("message_size")).longValue(),
                        ((Number) queue.get("messages")).longValue(),
                        ((Number) queue.get("bytes")).longValue(),
                        ((Number) queue.get("notify_pid")).longValue()));
        assertFalse(r.stderr().contains("not mounted"), r.stderr());
        made.remove(q); // it lived in the child's namespace
        assertTrue(PosixMessageQueue.MAX_PRIORITY > 0);
    }
}
