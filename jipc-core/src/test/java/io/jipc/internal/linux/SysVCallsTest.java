package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.IpcKey;
import io.jipc.Limit;
import io.jipc.NotFoundException;
import io.jipc.PermissionDeniedException;
import io.jipc.RemovedException;
import io.jipc.internal.Errors;
import io.jipc.testkit.TestKeys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The native layer against the real kernel: results, negated errnos, struct decoding. */
class SysVCallsTest {

    @Test
    void a_missing_key_is_minus_ENOENT_and_maps_to_NotFoundException() {
        int key = TestKeys.unused();
        int r = SysV.msgget(key, 0600);
        assertEquals(-Errno.ENOENT.number(), r);
        IpcException e =
                Errors.failure(
                        r, "msgget", "key " + IpcKey.of(key), "no message queue has this key");
        assertInstanceOf(NotFoundException.class, e);
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals(
                "msgget(key "
                        + IpcKey.of(key)
                        + "): ENOENT (No such file or directory): no message queue has this key",
                e.getMessage());
    }

    @Test
    void exclusive_creation_twice_is_EEXIST_and_stat_decodes_msqid_ds() {
        int key = TestKeys.unused();
        int id = SysV.msgget(key, SysV.IPC_CREAT | SysV.IPC_EXCL | 0640);
        assertTrue(id >= 0, "msgget: " + id);
        try {
            int again = SysV.msgget(key, SysV.IPC_CREAT | SysV.IPC_EXCL | 0600);
            assertInstanceOf(
                    AlreadyExistsException.class, Errors.failure(again, "msgget", "key", null));
            MemorySegment ds = Native.scratch(Structs.MSQID_DS.byteSize()).fill((byte) 0);
            assertEquals(0, SysV.msgctl(id, SysV.IPC_STAT, ds));
            Structs.MsqidDs d = Structs.msqidDs(ds);
            assertEquals(key, d.msg_perm().key());
            assertEquals(0640, d.msg_perm().mode() & 0777);
            assertEquals(LibC.geteuid(), d.msg_perm().cuid());
            assertEquals(LibC.geteuid(), d.msg_perm().uid());
            assertEquals(Limit.MSGMNB.value(), d.msg_qbytes());
            assertEquals(0, d.msg_qnum());
            long ctime = d.msg_ctime();
            assertTrue(Math.abs(ctime - System.currentTimeMillis() / 1000) < 60, "ctime " + ctime);
        } finally {
            assertEquals(0, SysV.msgctl(id, SysV.IPC_RMID, MemorySegment.NULL));
        }
        assertEquals(-Errno.EINVAL.number(), SysV.msgctl(id, SysV.IPC_RMID, MemorySegment.NULL));
    }

    @Test
    void errno_mapping_by_meaning() {
        assertInstanceOf(
                RemovedException.class,
                Errors.failure(-Errno.EIDRM.number(), "msgrcv", "msqid 1", null));
        assertInstanceOf(
                PermissionDeniedException.class,
                Errors.failure(-Errno.EACCES.number(), "msgget", "key", null));
        assertInstanceOf(
                PermissionDeniedException.class,
                Errors.failure(-Errno.EPERM.number(), "msgctl", "msqid 1", null));
        IpcException other = Errors.failure(-Errno.ENOSPC.number(), "msgget", "key", null);
        assertEquals(IpcException.class, other.getClass());
    }

    @Test
    void errno_capture_is_per_thread_even_on_10000_virtual_threads() throws InterruptedException {
        int key = TestKeys.unused();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10_000; i++) {
                final int n = i;
                ex.submit(
                        () -> {
                            // Alternate two different failures so a shared capture segment would
                            // show.
                            int r =
                                    n % 2 == 0
                                            ? SysV.msgget(key, 0600)
                                            : SysV.msgctl(-1, SysV.IPC_STAT, MemorySegment.NULL);
                            int want = n % 2 == 0 ? -Errno.ENOENT.number() : -Errno.EINVAL.number();
                            if (r != want) {
                                wrong.add(n + ": " + r);
                            }
                        });
            }
            ex.shutdown();
            assertTrue(ex.awaitTermination(60, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), new ArrayList<>(wrong));
    }

    @Test
    void scratch_grows_and_is_bounded_to_the_size_asked() {
        assertEquals(10, Native.scratch(10).byteSize());
        assertEquals(100_000, Native.scratch(100_000).byteSize());
        assertEquals(8, Native.scratch(8).byteSize());
    }
}
