package io.jipc.pipe;

import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.linux.PosixSpawn;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process started by {@link Spawn}: its pid, its end ({@link #waitFor()}), and signals to
 * end it ({@link #destroy()}).
 *
 * <p>Reaping: a small daemon platform thread per running child waits for that pid only ({@code
 * waitid(P_PID, pid, WEXITED|WNOWAIT)}, then {@code waitpid(pid)}), like the JDK's own process
 * reaper, so a child never stays a zombie whether or not anyone calls {@code waitFor}, and jipc
 * never reaps a process it did not start (no {@code waitpid(-1)}). Signals are sent only while the
 * child is unreaped, so they can never hit a recycled pid.
 */
public final class Child {
    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;

    private final int pid;
    private final String command;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private boolean reaped;

    Child(int pid, String command) {
        this.pid = pid;
        this.command = command;
        Thread.ofPlatform()
                .daemon()
                .name("jipc-reaper-" + pid)
                .stackSize(256 * 1024)
                .start(this::reap);
    }

    private void reap() {
        int r = PosixSpawn.waitExitedNoReap(pid);
        IpcException failure = null;
        ExitStatus status = null;
        synchronized (this) {
            int[] w = PosixSpawn.waitpid(pid, r == 0 ? PosixSpawn.WNOHANG : 0);
            reaped = true;
            if (w[0] == pid) {
                status = ExitStatus.of(w[1]);
            } else {
                Errno e = w[0] < 0 ? Errno.of(-w[0]) : r < 0 ? Errno.of(-r) : Errno.ECHILD;
                failure =
                        Errors.failure(
                                e,
                                "waitpid",
                                "pid " + pid,
                                "the child was reaped by someone else (a waitpid(-1) in this process?)");
            }
        }
        if (status != null) {
            exit.complete(status);
        } else {
            exit.completeExceptionally(failure);
        }
    }

    /**
     * The process id.
     *
     * @return the pid
     */
    public int pid() {
        return pid;
    }

    /**
     * Whether the child has not yet ended (and been reaped).
     *
     * @return true while it runs
     */
    public boolean isAlive() {
        return !exit.isDone();
    }

    /**
     * Completes with the exit status when the child ends.
     *
     * @return the future
     */
    public CompletableFuture<ExitStatus> onExit() {
        return exit.copy();
    }

    /**
     * Waits for the child to end. Interruptible (the wait happens in the reaper thread).
     *
     * @return how it ended
     * @throws InterruptedException if this thread is interrupted while waiting
     * @throws IOException if the child could not be waited for (reaped by someone else)
     */
    public ExitStatus waitFor() throws InterruptedException, IOException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /**
     * Waits at most {@code timeout} for the child to end.
     *
     * @param timeout the longest wait
     * @return how it ended, or empty if it still runs
     * @throws InterruptedException if this thread is interrupted while waiting
     * @throws IOException if the child could not be waited for
     */
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException, IOException {
        try {
            return Optional.of(exit.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /**
     * Asks the child to end ({@code kill(pid, SIGTERM)}); does nothing if it has already ended.
     *
     * @throws IpcException if kill fails
     */
    public void destroy() throws IpcException {
        signal(SIGTERM);
    }

    /**
     * Kills the child ({@code kill(pid, SIGKILL)}); does nothing if it has already ended.
     *
     * @throws IpcException if kill fails
     */
    public void destroyForcibly() throws IpcException {
        signal(SIGKILL);
    }

    /**
     * Sends a signal ({@man kill(2)}) unless the child has already been reaped.
     *
     * @param signal the signal number, e.g. 15 for SIGTERM
     * @throws IpcException if kill fails
     */
    public void signal(int signal) throws IpcException {
        synchronized (this) {
            if (reaped) {
                return;
            }
            int r = PosixSpawn.kill(pid, signal);
            if (r < 0 && !Errors.is(r, Errno.ESRCH)) {
                throw Errors.failure(r, "kill", "pid " + pid, "signal " + signal);
            }
        }
    }

    @Override
    public String toString() {
        return "Child[pid "
                + pid
                + ", "
                + command
                + (exit.isDone()
                        ? ", "
                                + exit.handle((s, t) -> s != null ? s.toString() : "wait failed")
                                        .join()
                        : ", running")
                + "]";
    }

    private static IOException unwrap(ExecutionException e) {
        return e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
}
