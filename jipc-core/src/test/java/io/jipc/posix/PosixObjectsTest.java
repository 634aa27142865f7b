package io.jipc.posix;

import static io.jipc.posix.PosixTestNames.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jipc.IpcException;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@link PosixObjects}: listing queues through the mqueue file system, and /dev/shm. */
@ExtendWith(PosixTestNames.class)
class PosixObjectsTest {
    private static final int ME = (int) ProcessHandle.current().pid();
    private static final int UID = io.jipc.Capabilities.effectiveUid();

    private static int gid() throws Exception {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
    }

    @Test
    void without_the_mqueue_mount_listing_queues_says_how_to_mount_it() {
        assumeTrue(PosixObjects.mqueueMount().isEmpty(), "the mqueue file system is mounted here");
        IpcException e = assertThrows(IpcException.class, PosixObjects::queues);
        assertTrue(
                e.getMessage()
                        .endsWith(
                                ": the mqueue file system is not mounted; mount it with:"
                                        + " mount -t mqueue none /dev/mqueue"),
                e.getMessage());
    }

    @Test
    void queues_are_listed_with_attributes_bytes_and_notify_pid_where_the_mount_exists()
            throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "mqueue-mount").toAbsolutePath());
        String a = name("list");
        String b = name("list");
        List<String> java = ChildJvm.command(PosixListChild.class, a, b);
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "unshare",
                                "--ipc",
                                "--mount",
                                "--",
                                "sh",
                                "-c",
                                "mount -t mqueue none \"$0\" || exit 99; exec \"$@\"",
                                dir.toString()));
        cmd.addAll(java);
        Processes.Result r;
        try (Processes.Child c = Processes.start(cmd)) {
            r = c.await(Duration.ofSeconds(60));
        }
        assumeTrue(
                r.exitCode() != 99 && !r.stderr().startsWith("unshare:"),
                "cannot make a mount namespace with mqueue mounted here (needs root): "
                        + r.stderr());
        r.assertExit(0);
        List<String> lines = r.stdout().lines().toList();
        assertEquals("mount " + dir, lines.get(0));
        assertEquals(4, lines.size(), r.stdout());
        assertEquals(
                "PosixMessageQueueStatus[name="
                        + a
                        + ", uid="
                        + UID
                        + ", gid="
                        + gid()
                        + ", mode=416, maxMessages=3, messageSize=16,"
                        + " messages=1, bytes=5, notifyPid=0]",
                lines.get(1).replaceAll("notifyPid=\\d+", "notifyPid=0"));
        assertTrue(
                lines.get(2)
                        .startsWith(
                                "PosixMessageQueueStatus[name="
                                        + b
                                        + ", uid="
                                        + UID
                                        + ", gid="
                                        + gid()
                                        + ", mode=384,"
                                        + " maxMessages=2, messageSize=8, messages=0, bytes=0, notifyPid="),
                lines.get(2));
        assertTrue(!lines.get(2).endsWith("notifyPid=0]"), "the child registered: " + lines.get(2));
        assertEquals("after unlink 0", lines.get(3));
    }

    @Test
    void shared_memory_and_semaphores_are_listed_from_dev_shm() throws Exception {
        String shm = name("shm");
        String sem = name("sem");
        try (PosixSharedMemory m = PosixSharedMemory.createExclusive(shm, 0640, 12345);
                NamedSemaphore s = NamedSemaphore.createExclusive(sem, 0604, 3)) {
            PosixSharedMemoryStatus ms =
                    PosixObjects.sharedMemory().stream()
                            .filter(x -> x.name().equals(shm))
                            .findFirst()
                            .orElseThrow();
            assertEquals(m.status(), ms);
            assertEquals(new PosixSharedMemoryStatus(shm, UID, gid(), 0640, 12345), ms);
            NamedSemaphoreStatus ss =
                    PosixObjects.semaphores().stream()
                            .filter(x -> x.name().equals(sem))
                            .findFirst()
                            .orElseThrow();
            assertEquals(new NamedSemaphoreStatus(sem, UID, gid(), 0604, 3), ss);
            assertEquals(s.status(), ss);
            assertTrue(
                    PosixObjects.sharedMemory().stream()
                            .noneMatch(x -> x.name().startsWith("/sem.")));
            m.unlink();
            s.unlink();
        }
        assertTrue(PosixObjects.sharedMemory().stream().noneMatch(x -> x.name().equals(shm)));
    }

    @Test
    void status_info_and_permission_changes_of_a_queue() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 4, 32)) {
            q.send(2, "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(
                    new PosixMessageQueueStatus(n, UID, gid(), 0600, 4, 32, 1, 5, 0), q.status());
            q.notifyOnArrival(() -> {});
            assertEquals(ME, q.status().notifyPid());
            q.cancelNotification();
            q.setMode(0640);
            assertEquals(0640, q.status().mode());
            if (UID == 0) { // giving an object away needs CAP_CHOWN
                q.setPermissions(65534, 65534, 0604);
                PosixMessageQueueStatus s = q.status();
                assertEquals(List.of(65534, 65534, 0604), List.of(s.uid(), s.gid(), s.mode()));
                q.setOwner(0, 0);
                assertEquals(0, q.status().uid());
            }
            assertThrows(IllegalArgumentException.class, () -> q.setMode(01777));
            PosixMessageQueueInfo info = PosixMessageQueue.info();
            assertEquals(io.jipc.Limit.MQ_MSG_MAX.value(), info.maxMessages());
            assertEquals(
                    Long.parseLong(
                            Files.readAllLines(Path.of("/proc/sys/fs/mqueue/msgsize_default"))
                                    .get(0)),
                    info.defaultMessageSize());
            q.unlink();
        }
    }
}
