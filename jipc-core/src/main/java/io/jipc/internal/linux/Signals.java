package io.jipc.internal.linux;

import static io.jipc.internal.linux.Errnos.EINTR;
import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_LONG;
import static io.jipc.internal.linux.Native.C_POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls for the cancel signal of {@link Blocking}: {@code sigaction}, {@code gettid}, {@code
 * tgkill}, {@code poll}, and glibc's real-time signal range (signal.h, poll.h).
 *
 * <p>Every wrapper returns the C result on success and the <em>negated errno</em> on failure.
 */
public final class Signals {
    private Signals() {}

    /**
     * {@code struct sigaction} of glibc on x86_64 (signal.h): the handler (a union with {@code
     * sa_sigaction}), a 1024-bit {@code sigset_t} mask, the flags, and the restorer that glibc
     * fills in itself. 152 bytes; {@code BlockingTest} checks it against gcc.
     */
    public static final StructLayout SIGACTION =
            MemoryLayout.structLayout(
                            C_POINTER.withName("sa_handler"),
                            MemoryLayout.sequenceLayout(16, C_LONG).withName("sa_mask"),
                            C_INT.withName("sa_flags"),
                            MemoryLayout.paddingLayout(4),
                            C_POINTER.withName("sa_restorer"))
                    .withName("sigaction");

    private static final long SA_HANDLER = Structs.offset(SIGACTION, "sa_handler");

    private static final class sigaction {
        static final MethodHandle H =
                Native.downcallErrno(
                        "sigaction", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));
    }

    /**
     * {@code int sigaction(int signum, const struct sigaction *act, struct sigaction *oldact);}
     * (sigaction(2)).
     *
     * @param signum the signal
     * @param act the new disposition, or {@code NULL}
     * @param oldact receives the old disposition, or {@code NULL}
     * @return 0, or -errno
     */
    public static int sigaction(int signum, MemorySegment act, MemorySegment oldact) {
        MemorySegment st = Native.errnoState();
        try {
            int r = (int) sigaction.H.invokeExact(st, signum, act, oldact);
            return r >= 0 ? r : -Native.errno(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Installs a no-op handler for {@code signum}, without {@code SA_RESTART} (so the signal ends a
     * blocked system call with {@code EINTR}), if the signal's disposition is still the default.
     * The handler is glibc's {@code getpid}: it ignores its argument, is async-signal-safe
     * (signal-safety(7)), cannot fail and so never changes errno. No Java upcall and no native
     * library of jipc is involved.
     *
     * @param signum the signal
     * @return 0 if installed, 1 if the signal already had another disposition (not changed), or
     *     -errno
     */
    public static int installNoOpHandler(int signum) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(SIGACTION);
            int r = sigaction(signum, MemorySegment.NULL, old);
            if (r < 0) {
                return r;
            }
            if (old.get(ValueLayout.ADDRESS, SA_HANDLER).address() != 0L) { // SIG_DFL is 0
                return 1;
            }
            MemorySegment act = arena.allocate(SIGACTION); // zeroed: empty mask, no SA_RESTART
            MemorySegment handler =
                    Native.LIBC
                            .find("getpid")
                            .orElseThrow(
                                    () ->
                                            new UnsupportedOperationException(
                                                    "the C library has no getpid()"));
            act.set(ValueLayout.ADDRESS, SA_HANDLER, handler);
            return sigaction(signum, act, MemorySegment.NULL);
        }
    }

    /**
     * The handler address {@link #installNoOpHandler} installs ({@code getpid}).
     *
     * @return the address
     */
    public static long noOpHandlerAddress() {
        return Native.LIBC.find("getpid").orElseThrow().address();
    }

    /**
     * The current handler address of a signal (0 for {@code SIG_DFL}, 1 for {@code SIG_IGN}).
     *
     * @param signum the signal
     * @return the address, or -errno
     */
    public static long handlerOf(int signum) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(SIGACTION);
            int r = sigaction(signum, MemorySegment.NULL, old);
            return r < 0 ? r : old.get(ValueLayout.ADDRESS, SA_HANDLER).address();
        }
    }

    private static final class gettid {
        static final MethodHandle H = Native.downcall("gettid", FunctionDescriptor.of(C_INT));
    }

    /**
     * {@code pid_t gettid(void);} (gettid(2)): the calling thread's kernel id.
     *
     * @return the thread id
     */
    public static int gettid() {
        try {
            return (int) gettid.H.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class tgkill {
        static final MethodHandle H =
                Native.downcallErrno("tgkill", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    }

    /**
     * {@code int tgkill(pid_t tgid, pid_t tid, int sig);} (tgkill(2)).
     *
     * @param tgid the process
     * @param tid the thread
     * @param sig the signal
     * @return 0, or -errno
     */
    public static int tgkill(int tgid, int tid, int sig) {
        MemorySegment st = Native.errnoState();
        try {
            int r = (int) tgkill.H.invokeExact(st, tgid, tid, sig);
            return r >= 0 ? r : -Native.errno(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class sigrtmin {
        static final MethodHandle H =
                Native.downcall("__libc_current_sigrtmin", FunctionDescriptor.of(C_INT));
    }

    /**
     * {@code SIGRTMIN} as glibc reports it at run time ({@code __libc_current_sigrtmin()}): glibc
     * keeps the first two kernel real-time signals (32, 33) for itself, so this is 34.
     *
     * @return the lowest real-time signal applications may use
     */
    public static int sigrtmin() {
        try {
            return (int) sigrtmin.H.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class sigrtmax {
        static final MethodHandle H =
                Native.downcall("__libc_current_sigrtmax", FunctionDescriptor.of(C_INT));
    }

    /**
     * {@code SIGRTMAX} ({@code __libc_current_sigrtmax()}), 64 on Linux.
     *
     * @return the highest real-time signal
     */
    public static int sigrtmax() {
        try {
            return (int) sigrtmax.H.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class poll {
        static final MethodHandle H =
                Native.downcallErrno(
                        "poll", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT));
    }

    /**
     * {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout);} (poll(2)) for one descriptor
     * with a zero timeout: whether it is ready now. Never blocks.
     *
     * @param fd the descriptor
     * @param events {@link Poll#POLLIN} or {@link Poll#POLLOUT}
     * @return the returned events (0 when not ready), or -errno
     */
    public static int pollNow(int fd, short events) {
        MemorySegment st = Native.errnoState();
        MemorySegment pfd = Native.pollfd();
        pfd.set(ValueLayout.JAVA_INT, Poll.POLLFD_FD, fd);
        pfd.set(ValueLayout.JAVA_SHORT, Poll.POLLFD_EVENTS, events);
        pfd.set(ValueLayout.JAVA_SHORT, Poll.POLLFD_REVENTS, (short) 0);
        try {
            int r;
            do {
                r = (int) poll.H.invokeExact(st, pfd, 1L, 0);
            } while (r < 0 && Native.errno(st) == EINTR);
            return r < 0
                    ? -Native.errno(st)
                    : r == 0 ? 0 : pfd.get(ValueLayout.JAVA_SHORT, Poll.POLLFD_REVENTS);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
