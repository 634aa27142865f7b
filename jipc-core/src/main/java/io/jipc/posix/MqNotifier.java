package io.jipc.posix;

import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.linux.Mqueue;
import io.jipc.internal.linux.Unistd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers {@code mq_notify} registrations to Java: one netlink socket for the whole process, on
 * which the kernel sends a 32-byte cookie per notification (glibc's {@code SIGEV_THREAD} does the
 * same), and one daemon thread, {@code jipc-mq-notify}, blocked in {@code read} on it. The
 * cookie's first 8 bytes are the registration's id; its last byte says whether a message arrived
 * ({@code NOTIFY_WOKENUP}: the action runs) or the registration ended without one
 * ({@code NOTIFY_REMOVED}: it is dropped).
 */
final class MqNotifier {
    private static final Map<Long, Runnable> PENDING = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong(1);
    private static int socket = -1;

    private MqNotifier() {
    }

    /** The netlink socket, created (and the thread started) on first use. */
    static synchronized int socket() throws IpcException {
        if (socket < 0) {
            int s = Mqueue.netlinkSocket();
            if (s < 0) {
                throw Errors.failure(s, "socket", "AF_NETLINK", "the socket mq_notify delivers to");
            }
            socket = s;
            Thread.ofPlatform().name("jipc-mq-notify").daemon(true).start(() -> loop(s));
        }
        return socket;
    }

    static long register(Runnable action) {
        long id = NEXT.getAndIncrement();
        PENDING.put(id, action);
        return id;
    }

    static void forget(long id) {
        PENDING.remove(id);
    }

    private static void loop(int s) {
        MemorySegment buf = Arena.ofAuto().allocate(2 * Mqueue.NOTIFY_COOKIE_LEN, Long.BYTES);
        while (true) {
            long n = Unistd.read(s, buf, buf.byteSize());
            if (n < 0 && !Errors.is(n, io.jipc.Errno.ENOBUFS)) {
                return; // cannot happen: the socket is never closed
            }
            if (n < Mqueue.NOTIFY_COOKIE_LEN) {
                continue; // nothing else is sent to this socket
            }
            Runnable action = PENDING.remove(Mqueue.cookieId(buf));
            if (action == null || !Mqueue.cookieWokenUp(buf)) {
                continue;
            }
            try {
                action.run();
            } catch (Throwable t) {
                Thread me = Thread.currentThread();
                me.getUncaughtExceptionHandler().uncaughtException(me, t);
            }
        }
    }
}
