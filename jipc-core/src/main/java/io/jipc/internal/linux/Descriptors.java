package io.jipc.internal.linux;

import static io.jipc.internal.linux.Native.C_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * What code that hands descriptors around needs beyond {@link Unistd} and {@link Sockets}: a
 * close-on-exec duplicate ({@code fcntl(F_DUPFD_CLOEXEC)}, fcntl(2)), whether two descriptors are
 * one open file description ({@code kcmp(KCMP_FILE)}, kcmp(2)), the {@code open} flags that {@link
 * Unistd} does not declare, and the integer socket options that tell sockets apart ({@code
 * SO_REUSEADDR}, {@code SO_ACCEPTCONN}, socket(7); read with {@link SocketOptions#intOption}).
 * Every wrapper returns the C result or the negated errno; the constants are x86_64 values checked
 * against gcc by {@code DescriptorsTest}.
 */
@SuppressWarnings("restricted")
public final class Descriptors {
    private Descriptors() {}

    /**
     * fcntl: duplicate onto the lowest free number at or above the argument, close-on-exec ({@code
     * F_DUPFD_CLOEXEC}).
     */
    public static final int F_DUPFD_CLOEXEC = 1030;

    /** {@code SO_REUSEADDR} (socket(7)), a boolean every IP socket has. */
    public static final int SO_REUSEADDR = 2;

    /** {@code SO_ACCEPTCONN} (socket(7)): 1 on a listening socket, read only. */
    public static final int SO_ACCEPTCONN = 30;

    /** open: create the file if it does not exist ({@code O_CREAT}). */
    public static final int O_CREAT = 0100;

    /** open: with {@code O_CREAT}, fail with {@code EEXIST} if it exists ({@code O_EXCL}). */
    public static final int O_EXCL = 0200;

    /** open: truncate to length 0 ({@code O_TRUNC}). */
    public static final int O_TRUNC = 01000;

    /** open: every write goes to the end of the file ({@code O_APPEND}). */
    public static final int O_APPEND = 02000;

    /** open: data integrity for every write ({@code O_DSYNC}). */
    public static final int O_DSYNC = 010000;

    /** open: file integrity for every write ({@code O_SYNC}, which includes {@code O_DSYNC}). */
    public static final int O_SYNC = 04010000;

    /**
     * open: fail with {@code ELOOP} if the last component is a symbolic link ({@code O_NOFOLLOW}).
     */
    public static final int O_NOFOLLOW = 0400000;

    /** open: a path-only descriptor, no I/O ({@code O_PATH}). */
    public static final int O_PATH = 010000000;

    /** The {@code kcmp} system call's number ({@code SYS_kcmp}). */
    public static final long SYS_KCMP = 312;

    /** kcmp: compare two descriptors' open file descriptions ({@code KCMP_FILE}). */
    public static final int KCMP_FILE = 0;

    /**
     * {@code fcntl(fd, F_DUPFD_CLOEXEC, lowest)} (fcntl(2)): a new descriptor for the same open
     * file description, close-on-exec.
     *
     * @param fd the descriptor to duplicate
     * @param lowest the lowest number the duplicate may get
     * @return the duplicate, or -errno ({@code -EBADF} if {@code fd} is not open)
     */
    public static int dupCloseOnExec(int fd, int lowest) {
        return Unistd.fcntl(fd, F_DUPFD_CLOEXEC, lowest);
    }

    private static final class kcmp {
        static final MethodHandle H =
                Native.downcallErrno(
                        "syscall",
                        FunctionDescriptor.of(
                                C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG),
                        Linker.Option.firstVariadicArg(1));
    }

    /**
     * {@code syscall(SYS_kcmp, pid, pid, KCMP_FILE, fd1, fd2)} (kcmp(2)) for this process: whether
     * two of its descriptors are one open file description (a duplicate of the other, or both
     * duplicates of a third), which nothing else tells apart from two opens of one file in the same
     * state. It changes nothing. The kernel may refuse it ({@code ENOSYS} without {@code
     * CONFIG_KCMP}, {@code EPERM} under a seccomp filter such as some container defaults).
     *
     * @param fd1 a descriptor
     * @param fd2 another one
     * @return 1 if they are one open file description, 0 if not, or -errno ({@code -EBADF} if one
     *     is not open)
     */
    public static int sameOpenFile(int fd1, int fd2) {
        MemorySegment st = Native.errnoState();
        long pid = ProcessHandle.current().pid();
        try {
            long r =
                    (long)
                            kcmp.H.invokeExact(
                                    st,
                                    SYS_KCMP,
                                    pid,
                                    pid,
                                    (long) KCMP_FILE,
                                    (long) fd1,
                                    (long) fd2);
            return r < 0 ? -Native.errno(st) : r == 0 ? 1 : 0;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
