package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.IpcKey;
import io.jipc.NotFoundException;
import io.jipc.internal.linux.SysV;
import io.jipc.sysv.Attachment;
import io.jipc.sysv.SharedMemory;
import io.jipc.sysv.SysvKind;
import io.jipc.sysv.SysvObjects;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;
import io.jipc.testkit.TestKeys;
import io.jipc.testkit.Unprivileged;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code jipc ls} and {@code jipc rm} against {@code ipcs} on the same objects: made by a C program
 * (as root and as nobody), by the SharedMemory API, by raw system calls and by {@code jipc shm
 * create}. Maven runs in a private IPC namespace, so both tools see exactly the objects of this
 * run.
 */
class LsCommandTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    /** The user running the tests, as jipc ls names owners. */
    static final String ME = SysvView.user(io.jipc.Capabilities.effectiveUid());

    /** What the C maker left: its pid and the three ids. */
    record Made(int pid, int msqid, int semid, int shmid) {}

    static Made make(boolean asNobody, int msgKey, int semKey, int shmKey) {
        Path exe = Gcc.compileResource("c/sysv_maker.c");
        List<String> cmd =
                List.of(
                        (asNobody ? Unprivileged.readable(exe) : exe).toString(),
                        hex(msgKey),
                        hex(semKey),
                        hex(shmKey));
        if (asNobody) {
            cmd = Unprivileged.command(cmd);
        }
        try (Processes.Child c = Processes.start(cmd)) {
            String out = c.await(WAIT).assertExit(0).stdout().strip();
            int[] ids = Arrays.stream(out.split(" ")).mapToInt(Integer::parseInt).toArray();
            return new Made((int) c.process().pid(), ids[0], ids[1], ids[2]);
        }
    }

    static String hex(int key) {
        return IpcKey.of(key).toString();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> lsJson(String... args) {
        List<String> a = new ArrayList<>(List.of("ls", "--json"));
        a.addAll(List.of(args));
        CliRunner.Run r = CliRunner.run(a.toArray(String[]::new));
        assertTrue(r.exit() == 0 || r.exit() == 3, r.err());
        assertEquals(1, r.out().lines().count(), "one JSON array on one line: " + r.out());
        return (List<Map<String, Object>>) JsonReader.parse(r.out());
    }

    static Map<String, Object> find(List<Map<String, Object>> all, String kind, int id) {
        return all.stream()
                .filter(m -> m.get("kind").equals(kind) && ((Long) m.get("id")) == id)
                .findFirst()
                .orElseThrow(() -> new AssertionError(kind + " id " + id + " not listed: " + all));
    }

    /** ipcs -q/-s/-m table rows (those that start with a key), split on blanks. */
    static List<String[]> ipcsRows(String option) {
        String out = Processes.run(WAIT, "ipcs", option).assertExit(0).stdout();
        return out.lines()
                .filter(l -> l.startsWith("0x"))
                .map(l -> l.strip().split("\\s+"))
                .toList();
    }

    /** The rows of ipcsRows whose id (second column) is one of the test's. */
    static List<String[]> ours(List<String[]> rows, Set<Integer> ids) {
        return rows.stream().filter(r -> ids.contains(Integer.parseInt(r[1]))).toList();
    }

    /** The name=value pairs of ipcs -X -i ID. */
    static Map<String, String> ipcsDetail(String option, int id) {
        String out =
                Processes.run(WAIT, "ipcs", option, "-i", Integer.toString(id))
                        .assertExit(0)
                        .stdout();
        Map<String, String> m = new HashMap<>();
        for (String part : out.split("[\\t,\\n]")) {
            String[] kv = part.strip().split("\\s*=\\s*", 2);
            if (kv.length == 2) {
                m.put(kv[0], kv[1].strip());
            }
        }
        m.put("", out);
        return m;
    }

    static void removeQuietly(SysvKind kind, int id) {
        try {
            SysvObjects.remove(kind, id);
        } catch (NotFoundException gone) {
            // already removed by the test
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void every_object_ipcs_lists_jipc_ls_lists_with_the_same_key_id_owner_mode_and_counts()
            throws Exception {
        Gcc.assumeAvailable();
        List<Runnable> cleanup = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            Made root = make(false, TestKeys.unused(), TestKeys.unused(), TestKeys.unused());
            // Only this test's objects are compared: others may come and go meanwhile.
            Map<String, Set<Integer>> mine =
                    Map.of(
                            "msg",
                            new java.util.HashSet<>(),
                            "sem",
                            new java.util.HashSet<>(),
                            "shm",
                            new java.util.HashSet<>());
            mine.get("msg").add(root.msqid());
            mine.get("sem").add(root.semid());
            mine.get("shm").add(root.shmid());
            cleanup.add(() -> removeQuietly(SysvKind.MSG, root.msqid()));
            cleanup.add(() -> removeQuietly(SysvKind.SEM, root.semid()));
            cleanup.add(() -> removeQuietly(SysvKind.SHM, root.shmid()));
            boolean setpriv = Unprivileged.isAvailable();
            if (setpriv) {
                Made nobody = make(true, TestKeys.unused(), TestKeys.unused(), TestKeys.unused());
                mine.get("msg").add(nobody.msqid());
                mine.get("sem").add(nobody.semid());
                mine.get("shm").add(nobody.shmid());
                cleanup.add(() -> removeQuietly(SysvKind.MSG, nobody.msqid()));
                cleanup.add(() -> removeQuietly(SysvKind.SEM, nobody.semid()));
                cleanup.add(() -> removeQuietly(SysvKind.SHM, nobody.shmid()));
            }
            // SharedMemory: one attached here, one removed while attached (key 0, SHM_DEST)
            SharedMemory live =
                    SharedMemory.createExclusive(IpcKey.of(TestKeys.unused()), 0640, 4096);
            cleanup.add(() -> removeQuietly(SysvKind.SHM, live.id()));
            Attachment liveAt = live.attach();
            cleanup.add(liveAt::close);
            SharedMemory doomed = SharedMemory.createPrivate(0600, 8192);
            Attachment doomedAt = doomed.attach();
            cleanup.add(doomedAt::close);
            doomed.remove();
            // raw system calls: a queue with one 3-byte message, a set of 2 with one value set
            int q = SysV.msgget(SysV.IPC_PRIVATE, SysV.IPC_CREAT | 0620);
            assertTrue(q >= 0);
            cleanup.add(() -> removeQuietly(SysvKind.MSG, q));
            MemorySegment msg = arena.allocate(16);
            msg.set(ValueLayout.JAVA_LONG, 0, 9);
            msg.setString(8, "abc");
            assertEquals(0, SysV.msgsnd(q, msg, 3, 0));
            int s = SysV.semget(SysV.IPC_PRIVATE, 2, SysV.IPC_CREAT | 0666);
            assertTrue(s >= 0);
            cleanup.add(() -> removeQuietly(SysvKind.SEM, s));
            assertEquals(0, SysV.semctl(s, 1, SysV.SETVAL, 4));
            // jipc shm create
            CliRunner.Run created =
                    CliRunner.run("shm", "create", "--key", "0", "--size", "100", "--mode", "0604");
            assertEquals(0, created.exit(), created.err());
            int cliShm = Integer.parseInt(created.out().strip());
            cleanup.add(() -> removeQuietly(SysvKind.SHM, cliShm));

            mine.get("shm").addAll(List.of(live.id(), doomed.id(), cliShm));
            mine.get("msg").add(q);
            mine.get("sem").add(s);
            List<Map<String, Object>> all = lsJson();
            for (String kind : List.of("msg", "sem", "shm")) {
                assertEquals(
                        mine.get(kind),
                        all.stream()
                                .filter(m -> m.get("kind").equals(kind))
                                .map(m -> (int) (long) (Long) m.get("id"))
                                .filter(mine.get(kind)::contains)
                                .collect(Collectors.toSet()),
                        kind + ": jipc ls lists every object of the test");
            }

            // message queues: ipcs -q (key msqid owner perms used-bytes messages), then -q -i
            List<String[]> qs = ours(ipcsRows("-q"), mine.get("msg"));
            assertEquals(mine.get("msg").size(), qs.size(), "ipcs lists every queue of the test");
            for (String[] row : qs) {
                Map<String, Object> m = find(all, "msg", Integer.parseInt(row[1]));
                assertEquals(
                        List.of(row[0], row[2], row[3], row[4], row[5]),
                        List.of(
                                m.get("key"),
                                m.get("owner"),
                                m.get("mode"),
                                "" + m.get("bytes"),
                                "" + m.get("messages")),
                        Arrays.toString(row));
                Map<String, String> d = ipcsDetail("-q", Integer.parseInt(row[1]));
                assertEquals(
                        List.of(
                                d.get("qbytes"),
                                d.get("lspid"),
                                d.get("lrpid"),
                                d.get("cuid"),
                                d.get("uid")),
                        List.of(
                                "" + m.get("max_bytes"),
                                "" + m.get("last_send_pid"),
                                "" + m.get("last_receive_pid"),
                                "" + m.get("cuid"),
                                "" + m.get("uid")),
                        d.get(""));
            }
            // semaphore sets: ipcs -s (key semid owner perms nsems), then the value/pid table of -s
            // -i
            List<String[]> ss = ours(ipcsRows("-s"), mine.get("sem"));
            assertEquals(mine.get("sem").size(), ss.size(), "ipcs lists every set of the test");
            for (String[] row : ss) {
                Map<String, Object> m = find(all, "sem", Integer.parseInt(row[1]));
                assertEquals(
                        List.of(row[0], row[2], row[3], row[4]),
                        List.of(m.get("key"), m.get("owner"), m.get("mode"), "" + m.get("nsems")),
                        Arrays.toString(row));
                String detail = ipcsDetail("-s", Integer.parseInt(row[1])).get("");
                List<String[]> sems =
                        detail.lines()
                                .dropWhile(l -> !l.startsWith("semnum"))
                                .skip(1)
                                .filter(l -> !l.isBlank())
                                .map(l -> l.strip().split("\\s+"))
                                .toList();
                assertEquals(
                        sems.stream().map(r -> Long.parseLong(r[1])).toList(),
                        m.get("values"),
                        detail);
                assertEquals(
                        sems.stream().map(r -> Long.parseLong(r[4])).toList(),
                        m.get("pids"),
                        detail);
            }
            // segments: ipcs -m (key shmid owner perms bytes nattch [status]), then -m -i
            List<String[]> ms = ours(ipcsRows("-m"), mine.get("shm"));
            assertEquals(mine.get("shm").size(), ms.size(), "ipcs lists every segment of the test");
            for (String[] row : ms) {
                Map<String, Object> m = find(all, "shm", Integer.parseInt(row[1]));
                assertEquals(
                        List.of(
                                row[0],
                                row[2],
                                row[3],
                                row[4],
                                row[5],
                                row.length > 6 && row[6].equals("dest")),
                        List.of(
                                m.get("key"),
                                m.get("owner"),
                                m.get("mode"),
                                "" + m.get("size"),
                                "" + m.get("attach_count"),
                                m.get("removal_pending")),
                        Arrays.toString(row));
                Map<String, String> d = ipcsDetail("-m", Integer.parseInt(row[1]));
                assertEquals(
                        List.of(d.get("cpid"), d.get("lpid"), d.get("cuid")),
                        List.of(
                                "" + m.get("creator_pid"),
                                "" + m.get("last_pid"),
                                "" + m.get("cuid")),
                        d.get(""));
            }

            // and the objects themselves are there as made
            Map<String, Object> cq = find(all, "msg", root.msqid());
            assertEquals(
                    List.of(2L, 12L, "640", ME),
                    List.of(cq.get("messages"), cq.get("bytes"), cq.get("mode"), cq.get("owner")));
            assertEquals(List.of(1L, 0L, 6L), find(all, "sem", root.semid()).get("values"));
            assertEquals(List.of(0L, 4L), find(all, "sem", s).get("values"));
            assertEquals(3L, find(all, "msg", q).get("bytes"));
            Map<String, Object> dest = find(all, "shm", doomed.id());
            assertEquals(
                    List.of("0x00000000", true, 1L, false),
                    List.of(
                            dest.get("key"),
                            dest.get("removal_pending"),
                            dest.get("attach_count"),
                            dest.get("orphan")));
            assertEquals(
                    List.of(1L, ProcessHandle.current().pid(), false),
                    List.of(
                            find(all, "shm", live.id()).get("attach_count"),
                            find(all, "shm", live.id()).get("last_pid"),
                            find(all, "shm", live.id()).get("orphan")));
            assertEquals(
                    "604",
                    find(all, "shm", cliShm).get("mode"),
                    "jipc ls shows what jipc shm create made");
            if (setpriv) {
                assertEquals(
                        Set.of("msg", "sem", "shm"),
                        lsJson("--owner", "nobody").stream()
                                .map(m -> (String) m.get("kind"))
                                .collect(Collectors.toSet()));
                assertEquals(lsJson("--owner", "65534"), lsJson("--owner", "nobody"));
            }
            assertEquals(
                    Set.of("shm"),
                    lsJson("shm").stream().map(m -> m.get("kind")).collect(Collectors.toSet()));

            // the human table carries the same key/id/owner/perms cells as ipcs
            String table = CliRunner.run("ls").out();
            for (String[] row : ms) {
                assertTrue(
                        table.lines()
                                .anyMatch(
                                        l ->
                                                l.matches(
                                                        "\\Q" + row[0] + "\\E\\s+" + row[1] + "\\s+"
                                                                + row[2] + "\\s+" + row[3] + "\\s+"
                                                                + row[4] + "\\s+" + row[5]
                                                                + "\\b.*")),
                        table);
            }
            liveAt.close();
        } finally {
            cleanup.reversed().forEach(Runnable::run);
        }
    }

    @Test
    void
            a_child_that_made_objects_and_exited_leaves_dead_pids_and_orphans_and_rm_removes_by_id_or_key()
                    throws Exception {
        Gcc.assumeAvailable();
        Made made = make(false, TestKeys.unused(), TestKeys.unused(), TestKeys.unused());
        SharedMemory live = SharedMemory.createExclusive(IpcKey.of(TestKeys.unused()), 0600, 4096);
        int unused = SysV.msgget(SysV.IPC_PRIVATE, SysV.IPC_CREAT | 0600);
        try (Attachment attached = live.attach()) {
            assertTrue(attached.segment().byteSize() >= 4096);
            assertTrue(
                    ProcessHandle.of(made.pid()).isEmpty(), "the maker has exited and was reaped");
            List<Map<String, Object>> all = lsJson();
            for (Map<String, Object> m :
                    List.of(
                            find(all, "msg", made.msqid()),
                            find(all, "sem", made.semid()),
                            find(all, "shm", made.shmid()))) {
                assertEquals(List.of((long) made.pid()), m.get("dead_pids"), m.toString());
                assertEquals(true, m.get("orphan"), m.toString());
            }
            Map<String, Object> l = find(all, "shm", live.id());
            assertEquals(List.of(List.of(), false), List.of(l.get("dead_pids"), l.get("orphan")));
            Map<String, Object> u = find(all, "msg", unused);
            assertEquals(
                    List.of(List.of(), false),
                    List.of(u.get("dead_pids"), u.get("orphan")),
                    "a queue nobody used records no pid and is not called an orphan");

            assertEquals(List.of(l), lsJson("--key", live.key().toString()));
            assertEquals(List.of(u), lsJson("msg", "--id", "" + unused));
            assertEquals(
                    3,
                    CliRunner.run("ls", "sem", "--key", live.key().toString()).exit(),
                    "nothing matches");

            String table = CliRunner.run("ls").out();
            assertTrue(table.contains(made.pid() + "*"), table);
            assertTrue(table.lines().filter(x -> x.endsWith("orphan")).count() >= 3, table);
            assertTrue(table.contains("* the process no longer exists"), table);

            // rm --orphans is tested in a namespace of its own
            // (orphans_are_removed_by_the_stated_rule_only):
            // here it would act on every object of the namespace. By id and key it removes only
            // what it names.
            removeQuietly(SysvKind.SHM, made.shmid());
            // by id: already gone is "nothing matched" (3), by key removes, --dry-run does not
            CliRunner.Run gone = CliRunner.run("rm", "--id", "" + made.shmid(), "--kind", "shm");
            assertEquals(3, gone.exit(), gone.out() + gone.err());
            assertEquals(1, gone.err().lines().count(), gone.err());
            CliRunner.Run would = CliRunner.run("rm", "--key", live.key().toString(), "--dry-run");
            assertEquals(
                    "would remove shm " + live.key() + " id " + live.id() + " (owner " + ME + ")\n",
                    would.out());
            assertEquals(0, CliRunner.run("rm", "--id", "" + unused, "--kind", "msg").exit());
            CliRunner.Run byKey = CliRunner.run("rm", "--key", live.key().toString());
            assertEquals(
                    List.of(0, "removed shm " + live.key() + " id " + live.id() + "\n"),
                    List.of(byKey.exit(), byKey.out()));
            assertEquals(
                    2,
                    CliRunner.run("rm", "--key", "0").exit(),
                    "IPC_PRIVATE names no single object");
            assertEquals(2, CliRunner.run("rm", "--id", "1", "--orphans").exit());
            assertEquals(
                    2, CliRunner.run("rm", "--owner", "root").exit(), "names nothing to remove");
            assertEquals(
                    2,
                    CliRunner.run("rm", "--id", "1", "--with-data").exit(),
                    "--with-data widens --orphans only");
        } finally {
            removeQuietly(SysvKind.MSG, made.msqid());
            removeQuietly(SysvKind.SEM, made.semid());
            removeQuietly(SysvKind.SHM, made.shmid());
            removeQuietly(SysvKind.SHM, live.id());
            removeQuietly(SysvKind.MSG, unused);
        }
    }

    @Test
    void orphans_are_removed_by_the_stated_rule_only() throws Exception {
        Gcc.assumeAvailable();
        Path maker = Gcc.compileResource("c/sysv_maker.c");
        Path emptied =
                Gcc.compileSource(
                        "sysv_emptied_objects",
                        """
                #include <stdio.h>
                #include <sys/msg.h>
                #include <sys/sem.h>
                /* A private queue that was used (both pids recorded) and is empty again, and a private
                   semaphore set that was raised and lowered again (its value is 0, its pid recorded). */
                int main(void) {
                    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
                    struct { long mtype; char t[4]; } m = {1, "abc"};
                    if (q < 0 || msgsnd(q, &m, 3, 0) < 0 || msgrcv(q, &m, 4, 0, 0) != 3) { perror("msg"); return 1; }
                    int s = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
                    struct sembuf ops[2] = {{0, 1, 0}, {0, -1, 0}};
                    if (s < 0 || semop(s, ops, 2) < 0) { perror("sem"); return 1; }
                    printf("%d %d\\n", q, s);
                    return 0;
                }
                """);
        // Everything below happens in an IPC namespace of its own: rm --orphans sees only these
        // objects.
        String script =
                """
                keyed=$("$1" 0x4a000001 0x4a000002 0x4a000003) || exit 10
                private=$("$1" 0 0 0) || exit 11
                empty=$("$2") || exit 12
                shift 2
                echo "made $keyed | $private | $empty"
                for args in "rm --orphans" "rm --orphans --yes" "rm --orphans --with-data --yes" \\
                            "rm --orphans --dry-run" "rm --orphans --keyed --with-data --yes" "rm --yes --orphans"; do
                    echo "== $args"
                    "$@" $args
                    echo "exit $?"
                done
                """;
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "bash",
                                "-c",
                                script,
                                "orphans",
                                maker.toString(),
                                emptied.toString()));
        cmd.addAll(io.jipc.testkit.ChildJvm.command(Main.class));
        Processes.Result r;
        try (Processes.Child c = Processes.start(io.jipc.testkit.Namespaces.inPrivateIpc(cmd))) {
            r = c.await(WAIT);
        }
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        String[] ids =
                r.stdout()
                        .lines()
                        .findFirst()
                        .orElseThrow()
                        .replaceAll("[^0-9 ]", " ")
                        .trim()
                        .split("\\s+");
        // keyed: msg (2 messages) sem (values 1 0 6) shm; private: the same; an emptied private
        // queue
        // and a private set whose value is back at 0
        String km = "msg 0x4a000001 id " + ids[0];
        String ks = "sem 0x4a000002 id " + ids[1];
        String kh = "shm 0x4a000003 id " + ids[2];
        String pm = "msg 0x00000000 id " + ids[3];
        String ps = "sem 0x00000000 id " + ids[4];
        String ph = "shm 0x00000000 id " + ids[5];
        String em = "msg 0x00000000 id " + ids[6];
        String es = "sem 0x00000000 id " + ids[7];
        Map<String, String> step = new java.util.LinkedHashMap<>();
        String current = null;
        for (String line : r.stdout().lines().skip(1).toList()) {
            if (line.startsWith("== ")) {
                current = line.substring(3);
                step.put(current, "");
            } else {
                step.merge(current, line + "\n", String::concat);
            }
        }
        String dry = step.get("rm --orphans");
        assertEquals(Set.of(em, es), names(dry, "would remove "), dry);
        assertEquals(Set.of(km, ks, kh, pm, ps, ph), names(dry, "kept "), dry);
        assertTrue(
                dry.contains(
                        "kept "
                                + km
                                + " (orphan, but holds 2 message(s); --with-data; key 0x4a000001 may be "
                                + "opened again; --keyed)"),
                dry);
        assertTrue(
                dry.contains(
                        "kept "
                                + ps
                                + " (orphan, but holds non-zero semaphore values [1, 0, 6]; --with-data)"),
                dry);
        assertTrue(
                dry.endsWith(
                        "2 orphan(s) to remove; run again with --yes to remove them\nexit 0\n"),
                dry);
        String wet = step.get("rm --orphans --yes");
        assertEquals(Set.of(em, es), names(wet, "removed "), wet);
        String data = step.get("rm --orphans --with-data --yes");
        assertEquals(
                Set.of(pm, ps, ph),
                names(data, "removed "),
                "private queue with messages, private set with values, private segment: " + data);
        assertEquals(Set.of(km, ks, kh), names(data, "kept "), data);
        // Orphans found but all kept: exit 3 listed or removed alike.
        String keptOnly = step.get("rm --orphans --dry-run");
        assertEquals(Set.of(km, ks, kh), names(keptOnly, "kept "), keptOnly);
        assertTrue(keptOnly.endsWith("exit 3\n") && !keptOnly.contains("would remove"), keptOnly);
        assertEquals(
                1,
                r.stderr()
                        .lines()
                        .filter(
                                l ->
                                        l.equals(
                                                "jipc rm: no orphan may be removed by the rule (see --help)"))
                        .count(),
                r.stderr());
        String all = step.get("rm --orphans --keyed --with-data --yes");
        assertEquals(Set.of(km, ks, kh), names(all, "removed "), all);
        assertEquals("exit 3\n", step.get("rm --yes --orphans"), "nothing left at the end");
        assertTrue(r.stderr().contains("jipc rm: nothing matches orphans"), r.stderr());
    }

    private static Set<String> names(String out, String prefix) {
        return out.lines()
                .filter(l -> l.startsWith(prefix))
                .map(
                        l ->
                                l.substring(prefix.length())
                                        .replaceAll("^(\\w+ 0x[0-9a-f]{8} id \\d+).*", "$1"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Set<String> ids(String out, String prefix) {
        return out.lines()
                .filter(l -> l.startsWith(prefix))
                .map(
                        l ->
                                l.substring(prefix.length())
                                        .replaceAll("^(\\w+) 0x[0-9a-f]{8} (id \\d+).*", "$1 $2"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    @Test
    void removal_by_another_user_fails_with_one_line_and_removes_nothing() throws Exception {
        Unprivileged.assumeAvailable();
        SharedMemory shm = SharedMemory.createPrivate(0666, 4096);
        try {
            List<String> cmd = Unprivileged.java(Main.class, "rm", "shm", "--id", "" + shm.id());
            Processes.Result r;
            try (Processes.Child c = Processes.start(cmd)) {
                r = c.await(WAIT);
            }
            assertEquals(1, r.exitCode(), r.stderr());
            assertEquals(1, r.stderr().lines().count(), r.stderr());
            assertTrue(
                    r.stderr().startsWith("jipc rm: shm 0x00000000 id " + shm.id() + ": ")
                            && r.stderr().contains("EPERM"),
                    r.stderr());
            assertFalse(
                    lsJson("shm").stream().noneMatch(m -> ((Long) m.get("id")) == shm.id()),
                    "still there");
        } finally {
            shm.remove();
        }
    }

    @Test
    void limits_show_every_limit_and_usage_counts_the_objects() throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, 3 * 4096);
        try {
            CliRunner.Run r = CliRunner.run("ls", "--limits", "--json");
            assertEquals(0, r.exit(), r.err());
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> m =
                    (Map<String, Map<String, Object>>) JsonReader.parse(r.out());
            @SuppressWarnings("unchecked")
            Map<String, Object> msgmax = (Map<String, Object>) m.get("limits").get("msgmax");
            assertEquals(io.jipc.Limit.MSGMAX.value(), msgmax.get("value"));
            Map<String, Object> usage = new TreeMap<>(m.get("usage"));
            assertTrue((Long) usage.get("segments") >= 1, usage.toString());
            if (io.jipc.testkit.Suite.sealed()) {
                // in the suite's own namespace nothing else makes or removes segments meanwhile
                assertEquals((long) ipcsRows("-m").size(), usage.get("segments"), usage.toString());
            }
            assertTrue((Long) usage.get("segment_pages") >= 3, usage.toString());
            String text = CliRunner.run("ls", "--limits").out();
            assertTrue(
                    text.contains("semmni")
                            && text.contains("/proc/sys/kernel/sem (4th field)")
                            && text.contains("Usage"),
                    text);
        } finally {
            shm.remove();
        }
    }
}
