package io.jipc.sysv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.AlreadyExistsException;
import io.jipc.Capabilities;
import io.jipc.Errno;
import io.jipc.IpcKey;
import io.jipc.Limit;
import io.jipc.LimitExceededException;
import io.jipc.NotFoundException;
import io.jipc.testkit.Processes;
import io.jipc.testkit.Suite;
import io.jipc.testkit.TestKeys;
import io.jipc.testkit.Unprivileged;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The MessageQueue API against the real kernel in this process (C peers:
 * MessageQueueCrossProcessTest).
 */
class MessageQueueTest {

    @Test
    void open_create_exclusive_private_and_by_id() throws Exception {
        IpcKey key = IpcKey.of(TestKeys.unused());
        NotFoundException nf = assertThrows(NotFoundException.class, () -> MessageQueue.open(key));
        assertEquals(Errno.ENOENT, nf.errno());
        assertEquals(
                "msgget(key "
                        + key
                        + "): ENOENT (No such file or directory): no message queue has this key"
                        + " (create it first)",
                nf.getMessage());
        MessageQueue q = MessageQueue.createExclusive(key, 0640);
        try {
            assertEquals(q, MessageQueue.open(key));
            assertEquals(q, MessageQueue.create(key, 0600));
            assertEquals(q, MessageQueue.ofId(q.id()));
            AlreadyExistsException ae =
                    assertThrows(
                            AlreadyExistsException.class,
                            () -> MessageQueue.createExclusive(key, 0600));
            assertEquals(Errno.EEXIST, ae.errno());
            assertEquals(
                    0640,
                    q.status().permissions().permissionBits(),
                    "create() ignores the mode of an existing queue");
            MessageQueue p1 = MessageQueue.createPrivate(0600);
            MessageQueue p2 = MessageQueue.createPrivate(0600);
            try {
                assertNotEquals(p1, p2);
                assertEquals(IpcKey.PRIVATE, p1.status().permissions().key());
            } finally {
                p1.remove();
                p2.remove();
            }
        } finally {
            q.remove();
        }
        assertThrows(NotFoundException.class, () -> MessageQueue.ofId(q.id()));
        NotFoundException gone = assertThrows(NotFoundException.class, q::remove);
        assertEquals(Errno.EINVAL, gone.errno());
        assertTrue(gone.getMessage().contains("no message queue has this id"), gone.getMessage());
    }

    @Test
    void misuse_is_IllegalArgumentException_with_name_and_value_before_any_call() throws Exception {
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            assertEquals(
                    "type=0 (message types must be > 0)",
                    assertThrows(IllegalArgumentException.class, () -> q.send(0, new byte[1]))
                            .getMessage());
            assertEquals(
                    "type=-3 (message types must be > 0)",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> q.trySend(-3, ByteBuffer.allocate(1)))
                            .getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> q.trySend(Long.MIN_VALUE, MemorySegment.ofArray(new byte[1])));
            assertEquals(
                    "maxBytes=-1 (must be >= 0)",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> q.tryReceive(Select.any(), -1))
                            .getMessage());
            assertEquals(
                    "mode=01777 (permission bits only, 0..0777)",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> MessageQueue.createPrivate(01777))
                            .getMessage());
            assertEquals(
                    "type=0 (must be > 0)",
                    assertThrows(IllegalArgumentException.class, () -> Select.type(0))
                            .getMessage());
            assertThrows(IllegalArgumentException.class, () -> Select.upTo(-1));
            assertThrows(IllegalArgumentException.class, () -> Select.except(0));
            assertThrows(IllegalArgumentException.class, () -> new Select(-2, true));
            assertThrows(IllegalArgumentException.class, () -> q.peek(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> q.send(1, new byte[4], 2, 3));
            assertEquals(0, q.status().messages(), "nothing was sent");
            assertEquals(0, q.status().lastSendPid(), "no msgsnd was made");
        } finally {
            q.remove();
        }
    }

    @Test
    void selectors_say_what_c_passes() {
        assertEquals(new Select(0, false), Select.any());
        assertEquals(new Select(4, false), Select.type(4));
        assertEquals(new Select(-4, false), Select.upTo(4));
        assertEquals(new Select(4, true), Select.except(4));
        assertEquals("msgtyp=4|MSG_EXCEPT", Select.except(4).toString());
        assertEquals("msgtyp=-4", Select.upTo(4).toString());
    }

    @Test
    void a_body_above_msgmax_is_refused_quoting_the_limit() throws Exception {
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            long max = Limit.MSGMAX.value();
            LimitExceededException e =
                    assertThrows(
                            LimitExceededException.class, () -> q.send(1, new byte[(int) max + 1]));
            assertEquals(Limit.MSGMAX, e.limit());
            assertEquals(max, e.limitValue());
            assertTrue(
                    e.getMessage().contains("a body of " + (max + 1) + " bytes"), e.getMessage());
            assertTrue(
                    e.getMessage()
                            .endsWith(
                                    "limit msgmax = " + max + " (set in /proc/sys/kernel/msgmax)"),
                    e.getMessage());
            assertThrows(
                    LimitExceededException.class,
                    () -> q.trySend(1, MemorySegment.ofArray(new byte[(int) max + 1])));
            assertTrue(q.trySend(1, new byte[(int) max]));
            assertEquals(max, q.receive(Select.any(), (int) max).size());
        } finally {
            q.remove();
        }
    }

    @Test
    void every_send_form_puts_exactly_the_body_on_the_queue() throws Exception {
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            byte[] abc = {'a', 'b', 'c', 0, 'd'};
            q.send(1, abc);
            q.send(2, abc, 1, 3);
            ByteBuffer heap = ByteBuffer.wrap(abc).position(2);
            q.send(3, heap);
            assertEquals(5, heap.position(), "the buffer is consumed");
            ByteBuffer direct = ByteBuffer.allocateDirect(4).put(new byte[] {9, 8, 7, 6}).flip();
            assertTrue(q.trySend(4, direct));
            assertFalse(direct.hasRemaining());
            try (Arena a = Arena.ofConfined()) {
                MemorySegment seg = a.allocate(3);
                seg.copyFrom(MemorySegment.ofArray(new byte[] {5, 0, 5}));
                q.send(5, seg);
            }
            assertTrue(q.trySend(6, new byte[0]));
            assertEquals(6, q.status().messages());
            assertEquals(5 + 3 + 3 + 4 + 3, q.status().bytes());
            assertEquals(new Message(1, abc), q.receive(Select.any(), 100));
            assertEquals(new Message(2, new byte[] {'b', 'c', 0}), q.receive(Select.any(), 100));
            assertEquals(new Message(3, new byte[] {'c', 0, 'd'}), q.receive(Select.any(), 100));
            assertEquals(new Message(4, new byte[] {9, 8, 7, 6}), q.receive(Select.any(), 100));
            assertEquals(new Message(5, new byte[] {5, 0, 5}), q.receive(Select.any(), 100));
            Message empty = q.receive(Select.any(), 0);
            assertEquals(6, empty.type());
            assertEquals(0, empty.size());
            assertEquals("Message[type=6, size=0, body=]", empty.toString());
        } finally {
            q.remove();
        }
    }

    @Test
    void receive_into_a_caller_buffer_respects_position_and_oversize() throws Exception {
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            q.send(7, new byte[] {1, 2, 3, 4, 5, 6});
            ByteBuffer small = ByteBuffer.allocate(4);
            assertThrows(
                    LimitExceededException.class,
                    () -> q.tryReceiveInto(Select.any(), small, Oversize.FAIL));
            assertEquals(0, small.position());
            assertEquals(1, q.status().messages(), "E2BIG leaves the message on the queue");
            assertEquals(7, q.tryReceiveInto(Select.any(), small.position(1), Oversize.TRUNCATE));
            assertEquals(4, small.position());
            assertArrayEquals(new byte[] {0, 1, 2, 3}, small.array());
            assertEquals(0, q.status().messages(), "MSG_NOERROR removes the message");
            assertThrows(
                    java.nio.ReadOnlyBufferException.class,
                    () ->
                            q.tryReceiveInto(
                                    Select.any(),
                                    ByteBuffer.allocate(4).asReadOnlyBuffer(),
                                    Oversize.FAIL));
        } finally {
            q.remove();
        }
    }

    @Test
    void status_reports_every_msqid_ds_field() throws Exception {
        Instant before = Instant.now().minusSeconds(2);
        IpcKey key = IpcKey.of(TestKeys.unused());
        MessageQueue q = MessageQueue.createExclusive(key, 0620);
        try {
            MessageQueueStatus s = q.status();
            int me = Capabilities.effectiveUid();
            long pid = ProcessHandle.current().pid();
            assertEquals(q.id(), s.id());
            assertEquals(key, s.permissions().key());
            assertEquals(me, s.permissions().uid());
            assertEquals(me, s.permissions().cuid());
            assertEquals(0620, s.permissions().permissionBits());
            assertEquals(0, s.messages());
            assertEquals(0, s.bytes());
            assertEquals(Limit.MSGMNB.value(), s.maxBytes());
            assertEquals(0, s.lastSendPid());
            assertEquals(0, s.lastReceivePid());
            assertEquals(Instant.EPOCH, s.lastSend());
            assertEquals(Instant.EPOCH, s.lastReceive());
            assertTrue(s.lastChange().isAfter(before), s.toString());

            q.send(1, new byte[10]);
            q.send(2, new byte[20]);
            s = q.status();
            assertEquals(2, s.messages());
            assertEquals(30, s.bytes());
            assertEquals(pid, s.lastSendPid());
            assertTrue(s.lastSend().isAfter(before));
            assertEquals(0, s.lastReceivePid());
            q.receive(Select.any(), 100);
            s = q.status();
            assertEquals(pid, s.lastReceivePid());
            assertTrue(s.lastReceive().isAfter(before));
            assertEquals(1, s.messages());
            assertEquals(20, s.bytes());
        } finally {
            q.remove();
        }
    }

    @Test
    void ipc_set_changes_mode_owner_and_capacity() throws Exception {
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            assertEquals(IpcKey.PRIVATE, q.key());
            assertEquals(q, MessageQueue.ofId(q.id()));
            assertEquals(IpcKey.PRIVATE, MessageQueue.ofId(q.id()).key());
            q.setMode(0644);
            assertEquals(0644, q.status().permissions().permissionBits());
            q.setMaxBytes(1000);
            assertEquals(1000, q.status().maxBytes());
            q.setMaxBytes(2000);
            int uid = Suite.assignableUid(65534);
            int gid = Suite.assignableGid(65534);
            q.setPermissions(uid, gid, 0660);
            MessageQueueStatus s = q.status();
            assertEquals(uid, s.permissions().uid());
            assertEquals(gid, s.permissions().gid());
            assertEquals(Capabilities.effectiveUid(), s.permissions().cuid(), "the creator stays");
            assertEquals(0660, s.permissions().permissionBits());
            assertEquals(2000, s.maxBytes());
            // back to this user and group (a gid outside a user namespace's map would be EINVAL)
            q.setOwner(
                    Capabilities.effectiveUid(),
                    ((Number)
                                    java.nio.file.Files.getAttribute(
                                            java.nio.file.Path.of("/proc/self"), "unix:gid"))
                            .intValue());
            assertEquals(Capabilities.effectiveUid(), q.status().permissions().uid());
            assertEquals(2000, q.status().maxBytes());

            if (!Capabilities.effective().contains(Capabilities.Capability.CAP_SYS_RESOURCE)) {
                long mnb = Limit.MSGMNB.value();
                LimitExceededException e =
                        assertThrows(LimitExceededException.class, () -> q.setMaxBytes(mnb + 1));
                assertEquals(Limit.MSGMNB, e.limit());
                assertEquals(Errno.EPERM, e.errno());
                assertTrue(e.getMessage().contains("CAP_SYS_RESOURCE"), e.getMessage());
            }
        } finally {
            q.remove();
        }
    }

    @Test
    void system_info_matches_the_limits_and_counts_queues_and_messages() throws Exception {
        MessageQueueInfo before = MessageQueue.info();
        assertEquals(Limit.MSGMAX.value(), before.maxMessageBytes());
        assertEquals(Limit.MSGMNB.value(), before.maxQueueBytes());
        assertEquals(Limit.MSGMNI.value(), before.maxQueues());
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            q.send(3, new byte[123]);
            MessageQueueInfo after = MessageQueue.info();
            // Other tests of this JVM run in sequence; the IPC namespace is this build's own.
            assertEquals(before.queuesInUse() + 1, after.queuesInUse());
            assertEquals(before.messages() + 1, after.messages());
            assertEquals(before.bytes() + 123, after.bytes());
            assertTrue(after.highestIndex() >= 0);
        } finally {
            q.remove();
        }
    }

    @Test
    void peek_copies_without_removing() throws Exception {
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            q.send(5, new byte[] {1});
            q.send(6, new byte[] {2, 0});
            try {
                assertEquals(Optional.of(new Message(6, new byte[] {2, 0})), q.peek(1));
            } catch (UnsupportedOperationException e) {
                Assumptions.abort("kernel lacks MSG_COPY: " + e.getMessage());
            }
            assertEquals(Optional.empty(), q.peek(2));
            assertEquals(2, q.status().messages());
        } finally {
            q.remove();
        }
    }

    @Test
    void an_unprivileged_user_is_denied_with_PermissionDeniedException() throws Exception {
        Unprivileged.assumeAvailable();
        IpcKey key = IpcKey.of(TestKeys.unused());
        MessageQueue q = MessageQueue.createExclusive(key, 0600);
        try {
            q.send(1, new byte[] {42});
            // A child JVM as nobody, with a copy of the class path it can read.
            List<String> cmd =
                    Unprivileged.java(
                            MqPermissionChild.class, key.toString(), Integer.toString(q.id()));
            Processes.Result r;
            try (Processes.Child c = Processes.start(cmd)) {
                r = c.await(Duration.ofSeconds(60)).assertExit(0);
            }
            List<String> lines = r.stdout().lines().toList();
            assertEquals(7, lines.size(), r.stdout() + r.stderr());
            // msgget(key, 0) asks for no access and succeeds; every use of the queue is then
            // refused.
            assertEquals("open: ok", lines.get(0));
            assertEquals(
                    "create: PermissionDeniedException EACCES (Permission denied) | msgget(key "
                            + key
                            + "): EACCES (Permission denied): the queue's mode grants this user no access",
                    lines.get(1));
            assertEquals(
                    "send: PermissionDeniedException EACCES (Permission denied) | msgsnd(msqid "
                            + q.id()
                            + "): EACCES (Permission denied): the queue's mode denies this user writing",
                    lines.get(2));
            assertEquals(
                    "receive: PermissionDeniedException EACCES (Permission denied) | msgrcv(msqid "
                            + q.id()
                            + "): EACCES (Permission denied): the queue's mode denies this user reading",
                    lines.get(3));
            assertTrue(
                    lines.get(4).startsWith("status: PermissionDeniedException EACCES"),
                    lines.get(4));
            assertEquals("key: ok", lines.get(5), "ofId learns the key of a queue it may not read");
            assertTrue(
                    lines.get(6).startsWith("remove: PermissionDeniedException EPERM"),
                    lines.get(6));
            assertEquals(
                    new Message(1, new byte[] {42}),
                    q.receive(Select.any(), 8),
                    "the message is still there");
        } finally {
            q.remove();
        }
    }
}
