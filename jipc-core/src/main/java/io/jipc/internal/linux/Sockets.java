package io.jipc.internal.linux;

import static io.jipc.internal.linux.Errnos.EAGAIN;
import static io.jipc.internal.linux.Errnos.EINTR;
import static io.jipc.internal.linux.Errnos.ETIMEDOUT;
import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_LONG;
import static io.jipc.internal.linux.Native.C_POINTER;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Downcalls for sockets (sys/socket.h, sys/mman.h, stdio.h): {@code socket}, {@code socketpair},
 * {@code bind}, {@code listen}, {@code accept4}, {@code connect}, {@code sendmsg}, {@code recvmsg},
 * {@code getsockopt}, {@code setsockopt}, {@code getsockname}, {@code getpeername}, {@code
 * shutdown}, {@code memfd_create}, {@code unshare}, {@code umask}, and their constants (x86_64
 * values, checked against gcc by a test).
 *
 * <p>Same conventions as {@link Unistd}: the C result on success, the negated errno on failure;
 * calls that can block ({@code accept4}, {@code connect}, {@code sendmsg}, {@code recvmsg}) are
 * never {@code critical} (not even with {@code MSG_DONTWAIT}: sending to a path looks the path up,
 * which can sleep), take native memory, and retry EINTR (except {@code connect}, whose interrupted
 * attempt goes on in the kernel; for {@code AF_UNIX} it never waits anyway unless the backlog is
 * full).
 */
public final class Sockets {
    private Sockets() {}

    /** Address family of Unix-domain sockets ({@code AF_UNIX}). */
    public static final int AF_UNIX = 1;

    /** Byte stream ({@code SOCK_STREAM}). */
    public static final int SOCK_STREAM = 1;

    /** Datagrams ({@code SOCK_DGRAM}). */
    public static final int SOCK_DGRAM = 2;

    /** Connected, ordered, boundary-keeping messages ({@code SOCK_SEQPACKET}). */
    public static final int SOCK_SEQPACKET = 5;

    /** socket type flag: close on exec ({@code SOCK_CLOEXEC}). */
    public static final int SOCK_CLOEXEC = 0x80000;

    /** Socket-level options ({@code SOL_SOCKET}). */
    public static final int SOL_SOCKET = 1;

    /** {@code SO_TYPE}. */
    public static final int SO_TYPE = 3;

    /** {@code SO_SNDBUF}. */
    public static final int SO_SNDBUF = 7;

    /** {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = 8;

    /** {@code SO_PEERCRED}: the peer's {@code struct ucred} at connect/socketpair time. */
    public static final int SO_PEERCRED = 17;

    /** {@code SO_RCVTIMEO} (struct timeval). */
    public static final int SO_RCVTIMEO = 20;

    /** {@code SO_DOMAIN}. */
    public static final int SO_DOMAIN = 39;

    /** Control message: descriptors ({@code SCM_RIGHTS}). */
    public static final int SCM_RIGHTS = 1;

    /** recvmsg flag out: control data was cut ({@code MSG_CTRUNC}). */
    public static final int MSG_CTRUNC = 0x8;

    /** recv flag in: return the real length; flag out: the message was cut ({@code MSG_TRUNC}). */
    public static final int MSG_TRUNC = 0x20;

    /** Do not block for this call ({@code MSG_DONTWAIT}). */
    public static final int MSG_DONTWAIT = 0x40;

    /** No SIGPIPE on a closed peer ({@code MSG_NOSIGNAL}). */
    public static final int MSG_NOSIGNAL = 0x4000;

    /** Received descriptors get close-on-exec ({@code MSG_CMSG_CLOEXEC}). */
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;

    /** shutdown: no more sends ({@code SHUT_WR}). */
    public static final int SHUT_WR = 1;

    /** memfd_create: close on exec ({@code MFD_CLOEXEC}). */
    public static final int MFD_CLOEXEC = 1;

    /** Size of {@code sun_path}. */
    public static final int SUN_PATH_MAX = 108;

    private static int result(int r, MemorySegment state) {
        return r >= 0 ? r : -Native.errno(state);
    }

    private static long result(long r, MemorySegment state) {
        return r >= 0 ? r : -Native.errno(state);
    }

    private static final class socket {
        static final MethodHandle H =
                Native.downcallErrno("socket", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    }

    /**
     * {@code int socket(int domain, int type, int protocol);} (socket(2)).
     *
     * @param domain {@code AF_UNIX}
     * @param type socket type, may be or'ed with {@code SOCK_CLOEXEC}
     * @param protocol 0
     * @return the descriptor, or -errno
     */
    public static int socket(int domain, int type, int protocol) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) socket.H.invokeExact(st, domain, type, protocol), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class socketpair {
        static final MethodHandle H =
                Native.downcallErrno(
                        "socketpair", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    }

    /**
     * {@code int socketpair(int domain, int type, int protocol, int sv[2]);} (socketpair(2)).
     *
     * @param domain {@code AF_UNIX}
     * @param type socket type, may be or'ed with {@code SOCK_CLOEXEC}
     * @param protocol 0
     * @return the two descriptors, or {@code {-errno, -1}}
     */
    public static int[] socketpair(int domain, int type, int protocol) {
        MemorySegment st = Native.errnoState();
        MemorySegment sv = Native.scratch(8);
        try {
            int r = result((int) socketpair.H.invokeExact(st, domain, type, protocol, sv), st);
            if (r < 0) {
                return new int[] {r, -1};
            }
            return new int[] {sv.get(ValueLayout.JAVA_INT, 0), sv.get(ValueLayout.JAVA_INT, 4)};
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class bind {
        static final MethodHandle H =
                Native.downcallErrno("bind", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    }

    /**
     * {@code int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);} (bind(2)).
     *
     * @param fd the socket
     * @param addr native memory holding the address
     * @param len its length
     * @return 0, or -errno
     */
    public static int bind(int fd, MemorySegment addr, int len) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) bind.H.invokeExact(st, fd, addr, len), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class connect {
        static final MethodHandle H =
                Native.downcallErrno(
                        "connect", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    }

    /**
     * {@code int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);}
     * (connect(2)). Not retried on EINTR (the attempt continues in the kernel).
     *
     * @param fd the socket
     * @param addr native memory holding the address
     * @param len its length
     * @return 0, or -errno
     */
    public static int connect(int fd, MemorySegment addr, int len) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) connect.H.invokeExact(st, fd, addr, len), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class listen {
        static final MethodHandle H =
                Native.downcallErrno("listen", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    }

    /**
     * {@code int listen(int sockfd, int backlog);} (listen(2)).
     *
     * @param fd the socket
     * @param backlog pending connections
     * @return 0, or -errno
     */
    public static int listen(int fd, int backlog) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) listen.H.invokeExact(st, fd, backlog), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class accept4 {
        static final MethodHandle H =
                Native.downcallErrno(
                        "accept4",
                        FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_INT));
    }

    /**
     * {@code int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);}
     * (accept(2)). Blocks; retries EINTR.
     *
     * @param fd the listening socket
     * @param flags {@code SOCK_CLOEXEC}
     * @return the new descriptor, or -errno
     */
    public static int accept4(int fd, int flags) {
        MemorySegment st = Native.errnoState();
        try {
            int r;
            do {
                r =
                        result(
                                (int)
                                        accept4.H.invokeExact(
                                                st,
                                                fd,
                                                MemorySegment.NULL,
                                                MemorySegment.NULL,
                                                flags),
                                st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class sendmsg {
        static final MethodHandle H =
                Native.downcallErrno(
                        "sendmsg", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));
    }

    /**
     * {@code ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags);} (sendmsg(2)).
     * Blocks as the socket says; retries EINTR.
     *
     * @param fd the socket
     * @param msg native {@code struct msghdr}
     * @param flags {@code MSG_NOSIGNAL}, ...
     * @return bytes sent, or -errno
     */
    public static long sendmsg(int fd, MemorySegment msg, int flags) {
        MemorySegment st = Native.errnoState();
        try {
            long r;
            do {
                r = result((long) sendmsg.H.invokeExact(st, fd, msg, flags), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class recvmsg {
        static final MethodHandle H =
                Native.downcallErrno(
                        "recvmsg", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));
    }

    /**
     * {@code ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags);} (recvmsg(2)). Blocks as
     * the socket says; retries EINTR.
     *
     * @param fd the socket
     * @param msg native {@code struct msghdr}
     * @param flags {@code MSG_TRUNC}, {@code MSG_CMSG_CLOEXEC}, ...
     * @return bytes received (the real length with {@code MSG_TRUNC} on message sockets), or -errno
     */
    public static long recvmsg(int fd, MemorySegment msg, int flags) {
        MemorySegment st = Native.errnoState();
        try {
            long r;
            do {
                r = result((long) recvmsg.H.invokeExact(st, fd, msg, flags), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code recvmsg(2)} as a blocking call through {@link Blocking}: on a platform thread of a
     * socket without {@code SO_RCVTIMEO}, the blocking form at once (one call, as C makes it);
     * otherwise first with {@code MSG_DONTWAIT}, then, only if nothing is there, the blocking form.
     * Either way the wait ends on {@link Thread#interrupt()} ({@code -EINTR}, nothing received) and
     * does not pin a virtual thread's carrier. The socket's {@code SO_RCVTIMEO} still bounds the
     * wait ({@code -EAGAIN}, as from the kernel).
     *
     * @param fd the socket, in blocking mode
     * @param msg native {@code struct msghdr}
     * @param flags as {@link #recvmsg}, without {@code MSG_DONTWAIT}
     * @return bytes received, or -errno
     */
    public static long recvmsgBlocking(int fd, MemorySegment msg, int flags) {
        return recvmsgBlocking(fd, msg, flags, -1);
    }

    /**
     * {@link #recvmsgBlocking(int, MemorySegment, int)} with the socket's {@code SO_RCVTIMEO}
     * already known to the caller (see {@link #receiveTimeoutNanos}), which spares a getsockopt(2)
     * on every receive that has to wait.
     *
     * @param fd the socket, in blocking mode
     * @param msg native {@code struct msghdr}
     * @param flags as {@link #recvmsg}, without {@code MSG_DONTWAIT}
     * @param rcvTimeoutNanos the socket's {@code SO_RCVTIMEO} in nanoseconds (0: none), or -1 to
     *     read it on the way to a wait
     * @return bytes received, or -errno
     */
    public static long recvmsgBlocking(int fd, MemorySegment msg, int flags, long rcvTimeoutNanos) {
        if (rcvTimeoutNanos == 0 && Blocking.direct()) { // no SO_RCVTIMEO: one recvmsg, as C
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall() && (r = recvmsgOnce(w.errno, fd, msg, flags)) == -EINTR) {
                    // another signal: again, unless an interrupt cancelled the call
                }
            } finally {
                r = w.exit(r);
            }
            return r;
        }
        long r = recvmsg(fd, msg, flags | MSG_DONTWAIT);
        if (r != -EAGAIN) {
            return r;
        }
        return waitFor(
                () -> recvmsgOnce(Native.errnoState(), fd, msg, flags),
                () -> recvmsgOnce(Native.errnoState(), fd, msg, flags | MSG_DONTWAIT),
                rcvTimeoutNanos >= 0 ? rcvTimeoutNanos : rcvTimeoutNanos(fd));
    }

    /**
     * The socket's {@code SO_RCVTIMEO} (getsockopt(2)) in nanoseconds.
     *
     * @param fd the socket
     * @return the timeout, 0 for none (or if it cannot be read)
     */
    public static long receiveTimeoutNanos(int fd) {
        return rcvTimeoutNanos(fd);
    }

    /**
     * {@code sendmsg(2)} as a blocking call through {@link Blocking} (see {@link
     * #recvmsgBlocking}): on a platform thread the blocking form at once; a send that would block
     * waits interruptibly.
     *
     * @param fd the socket, in blocking mode
     * @param msg native {@code struct msghdr}
     * @param flags as {@link #sendmsg}, without {@code MSG_DONTWAIT}
     * @return bytes sent, or -errno ({@code -EINTR}: nothing sent)
     */
    public static long sendmsgBlocking(int fd, MemorySegment msg, int flags) {
        if (Blocking.direct()) { // one sendmsg, as C
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall() && (r = sendmsgOnce(w.errno, fd, msg, flags)) == -EINTR) {
                    // another signal: again, unless an interrupt cancelled the call
                }
            } finally {
                r = w.exit(r);
            }
            return r;
        }
        long r = sendmsg(fd, msg, flags | MSG_DONTWAIT);
        if (r != -EAGAIN) {
            return r;
        }
        return Blocking.call(
                () -> sendmsgOnce(Native.errnoState(), fd, msg, flags),
                () -> sendmsgOnce(Native.errnoState(), fd, msg, flags | MSG_DONTWAIT),
                -1,
                false);
    }

    /**
     * {@code accept4(2)} as a blocking call through {@link Blocking}: ends on {@link
     * Thread#interrupt()} ({@code -EINTR}, no connection taken), keeps {@code SO_RCVTIMEO} ({@code
     * -EAGAIN}), does not pin a virtual thread's carrier.
     *
     * @param fd the listening socket, in blocking mode
     * @param flags {@code SOCK_CLOEXEC}
     * @return the new descriptor, or -errno
     */
    public static int accept4Blocking(int fd, int flags) {
        Blocking.Attempt now =
                () -> Signals.pollNow(fd, Poll.POLLIN) == 0 ? -EAGAIN : accept4(fd, flags);
        long r = now.run();
        if (r != -EAGAIN) {
            return (int) r;
        }
        return (int) waitFor(() -> accept4Once(fd, flags), now, rcvTimeoutNanos(fd));
    }

    private static long waitFor(
            Blocking.Attempt blocking, Blocking.Attempt nonBlocking, long rcvTimeoutNanos) {
        long r =
                Blocking.call(
                        blocking, nonBlocking, rcvTimeoutNanos > 0 ? rcvTimeoutNanos : -1, false);
        return r == -ETIMEDOUT ? -EAGAIN : r;
    }

    private static long recvmsgOnce(MemorySegment st, int fd, MemorySegment msg, int flags) {
        try {
            return result((long) recvmsg.H.invokeExact(st, fd, msg, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static long sendmsgOnce(MemorySegment st, int fd, MemorySegment msg, int flags) {
        try {
            return result((long) sendmsg.H.invokeExact(st, fd, msg, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static long accept4Once(int fd, int flags) {
        MemorySegment st = Native.errnoState();
        try {
            return result(
                    (int)
                            accept4.H.invokeExact(
                                    st, fd, MemorySegment.NULL, MemorySegment.NULL, flags),
                    st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The socket's SO_RCVTIMEO in nanoseconds (0: none); read only on the way to a wait. */
    private static long rcvTimeoutNanos(int fd) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment tv = arena.allocate(Structs.TIMEVAL);
            MemorySegment len = arena.allocate(4, 4);
            if (getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, len) < 0) {
                return 0;
            }
            return Structs.timevalNanos(tv);
        }
    }

    private static final class getsockopt {
        static final MethodHandle H =
                Native.downcallErrno(
                        "getsockopt",
                        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER));
    }

    /**
     * {@code int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen);}
     * (getsockopt(2)).
     *
     * @param fd the socket
     * @param level {@code SOL_SOCKET}
     * @param name the option
     * @param value native memory for the value; its size is passed as {@code optlen}
     * @param len native memory for the {@code socklen_t} (4 bytes, not overlapping {@code value})
     * @return the length the kernel wrote, or -errno
     */
    public static int getsockopt(
            int fd, int level, int name, MemorySegment value, MemorySegment len) {
        MemorySegment st = Native.errnoState();
        len.set(ValueLayout.JAVA_INT, 0, (int) value.byteSize());
        try {
            int r = result((int) getsockopt.H.invokeExact(st, fd, level, name, value, len), st);
            return r < 0 ? r : len.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class setsockopt {
        static final MethodHandle H =
                Native.downcallErrno(
                        "setsockopt",
                        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT));
    }

    /**
     * {@code int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t
     * optlen);} (setsockopt(2)).
     *
     * @param fd the socket
     * @param level {@code SOL_SOCKET}
     * @param name the option
     * @param value native memory holding the value (its whole size is passed)
     * @return 0, or -errno
     */
    public static int setsockopt(int fd, int level, int name, MemorySegment value) {
        MemorySegment st = Native.errnoState();
        try {
            return result(
                    (int)
                            setsockopt.H.invokeExact(
                                    st, fd, level, name, value, (int) value.byteSize()),
                    st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class getsockname {
        static final MethodHandle H =
                Native.downcallErrno(
                        "getsockname", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));
    }

    private static final class getpeername {
        static final MethodHandle H =
                Native.downcallErrno(
                        "getpeername", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));
    }

    /**
     * {@code int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);}
     * (getsockname(2)), or getpeername(2) when {@code peer}.
     *
     * @param fd the socket
     * @param peer the peer's address rather than this socket's
     * @param addr native memory for a {@code sockaddr_un} (110 bytes)
     * @param len native memory for the {@code socklen_t} (4 bytes, not overlapping {@code addr})
     * @return the address length, or -errno
     */
    public static int getsockname(int fd, boolean peer, MemorySegment addr, MemorySegment len) {
        MemorySegment st = Native.errnoState();
        len.set(ValueLayout.JAVA_INT, 0, (int) addr.byteSize());
        try {
            int r =
                    peer
                            ? result((int) getpeername.H.invokeExact(st, fd, addr, len), st)
                            : result((int) getsockname.H.invokeExact(st, fd, addr, len), st);
            return r < 0 ? r : len.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class shutdown {
        static final MethodHandle H =
                Native.downcallErrno("shutdown", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    }

    /**
     * {@code int shutdown(int sockfd, int how);} (shutdown(2)).
     *
     * @param fd the socket
     * @param how {@code SHUT_WR}, ...
     * @return 0, or -errno
     */
    public static int shutdown(int fd, int how) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) shutdown.H.invokeExact(st, fd, how), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class memfd_create {
        static final MethodHandle H =
                Native.downcallErrno(
                        "memfd_create", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    }

    /**
     * {@code int memfd_create(const char *name, unsigned int flags);} (memfd_create(2)).
     *
     * @param name a name for /proc/self/fd (not a path)
     * @param flags {@code MFD_CLOEXEC}
     * @return the descriptor, or -errno
     */
    public static int memfd_create(String name, int flags) {
        MemorySegment st = Native.errnoState();
        MemorySegment n = cString(name, 0);
        try {
            return result((int) memfd_create.H.invokeExact(st, n, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** unshare: stop sharing umask, cwd and root with the other threads ({@code CLONE_FS}). */
    public static final int CLONE_FS = 0x200;

    private static final class unshare {
        static final MethodHandle H =
                Native.downcallErrno("unshare", FunctionDescriptor.of(C_INT, C_INT));
    }

    /**
     * {@code int unshare(int flags);} (unshare(2)). With {@code CLONE_FS} on a thread of this
     * process, that thread gets its own umask (and cwd), so a later {@link #umask} changes it
     * alone.
     *
     * @param flags {@code CLONE_FS}
     * @return 0, or -errno
     */
    public static int unshare(int flags) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) unshare.H.invokeExact(st, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class umask {
        static final MethodHandle H = Native.downcall("umask", FunctionDescriptor.of(C_INT, C_INT));
    }

    /**
     * {@code mode_t umask(mode_t mask);} (umask(2)). Always succeeds. Shared by every thread unless
     * the calling thread did {@code unshare(CLONE_FS)}.
     *
     * @param mask the new mask
     * @return the previous mask
     */
    public static int umask(int mask) {
        try {
            return (int) umask.H.invokeExact(mask);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static byte[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("path=" + s + " contains a NUL character");
            }
        }
        return b;
    }

    private static MemorySegment cString(String s, long at) {
        byte[] b = bytes(s);
        MemorySegment buf = Native.scratch(at + b.length + 1L);
        MemorySegment.copy(b, 0, buf, ValueLayout.JAVA_BYTE, at, b.length);
        buf.set(ValueLayout.JAVA_BYTE, at + b.length, (byte) 0);
        return buf.asSlice(at, b.length + 1L);
    }
}
