package io.jipc.testkit;

import io.jipc.internal.linux.Signals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Waits for a thread to be where a test needs it, instead of sleeping and hoping: blocked in a
 * given kernel function ({@code /proc/PID/task/TID/wchan}, e.g. {@code do_msgrcv}, {@code
 * do_semtimedop}, {@code pipe_read}, {@code do_sys_poll}), asleep in the kernel ({@code stat} state
 * {@code S}), or in a {@link Thread.State}. A thread inside a downcall is {@code RUNNABLE} to Java,
 * so a blocked system call is awaited through {@code /proc}. Every wait is bounded and fails with
 * what it saw.
 */
public final class ThreadStates {
    /** The longest wait of the helpers that take none. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    private ThreadStates() {}

    /**
     * The Linux thread id of the calling thread (gettid(2)), to hand to the test thread that awaits
     * it.
     *
     * @return the tid
     */
    public static int currentTid() {
        return Signals.gettid();
    }

    /**
     * The kernel function a thread sleeps in ({@code /proc/PID/task/TID/wchan}), {@code "0"} when
     * it runs, or empty if the thread is gone.
     *
     * @param pid the process
     * @param tid the thread
     * @return the function name
     */
    public static String wchan(long pid, int tid) {
        return read(Path.of("/proc", Long.toString(pid), "task", Integer.toString(tid), "wchan"));
    }

    /**
     * The scheduler state letter of a thread ({@code R}, {@code S}, {@code D}, {@code T}, {@code
     * Z}), from {@code /proc/PID/task/TID/stat}, or {@code ?} if it is gone.
     *
     * @param pid the process
     * @param tid the thread
     * @return the state
     */
    public static char state(long pid, int tid) {
        String stat =
                read(Path.of("/proc", Long.toString(pid), "task", Integer.toString(tid), "stat"));
        int close = stat.lastIndexOf(')');
        return close < 0 || close + 2 >= stat.length() ? '?' : stat.charAt(close + 2);
    }

    /**
     * Waits until a thread of this process sleeps in a kernel function whose name contains {@code
     * function}.
     *
     * @param tid the thread (from {@link #currentTid()} on that thread)
     * @param function e.g. {@code do_msgrcv}
     */
    public static void awaitBlockedIn(int tid, String function) {
        awaitBlockedIn(ProcessHandle.current().pid(), tid, function);
    }

    /**
     * Waits until a thread sleeps in a kernel function whose name contains {@code function}.
     *
     * @param pid the process
     * @param tid the thread
     * @param function e.g. {@code do_msgrcv}
     */
    public static void awaitBlockedIn(long pid, int tid, String function) {
        await(
                () -> state(pid, tid) == 'S' && wchan(pid, tid).contains(function),
                () ->
                        "thread "
                                + pid
                                + "/"
                                + tid
                                + " blocked in "
                                + function
                                + " (state "
                                + state(pid, tid)
                                + ", wchan "
                                + wchan(pid, tid)
                                + ")");
    }

    /**
     * Waits until some thread of a process (e.g. a child JVM) sleeps in a kernel function whose
     * name contains {@code function}, and returns its tid.
     *
     * @param pid the process
     * @param function e.g. {@code do_msgrcv}
     * @return the thread's tid
     */
    public static int awaitAnyBlockedIn(long pid, String function) {
        int[] found = {-1};
        await(
                () -> {
                    for (int tid : tids(pid)) {
                        if (state(pid, tid) == 'S' && wchan(pid, tid).contains(function)) {
                            found[0] = tid;
                            return true;
                        }
                    }
                    return false;
                },
                () ->
                        "a thread of process "
                                + pid
                                + " blocked in "
                                + function
                                + " (threads: "
                                + tids(pid).size()
                                + ")");
        return found[0];
    }

    /**
     * Waits until some thread of a process is inside system call {@code nr} with {@code firstArg}
     * as its first argument ({@code /proc/PID/task/TID/syscall}), e.g. {@code read} (0) of a given
     * descriptor, and returns its tid. For a call a virtual thread makes: it runs on a helper
     * platform thread whose tid the test does not know.
     *
     * @param pid the process
     * @param nr the system call number (x86_64)
     * @param firstArg its first argument
     * @return the thread's tid
     */
    public static int awaitAnyInSyscall(long pid, int nr, long firstArg) {
        int[] found = {-1};
        String prefix = nr + " 0x" + Long.toHexString(firstArg) + " ";
        await(
                () -> {
                    for (int tid : tids(pid)) {
                        if (syscall(pid, tid).startsWith(prefix)) {
                            found[0] = tid;
                            return true;
                        }
                    }
                    return false;
                },
                () -> "a thread of process " + pid + " in system call " + prefix.trim());
        return found[0];
    }

    /**
     * Waits until some thread of a process sleeps inside a system call whose first argument is
     * {@code fd} (a read, a receive, a wait on that descriptor), whatever the call, and returns its
     * tid.
     *
     * @param pid the process
     * @param fd the descriptor
     * @return the thread's tid
     */
    public static int awaitAnyBlockedOn(long pid, int fd) {
        int[] found = {-1};
        String arg = " 0x" + Integer.toHexString(fd) + " ";
        await(
                () -> {
                    for (int tid : tids(pid)) {
                        String line = syscall(pid, tid);
                        int space = line.indexOf(' ');
                        if (space > 0 && line.startsWith(arg, space) && state(pid, tid) == 'S') {
                            found[0] = tid;
                            return true;
                        }
                    }
                    return false;
                },
                () -> "a thread of process " + pid + " blocked on fd " + fd);
        return found[0];
    }

    /**
     * Waits until a thread is inside system call {@code nr}.
     *
     * @param pid the process
     * @param tid the thread
     * @param nr the system call number (x86_64)
     */
    public static void awaitInSyscall(long pid, int tid, int nr) {
        await(
                () -> syscall(pid, tid).startsWith(nr + " "),
                () ->
                        "thread "
                                + pid
                                + "/"
                                + tid
                                + " in system call "
                                + nr
                                + " (now: "
                                + syscall(pid, tid)
                                + ")");
    }

    /**
     * What a thread is doing in the kernel ({@code /proc/PID/task/TID/syscall}): the system call
     * number and its arguments, {@code running}, or empty if the thread is gone.
     *
     * @param pid the process
     * @param tid the thread
     * @return the line
     */
    public static String syscall(long pid, int tid) {
        return read(Path.of("/proc", Long.toString(pid), "task", Integer.toString(tid), "syscall"));
    }

    /**
     * Waits until a Java thread is in one of the given states (for waits the JDK sees: a park, a
     * monitor, {@code Object.wait}).
     *
     * @param t the thread
     * @param states the states to await
     */
    public static void awaitState(Thread t, Thread.State... states) {
        Set<Thread.State> want = Set.of(states);
        await(
                () -> want.contains(t.getState()),
                () -> t + " in " + want + " (now " + t.getState() + ")");
    }

    /**
     * Waits until a condition holds, checking it every millisecond or so, for at most {@link
     * #WAIT}.
     *
     * @param condition the condition
     * @param what what is awaited, for the failure message
     */
    public static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long pause = 100_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + WAIT + ": " + what.get());
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 20_000_000);
        }
    }

    private static List<Integer> tids(long pid) {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return s.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String read(Path p) {
        try {
            return String.join("\n", Files.readAllLines(p)).trim();
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "";
        }
    }
}
