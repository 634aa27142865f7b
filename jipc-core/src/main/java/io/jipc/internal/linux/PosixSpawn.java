package io.jipc.internal.linux;

import static io.jipc.internal.linux.Errnos.EINTR;
import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_POINTER;
import static io.jipc.internal.linux.Native.C_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Downcalls for starting and reaping child processes: {@code posix_spawn} with its file actions and
 * attributes (spawn.h), {@code waitid}, {@code waitpid}, {@code kill} (sys/wait.h, signal.h).
 *
 * <p>{@code posix_spawn_file_actions_t}, {@code posix_spawnattr_t} and {@code sigset_t} are opaque:
 * they are allocated by the sizes below, which a test compares with gcc's {@code sizeof}. Like the
 * other wrappers, failures come back as the negated error number (posix_spawn and its helpers
 * return the error number instead of setting errno).
 */
public final class PosixSpawn {
    private PosixSpawn() {}

    /** {@code sizeof(posix_spawn_file_actions_t)} on glibc x86_64. */
    public static final long SIZEOF_FILE_ACTIONS = 80;

    /** {@code sizeof(posix_spawnattr_t)} on glibc x86_64. */
    public static final long SIZEOF_SPAWNATTR = 336;

    /** {@code sizeof(sigset_t)} on glibc. */
    public static final long SIZEOF_SIGSET = 128;

    /** {@code sizeof(siginfo_t)}. */
    public static final long SIZEOF_SIGINFO = 128;

    /**
     * posix_spawnattr flag: reset the listed signals to default ({@code POSIX_SPAWN_SETSIGDEF}).
     */
    public static final short POSIX_SPAWN_SETSIGDEF = 4;

    /** posix_spawnattr flag: set the signal mask ({@code POSIX_SPAWN_SETSIGMASK}). */
    public static final short POSIX_SPAWN_SETSIGMASK = 8;

    /** waitid: wait for the process whose pid is given ({@code P_PID}). */
    public static final int P_PID = 1;

    /** waitid: wait for processes that have terminated ({@code WEXITED}). */
    public static final int WEXITED = 4;

    /** waitid: leave the child waitable, do not reap it ({@code WNOWAIT}). */
    public static final int WNOWAIT = 0x01000000;

    /** waitpid: return at once if no child has changed state ({@code WNOHANG}). */
    public static final int WNOHANG = 1;

    private static final class posix_spawn {
        static final MethodHandle H =
                Native.downcall(
                        "posix_spawn",
                        FunctionDescriptor.of(
                                C_INT, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER,
                                C_POINTER));
    }

    private static final class fa_init {
        static final MethodHandle H =
                Native.downcall(
                        "posix_spawn_file_actions_init", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class fa_destroy {
        static final MethodHandle H =
                Native.downcall(
                        "posix_spawn_file_actions_destroy",
                        FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class fa_adddup2 {
        static final MethodHandle H =
                Native.downcall(
                        "posix_spawn_file_actions_adddup2",
                        FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    }

    private static final class fa_addclose {
        static final MethodHandle H =
                Native.downcall(
                        "posix_spawn_file_actions_addclose",
                        FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    }

    private static final class fa_addclosefrom_np {
        static final MethodHandle H =
                Native.downcall(
                        "posix_spawn_file_actions_addclosefrom_np",
                        FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    }

    private static final class fa_addchdir_np {
        static final MethodHandle H =
                Native.downcall(
                        "posix_spawn_file_actions_addchdir_np",
                        FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    }

    private static final class attr_init {
        static final MethodHandle H =
                Native.downcall("posix_spawnattr_init", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class attr_destroy {
        static final MethodHandle H =
                Native.downcall("posix_spawnattr_destroy", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class attr_setflags {
        static final MethodHandle H =
                Native.downcall(
                        "posix_spawnattr_setflags",
                        FunctionDescriptor.of(C_INT, C_POINTER, C_SHORT));
    }

    private static final class attr_setsigmask {
        static final MethodHandle H =
                Native.downcall(
                        "posix_spawnattr_setsigmask",
                        FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    }

    private static final class attr_setsigdefault {
        static final MethodHandle H =
                Native.downcall(
                        "posix_spawnattr_setsigdefault",
                        FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    }

    private static final class sigemptyset {
        static final MethodHandle H =
                Native.downcall("sigemptyset", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    private static final class sigfillset {
        static final MethodHandle H =
                Native.downcall("sigfillset", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    /**
     * One descriptor the child gets.
     *
     * @param source the descriptor in this process
     * @param target its number in the child
     */
    public record FdMapping(int source, int target) {}

    /**
     * Starts {@code path} with exactly the descriptors in {@code fds} (every other descriptor is
     * closed in the child), an empty signal mask and every signal at its default disposition, using
     * {@code posix_spawn(3)} with {@code posix_spawn_file_actions_adddup2}, {@code
     * posix_spawn_file_actions_addclose}, {@code posix_spawn_file_actions_addclosefrom_np} and
     * {@code posix_spawn_file_actions_addchdir_np}:
     *
     * <pre>
     * int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *file_actions,
     *                 const posix_spawnattr_t *attrp, char *const argv[], char *const envp[]);
     * </pre>
     *
     * Every source is first duplicated above every source and target, then onto its target, so that
     * mappings may swap numbers freely.
     *
     * @param path the executable (absolute, or relative to the child's directory)
     * @param argv the arguments, {@code argv[0]} first
     * @param envp the environment, {@code NAME=value} strings
     * @param dir the child's working directory, or {@code null} to inherit
     * @param fds the descriptors to give
     * @return the pid, or -(error number) (e.g. {@code -ENOENT}, {@code -EACCES})
     */
    public static int spawn(
            String path, List<String> argv, List<String> envp, String dir, List<FdMapping> fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fa = arena.allocate(SIZEOF_FILE_ACTIONS, 16);
            MemorySegment attr = arena.allocate(SIZEOF_SPAWNATTR, 16);
            MemorySegment sigs = arena.allocate(SIZEOF_SIGSET, 16);
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
            check((int) fa_init.H.invokeExact(fa));
            try {
                check((int) attr_init.H.invokeExact(attr));
                try {
                    int high = 3;
                    for (FdMapping m : fds) {
                        high = Math.max(high, Math.max(m.source(), m.target()) + 1);
                    }
                    // 1. copy every source above every number in play, 2. onto its target.
                    for (int i = 0; i < fds.size(); i++) {
                        check((int) fa_adddup2.H.invokeExact(fa, fds.get(i).source(), high + i));
                    }
                    boolean[] isTarget = new boolean[high];
                    for (int i = 0; i < fds.size(); i++) {
                        int t = fds.get(i).target();
                        check((int) fa_adddup2.H.invokeExact(fa, high + i, t));
                        isTarget[t] = true;
                    }
                    // 3. close every other descriptor: the gaps below the highest target, and all
                    // from the lowest number that is not a target (close_range in the child).
                    int maxTarget = -1;
                    for (FdMapping m : fds) {
                        maxTarget = Math.max(maxTarget, m.target());
                    }
                    for (int n = 0; n < maxTarget; n++) {
                        if (!isTarget[n]) {
                            check((int) fa_addclose.H.invokeExact(fa, n));
                        }
                    }
                    check((int) fa_addclosefrom_np.H.invokeExact(fa, maxTarget + 1));
                    if (dir != null) {
                        check((int) fa_addchdir_np.H.invokeExact(fa, arena.allocateFrom(dir)));
                    }
                    check((int) sigemptyset.H.invokeExact(sigs));
                    check((int) attr_setsigmask.H.invokeExact(attr, sigs));
                    check((int) sigfillset.H.invokeExact(sigs));
                    check((int) attr_setsigdefault.H.invokeExact(attr, sigs));
                    check(
                            (int)
                                    attr_setflags.H.invokeExact(
                                            attr,
                                            (short)
                                                    (POSIX_SPAWN_SETSIGMASK
                                                            | POSIX_SPAWN_SETSIGDEF)));
                    int r =
                            (int)
                                    posix_spawn.H.invokeExact(
                                            pid,
                                            arena.allocateFrom(path),
                                            fa,
                                            attr,
                                            strings(arena, argv),
                                            strings(arena, envp));
                    return r == 0 ? pid.get(ValueLayout.JAVA_INT, 0) : -r;
                } finally {
                    int ignored = (int) attr_destroy.H.invokeExact(attr);
                }
            } finally {
                int ignored = (int) fa_destroy.H.invokeExact(fa);
            }
        } catch (SpawnSetupFailure f) {
            return -f.error;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void check(int r) {
        if (r != 0) {
            throw new SpawnSetupFailure(r);
        }
    }

    /** A helper of posix_spawn returned an error number (EINVAL, EBADF, ENOMEM). */
    private static final class SpawnSetupFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int error;

        SpawnSetupFailure(int error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    /** A NULL-terminated {@code char *[]} of NUL-terminated strings. */
    private static MemorySegment strings(Arena arena, List<String> list) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, list.size() + 1L);
        for (int i = 0; i < list.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(list.get(i)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, list.size(), MemorySegment.NULL);
        return array;
    }

    private static final class waitid {
        static final MethodHandle H =
                Native.downcallErrno(
                        "waitid", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_INT));
    }

    /**
     * {@code int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options);} (waitid(2)) with
     * {@code P_PID, pid, WEXITED | WNOWAIT}: blocks until the child {@code pid} has terminated and
     * leaves it unreaped (so its pid cannot be reused until {@link #waitpid} reaps it). Retries
     * EINTR.
     *
     * @param pid a child of this process
     * @return 0, or -errno
     */
    public static int waitExitedNoReap(int pid) {
        MemorySegment st = Native.errnoState();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIZEOF_SIGINFO, 8);
            int r;
            do {
                r = (int) waitid.H.invokeExact(st, P_PID, pid, info, WEXITED | WNOWAIT);
                r = r >= 0 ? r : -Native.errno(st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class waitpid {
        static final MethodHandle H =
                Native.downcallErrno(
                        "waitpid", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
    }

    /**
     * {@code pid_t waitpid(pid_t pid, int *wstatus, int options);} (waitpid(2)) for one child
     * (never -1). Retries EINTR.
     *
     * @param pid a child of this process
     * @param options {@code WNOHANG} or 0
     * @return {@code {pid or 0 or -errno, wstatus}}
     */
    public static int[] waitpid(int pid, int options) {
        if (pid <= 0) {
            throw new IllegalArgumentException(
                    "pid=" + pid + ": only one child, never a group or any child");
        }
        MemorySegment st = Native.errnoState();
        MemorySegment status = Native.scratch(4);
        try {
            int r;
            do {
                r = (int) waitpid.H.invokeExact(st, pid, status, options);
                r = r >= 0 ? r : -Native.errno(st);
            } while (r == -EINTR);
            return new int[] {r, r > 0 ? status.get(ValueLayout.JAVA_INT, 0) : 0};
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class kill {
        static final MethodHandle H =
                Native.downcallErrno("kill", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    }

    /**
     * {@code int kill(pid_t pid, int sig);} (kill(2)).
     *
     * @param pid the process (must be positive)
     * @param sig the signal
     * @return 0, or -errno
     */
    public static int kill(int pid, int sig) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid=" + pid + ": only one process, never a group");
        }
        MemorySegment st = Native.errnoState();
        try {
            int r = (int) kill.H.invokeExact(st, pid, sig);
            return r >= 0 ? r : -Native.errno(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
