package io.jipc;

import io.jipc.internal.Errors;
import io.jipc.internal.linux.Blocking;
import io.jipc.internal.linux.Sched;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * CPU affinity of one thread ({@man sched_setaffinity(2)}, {@man sched_getaffinity(2)}, {@man
 * sched_getcpu(3)}).
 *
 * <p>Linux keeps an affinity mask per <em>thread</em>: {@link #pinCurrentThread} restricts the
 * calling platform thread and leaves every other thread of the JVM (JIT compilers, the garbage
 * collector, other application threads) free to run anywhere, unlike {@code taskset}, which
 * restricts a whole process. That is how a latency-minded program keeps two communicating threads
 * on chosen CPUs: two processes on one CPU hand a message over directly, two on different CPUs pay
 * the wake-up of an idle CPU on each message.
 *
 * <pre>{@code
 * try (Cpus.Pinning p = Cpus.pinCurrentThread(1)) {
 *     // this thread runs on CPU 1 only
 * }   // its previous CPUs are restored
 * }</pre>
 *
 * <p>A virtual thread has no CPU of its own (it runs on whatever carrier the scheduler mounts it
 * on), so it cannot be pinned.
 *
 * <p><b>Threads started by a pinned thread inherit its CPUs</b> (Linux copies the affinity mask to
 * a new thread, {@man pthread_create(3)}), whoever asked for them. The threads jipc starts lazily
 * for itself (the cleaner that closes forgotten descriptors, the timer of timed calls, the poller
 * of virtual threads) are therefore started by the first {@link #pinCurrentThread}, before it pins,
 * and keep the CPUs the process may use. Threads that the JDK or the application start later from a
 * pinned thread do not: a platform thread started there, the carrier threads of virtual threads
 * first started there, the JDK's lazily started helper threads, a {@code jipc-mq-notify} thread of
 * {@code MessageQueue.notifyOnMessage}. Start them before pinning, or pin a thread that starts none
 * (as {@code jipc bench} pins only its measuring threads).
 */
public final class Cpus {
    private Cpus() {}

    /**
     * The CPUs the calling thread may run on ({@man sched_getaffinity(2)}), in ascending order: all
     * the machine's online CPUs unless a cpuset, {@code taskset} or an earlier pinning narrowed
     * them.
     *
     * @return the CPU numbers, at least one
     * @throws IpcException if the call fails
     */
    public static List<Integer> allowed() throws IpcException {
        BitSet s = new BitSet();
        int r = Sched.getaffinity(s);
        if (r < 0) {
            throw Errors.failure(r, "sched_getaffinity", "this thread", null);
        }
        return list(s);
    }

    /**
     * The CPU the calling thread runs on now ({@man sched_getcpu(3)}); by the time the caller looks
     * it may have moved, unless it is pinned to one CPU.
     *
     * @return the CPU number
     * @throws IpcException if the call fails
     */
    public static int current() throws IpcException {
        int r = Sched.getcpu();
        if (r < 0) {
            throw Errors.failure(r, "sched_getcpu", "this thread", null);
        }
        return r;
    }

    /**
     * Restricts the calling platform thread to {@code cpus} ({@man sched_setaffinity(2)} for this
     * thread only); the kernel moves it there before the call returns. Close the returned {@link
     * Pinning}, in this same thread, to give back the CPUs it had.
     *
     * <p>The first call starts jipc's own helper threads first (see the class comment), so that
     * they do not inherit the pinning.
     *
     * @param cpus one or more CPU numbers
     * @return the pinning, whose {@link Pinning#close()} restores the previous CPUs
     * @throws IllegalArgumentException if {@code cpus} is empty or holds a number outside {@code
     *     0..}{@link #possible()}{@code - 1} (the message names it and the range)
     * @throws IllegalStateException if called on a virtual thread
     * @throws IpcException EINVAL if none of {@code cpus} is among those this thread may use
     *     ({@link #allowed()}: a cpuset or an earlier restriction), or another failure
     */
    public static Pinning pinCurrentThread(int... cpus) throws IpcException {
        if (cpus.length == 0) {
            throw new IllegalArgumentException("cpus=[] (name at least one CPU)");
        }
        int possible = possible();
        BitSet want = new BitSet();
        for (int c : cpus) {
            if (c < 0 || c >= possible) {
                throw new IllegalArgumentException(
                        "cpus="
                                + java.util.Arrays.toString(cpus)
                                + ": CPU "
                                + c
                                + " does not exist (CPU numbers here are 0.."
                                + (possible - 1)
                                + ", "
                                + POSSIBLE
                                + ")");
            }
            want.set(c);
        }
        Thread me = Thread.currentThread();
        if (me.isVirtual()) {
            throw new IllegalStateException(
                    "a virtual thread cannot be pinned to a CPU: it runs on whatever"
                            + " carrier thread the scheduler mounts it on (pin a platform thread)");
        }
        HelperThreads.started();
        BitSet before = new BitSet();
        int r = Sched.getaffinity(before);
        if (r < 0) {
            throw Errors.failure(r, "sched_getaffinity", "this thread", null);
        }
        set(want, before);
        return new Pinning(me, list(want), before);
    }

    /** Where the kernel lists the CPU numbers it can ever have. */
    private static final String POSSIBLE = "/sys/devices/system/cpu/possible";

    /**
     * How many CPU numbers the kernel has ({@code nr_cpu_ids}: one more than the highest number in
     * {@code /sys/devices/system/cpu/possible}, CPUs not present or offline included); CPU numbers
     * are {@code 0..possible() - 1}. Where that file cannot be read, the size of the CPU mask {@man
     * sched_getaffinity(2)} fills (a multiple of 1024).
     *
     * @return the number of possible CPU numbers, at least 1
     */
    public static int possible() {
        return Possible.COUNT;
    }

    /** {@link #possible()}, read once. */
    private static final class Possible {
        static final int COUNT = read();

        private static int read() {
            try {
                // "0-3", "0", "0-3,8-11": the highest number is after the last '-' or ','
                String s = Files.readString(Path.of(POSSIBLE)).strip();
                int cut = Math.max(s.lastIndexOf('-'), s.lastIndexOf(','));
                return Integer.parseInt(s.substring(cut + 1)) + 1;
            } catch (IOException | RuntimeException e) {
                BitSet allowed = new BitSet();
                Sched.getaffinity(allowed); // the mask it fills is a multiple of glibc's 1024 CPUs
                return Math.max(
                        Sched.CPU_SETSIZE_BYTES * 8, (allowed.length() + 1023) / 1024 * 1024);
            }
        }
    }

    /** jipc's lazily started threads, started before the first pinning (see the class comment). */
    private static final class HelperThreads {
        static {
            Blocking.startThreads();
            io.jipc.internal.OwnedFd.startCleaner();
        }

        static void started() {
            // the static initialiser did it, once
        }
    }

    private static void set(BitSet cpus, BitSet allowedBefore) throws IpcException {
        int r = Sched.setaffinity(cpus);
        if (r < 0) {
            throw Errors.failure(
                    r,
                    "sched_setaffinity",
                    "this thread",
                    Errors.is(r, Errno.EINVAL)
                            ? "CPUs "
                                    + list(cpus)
                                    + ": none of them is usable here (this thread may"
                                    + " use "
                                    + list(allowedBefore)
                                    + ")"
                            : "CPUs " + list(cpus));
        }
    }

    private static List<Integer> list(BitSet s) {
        List<Integer> l = new ArrayList<>(s.cardinality());
        for (int i = s.nextSetBit(0); i >= 0; i = s.nextSetBit(i + 1)) {
            l.add(i);
        }
        return List.copyOf(l);
    }

    /**
     * A thread pinned by {@link #pinCurrentThread}: {@link #close()} gives it back the CPUs it had
     * before.
     */
    public static final class Pinning implements AutoCloseable {
        private final Thread thread;
        private final List<Integer> cpus;
        private final BitSet before;
        private boolean closed;

        private Pinning(Thread thread, List<Integer> cpus, BitSet before) {
            this.thread = thread;
            this.cpus = cpus;
            this.before = before;
        }

        /**
         * The CPUs the thread was pinned to.
         *
         * @return the CPU numbers, ascending
         */
        public List<Integer> cpus() {
            return cpus;
        }

        /**
         * The CPUs the thread could use before.
         *
         * @return the CPU numbers, ascending
         */
        public List<Integer> previous() {
            return list(before);
        }

        /**
         * Restores the CPUs the thread could use before ({@man sched_setaffinity(2)}). Idempotent.
         *
         * @throws IllegalStateException if called from another thread than the pinned one
         * @throws IpcException if the call fails (e.g. a cpuset shrank meanwhile)
         */
        @Override
        public void close() throws IpcException {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException(
                        "a pinning is undone by the thread it pinned (" + thread.getName() + ")");
            }
            if (!closed) {
                closed = true;
                set(before, before);
            }
        }

        @Override
        public String toString() {
            return "Pinning[" + thread.getName() + " on CPUs " + cpus + "]";
        }
    }
}
