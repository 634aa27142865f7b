package io.jipc.posix;

import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.linux.Mqueue;
import io.jipc.internal.linux.Unistd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers {@code mq_notify} registrations to Java: one netlink socket for the whole process, on
 * which the kernel sends a 32-byte cookie per notification (glibc's {@code SIGEV_THREAD} does the
 * same), and one daemon thread, {@code jipc-mq-notify}, blocked in {@code read} on it. The cookie's
 * first 8 bytes are the registration's id; its last byte says whether a message arrived ({@code
 * NOTIFY_WOKENUP}: the action runs) or the registration ended without one ({@code NOTIFY_REMOVED}:
 * it is dropped).
 *
 * <p>Nothing a user's action does ends the thread: an exception goes to the uncaught-exception
 * handler, and one that handler throws is dropped. Should the thread end all the same (an {@code
 * Error} out of the loop itself), the next registration starts a new one. If the socket ever
 * reports {@code ENOBUFS} (cookies lost), every registration the kernel no longer holds is settled:
 * its action runs (its queue may hold a message; a drain that finds none is harmless).
 */
final class MqNotifier {
    /** A registration: its action, its queue, and whether {@code mq_notify} accepted it. */
    private static final class Registration {
        final Runnable action;
        final PosixMessageQueue queue;
        volatile boolean armed;

        Registration(Runnable action, PosixMessageQueue queue) {
            this.action = action;
            this.queue = queue;
        }
    }

    private static final Map<Long, Registration> PENDING = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong(1);
    private static final int PID = (int) ProcessHandle.current().pid();
    private static int socket = -1;
    private static Thread thread;

    private MqNotifier() {}

    /**
     * The netlink socket, created on first use; (re)starts the delivering thread if it is not
     * running.
     */
    static synchronized int socket() throws IpcException {
        if (socket < 0) {
            int s = Mqueue.netlinkSocket();
            if (s < 0) {
                throw Errors.failure(s, "socket", "AF_NETLINK", "the socket mq_notify delivers to");
            }
            socket = s;
        }
        if (thread == null || !thread.isAlive()) {
            int s = socket;
            thread = Thread.ofPlatform().name("jipc-mq-notify").daemon(true).start(() -> loop(s));
        }
        return socket;
    }

    /** Records a registration before {@code mq_notify} (its cookie may come at once). */
    static long register(Runnable action, PosixMessageQueue queue) {
        long id = NEXT.getAndIncrement();
        PENDING.put(id, new Registration(action, queue));
        return id;
    }

    /** {@code mq_notify} accepted the registration: the kernel holds it now. */
    static void armed(long id) {
        Registration r = PENDING.get(id);
        if (r != null) {
            r.armed = true;
        }
    }

    static void forget(long id) {
        PENDING.remove(id);
    }

    /** The queue's descriptor closes: its registrations end (the kernel's too). */
    static void forgetAll(PosixMessageQueue queue) {
        PENDING.values().removeIf(r -> r.queue == queue);
    }

    /** How many registrations wait for their cookie (for tests). */
    static int pending() {
        return PENDING.size();
    }

    private static void loop(int s) {
        MemorySegment buf = Arena.ofAuto().allocate(2 * Mqueue.NOTIFY_COOKIE_LEN, Long.BYTES);
        while (true) {
            long n = Unistd.read(s, buf, buf.byteSize());
            if (n < 0) {
                if (Errors.is(n, Errno.ENOBUFS)) {
                    settleLost();
                }
                continue; // nothing else can fail: the socket is never closed
            }
            if (n < Mqueue.NOTIFY_COOKIE_LEN) {
                continue; // nothing else is sent to this socket
            }
            Registration r = PENDING.remove(Mqueue.cookieId(buf));
            if (r != null && Mqueue.cookieWokenUp(buf)) {
                run(r.action);
            }
        }
    }

    private static void run(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            Thread me = Thread.currentThread();
            try {
                me.getUncaughtExceptionHandler().uncaughtException(me, t);
            } catch (Throwable ignored) {
                // a handler that throws must not end the delivery of every queue's notifications
            }
        }
    }

    /**
     * Cookies were lost ({@code ENOBUFS}): a registration the kernel no longer holds ended unseen.
     * Per queue only the newest armed registration can still be in place (a queue takes one); it is
     * if the queue names this process as registered ({@code NOTIFY_PID}).
     */
    private static void settleLost() {
        List<Map.Entry<Long, Registration>> all = new ArrayList<>(PENDING.entrySet());
        all.sort(Comparator.comparing(Map.Entry<Long, Registration>::getKey).reversed());
        Set<PosixMessageQueue> seen = new HashSet<>();
        for (Map.Entry<Long, Registration> e : all) {
            Registration r = e.getValue();
            if (!r.armed) {
                continue;
            }
            boolean inPlace = false;
            if (seen.add(r.queue)) {
                try {
                    inPlace = r.queue.status().notifyPid() == PID;
                } catch (Exception closed) {
                    PENDING.remove(
                            e.getKey(), r); // closed: the registration ended with the descriptor
                    continue;
                }
            }
            if (!inPlace && PENDING.remove(e.getKey(), r)) {
                run(r.action);
            }
        }
    }
}
