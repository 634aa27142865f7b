package io.jipc.sysv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.IpcKey;
import io.jipc.NotFoundException;
import io.jipc.internal.linux.Structs;
import io.jipc.internal.linux.SysV;
import io.jipc.testkit.Processes;
import io.jipc.testkit.TestKeys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@link SysvObjects}: the listing against IPC_STAT, removal by id, liveness and the orphan rule.
 */
class SysvObjectsTest {
    private static final int SELF = (int) ProcessHandle.current().pid();

    private static <T extends SysvObject> T find(Class<T> type, int id) throws Exception {
        return SysvObjects.list().stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(o -> o.id() == id)
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError(type.getSimpleName() + " " + id + " not listed"));
    }

    @Test
    void a_segment_is_listed_exactly_as_ipc_stat_reports_it() throws Exception {
        SharedMemory shm = SharedMemory.createExclusive(IpcKey.of(TestKeys.unused()), 0640, 5000);
        try (Attachment a = shm.attach()) {
            a.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1);
            SharedMemoryStatus st = shm.status();
            ListedSegment l = find(ListedSegment.class, shm.id());
            assertEquals(new ListedSegment(st, Set.of()), l);
            assertEquals(List.of(SELF), l.pids());
            assertFalse(l.orphan() || l.status().removalPending());
            assertEquals(
                    Set.of(SysvKind.SHM),
                    SysvObjects.list(EnumSet.of(SysvKind.SHM)).stream()
                            .map(SysvObject::kind)
                            .collect(java.util.stream.Collectors.toSet()));
        } finally {
            shm.remove();
        }
    }

    @Test
    void a_queue_shows_max_bytes_which_proc_sysvipc_does_not_and_a_set_its_values_and_pids()
            throws Exception {
        int q = SysV.msgget(SysV.IPC_PRIVATE, SysV.IPC_CREAT | 0600);
        int s = SysV.semget(SysV.IPC_PRIVATE, 3, SysV.IPC_CREAT | 0600);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ds = arena.allocate(Structs.MSQID_DS);
            assertEquals(0, SysV.msgctl(q, SysV.IPC_STAT, ds));
            Structs.IpcPerm perm = Structs.msqidDs(ds).msg_perm();
            Structs.msqidDs(ds, perm.uid(), perm.gid(), perm.mode(), 1000);
            assertEquals(0, SysV.msgctl(q, SysV.IPC_SET, ds));
            ListedQueue lq = find(ListedQueue.class, q);
            assertEquals(MessageQueue.ofId(q).status(), lq.status());
            assertEquals(
                    List.of(1000L, 0L, 0L, List.of()),
                    List.of(
                            lq.status().maxBytes(),
                            lq.status().messages(),
                            lq.status().bytes(),
                            lq.pids()));
            assertEquals(Instant.EPOCH, lq.status().lastSend());
            assertFalse(lq.orphan(), "never used: no pid recorded, so not an orphan");

            assertEquals(0, SysV.semctl(s, 1, SysV.SETVAL, 7));
            ListedSemaphoreSet ls = find(ListedSemaphoreSet.class, s);
            assertEquals(
                    List.of(3, List.of(0, 7, 0), List.of(0, SELF, 0)),
                    List.of(ls.status().size(), ls.values(), ls.lastPids()));
            assertEquals(List.of(SELF), ls.pids());
            assertEquals(Set.of(), ls.deadPids());
        } finally {
            SysvObjects.remove(SysvKind.MSG, q);
            SysvObjects.remove(SysvKind.SEM, s);
        }
    }

    @Test
    void removing_twice_says_not_found_and_usage_counts_what_is_there() throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, 3 * 4096);
        SysvUsage u = SysvObjects.usage();
        assertEquals(SysvObjects.list(EnumSet.of(SysvKind.SHM)).size(), u.segments());
        assertTrue(u.segmentPages() >= 3, u.toString());
        SysvObjects.remove(SysvKind.SHM, shm.id());
        NotFoundException e =
                assertThrows(
                        NotFoundException.class, () -> SysvObjects.remove(SysvKind.SHM, shm.id()));
        assertTrue(
                e.getMessage().contains("shmctl(IPC_RMID)(shmid " + shm.id() + "): EINVAL")
                        && e.getMessage().contains("removed meanwhile"),
                e.getMessage());
        assertEquals(u.segments() - 1, SysvObjects.usage().segments());
        assertThrows(IllegalArgumentException.class, () -> SysvObjects.remove(SysvKind.MSG, -1));
        assertEquals(SysvKind.SEM, SysvKind.parse("SEM"));
        assertThrows(IllegalArgumentException.class, () -> SysvKind.parse("pipe"));
    }

    @Test
    void
            liveness_follows_real_processes_and_the_orphan_rule_needs_every_pid_dead_and_nothing_attached() {
        Processes.Child c = Processes.start(List.of("true"));
        c.await(Duration.ofSeconds(30)).assertExit(0);
        int dead = (int) c.process().pid();
        assertFalse(SysvObjects.isAlive(dead));
        assertTrue(SysvObjects.isAlive(SELF));
        assertFalse(SysvObjects.isAlive(0));

        IpcPermissions p = new IpcPermissions(IpcKey.PRIVATE, 0, 0, 0, 0, 0600, 0);
        Instant t = Instant.EPOCH;
        assertTrue(
                new ListedQueue(
                                new MessageQueueStatus(1, p, 0, 0, 0, dead, 0, t, t, t),
                                Set.of(dead))
                        .orphan());
        assertFalse(
                new ListedQueue(
                                new MessageQueueStatus(1, p, 0, 0, 0, dead, SELF, t, t, t),
                                Set.of(dead))
                        .orphan(),
                "one user alive");
        assertFalse(
                new ListedQueue(new MessageQueueStatus(1, p, 0, 0, 0, 0, 0, t, t, t), Set.of())
                        .orphan(),
                "no pid recorded");
        assertTrue(
                new ListedSegment(
                                new SharedMemoryStatus(1, p, 1, 0, dead, dead, t, t, t),
                                Set.of(dead))
                        .orphan());
        assertFalse(
                new ListedSegment(
                                new SharedMemoryStatus(1, p, 1, 1, dead, dead, t, t, t),
                                Set.of(dead))
                        .orphan(),
                "still attached");
        assertTrue(
                new ListedSemaphoreSet(
                                new SemaphoreSetStatus(1, p, 2, t, t),
                                List.of(0, 0),
                                List.of(dead, 0),
                                Set.of(dead))
                        .orphan());
    }
}
