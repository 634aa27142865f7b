package io.jipc.sysv;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs the C peer (src/test/resources/c/mq_peer.c) and waits for processes blocked in
 * msgrcv/msgsnd.
 */
final class CPeer {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** x86_64 system call numbers, as the first field of /proc/PID/task/TID/syscall shows them. */
    static final int SYS_MSGSND = 69;

    static final int SYS_MSGRCV = 70;

    private CPeer() {}

    static Path exe() {
        return Gcc.compileResource("c/mq_peer.c");
    }

    static Processes.Result run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe().toString());
        cmd.addAll(List.of(args));
        try (Processes.Child c = Processes.start(cmd)) {
            return c.await(TIMEOUT);
        }
    }

    static Processes.Child start(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe().toString());
        cmd.addAll(List.of(args));
        return Processes.start(cmd);
    }

    /** C sends a message; fails the test unless it was sent. */
    static void send(MessageQueue q, long type, byte[] body) {
        run("send", Integer.toString(q.id()), Long.toString(type), hex(body)).assertExit(0);
    }

    /** C receives; returns "TYPE SIZE HEX" or "EMPTY" (exit 3) or "ERR ENAME". */
    static String recv(MessageQueue q, long msgtyp, int max, String... flags) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "recv",
                                Integer.toString(q.id()),
                                Long.toString(msgtyp),
                                Integer.toString(max)));
        a.addAll(List.of(flags));
        return run(a.toArray(String[]::new)).stdout().strip();
    }

    static String hex(byte[] body) {
        return body.length == 0 ? "-" : HexFormat.of().formatHex(body);
    }

    static String line(long type, byte[] body) {
        return (type + " " + body.length + " " + HexFormat.of().formatHex(body)).strip();
    }

    /**
     * Waits until some thread of process {@code pid} sits in system call {@code nr} on {@code
     * msqid} (first argument), read from /proc/PID/task/TID/syscall.
     */
    static void awaitBlocked(long pid, int nr, int msqid) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String want = nr + " 0x" + Integer.toHexString(msqid) + " ";
        while (System.nanoTime() < deadline) {
            try (DirectoryStream<Path> tasks =
                    Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path t : tasks) {
                    try {
                        List<String> l = Files.readAllLines(t.resolve("syscall"));
                        if (!l.isEmpty() && l.get(0).startsWith(want)) {
                            return;
                        }
                    } catch (IOException e) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException e) {
                fail("cannot read /proc/" + pid + "/task: " + e);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        assertTrue(
                false, "no thread of " + pid + " blocked in syscall " + nr + " on msqid " + msqid);
    }
}
