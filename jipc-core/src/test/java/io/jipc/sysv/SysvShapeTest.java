package io.jipc.sysv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.IpcKey;
import io.jipc.NotFoundException;
import io.jipc.testkit.Processes;
import io.jipc.testkit.TestKeys;
import io.jipc.testkit.Unprivileged;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

/** What the three System V types must do alike (docs/CONVENTIONS.md, section 3). */
class SysvShapeTest {
    @Test
    void set_mode_checks_the_mode_before_any_call_on_every_type() throws Exception {
        MessageQueue q = MessageQueue.createPrivate(0600);
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1);
        SharedMemory m = SharedMemory.createPrivate(0600, 4096);
        q.remove();
        s.remove();
        m.remove();
        for (ModeSetter setter : List.<ModeSetter>of(q::setMode, s::setMode, m::setMode)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> setter.set(01000));
            assertTrue(e.getMessage().contains("mode=01000"), e.getMessage());
            assertThrows(
                    NotFoundException.class,
                    () -> setter.set(0600),
                    "a valid mode reaches the kernel");
        }
    }

    interface ModeSetter {
        void set(int mode) throws Exception;
    }

    @Test
    void of_id_returns_an_object_this_user_may_not_read_on_every_type() throws Exception {
        Unprivileged.assumeAvailable();
        IpcKey mk = IpcKey.of(TestKeys.unused());
        IpcKey sk = IpcKey.of(TestKeys.unused());
        IpcKey hk = IpcKey.of(TestKeys.unused());
        MessageQueue q = MessageQueue.createExclusive(mk, 0600);
        try {
            SemaphoreSet s = SemaphoreSet.createExclusive(sk, 0600, 3);
            try {
                SharedMemory m = SharedMemory.createExclusive(hk, 0600, 8192);
                try {
                    List<String> cmd =
                            Unprivileged.java(
                                    OfIdChild.class,
                                    Integer.toString(q.id()),
                                    Integer.toString(s.id()),
                                    Integer.toString(m.id()));
                    Processes.Result r;
                    try (Processes.Child c = Processes.start(cmd)) {
                        r = c.await(Duration.ofSeconds(60)).assertExit(0);
                    }
                    assertEquals(
                            List.of(
                                    "msg: key=" + mk,
                                    "sem: key=" + sk + " size=3",
                                    "shm: key=" + hk + " size=8192",
                                    "sem-use: PermissionDeniedException EACCES",
                                    "shm-use: PermissionDeniedException EACCES"),
                            r.stdout().lines().toList(),
                            r.stderr());
                } finally {
                    m.remove();
                }
            } finally {
                s.remove();
            }
        } finally {
            q.remove();
        }
    }
}
