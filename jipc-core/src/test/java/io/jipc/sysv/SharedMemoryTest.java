package io.jipc.sysv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.AlreadyExistsException;
import io.jipc.Capabilities;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.IpcKey;
import io.jipc.NotFoundException;
import io.jipc.testkit.TestKeys;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** SharedMemory in one process: creation choices, bounded attachments, status, removal, errors. */
class SharedMemoryTest {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    @Test
    void create_open_and_exclusive_are_distinct_and_open_learns_the_real_size() throws Exception {
        IpcKey key = IpcKey.of(TestKeys.unused());
        assertThrows(NotFoundException.class, () -> SharedMemory.open(key));
        SharedMemory created = SharedMemory.createExclusive(key, 0600, 10_000);
        try {
            assertEquals(10_000, created.size());
            SharedMemory opened = SharedMemory.open(key);
            assertEquals(created, opened);
            assertEquals(10_000, opened.size());
            assertEquals(10_000, SharedMemory.ofId(created.id()).size());
            // create-or-open with a smaller size opens the existing segment, keeping its size
            assertEquals(10_000, SharedMemory.create(key, 0600, 100).size());
            AlreadyExistsException e =
                    assertThrows(
                            AlreadyExistsException.class,
                            () -> SharedMemory.createExclusive(key, 0600, 10_000));
            assertEquals(Errno.EEXIST, e.errno());
            IpcException bigger =
                    assertThrows(IpcException.class, () -> SharedMemory.create(key, 0600, 20_000));
            assertEquals(Errno.EINVAL, bigger.errno());
            assertTrue(
                    bigger.getMessage().contains("has 10000 bytes, fewer than the 20000 asked for"),
                    bigger.getMessage());
        } finally {
            created.remove();
        }
    }

    @Test
    void misuse_is_refused_before_any_call() {
        IllegalArgumentException size =
                assertThrows(
                        IllegalArgumentException.class, () -> SharedMemory.createPrivate(0600, 0));
        assertTrue(size.getMessage().contains("size=0"), size.getMessage());
        IllegalArgumentException mode =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> SharedMemory.createPrivate(01600, 4096));
        assertTrue(mode.getMessage().contains("mode=01600"), mode.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.open(IpcKey.PRIVATE));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.ofId(-1));
    }

    @Test
    void a_missing_id_is_NotFoundException() throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, 100);
        shm.remove();
        NotFoundException e =
                assertThrows(NotFoundException.class, () -> SharedMemory.ofId(shm.id()));
        assertEquals(Errno.EINVAL, e.errno());
        assertThrows(NotFoundException.class, shm::attach);
        assertThrows(NotFoundException.class, shm::remove);
    }

    @Test
    void the_segment_is_bounded_zero_filled_and_dead_after_close() throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, 5000);
        try {
            MemorySegment kept;
            Attachment a = shm.attach();
            {
                MemorySegment s = a.segment();
                assertEquals(5000, s.byteSize());
                assertEquals(
                        -1,
                        s.mismatch(MemorySegment.ofArray(new byte[5000])),
                        "a new segment is zero-filled");
                s.set(ValueLayout.JAVA_BYTE, 4999, (byte) 7);
                assertThrows(
                        IndexOutOfBoundsException.class, () -> s.get(ValueLayout.JAVA_BYTE, 5000));
                assertThrows(IndexOutOfBoundsException.class, () -> s.asSlice(4990, 11));
                kept = s.asSlice(4000);
                a.close();
                a.close(); // idempotent
                assertFalse(a.isAttached());
            }
            MemorySegment dead = kept;
            assertThrows(IllegalStateException.class, () -> dead.get(ValueLayout.JAVA_BYTE, 999));
            assertThrows(
                    IllegalStateException.class,
                    () -> dead.set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
            try (Attachment again = shm.attach()) {
                assertEquals(
                        7,
                        again.segment().get(ValueLayout.JAVA_BYTE, 4999),
                        "the data outlives the attachment");
            }
        } finally {
            shm.remove();
        }
    }

    @Test
    void a_write_through_a_read_only_attachment_is_an_exception_not_a_crash() throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, 4096);
        try (Attachment rw = shm.attach();
                Attachment ro = shm.attachReadOnly()) {
            rw.segment().set(ValueLayout.JAVA_LONG, 8, 42L);
            MemorySegment s = ro.segment();
            assertTrue(ro.isReadOnly());
            assertTrue(s.isReadOnly());
            assertEquals(42L, s.get(ValueLayout.JAVA_LONG, 8));
            // The FFM API refuses before touching memory: set and VarHandles throw
            // IllegalArgumentException, bulk operations UnsupportedOperationException, the
            // ByteBuffer view ReadOnlyBufferException (itself an UnsupportedOperationException).
            assertRefused(() -> s.set(ValueLayout.JAVA_LONG, 8, 1L));
            assertRefused(() -> s.fill((byte) 1));
            assertRefused(
                    () -> MemorySegment.copy(new byte[] {1, 2}, 0, s, ValueLayout.JAVA_BYTE, 8, 2));
            assertRefused(() -> LONG.getAndAdd(s, 8L, 1L));
            assertRefused(() -> LONG.setRelease(s, 8L, 1L));
            assertRefused(() -> s.asByteBuffer().putLong(8, 1L));
            assertRefused(() -> s.asSlice(8).setString(0, "x"));
            assertEquals(42L, s.get(ValueLayout.JAVA_LONG, 8), "nothing was written");
            assertEquals(2, shm.status().attachCount());
        } finally {
            shm.remove();
        }
    }

    @Test
    void removal_is_deferred_until_the_last_detach() throws Exception {
        IpcKey key = IpcKey.of(TestKeys.unused());
        SharedMemory shm = SharedMemory.createExclusive(key, 0600, 4096);
        Attachment first = shm.attach();
        first.segment().setString(0, "still here");
        shm.remove();
        try {
            SharedMemoryStatus st = shm.status();
            assertEquals(1, st.attachCount());
            assertTrue(st.removalPending(), "SHM_DEST is set");
            assertEquals(IpcKey.PRIVATE, st.permissions().key(), "the key is released at once");
            assertThrows(NotFoundException.class, () -> SharedMemory.open(key));
            // Linux still attaches a segment marked for removal by its id
            try (Attachment second = shm.attach()) {
                assertEquals("still here", second.segment().getString(0));
                assertEquals(2, shm.status().attachCount());
            }
            assertEquals(1, shm.status().attachCount());
        } finally {
            first.close();
        }
        assertThrows(NotFoundException.class, shm::status, "destroyed at the last detach");
    }

    @Test
    void status_reports_sizes_pids_times_and_mode_and_IPC_SET_changes_it() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        IpcKey key = IpcKey.of(TestKeys.unused());
        SharedMemory shm = SharedMemory.createExclusive(key, 0640, 12345);
        try {
            SharedMemoryStatus st = shm.status();
            assertEquals(shm.id(), st.id());
            assertEquals(12345, st.size());
            assertEquals(0, st.attachCount());
            assertEquals(key, st.permissions().key());
            assertEquals(0640, st.permissions().permissionBits());
            long pid = ProcessHandle.current().pid();
            assertEquals(pid, st.creatorPid());
            assertEquals(Instant.EPOCH, st.lastAttach(), "never attached");
            assertEquals(Instant.EPOCH, st.lastDetach());
            assertFalse(st.lastChange().isBefore(before));
            assertFalse(st.removalPending());
            try (Attachment a = shm.attach()) {
                assertTrue(a.isAttached());
                assertEquals(1, shm.status().attachCount());
                assertFalse(shm.status().lastAttach().isBefore(before));
                assertEquals(pid, shm.status().lastPid());
            }
            assertFalse(shm.status().lastDetach().isBefore(before));
            shm.setMode(0604);
            assertEquals(0604, shm.status().permissions().permissionBits());
            int uid = io.jipc.testkit.Suite.assignableUid(65534);
            int gid = io.jipc.testkit.Suite.assignableGid(65533);
            shm.setOwner(uid, gid);
            assertEquals(
                    List.of(uid, gid, 0604),
                    List.of(
                            shm.status().permissions().uid(),
                            shm.status().permissions().gid(),
                            shm.status().permissions().permissionBits()));
            shm.setPermissions(uid, io.jipc.testkit.Suite.assignableGid(65534), 0600);
            assertEquals(0600, shm.status().permissions().permissionBits());
            assertEquals(uid, shm.status().permissions().uid());
            assertEquals(
                    io.jipc.testkit.Suite.assignableGid(65534), shm.status().permissions().gid());
            assertEquals(
                    Capabilities.effectiveUid(),
                    shm.status().permissions().cuid(),
                    "the creator does not change");
        } finally {
            shm.remove();
        }
    }

    @Test
    void lock_and_unlock_show_in_the_SHM_LOCKED_bit() throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, 8192);
        try {
            shm.lock();
            assertTrue(shm.status().locked());
            assertEquals(02000, shm.status().permissions().mode() & 02000);
            shm.unlock();
            assertFalse(shm.status().locked());
        } finally {
            shm.remove();
        }
    }

    @Test
    void info_reports_limits_and_usage() throws Exception {
        SharedMemoryInfo before = SharedMemory.info();
        assertEquals(1, before.minSegmentBytes());
        assertEquals(io.jipc.Limit.SHMMAX.value(), before.maxSegmentBytes());
        assertEquals(io.jipc.Limit.SHMALL.value(), before.maxTotalPages());
        assertEquals(io.jipc.Limit.SHMMNI.value(), before.maxSegments());
        SharedMemory shm = SharedMemory.createPrivate(0600, 3 * 4096);
        try (Attachment a = shm.attach()) {
            a.segment().fill((byte) 1); // make the pages resident
            SharedMemoryInfo now = SharedMemory.info();
            assertEquals(before.segmentsInUse() + 1, now.segmentsInUse());
            assertEquals(before.totalPages() + 3, now.totalPages());
            assertTrue(now.residentPages() >= 3, "resident pages " + now.residentPages());
        } finally {
            shm.remove();
        }
    }

    @Test
    void no_reserve_segments_work() throws Exception {
        SharedMemory shm =
                SharedMemory.createPrivate(0600, 1 << 20, SharedMemory.Option.NO_RESERVE);
        try (Attachment a = shm.attach()) {
            a.segment().set(ValueLayout.JAVA_INT, (1 << 20) - 4, 5);
            assertEquals(5, a.segment().get(ValueLayout.JAVA_INT, (1 << 20) - 4));
        } finally {
            shm.remove();
        }
    }

    @Test
    void huge_pages_without_any_reserved_fail_with_the_figures() throws Exception {
        Assumptions.assumeTrue(
                hugePagesTotal() == 0, "huge pages are configured; the positive case covers them");
        Assumptions.assumeTrue(
                Capabilities.effective().contains(Capabilities.Capability.CAP_IPC_LOCK),
                "SHM_HUGETLB needs CAP_IPC_LOCK (or the hugetlb_shm_group): without it the kernel says EPERM first");
        IpcException e =
                assertThrows(
                        IpcException.class,
                        () ->
                                SharedMemory.createPrivate(
                                        0600, 2 << 20, SharedMemory.Option.HUGE_PAGES_2MB));
        assertEquals(Errno.ENOMEM, e.errno());
        assertTrue(
                e.getMessage().contains("no huge pages")
                        && e.getMessage().contains("HugePages_Total: 0")
                        && e.getMessage().contains("/proc/sys/vm/nr_hugepages"),
                e.getMessage());
    }

    @Test
    void huge_page_segments_work_where_huge_pages_are_reserved() throws Exception {
        Assumptions.assumeTrue(
                hugePagesTotal() > 0,
                "no huge pages reserved here (HugePages_Total 0 in /proc/meminfo): positive case skipped");
        SharedMemory shm =
                SharedMemory.createPrivate(0600, 2 << 20, SharedMemory.Option.HUGE_PAGES);
        try (Attachment a = shm.attach()) {
            a.segment().set(ValueLayout.JAVA_LONG, 0, 1L);
            assertEquals(1L, a.segment().get(ValueLayout.JAVA_LONG, 0));
        } finally {
            shm.remove();
        }
    }

    @Test
    void varhandle_atomics_work_on_the_attached_segment() throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, 64);
        try (Attachment a = shm.attach()) {
            MemorySegment s = a.segment();
            assertEquals(0L, (long) LONG.getAndAdd(s, 0L, 5L));
            assertTrue(LONG.compareAndSet(s, 0L, 5L, 9L));
            assertFalse(LONG.compareAndSet(s, 0L, 5L, 10L));
            LONG.setRelease(s, 8L, 3L);
            assertEquals(3L, (long) LONG.getAcquire(s, 8L));
            assertEquals(9L, s.get(ValueLayout.JAVA_LONG, 0));
            assertThrows(
                    IllegalArgumentException.class, () -> LONG.getAndAdd(s, 4L, 1L), "misaligned");
        } finally {
            shm.remove();
        }
    }

    private static void assertRefused(org.junit.jupiter.api.function.Executable write) {
        RuntimeException e = assertThrows(RuntimeException.class, write);
        assertTrue(
                e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException,
                "unexpected " + e);
        if (e instanceof IllegalArgumentException) {
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        }
    }

    static long hugePagesTotal() throws Exception {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("HugePages_Total:"))
                .mapToLong(l -> Long.parseLong(l.split("\\s+")[1]))
                .findFirst()
                .orElse(0);
    }
}
