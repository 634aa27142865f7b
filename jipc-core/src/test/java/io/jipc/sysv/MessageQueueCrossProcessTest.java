package io.jipc.sysv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.Errno;
import io.jipc.LimitExceededException;
import io.jipc.RemovedException;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Java against a C program using the same queue: every selector, MSG_NOERROR, MSG_COPY, IPC_NOWAIT
 * on full and empty queues, EIDRM under a blocked receiver, and exact bodies in both directions.
 */
class MessageQueueCrossProcessTest {
    private MessageQueue q;

    @BeforeEach
    void create() throws Exception {
        CPeer.exe(); // compile (or skip without gcc) before creating anything
        q = MessageQueue.createPrivate(0600);
    }

    @AfterEach
    void remove() throws Exception {
        if (q != null) {
            try {
                q.remove();
            } catch (io.jipc.NotFoundException alreadyGone) {
                // the test removed it
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * C sends types 5, 3, 7, 3, 1 (bodies "t5", "t3a", ...); Java takes them with each selector.
     */
    @Test
    void every_selector_java_receiving_from_c() throws Exception {
        String[][] msgs = {{"5", "t5"}, {"3", "t3a"}, {"7", "t7"}, {"3", "t3b"}, {"1", "t1"}};
        for (String[] m : msgs) {
            CPeer.send(q, Long.parseLong(m[0]), b(m[1]));
        }
        assertEquals(new Message(3, b("t3a")), q.receive(Select.type(3), 64)); // msgtyp 3
        assertEquals(
                new Message(1, b("t1")), q.receive(Select.upTo(4), 64)); // msgtyp -4: lowest <= 4
        assertEquals(
                new Message(7, b("t7")),
                q.receive(Select.except(5), 64)); // MSG_EXCEPT 5: first not 5
        assertEquals(new Message(5, b("t5")), q.receive(Select.any(), 64)); // msgtyp 0: oldest
        assertEquals(Optional.empty(), q.tryReceive(Select.type(9), 64));
        assertEquals(new Message(3, b("t3b")), q.receive(new Select(-3, false), 64));
        assertEquals(Optional.empty(), q.tryReceive(Select.any(), 64));
    }

    /** Java sends the same messages; C takes them with each msgtyp/flag combination. */
    @Test
    void every_selector_c_receiving_from_java() throws Exception {
        q.send(5, b("t5"));
        q.send(3, b("t3a"));
        q.send(7, b("t7"));
        q.send(3, b("t3b"));
        q.send(1, b("t1"));
        assertEquals(CPeer.line(3, b("t3a")), CPeer.recv(q, 3, 64, "nowait"));
        assertEquals(CPeer.line(1, b("t1")), CPeer.recv(q, -4, 64, "nowait"));
        assertEquals(CPeer.line(7, b("t7")), CPeer.recv(q, 5, 64, "nowait", "except"));
        assertEquals(CPeer.line(5, b("t5")), CPeer.recv(q, 0, 64, "nowait"));
        assertEquals("EMPTY", CPeer.recv(q, 9, 64, "nowait"));
        assertEquals(CPeer.line(3, b("t3b")), CPeer.recv(q, 0, 64, "nowait"));
        assertEquals("EMPTY", CPeer.recv(q, 0, 64, "nowait"));
    }

    @Test
    void noerror_truncates_and_without_it_the_message_stays() throws Exception {
        CPeer.send(q, 4, b("0123456789"));
        LimitExceededException e =
                assertThrows(LimitExceededException.class, () -> q.receive(Select.any(), 4));
        assertEquals(Errno.E2BIG, e.errno());
        assertTrue(
                e.getMessage().contains("larger than the receive buffer of 4 bytes"),
                e.getMessage());
        assertEquals(new Message(4, b("0123")), q.receive(Select.any(), 4, Oversize.TRUNCATE));
        assertEquals(0, q.status().messages());

        q.send(4, b("0123456789"));
        assertEquals("ERR E2BIG", CPeer.recv(q, 0, 4, "nowait"));
        assertEquals(CPeer.line(4, b("012")), CPeer.recv(q, 0, 3, "nowait", "noerror"));
        assertEquals(0, q.status().messages());
    }

    @Test
    void msg_copy_peeks_by_index_without_removing() throws Exception {
        CPeer.send(q, 2, b("first"));
        q.send(8, b("second"));
        Optional<Message> m;
        try {
            m = q.peek(1);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("kernel lacks MSG_COPY: " + e.getMessage());
            return;
        }
        assertEquals(Optional.of(new Message(8, b("second"))), m);
        assertEquals(Optional.of(new Message(2, b("first"))), q.peek(0));
        assertEquals(Optional.empty(), q.peek(2));
        assertEquals(CPeer.line(8, b("second")), CPeer.recv(q, 1, 64, "nowait", "copy"));
        assertEquals(2, q.status().messages());
        assertEquals(new Message(2, b("first")), q.receive(Select.any(), 64));
    }

    @Test
    void nowait_on_a_full_queue_and_on_an_empty_one() throws Exception {
        q.setMaxBytes(100);
        assertEquals(100, q.status().maxBytes());
        assertTrue(q.trySend(1, new byte[60]));
        assertFalse(q.trySend(1, new byte[60]), "60 + 60 > 100 bytes");
        ByteBuffer bb = ByteBuffer.wrap(new byte[60]);
        assertFalse(q.trySend(1, bb));
        assertEquals(0, bb.position(), "a refused send leaves the buffer alone");
        Processes.Result full =
                CPeer.run("send", Integer.toString(q.id()), "1", "00".repeat(60), "nowait");
        assertEquals(3, full.exitCode(), full.stdout());
        assertEquals("FULL", full.stdout().strip());
        assertEquals(CPeer.line(1, new byte[60]), CPeer.recv(q, 0, 100, "nowait"));
        CPeer.send(q, 1, new byte[90]);
        assertFalse(q.trySend(1, new byte[20]));
        assertEquals(90, q.receive(Select.any(), 100).size());

        assertEquals(Optional.empty(), q.tryReceive(Select.any(), 100));
        assertEquals(0, q.tryReceiveInto(Select.any(), ByteBuffer.allocate(8), Oversize.FAIL));
        assertEquals("EMPTY", CPeer.recv(q, 0, 100, "nowait"));
    }

    @Test
    void a_blocked_java_receiver_gets_RemovedException_when_c_removes_the_queue() throws Exception {
        CompletableFuture<Throwable> outcome =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return new AssertionError(
                                        "received " + q.receive(Select.any(), 64));
                            } catch (Throwable t) {
                                return t;
                            }
                        });
        CPeer.awaitBlocked(ProcessHandle.current().pid(), CPeer.SYS_MSGRCV, q.id());
        CPeer.run("rm", Integer.toString(q.id())).assertExit(0);
        Throwable t = outcome.get(30, TimeUnit.SECONDS);
        RemovedException e =
                assertThrows(
                        RemovedException.class,
                        () -> {
                            throw t;
                        });
        assertEquals(Errno.EIDRM, e.errno());
        // After the removal the id names nothing: EINVAL, reported as not found, not as removed.
        io.jipc.NotFoundException gone =
                assertThrows(io.jipc.NotFoundException.class, () -> q.tryReceive(Select.any(), 8));
        assertEquals(Errno.EINVAL, gone.errno());
        q = null;
    }

    @Test
    void interrupt_ends_a_blocked_receive_and_the_message_c_sends_later_stays_for_c()
            throws Exception {
        java.util.concurrent.atomic.AtomicBoolean interruptedAfter =
                new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Thread> receiver =
                new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Throwable> got =
                CompletableFuture.supplyAsync(
                        () -> {
                            receiver.set(Thread.currentThread());
                            try {
                                q.receive(Select.type(2), 64);
                                return null;
                            } catch (Exception e) {
                                interruptedAfter.set(Thread.interrupted());
                                return e;
                            }
                        });
        CPeer.awaitBlocked(ProcessHandle.current().pid(), CPeer.SYS_MSGRCV, q.id());
        receiver.get().interrupt();
        assertTrue(
                got.get(30, TimeUnit.SECONDS) instanceof io.jipc.InterruptedCallException,
                "Thread.interrupt() ends msgrcv");
        assertTrue(interruptedAfter.get(), "the interrupt status is kept for the caller");
        CPeer.send(q, 2, b("wake"));
        assertEquals(
                CPeer.line(2, b("wake")),
                CPeer.recv(q, 2, 64, "nowait"),
                "the interrupted receive took nothing");
    }

    @Test
    void a_blocked_java_sender_proceeds_when_c_makes_room_and_fails_with_EIDRM_on_removal()
            throws Exception {
        q.setMaxBytes(10);
        q.send(1, new byte[8]);
        CompletableFuture<Throwable> second =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                q.send(2, new byte[8]);
                                return null;
                            } catch (Throwable t) {
                                return t;
                            }
                        });
        CPeer.awaitBlocked(ProcessHandle.current().pid(), CPeer.SYS_MSGSND, q.id());
        assertEquals(CPeer.line(1, new byte[8]), CPeer.recv(q, 0, 64, "nowait"));
        assertEquals(null, second.get(30, TimeUnit.SECONDS));
        assertEquals(1, q.status().messages(), "the second message is on the queue");

        CompletableFuture<Throwable> third =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                q.send(3, new byte[8]);
                                return new AssertionError("sent to a full queue");
                            } catch (Throwable t) {
                                return t;
                            }
                        });
        CPeer.awaitBlocked(ProcessHandle.current().pid(), CPeer.SYS_MSGSND, q.id());
        CPeer.run("rm", Integer.toString(q.id())).assertExit(0);
        assertEquals(RemovedException.class, third.get(30, TimeUnit.SECONDS).getClass());
        q = null;
    }

    @Test
    void a_blocked_c_receiver_sees_EIDRM_when_java_removes_the_queue() throws Exception {
        try (Processes.Child c = CPeer.start("recv", Integer.toString(q.id()), "0", "64")) {
            CPeer.awaitBlocked(c.process().pid(), CPeer.SYS_MSGRCV, q.id());
            q.remove();
            q = null;
            Processes.Result r = c.await(CPeer.TIMEOUT);
            assertEquals(1, r.exitCode(), r.stdout());
            assertEquals("ERR EIDRM", r.stdout().strip());
        }
    }

    @Test
    void a_blocked_c_receiver_is_woken_by_a_java_send() throws Exception {
        try (Processes.Child c = CPeer.start("recv", Integer.toString(q.id()), "-10", "64")) {
            CPeer.awaitBlocked(c.process().pid(), CPeer.SYS_MSGRCV, q.id());
            q.send(11, b("skipped"));
            q.send(10, b("taken"));
            Processes.Result r = c.await(CPeer.TIMEOUT).assertExit(0);
            assertEquals(CPeer.line(10, b("taken")), r.stdout().strip());
        }
        assertEquals(new Message(11, b("skipped")), q.receive(Select.any(), 64));
    }

    @Test
    void bodies_of_0_1_msgmax_bytes_and_with_zero_bytes_round_trip_exactly() throws Exception {
        int msgmax = (int) io.jipc.Limit.MSGMAX.value();
        byte[] big = new byte[msgmax];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        big[0] = 0;
        big[msgmax - 1] = 0;
        byte[][] bodies = {new byte[0], {0x41}, {0}, {0, 0, 0x7f, (byte) 0xff, 0, 0x0a, 0}, big};
        for (byte[] body : bodies) {
            // Java -> C
            q.send(9, body);
            assertEquals(
                    CPeer.line(9, body),
                    CPeer.recv(q, 0, msgmax, "nowait"),
                    "length " + body.length);
            // C -> Java, three ways of receiving (one at a time: two msgmax bodies fill the queue)
            CPeer.send(q, 9, body);
            Message m = q.receive(Select.any(), msgmax);
            assertEquals(9, m.type());
            assertArrayEquals(body, m.body());
            CPeer.send(q, 9, body);
            ByteBuffer heap = ByteBuffer.allocate(msgmax + 3).position(3);
            assertEquals(9, q.receiveInto(Select.any(), heap, Oversize.FAIL));
            assertEquals(3 + body.length, heap.position());
            assertArrayEquals(body, java.util.Arrays.copyOfRange(heap.array(), 3, 3 + body.length));
            CPeer.send(q, 9, body);
            ByteBuffer direct = ByteBuffer.allocateDirect(msgmax);
            assertEquals(9, q.tryReceiveInto(Select.any(), direct, Oversize.FAIL));
            byte[] got = new byte[direct.flip().remaining()];
            direct.get(got);
            assertArrayEquals(body, got);
        }
        assertEquals(0, q.status().messages());
        assertTrue(HexFormat.of().formatHex(big).startsWith("00"));
    }
}
