package io.jipc.posix;

import static io.jipc.posix.PosixTestNames.name;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.jipc.AlreadyExistsException;
import io.jipc.Capabilities;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.Limit;
import io.jipc.LimitExceededException;
import io.jipc.NotFoundException;
import io.jipc.RawDescriptor;
import io.jipc.internal.linux.Poll;
import io.jipc.internal.linux.Signals;
import io.jipc.socket.SocketType;
import io.jipc.socket.UnixSocket;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link PosixMessageQueue} in one process: creation, messages, try and timed forms, bad input,
 * limits, notify.
 */
@ExtendWith(PosixTestNames.class)
class PosixMessageQueueTest {

    /** The mode of the file a descriptor of this process is open on, as stat(1) sees it. */
    static String modeOf(int fd) {
        return Processes.run(
                        Duration.ofSeconds(10),
                        "stat",
                        "-L",
                        "-c",
                        "%a",
                        "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd)
                .assertExit(0)
                .stdout()
                .trim();
    }

    /** Checks the attributes part of a queue's status. */
    static void assertStatus(PosixMessageQueue q, long maxMessages, long messageSize, long messages)
            throws Exception {
        PosixMessageQueueStatus s = q.status();
        assertEquals(
                List.of(q.name(), maxMessages, messageSize, messages),
                List.of(s.name(), s.maxMessages(), s.messageSize(), s.messages()),
                s.toString());
    }

    static int umask() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("Umask:")) {
                return Integer.parseInt(l.substring(6).trim(), 8);
            }
        }
        throw new AssertionError("no Umask in /proc/self/status");
    }

    @Test
    void create_exclusive_gives_the_attributes_and_exactly_the_mode_asked_for() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0666, 4, 128)) {
            assertTrue(q.created());
            assertEquals(n, q.name());
            assertEquals(4, q.maxMessages());
            assertEquals(128, q.messageSize());
            assertStatus(q, 4, 128, 0);
            assertEquals(
                    "666",
                    modeOf(q.fd()),
                    "the umask (0" + Integer.toOctalString(umask()) + ") is not applied");
            q.unlink();
        }
    }

    @Test
    void create_opens_the_existing_queue_and_says_it_did_not_create_it() throws Exception {
        String n = name("q");
        try (PosixMessageQueue a = PosixMessageQueue.create(n, 0600, 3, 64);
                PosixMessageQueue b = PosixMessageQueue.create(n, 0644, 9, 999)) {
            assertTrue(a.created());
            assertFalse(b.created());
            assertEquals(
                    3, b.maxMessages(), "the existing queue's attributes, not the ones asked for");
            assertEquals(64, b.messageSize());
            assertEquals("600", modeOf(b.fd()));
            a.send(3, "hello".getBytes(UTF_8));
            assertEquals(new PosixMessage(3, "hello".getBytes(UTF_8)), b.receive());
            b.unlink();
        }
    }

    @Test
    void default_attributes_come_from_proc_sys_fs_mqueue() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600)) {
            long def =
                    Long.parseLong(
                            Files.readAllLines(Path.of("/proc/sys/fs/mqueue/msg_default"))
                                    .get(0)
                                    .trim());
            long size =
                    Long.parseLong(
                            Files.readAllLines(Path.of("/proc/sys/fs/mqueue/msgsize_default"))
                                    .get(0)
                                    .trim());
            assertEquals(def, q.maxMessages());
            assertEquals(size, q.messageSize());
            q.unlink();
        }
    }

    @Test
    void errors_say_what_happened_by_meaning() throws Exception {
        String n = name("q");
        NotFoundException nf =
                assertThrows(NotFoundException.class, () -> PosixMessageQueue.open(n));
        assertEquals(
                "mq_open("
                        + n
                        + "): ENOENT (No such file or directory): no message queue has this name"
                        + " (create it first)",
                nf.getMessage());
        assertEquals(Errno.ENOENT, nf.errno());
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 2, 16)) {
            AlreadyExistsException ae =
                    assertThrows(
                            AlreadyExistsException.class,
                            () -> PosixMessageQueue.createExclusive(n, 0600, 2, 16));
            assertEquals("mq_open", ae.call());
            assertEquals(n, ae.object());
            q.unlink();
            assertThrows(NotFoundException.class, () -> PosixMessageQueue.unlink(n));
            assertThrows(
                    NotFoundException.class,
                    () -> PosixMessageQueue.open(n),
                    "a removed queue cannot be opened");
            q.send(1, new byte[] {7});
            assertEquals(
                    new PosixMessage(1, new byte[] {7}),
                    q.receive(),
                    "an unlinked queue works for its holders");
        }
    }

    @Test
    void bad_names_are_refused_before_any_call() {
        for (String bad :
                List.of(
                        "jobs",
                        "/a/b",
                        "/",
                        "",
                        "/.",
                        "/..",
                        "//x",
                        "/" + "x".repeat(256),
                        "/a\0b")) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> PosixMessageQueue.create(bad, 0600),
                            bad);
            assertTrue(e.getMessage().startsWith("name="), e.getMessage());
        }
        IllegalArgumentException second =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PosixMessageQueue.open("/jobs/today"));
        assertEquals(
                "name=/jobs/today (only the leading '/' is allowed: a second '/' at index 5)",
                second.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> PosixMessageQueue.create(name("q"), 01000));
        assertThrows(
                IllegalArgumentException.class,
                () -> PosixMessageQueue.create(name("q"), 0600, 0, 10));
        assertThrows(
                IllegalArgumentException.class,
                () -> PosixMessageQueue.create(name("q"), 0600, 10, -1));
    }

    @Test
    void attributes_above_the_limits_quote_the_limit_and_where_it_is_set() {
        assumeFalse(
                Capabilities.effective().contains(Capabilities.Capability.CAP_SYS_RESOURCE),
                "CAP_SYS_RESOURCE lifts msg_max and msgsize_max");
        long msgMax = Limit.MQ_MSG_MAX.value();
        LimitExceededException e =
                assertThrows(
                        LimitExceededException.class,
                        () -> PosixMessageQueue.create(name("q"), 0600, (int) msgMax + 1, 16));
        assertEquals(Limit.MQ_MSG_MAX, e.limit());
        assertTrue(
                e.getMessage()
                        .contains(
                                "limit msg_max = "
                                        + msgMax
                                        + " (set in /proc/sys/fs/mqueue/msg_max)"),
                e.getMessage());
        long sizeMax = Limit.MQ_MSGSIZE_MAX.value();
        LimitExceededException s =
                assertThrows(
                        LimitExceededException.class,
                        () ->
                                PosixMessageQueue.createExclusive(
                                        name("q"), 0600, 1, (int) sizeMax + 1));
        assertEquals(Limit.MQ_MSGSIZE_MAX, s.limit());
        assertTrue(s.getMessage().startsWith("mq_open(/jipc-t"), s.getMessage());
        assertTrue(s.getMessage().contains("EINVAL"), s.getMessage());
    }

    @Test
    void too_many_queues_and_too_many_bytes_are_limits_too() throws Exception {
        assumeFalse(
                Capabilities.effective().contains(Capabilities.Capability.CAP_SYS_RESOURCE),
                "CAP_SYS_RESOURCE lifts queues_max");
        List<PosixMessageQueue> made = new ArrayList<>();
        try {
            // big queues: RLIMIT_MSGQUEUE (bytes per user) runs out long before queues_max
            int size = (int) Limit.MQ_MSGSIZE_MAX.value();
            int count = (int) Limit.MQ_MSG_MAX.value();
            LimitExceededException bytes = null;
            for (int i = 0; i < 10_000 && bytes == null; i++) {
                try {
                    made.add(PosixMessageQueue.createExclusive(name("big"), 0600, count, size));
                } catch (LimitExceededException e) {
                    bytes = e;
                }
            }
            assertTrue(bytes != null, "no limit was reached");
            if (Limit.RLIMIT_MSGQUEUE.value() < Limit.MQ_QUEUES_MAX.value() * (long) count * size) {
                assertEquals(Limit.RLIMIT_MSGQUEUE, bytes.limit());
                assertEquals(Errno.EMFILE, bytes.errno());
                assertTrue(
                        bytes.getMessage()
                                .contains("(set in RLIMIT_MSGQUEUE of the process (ulimit -q"),
                        bytes.getMessage());
            }
            for (PosixMessageQueue q : made) {
                q.unlink();
                q.close();
            }
            made.clear();
            // tiny queues: queues_max of the IPC namespace
            LimitExceededException queues = null;
            for (int i = 0; i < 100_000 && queues == null; i++) {
                try {
                    made.add(PosixMessageQueue.createExclusive(name("tiny"), 0600, 1, 1));
                } catch (LimitExceededException e) {
                    queues = e;
                }
            }
            assertTrue(queues != null, "queues_max was never reached");
            assertEquals(Limit.MQ_QUEUES_MAX, queues.limit());
            assertEquals(Errno.ENOSPC, queues.errno());
        } finally {
            for (PosixMessageQueue q : made) {
                q.unlink();
                q.close();
            }
        }
    }

    @Test
    void higher_priorities_come_first_and_equal_ones_in_order() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 8, 16)) {
            q.send(1, "a".getBytes(UTF_8));
            q.send(5, "b".getBytes(UTF_8));
            q.send(5, "c".getBytes(UTF_8));
            q.send("d".getBytes(UTF_8));
            q.send(PosixMessageQueue.MAX_PRIORITY, new byte[0]);
            assertEquals(
                    new PosixMessage(PosixMessageQueue.MAX_PRIORITY, new byte[0]), q.receive());
            for (String want : List.of("b", "c", "a", "d")) {
                assertEquals(want, new String(q.receive().body(), UTF_8));
            }
            q.unlink();
        }
    }

    @Test
    void bodies_are_any_bytes_up_to_the_message_size_and_nothing_more() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 4, 32)) {
            byte[] all = new byte[32];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) (i * 37);
            }
            all[3] = 0;
            q.send(2, all);
            assertArrayEquals(all, q.receive().body());
            IllegalArgumentException big =
                    assertThrows(IllegalArgumentException.class, () -> q.send(0, new byte[33]));
            assertEquals(
                    "body of 33 bytes is longer than the message size of "
                            + n
                            + " (mq_msgsize = 32, fixed when the queue was created)",
                    big.getMessage());
            IllegalArgumentException prio =
                    assertThrows(IllegalArgumentException.class, () -> q.send(32768, new byte[1]));
            assertEquals("priority=32768 (0..32767: below MQ_PRIO_MAX = 32768)", prio.getMessage());
            assertThrows(IllegalArgumentException.class, () -> q.trySend(-1, new byte[1]));
            assertEquals(0, q.status().messages(), "nothing was sent");
            q.unlink();
        }
    }

    @Test
    void try_forms_return_instead_of_blocking_and_leave_the_descriptor_blocking() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 2, 8)) {
            assertEquals(Optional.empty(), q.tryReceive());
            assertEquals(-1, q.tryReceiveInto(ByteBuffer.allocate(8)));
            assertTrue(q.trySend(1, new byte[] {1}));
            assertTrue(q.trySend(2, ByteBuffer.wrap(new byte[] {2})));
            assertFalse(q.trySend(3, new byte[] {3}), "full");
            ByteBuffer b = ByteBuffer.wrap(new byte[] {4});
            assertFalse(q.trySend(4, b));
            assertEquals(0, b.position(), "not sent: the buffer is untouched");
            assertStatus(q, 2, 8, 2);
            assertEquals(new PosixMessage(2, new byte[] {2}), q.tryReceive().orElseThrow());
            q.unlink();
        }
    }

    @Test
    void timed_forms_wait_then_give_up_without_an_exception() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 1, 8)) {
            long t0 = System.nanoTime();
            assertEquals(Optional.empty(), q.receive(Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - t0 >= 195_000_000L, "waited the timeout");
            assertTrue(q.send(1, new byte[] {1}, Duration.ZERO));
            t0 = System.nanoTime();
            assertFalse(q.send(1, new byte[] {2}, Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - t0 >= 195_000_000L, "waited the timeout");
            assertEquals(
                    new PosixMessage(1, new byte[] {1}),
                    q.receive(Duration.ofSeconds(5)).orElseThrow());
            assertThrows(IllegalArgumentException.class, () -> q.receive(Duration.ofMillis(-1)));
            q.unlink();
        }
    }

    @Test
    void receive_into_a_buffer_needs_room_for_the_message_size() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 4, 16)) {
            q.send(9, "direct".getBytes(UTF_8));
            q.send(8, ByteBuffer.allocateDirect(4).put("heap".getBytes(UTF_8)).flip());
            ByteBuffer direct = ByteBuffer.allocateDirect(20);
            assertEquals(9, q.receiveInto(direct));
            assertEquals(6, direct.position());
            assertEquals("direct", UTF_8.decode(direct.flip()).toString());
            ByteBuffer heap = ByteBuffer.allocate(16);
            assertEquals(8, q.receiveInto(heap));
            assertEquals("heap", new String(heap.array(), 0, heap.position(), UTF_8));
            IllegalArgumentException small =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> q.receiveInto(ByteBuffer.allocate(15)));
            assertTrue(small.getMessage().contains("mq_msgsize = 16"), small.getMessage());
            q.unlink();
        }
    }

    @Test
    void a_closed_queue_refuses_every_call_and_closing_twice_is_fine() throws Exception {
        String n = name("q");
        PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 2, 8);
        q.close();
        q.close();
        assertFalse(q.isOpen());
        assertThrows(ClosedChannelException.class, () -> q.send(1, new byte[1]));
        assertThrows(ClosedChannelException.class, q::tryReceive);
        assertThrows(ClosedChannelException.class, q::status);
        assertThrows(IllegalStateException.class, q::fd);
        assertEquals("PosixMessageQueue[name=" + n + ", closed]", q.toString());
        q.unlink(); // the name outlives the descriptor
    }

    @Test
    void access_modes_allow_only_their_direction() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 2, 8);
                PosixMessageQueue reader = PosixMessageQueue.open(n, Access.READ_ONLY);
                PosixMessageQueue writer = PosixMessageQueue.open(n, Access.WRITE_ONLY)) {
            assertThrows(NonWritableChannelException.class, () -> reader.send(1, new byte[1]));
            assertThrows(NonReadableChannelException.class, writer::tryReceive);
            writer.send(1, new byte[] {5});
            assertEquals(new PosixMessage(1, new byte[] {5}), reader.receive());
            q.unlink();
        }
    }

    @Test
    void the_queue_is_a_descriptor_that_polls_readable_with_a_message_and_writable_with_room()
            throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 1, 8)) {
            assertEquals(0, Signals.pollNow(q.fd(), Poll.POLLIN));
            assertEquals(Poll.POLLOUT, Signals.pollNow(q.fd(), Poll.POLLOUT));
            q.send(1, new byte[] {1});
            assertEquals(Poll.POLLIN, Signals.pollNow(q.fd(), Poll.POLLIN));
            assertEquals(0, Signals.pollNow(q.fd(), Poll.POLLOUT), "full");
            q.unlink();
        }
    }

    @Test
    void a_queue_sent_over_a_unix_socket_is_adopted_with_its_name_and_access() throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 2, 8);
                PosixMessageQueue reader = PosixMessageQueue.open(n, Access.READ_ONLY);
                UnixSocket.Pair p = UnixSocket.pair(SocketType.SEQPACKET)) {
            p.first().sendWithDescriptors(ByteBuffer.wrap(new byte[] {1}), reader);
            UnixSocket.Received r = p.second().receive(ByteBuffer.allocate(1), 1);
            RawDescriptor d = r.descriptors().get(0);
            try (PosixMessageQueue adopted = PosixMessageQueue.inherited(d.release())) {
                assertEquals(n, adopted.name());
                assertEquals(Access.READ_ONLY, adopted.access());
                assertEquals(8, adopted.messageSize());
                q.send(4, new byte[] {4});
                assertEquals(new PosixMessage(4, new byte[] {4}), adopted.receive());
            }
            IpcException notQueue =
                    assertThrows(
                            IpcException.class, () -> PosixMessageQueue.inherited(p.first().fd()));
            assertEquals(Errno.EBADF, notQueue.errno());
            q.unlink();
        }
    }

    @Test
    void notify_runs_the_action_once_per_registration_when_a_message_arrives_on_the_empty_queue()
            throws Exception {
        String n = name("q");
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 4, 8);
                PosixMessageQueue other = PosixMessageQueue.open(n)) {
            CountDownLatch first = new CountDownLatch(1);
            AtomicInteger firstRuns = new AtomicInteger();
            AtomicInteger thread = new AtomicInteger();
            q.notifyOnArrival(
                    () -> {
                        firstRuns.incrementAndGet();
                        thread.set(
                                Thread.currentThread().getName().equals("jipc-mq-notify") ? 1 : 2);
                        first.countDown();
                    });
            IpcException busy =
                    assertThrows(IpcException.class, () -> other.notifyOnArrival(() -> {}));
            assertEquals(Errno.EBUSY, busy.errno());
            assertTrue(busy.getMessage().contains("one per queue"), busy.getMessage());
            other.send(1, new byte[] {1});
            assertTrue(first.await(10, TimeUnit.SECONDS), "notified");
            assertEquals(1, thread.get(), "ran on jipc-mq-notify");
            // used up: re-arm, then a message on the non-empty queue notifies nobody; drain and
            // send again
            assertEquals(0, q.status().notifyPid(), "the notification used the registration up");
            CountDownLatch second = new CountDownLatch(1);
            q.notifyOnArrival(second::countDown);
            other.send(5, new byte[] {5}); // the queue holds a message: no notification
            assertEquals(
                    ProcessHandle.current().pid(),
                    q.status().notifyPid(),
                    "a message on the non-empty queue notified nobody: the registration is still in place");
            assertEquals(1, second.getCount());
            assertTrue(q.tryReceive().isPresent());
            assertTrue(q.tryReceive().isPresent());
            other.send(2, new byte[] {2});
            assertTrue(second.await(10, TimeUnit.SECONDS), "notified again after re-arming");
            assertEquals(1, firstRuns.get(), "a registration runs once");
            // cancelled: its action never runs; a later registration is delivered (in order)
            // instead
            AtomicInteger cancelled = new AtomicInteger();
            q.tryReceive();
            q.notifyOnArrival(cancelled::incrementAndGet);
            q.cancelNotification();
            CountDownLatch third = new CountDownLatch(1);
            other.notifyOnArrival(third::countDown);
            q.send(3, new byte[] {3});
            assertTrue(third.await(10, TimeUnit.SECONDS));
            assertEquals(0, cancelled.get());
            q.unlink();
        }
    }

    @Test
    void a_refused_registration_leaves_nothing_pending_and_a_throwing_action_stops_nobody()
            throws Exception {
        String n = name("q");
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 4, 8);
                PosixMessageQueue other = PosixMessageQueue.open(n)) {
            int pending = MqNotifier.pending();
            // refused by the kernel (EBUSY) or by a closed descriptor: nothing stays registered
            q.notifyOnArrival(() -> {});
            assertEquals(pending + 1, MqNotifier.pending());
            assertThrows(IpcException.class, () -> other.notifyOnArrival(() -> {}));
            assertEquals(pending + 1, MqNotifier.pending());
            q.cancelNotification();
            assertEquals(pending, MqNotifier.pending());
            PosixMessageQueue closed = PosixMessageQueue.open(n);
            q.unlink();
            closed.close();
            assertThrows(ClosedChannelException.class, () -> closed.notifyOnArrival(() -> {}));
            assertEquals(
                    pending, MqNotifier.pending(), "a closed queue leaves no registration behind");
            // an action that throws, to an uncaught-exception handler that throws too
            List<Throwable> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch handled = new CountDownLatch(1);
            Thread.setDefaultUncaughtExceptionHandler(
                    (t, e) -> {
                        seen.add(e);
                        handled.countDown();
                        throw new IllegalStateException("the handler fails too");
                    });
            q.notifyOnArrival(
                    () -> {
                        throw new IllegalStateException("the action fails");
                    });
            other.send(1, new byte[] {1});
            assertTrue(
                    handled.await(30, TimeUnit.SECONDS),
                    "the action's exception reached the handler");
            assertEquals("the action fails", seen.get(0).getMessage());
            // the thread still delivers: the next registration is notified
            assertTrue(q.tryReceive().isPresent());
            CountDownLatch next = new CountDownLatch(1);
            q.notifyOnArrival(next::countDown);
            other.send(2, new byte[] {2});
            assertTrue(next.await(30, TimeUnit.SECONDS), "notifications are still delivered");
            assertEquals(pending, MqNotifier.pending());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}
