package io.jipc.sysv;

import io.jipc.InterruptedCallException;
import io.jipc.IpcException;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A cross-process mutual-exclusion lock on one semaphore of a {@link SemaphoreSet}: value 1 means
 * free, 0 held. Taking it is {@code semop {index, -1, SEM_UNDO}}, releasing it {@code {index, +1,
 * SEM_UNDO}}, so a C program doing the same P/V on the same semaphore takes part in the same lock.
 * Create the set with the lock's semaphore at 1.
 *
 * <pre>{@code
 * SemaphoreSet s = SemaphoreSet.create(key, 0600, 1, 1);
 * try (var held = s.lock(0)) {
 *     ... // no other process (or thread) holds semaphore 0 here
 * }
 * }</pre>
 *
 * <h2>Crash safety, and its limits</h2>
 *
 * Because of {@code SEM_UNDO}, the kernel releases the lock when the holding process exits, however
 * it exits: {@code SIGKILL}, a JVM crash, {@code System.exit} without releasing. What the kernel
 * does <em>not</em> cover:
 *
 * <ul>
 *   <li>the protected data: a holder that dies half-way through writing leaves it half-written; the
 *       next holder must be able to detect or repair that (a checksum, a journal, a version word
 *       written last);
 *   <li>undo is per process, not per thread: a thread that ends (or throws past its
 *       try-with-resources without closing) while the process lives on keeps the lock held;
 *   <li>the undo adjustment is bounded by {@code semaem} (= {@code semvmx}, 32767): irrelevant for
 *       a lock (it stays within -1..0), but {@code SETVAL}/{@code SETALL} on the semaphore clear
 *       every process's adjustment, after which a dead holder's lock is not restored correctly;
 *   <li>a holder that is alive but stopped ({@code SIGSTOP}) or stuck keeps the lock: there is no
 *       lease or timeout on holding, only on waiting ({@link #tryLock(Duration)}).
 * </ul>
 *
 * <h2>Threads of one process</h2>
 *
 * The kernel sees processes, not threads: two threads of one JVM would both wait in {@code semop}
 * and both count as the one process. So threads of this JVM first queue on an in-JVM fair gate
 * shared by every {@code SemaphoreLock} on the same semaphore (a virtual thread parks there), and
 * only the thread at the head waits in the kernel. The lock is thus a mutex between threads of one
 * JVM as well as between processes. It is not reentrant: taking it again in the thread that holds
 * it is an {@link IllegalStateException} (it would wait forever). {@link Held#close()} may be
 * called from any thread.
 *
 * <h2>Blocking: interrupts, timeouts, removal, virtual threads</h2>
 *
 * {@link Thread#interrupt()} ends a wait, at the gate or in the kernel, with {@link
 * InterruptedCallException} (the lock is not taken; the interrupt status stays set). {@link
 * #tryLock(Duration)} bounds the whole wait; signals neither shorten nor lengthen it. Removing the
 * set ends a kernel wait with {@link io.jipc.RemovedException}. A virtual thread never pins its
 * carrier: it parks at the gate, and the kernel wait is made as described in {@link SemaphoreSet}.
 */
public final class SemaphoreLock {
    /** One gate per (semid, index) in this JVM. Small and bounded by the semaphores ever locked. */
    private static final ConcurrentHashMap<Long, Gate> GATES = new ConcurrentHashMap<>();

    private final SemaphoreSet set;
    private final int index;
    private final Gate gate;

    private SemaphoreLock(SemaphoreSet set, int index) {
        this.set = set;
        this.index = index;
        this.gate = GATES.computeIfAbsent(((long) set.id() << 16) | index, k -> new Gate());
    }

    /**
     * The lock on one semaphore of a set. Nothing is called yet.
     *
     * @param set the set
     * @param index the semaphore used as the lock (its value must be 1 while free)
     * @return the lock
     * @throws IndexOutOfBoundsException if {@code index} is outside the set
     */
    public static SemaphoreLock on(SemaphoreSet set, int index) {
        Objects.requireNonNull(set, "set").checkIndex(index);
        return new SemaphoreLock(set, index);
    }

    /**
     * Takes the lock, waiting as long as needed.
     *
     * @return the held lock; close it to release
     * @throws IllegalStateException if the current thread holds it already
     * @throws io.jipc.RemovedException if the set is removed while waiting
     * @throws InterruptedCallException if the thread is interrupted while waiting
     * @throws IpcException on other failures
     */
    public Held lock() throws IpcException {
        enterGate(FOREVER);
        return acquireInKernel(-1).orElseThrow();
    }

    /**
     * Takes the lock if it is free now.
     *
     * @return the held lock, or empty if another process or thread holds it
     * @throws IllegalStateException if the current thread holds it already
     * @throws IpcException on failure
     */
    public Optional<Held> tryLock() throws IpcException {
        checkNotOwner();
        if (!gate.permit.tryAcquire()) {
            return Optional.empty();
        }
        gate.owner = Thread.currentThread();
        return acquireInKernel(0);
    }

    /**
     * Takes the lock, waiting at most {@code timeout} (in this JVM's gate and in {@code semtimedop}
     * together).
     *
     * @param timeout the longest wait
     * @return the held lock, or empty if the time ran out
     * @throws IllegalStateException if the current thread holds it already
     * @throws IpcException on failure
     */
    public Optional<Held> tryLock(Duration timeout) throws IpcException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!enterGate(deadline)) {
            return Optional.empty();
        }
        return acquireInKernel(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * Whether the current thread holds this lock (through any {@code SemaphoreLock} on the same
     * semaphore in this JVM).
     *
     * @return true if held by this thread
     */
    public boolean isHeldByCurrentThread() {
        return gate.owner == Thread.currentThread() && gate.held;
    }

    private void checkNotOwner() {
        if (gate.owner == Thread.currentThread()) {
            throw new IllegalStateException(
                    "this thread already holds (or is taking) the lock on semaphore "
                            + index
                            + " of "
                            + set.describe()
                            + "; SemaphoreLock is not reentrant");
        }
    }

    /** The deadline of {@link #enterGate} that waits without limit. */
    private static final long FOREVER = -1;

    /**
     * Enters the in-JVM gate; deadline {@link #FOREVER} waits forever. An interrupt ends the wait
     * with {@link InterruptedCallException} (the interrupt status stays set).
     */
    private boolean enterGate(long deadline) throws InterruptedCallException {
        checkNotOwner();
        try {
            if (deadline == FOREVER) {
                gate.permit.acquire();
            } else if (!gate.permit.tryAcquire(
                    Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedCallException(
                    "semop",
                    set.describe(),
                    "waiting for another thread of this JVM that holds the lock on semaphore "
                            + index);
        }
        gate.owner = Thread.currentThread();
        return true;
    }

    /** With the gate held: semop down with SEM_UNDO; timeout -1 blocks, 0 tries, else timed. */
    private Optional<Held> acquireInKernel(long timeoutNanos) throws IpcException {
        boolean ok = false;
        try {
            SemOp down = SemOp.down(index).undo();
            boolean done =
                    timeoutNanos < 0
                            ? set.op(down)
                            : timeoutNanos == 0
                                    ? set.tryOp(down)
                                    : set.op(Duration.ofNanos(timeoutNanos), down);
            ok = done;
            if (!done) {
                return Optional.empty();
            }
            gate.held = true;
            return Optional.of(new Held());
        } finally {
            if (!ok) {
                gate.owner = null;
                gate.permit.release();
            }
        }
    }

    /** A held lock: {@link #close()} releases it (once; later calls do nothing). */
    public final class Held implements AutoCloseable {
        private boolean closed;

        private Held() {}

        /**
         * The lock this holds.
         *
         * @return the lock
         */
        public SemaphoreLock lock() {
            return SemaphoreLock.this;
        }

        /**
         * Releases the lock ({@code semop {index, +1, SEM_UNDO}}). Idempotent; may be called from
         * any thread. The in-JVM gate is released even if the kernel call fails (e.g. the set was
         * removed meanwhile, which is then reported).
         *
         * @throws IpcException if the kernel call fails
         */
        @Override
        public synchronized void close() throws IpcException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                set.op(SemOp.up(index).undo());
            } finally {
                gate.held = false;
                gate.owner = null;
                gate.permit.release();
            }
        }
    }

    /** The in-JVM queue in front of the kernel semaphore. */
    private static final class Gate {
        final Semaphore permit = new Semaphore(1, true);
        volatile Thread owner;
        volatile boolean held;
    }
}
