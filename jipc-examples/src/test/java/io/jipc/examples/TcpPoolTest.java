package io.jipc.examples;

import static io.jipc.examples.NetworkExamplesTest.LONG;
import static io.jipc.examples.NetworkExamplesTest.awaitPort;
import static io.jipc.examples.NetworkExamplesTest.c;
import static io.jipc.examples.NetworkExamplesTest.cmd;
import static io.jipc.examples.NetworkExamplesTest.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pre-fork TCP pool, as the course has it: one listening socket, inherited by every worker. The
 * Java parent starts Java workers and C workers ({@code tcp_server --worker}); the C parent forks C
 * workers and execs Java workers ({@code TcpServer --worker}); Java and C clients are served by
 * workers of both languages; a worker killed leaves the others serving.
 */
class TcpPoolTest {
    private static final Pattern WORKER =
            Pattern.compile("server: worker (\\d+) ready \\((.*)\\)\n");
    private static final Pattern REPLY =
            Pattern.compile(
                    "client: reply name=(.*) \\(served by worker (\\d+)\\) math=(\\d+) chinese=(\\d+)\n");

    /** One request from the Java client (a JVM) or the C client; returns the pid that served it. */
    private static long request(
            String port, boolean javaClient, String name, String math, String chinese) {
        List<String> client =
                javaClient
                        ? java(TcpClient.class, port, name, math, chinese)
                        : cmd(c("tcp_client"), port, name, math, chinese);
        String out = Processes.run(LONG, client.toArray(String[]::new)).assertExit(0).stdout();
        Matcher m = REPLY.matcher(out);
        assertTrue(m.matches(), out);
        assertEquals(name, m.group(1));
        assertEquals(math + " " + chinese, m.group(3) + " " + m.group(4));
        return Long.parseLong(m.group(2));
    }

    /**
     * Waits until a process has ended: gone from /proc, or a zombie its parent has not reaped yet.
     */
    private static void awaitDead(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String s;
            try {
                s = Files.readAllLines(stat).get(0);
            } catch (NoSuchFileException gone) {
                return;
            } catch (java.io.IOException reaped) {
                return; // reaped between open and read: ESRCH ("No such process")
            }
            if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("process " + pid + " still runs");
    }

    /** Waits until every worker said it is accepting (a JVM takes a while to start). */
    private static void awaitAccepting(Processes.Child s, Set<Long> workers) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (true) {
            String out = Files.readString(s.stdout());
            if (workers.stream().allMatch(pid -> out.contains("worker " + pid + ": accepting\n"))) {
                return;
            }
            assertTrue(
                    System.nanoTime() < deadline && s.process().isAlive(),
                    "not every worker accepts: " + s.describe());
            Thread.sleep(20);
        }
    }

    /**
     * Runs a pool of three workers, two of one kind and one of the other (the label the parent
     * prints for the other kind contains {@code otherLabel}), and checks everything the pool
     * promises.
     */
    private static void pool(List<String> server, String otherLabel) throws Exception {
        try (Processes.Child s = Processes.start(server)) {
            String port = awaitPort(s);
            Map<Long, String> workers = new LinkedHashMap<>();
            Matcher w = WORKER.matcher(Files.readString(s.stdout()));
            while (w.find()) {
                workers.put(Long.parseLong(w.group(1)), w.group(2));
            }
            assertEquals(3, workers.size(), s.describe());
            Set<Long> other = new TreeSet<>();
            workers.forEach(
                    (pid, label) -> {
                        if (label.contains(otherLabel)) {
                            other.add(pid);
                        }
                    });
            assertEquals(1, other.size(), "one worker of the other language: " + workers);

            awaitAccepting(s, workers.keySet());
            // Java and C clients; then C clients until workers of both languages have served
            Set<Long> served = new TreeSet<>();
            served.add(request(port, true, "Wang Wu", "77", "66"));
            served.add(request(port, false, "Zhao Liu", "1", "4000000000"));
            for (int i = 0;
                    i < 60 && !(served.containsAll(other) && served.size() > other.size());
                    i++) {
                served.add(request(port, false, "Client " + i, "" + i, "" + (100 - i)));
            }
            assertTrue(workers.keySet().containsAll(served), served + " not all from " + workers);
            assertTrue(
                    served.containsAll(other) && served.size() > other.size(),
                    "workers of both languages served: " + served + " of " + workers);
            String log = Files.readString(s.stdout());
            assertTrue(log.matches("(?s).*worker \\d+: name=Wang Wu math=77 chinese=66\n.*"), log);
            assertTrue(
                    log.matches("(?s).*worker \\d+: name=Zhao Liu math=1 chinese=4000000000\n.*"),
                    log);

            // kill one worker of each language: the last one standing serves everybody
            List<Long> killed = new ArrayList<>();
            killed.add(other.iterator().next());
            killed.add(
                    workers.keySet().stream()
                            .filter(p -> !other.contains(p))
                            .findFirst()
                            .orElseThrow());
            for (long pid : killed) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                awaitDead(pid);
            }
            long survivor =
                    workers.keySet().stream()
                            .filter(p -> !killed.contains(p))
                            .findFirst()
                            .orElseThrow();
            assertEquals(survivor, request(port, true, "After Kill", "5", "6"));
            for (int i = 0; i < 4; i++) {
                assertEquals(survivor, request(port, false, "After Kill C" + i, "7", "8"));
            }

            s.process().destroy();
            assertTrue(s.process().waitFor(60, TimeUnit.SECONDS));
            for (long pid : workers.keySet()) {
                ProcessHandle.of(pid)
                        .ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
                assertFalse(
                        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        "worker " + pid + " outlived the server");
            }
        }
    }

    @Test
    void a_java_parent_with_java_and_c_workers_on_one_inherited_socket_serves_java_and_c_clients()
            throws Exception {
        pool(java(TcpServer.class, "0", "3", c("tcp_server"), "--worker"), "--worker");
    }

    @Test
    void the_c_twin_with_forked_and_java_workers_on_one_inherited_socket_serves_java_and_c_clients()
            throws Exception {
        List<String> server = cmd(c("tcp_server"), "0", "3");
        server.addAll(ChildJvm.command(TcpServer.class, "--worker"));
        pool(server, "java");
    }

    @Test
    void a_worker_started_without_a_listening_socket_says_so() throws IOException {
        Processes.Result j =
                Processes.run(LONG, java(TcpServer.class, "--worker").toArray(String[]::new));
        assertEquals(2, j.exitCode(), j.stderr());
        assertTrue(j.stderr().contains("fd 0 must be a listening socket"), j.stderr());
        Processes.Result k = Processes.run(LONG, c("tcp_server"), "--worker");
        assertEquals(2, k.exitCode(), k.stderr());
        assertTrue(k.stderr().contains("fd 0 must be a listening socket"), k.stderr());
    }
}
