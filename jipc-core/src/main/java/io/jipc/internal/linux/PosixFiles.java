package io.jipc.internal.linux;

import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_LONG;
import static io.jipc.internal.linux.Native.C_POINTER;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls for the descriptor-backed POSIX objects: {@code shm_open}, {@code shm_unlink}
 * (sys/mman.h; shm_overview(7)), {@code fchmod}, {@code eventfd} (sys/eventfd.h), memfd sealing
 * through {@code fcntl} (memfd_create(2)), and {@code getrlimit} for {@code RLIMIT_MSGQUEUE}; with
 * their constants (x86_64 values, checked against gcc by {@code PosixConstantsTest}).
 *
 * <p>Same conventions as {@link Unistd}: the C result on success, the negated errno on failure.
 */
public final class PosixFiles {
    private PosixFiles() {}

    /** memfd_create: allow seals ({@code MFD_ALLOW_SEALING}). */
    public static final int MFD_ALLOW_SEALING = 2;

    /** memfd_create: back with huge pages ({@code MFD_HUGETLB}). */
    public static final int MFD_HUGETLB = 4;

    /** fcntl: add seals ({@code F_ADD_SEALS}). */
    public static final int F_ADD_SEALS = 1033;

    /** fcntl: the seals ({@code F_GET_SEALS}). */
    public static final int F_GET_SEALS = 1034;

    /** Seal: no more seals ({@code F_SEAL_SEAL}). */
    public static final int F_SEAL_SEAL = 1;

    /** Seal: the size cannot shrink ({@code F_SEAL_SHRINK}). */
    public static final int F_SEAL_SHRINK = 2;

    /** Seal: the size cannot grow ({@code F_SEAL_GROW}). */
    public static final int F_SEAL_GROW = 4;

    /** Seal: the contents cannot change ({@code F_SEAL_WRITE}). */
    public static final int F_SEAL_WRITE = 8;

    /**
     * Seal: no new writable mapping or write; existing ones keep writing ({@code
     * F_SEAL_FUTURE_WRITE}).
     */
    public static final int F_SEAL_FUTURE_WRITE = 0x10;

    /** eventfd: read decrements by 1 ({@code EFD_SEMAPHORE}). */
    public static final int EFD_SEMAPHORE = 1;

    /** eventfd: close on exec ({@code EFD_CLOEXEC}). */
    public static final int EFD_CLOEXEC = 0x80000;

    /** Resource: bytes of POSIX message queues per real user ({@code RLIMIT_MSGQUEUE}). */
    public static final int RLIMIT_MSGQUEUE = 12;

    /** Resource: open descriptors per process ({@code RLIMIT_NOFILE}). */
    public static final int RLIMIT_NOFILE = 7;

    private static final int EINTR = Errnos.EINTR;
    private static final long RLIM_CUR = Structs.offset(Structs.RLIMIT, "rlim_cur");
    private static final long RLIM_MAX = Structs.offset(Structs.RLIMIT, "rlim_max");

    /** Bytes an eventfd reads and writes: one unsigned 64-bit counter value. */
    public static final long EVENTFD_BYTES = 8;

    private static int result(int r, MemorySegment state) {
        return r >= 0 ? r : -Native.errno(state);
    }

    private static final class shm_open {
        static final MethodHandle H =
                Native.downcallErrno(
                        "shm_open", FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    }

    /**
     * {@code int shm_open(const char *name, int oflag, mode_t mode);} (shm_open(3)): opens {@code
     * /dev/shm/NAME} with {@code O_NOFOLLOW | O_CLOEXEC} added by glibc. Retries EINTR.
     *
     * @param name the name, {@code "/x"}
     * @param oflag {@code O_RDONLY} or {@code O_RDWR}, with {@code O_CREAT}, {@code O_EXCL}
     * @param mode permissions of a new object (the umask applies)
     * @return the descriptor, or -errno
     */
    public static int shm_open(String name, int oflag, int mode) {
        MemorySegment st = Native.errnoState();
        MemorySegment n = Unistd.cString(name);
        try {
            int r;
            do {
                r = result((int) shm_open.H.invokeExact(st, n, oflag, mode), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class shm_unlink {
        static final MethodHandle H =
                Native.downcallErrno("shm_unlink", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    /**
     * {@code int shm_unlink(const char *name);} (shm_unlink(3)).
     *
     * @param name the name, {@code "/x"}
     * @return 0, or -errno
     */
    public static int shm_unlink(String name) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) shm_unlink.H.invokeExact(st, Unistd.cString(name)), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class fchmod {
        static final MethodHandle H =
                Native.downcallErrno("fchmod", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    }

    /**
     * {@code int fchmod(int fd, mode_t mode);} (fchmod(2)): sets the exact mode, whatever the umask
     * did at creation. Works on shm descriptors and POSIX queue descriptors alike.
     *
     * @param fd the descriptor
     * @param mode the permission bits
     * @return 0, or -errno
     */
    public static int fchmod(int fd, int mode) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) fchmod.H.invokeExact(st, fd, mode), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class fchown {
        static final MethodHandle H =
                Native.downcallErrno("fchown", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    }

    /**
     * {@code int fchown(int fd, uid_t owner, gid_t group);} (fchown(2)).
     *
     * @param fd the descriptor
     * @param uid the new owner, or -1 to keep it
     * @param gid the new group, or -1 to keep it
     * @return 0, or -errno
     */
    public static int fchown(int fd, int uid, int gid) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) fchown.H.invokeExact(st, fd, uid, gid), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class pread {
        static final MethodHandle H =
                Native.downcallErrno(
                        "pread", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_LONG));
    }

    /**
     * {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset);} (pread(2)), for files
     * that never block (a queue descriptor reads as its {@code QSIZE:... NOTIFY_PID:...} line),
     * into a Java array. Retries EINTR.
     *
     * @param fd the descriptor
     * @param dst where the bytes go, from its start; its length is the most read
     * @param offset where to read from
     * @return the bytes read, or -errno
     */
    public static long pread(int fd, byte[] dst, long offset) {
        MemorySegment st = Native.errnoState();
        MemorySegment buf = Native.scratch(dst.length);
        try {
            long r;
            do {
                r = (long) pread.H.invokeExact(st, fd, buf, (long) dst.length, offset);
                r = r >= 0 ? r : -Native.errno(st);
            } while (r == -EINTR);
            if (r > 0) {
                MemorySegment.copy(buf, 0, MemorySegment.ofArray(dst), 0, r);
            }
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class eventfd {
        static final MethodHandle H =
                Native.downcallErrno("eventfd", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    }

    /**
     * {@code int eventfd(unsigned int initval, int flags);} (eventfd(2)).
     *
     * @param initval the counter's initial value (32 bits, unsigned)
     * @param flags {@code EFD_CLOEXEC}, {@code EFD_SEMAPHORE}
     * @return the descriptor, or -errno
     */
    public static int eventfd(int initval, int flags) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) eventfd.H.invokeExact(st, initval, flags), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * The counter value in an eventfd read or write buffer.
     *
     * @param buf {@link #EVENTFD_BYTES} bytes
     * @return the value (unsigned)
     */
    public static long eventfdValue(MemorySegment buf) {
        return buf.get(JAVA_LONG, 0);
    }

    /**
     * Sets the counter value of an eventfd write buffer.
     *
     * @param buf {@link #EVENTFD_BYTES} bytes
     * @param value the value (unsigned)
     */
    public static void eventfdValue(MemorySegment buf, long value) {
        buf.set(JAVA_LONG, 0, value);
    }

    private static final class getrlimit {
        static final MethodHandle H =
                Native.downcallErrno("getrlimit", FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    }

    /**
     * {@code int getrlimit(int resource, struct rlimit *rlim);} (getrlimit(2)).
     *
     * @param resource {@link #RLIMIT_MSGQUEUE}, {@link #RLIMIT_NOFILE}
     * @return {@code {rlim_cur, rlim_max}} ({@code -1} = {@code RLIM_INFINITY}), or {@code
     *     {-errno}}
     */
    public static long[] getrlimit(int resource) {
        MemorySegment st = Native.errnoState();
        MemorySegment lim = Native.scratch(Structs.RLIMIT.byteSize());
        try {
            int r = result((int) getrlimit.H.invokeExact(st, resource, lim), st);
            return r < 0
                    ? new long[] {r}
                    : new long[] {lim.get(JAVA_LONG, RLIM_CUR), lim.get(JAVA_LONG, RLIM_MAX)};
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
