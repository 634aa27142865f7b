package io.jipc.internal.linux;

import static io.jipc.internal.linux.Errnos.EINVAL;
import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_POINTER;
import static io.jipc.internal.linux.Native.C_SIZE_T;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.BitSet;

/**
 * Downcalls for CPU affinity: {@code sched_setaffinity}, {@code sched_getaffinity} and {@code
 * sched_getcpu} (sched.h). A {@code cpu_set_t} is a bit mask of CPUs in native {@code unsigned
 * long} words; glibc's fixed type holds 1024 CPUs (128 bytes), and the calls take any multiple of 8
 * bytes, so a larger machine gets a larger mask.
 *
 * <p>Every wrapper returns the C result on success and the <em>negated errno</em> on failure. None
 * of these calls can block; they are still linked without {@code critical}, being made once per
 * pinning, not per message.
 */
public final class Sched {
    private Sched() {}

    /** The size of glibc's {@code cpu_set_t} in bytes (1024 CPUs). */
    public static final int CPU_SETSIZE_BYTES = 128;

    /** The largest mask {@link #getaffinity} tries (262144 CPUs). */
    private static final int MAX_MASK_BYTES = 32768;

    private static final class sched_setaffinity {
        static final MethodHandle H =
                Native.downcallErrno(
                        "sched_setaffinity",
                        FunctionDescriptor.of(C_INT, C_INT, C_SIZE_T, C_POINTER));
    }

    private static final class sched_getaffinity {
        static final MethodHandle H =
                Native.downcallErrno(
                        "sched_getaffinity",
                        FunctionDescriptor.of(C_INT, C_INT, C_SIZE_T, C_POINTER));
    }

    private static final class sched_getcpu {
        static final MethodHandle H =
                Native.downcallErrno("sched_getcpu", FunctionDescriptor.of(C_INT));
    }

    /**
     * {@code int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask);}
     * (sched_setaffinity(2)) with {@code pid} 0: the <em>calling thread</em> only (Linux affinity
     * is per thread; other threads of the process keep theirs).
     *
     * @param cpus the CPUs the calling thread may run on (not empty)
     * @return 0, or -errno ({@code -EINVAL}: none of them is allowed to this thread, e.g. by its
     *     cpuset; {@code -EPERM}: not permitted)
     */
    public static int setaffinity(BitSet cpus) {
        int bytes =
                (int)
                        Math.max(
                                CPU_SETSIZE_BYTES,
                                ((cpus.length() + 63L) / 64) * 8); // long: length() may be 2^31
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(bytes, 8);
            long[] words = cpus.toLongArray();
            for (int i = 0; i < words.length; i++) {
                mask.setAtIndex(ValueLayout.JAVA_LONG, i, words[i]);
            }
            MemorySegment st = Native.errnoState();
            int r = (int) sched_setaffinity.H.invokeExact(st, 0, (long) bytes, mask);
            return r >= 0 ? r : -Native.errno(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask);}
     * (sched_getaffinity(2)) with {@code pid} 0: the CPUs the calling thread may run on. The mask
     * grows from {@link #CPU_SETSIZE_BYTES} while the kernel says it is too small.
     *
     * @param out receives the CPUs (cleared first)
     * @return 0, or -errno
     */
    public static int getaffinity(BitSet out) {
        out.clear();
        for (int bytes = CPU_SETSIZE_BYTES; ; bytes *= 2) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment mask = arena.allocate(bytes, 8);
                MemorySegment st = Native.errnoState();
                int r = (int) sched_getaffinity.H.invokeExact(st, 0, (long) bytes, mask);
                if (r < 0) {
                    int e = Native.errno(st);
                    if (e == EINVAL && bytes < MAX_MASK_BYTES) {
                        continue;
                    }
                    return -e;
                }
                // The raw system call returns the bytes it wrote; glibc's wrapper returns 0.
                out.or(BitSet.valueOf(mask.toArray(ValueLayout.JAVA_LONG)));
                return 0;
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
        }
    }

    /**
     * {@code int sched_getcpu(void);} (sched_getcpu(3)): the CPU the calling thread runs on now (it
     * may have moved by the time the caller looks).
     *
     * @return the CPU number, or -errno
     */
    public static int getcpu() {
        MemorySegment st = Native.errnoState();
        try {
            int r = (int) sched_getcpu.H.invokeExact(st);
            return r >= 0 ? r : -Native.errno(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
