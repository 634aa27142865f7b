package io.jipc.sysv;

import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;
import io.jipc.IpcKey;
import io.jipc.Limit;
import io.jipc.LimitExceededException;
import io.jipc.NotFoundException;
import io.jipc.RemovedException;
import io.jipc.internal.Errors;
import io.jipc.internal.Modes;
import io.jipc.internal.SysvInfo;
import io.jipc.internal.linux.Blocking;
import io.jipc.internal.linux.Native;
import io.jipc.internal.linux.Structs;
import io.jipc.internal.linux.SysV;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A System V semaphore set ({@man semget(2)}, {@man semop(2)}, {@man semctl(2)}): an array of
 * {@link #size()} counters that processes change atomically, several at once, waiting until every
 * change of a batch can be made. Interoperable with C programs using the same key.
 *
 * <h2>Lifetime</h2>
 *
 * A set outlives every process: it exists until {@link #remove()} (or {@code ipcrm -s}, or {@code
 * jipc sem rm}) or reboot. This object holds no per-process resource, so there is nothing to close;
 * the only per-process state is the kernel's undo record of {@code SEM_UNDO} operations, which the
 * kernel applies when the process exits.
 *
 * <h2>Creation and the initialisation race</h2>
 *
 * {@code semget} creates a set with every value 0, and setting the real initial values is a second
 * call: a process that opens the set in between sees zeros, and a naive "create or open, then set
 * the values" lets a late process reset values others already changed. jipc follows the {@code
 * sem_otime} recipe (Stevens, UNIX Network Programming vol. 2, 11.2): the creator creates with
 * {@code IPC_CREAT|IPC_EXCL}, sets the values ({@code SETALL}), then makes one net-zero {@code
 * semop} so that {@code sem_otime} becomes non-zero; an opener that loses the creation race waits
 * (bounded) until {@code sem_otime != 0}. So:
 *
 * <ul>
 *   <li>{@link #createExclusive}, {@link #createPrivate}: create, set the initial values exactly
 *       once, mark initialised (on failure the half-made set is removed);
 *   <li>{@link #create(IpcKey, int, int, int...)}: create like the above, or open an existing set
 *       and wait until its creator has initialised it;
 *   <li>{@link #open(IpcKey)}, {@link #ofId(int)}: open what exists, without waiting (use these for
 *       sets made by programs that never call {@code semop} after creating); {@link
 *       #openInitialised} opens and waits for the mark.
 * </ul>
 *
 * <h2>Blocking calls: interrupts, timeouts, removal, virtual threads</h2>
 *
 * {@link #op(SemOp...)} and {@link #op(Duration, SemOp...)} first try the operations without
 * waiting (one plain {@code semop} with {@code IPC_NOWAIT}, the cost of the common case), and wait
 * in the kernel only if they must:
 *
 * <ul>
 *   <li><b>Interrupt:</b> {@link Thread#interrupt()} of a waiting thread ends the wait within about
 *       a millisecond with {@link io.jipc.InterruptedCallException}; nothing was done and the
 *       interrupt status stays set. A thread already interrupted does not start to wait (but
 *       operations that can be done at once are done).
 *   <li><b>Timeout:</b> the timed form is {@man semtimedop(2)}: the kernel's own timeout. Signals
 *       (a profiler's {@code SIGPROF}, ...) neither shorten nor lengthen it: the time left is
 *       recomputed after each {@code EINTR}.
 *   <li><b>Removal:</b> removing the set wakes every waiter, in every process, with {@link
 *       RemovedException} ({@code EIDRM}).
 *   <li><b>Virtual threads:</b> a waiting virtual thread does not pin its carrier: the wait is made
 *       by a helper platform thread while the virtual thread parks (or, when all helpers are busy,
 *       by retrying the non-blocking form with a parking back-off up to 100 ms).
 * </ul>
 *
 * How: see {@code io.jipc.internal.linux.Blocking} (a real-time signal with a no-op native handler
 * ends the kernel wait).
 *
 * <h2>Errors</h2>
 *
 * An index outside the set is an {@link IndexOutOfBoundsException} before any call; a value above
 * {@code semvmx} ({@code ERANGE}) or more operations than {@code semopm} ({@code E2BIG}) is a
 * {@link LimitExceededException} quoting {@link Limit#SEMVMX} or {@link Limit#SEMOPM}; {@code
 * EACCES} is a {@link io.jipc.PermissionDeniedException}; a set removed during the call is a {@link
 * RemovedException}, one that no longer existed when the call started a {@link NotFoundException}.
 */
public final class SemaphoreSet {
    /** How long {@link #create(IpcKey, int, int, int...)} waits for a creator to initialise. */
    public static final Duration DEFAULT_INIT_WAIT = Duration.ofSeconds(10);

    private final int id;
    private final IpcKey key;
    private final int size;
    private final boolean created;

    private SemaphoreSet(int id, IpcKey key, int size, boolean created) {
        this.id = id;
        this.key = key;
        this.size = size;
        this.created = created;
    }

    // ---- opening and creating ---------------------------------------------------------------

    /**
     * Opens the existing set of a key ({@code semget(key, 0, 0)}), without waiting for its
     * initialisation.
     *
     * @param key the key
     * @return the set
     * @throws NotFoundException if no set has this key
     * @throws io.jipc.PermissionDeniedException if the set's mode does not allow this user
     * @throws IpcException on other failures
     */
    public static SemaphoreSet open(IpcKey key) throws IpcException {
        Objects.requireNonNull(key, "key");
        int r = SysV.semget(key.value(), 0, 0);
        if (r < 0) {
            throw getFailure(r, key, 0);
        }
        return new SemaphoreSet(r, key, sizeOf(r), false);
    }

    /**
     * Opens the existing set of a key and waits (at most {@code timeout}) until its creator has
     * initialised it, i.e. until a {@code semop} has been made on it ({@code sem_otime != 0}).
     *
     * @param key the key
     * @param timeout the longest wait for the initialisation
     * @return the set
     * @throws NotFoundException if no set has this key (this method does not wait for creation)
     * @throws IpcException if the set is still uninitialised after {@code timeout}, or on failure
     */
    public static SemaphoreSet openInitialised(IpcKey key, Duration timeout) throws IpcException {
        SemaphoreSet s = open(key);
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!awaitInitialised(s.id, deadline)) {
            throw initTimeout(key, timeout);
        }
        return s;
    }

    /**
     * Opens a set by its identifier ({@code semid}, as {@code ipcs -s} prints it). Checked with
     * {@code semctl(IPC_STAT)}, which also gives its key and size: a set this user may not read is
     * still returned, since changing it may be allowed (its key and size are then read from {@code
     * /proc/sysvipc/sem}).
     *
     * @param semid the identifier
     * @return the set
     * @throws NotFoundException if no set has this identifier
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException if {@code semid} is negative
     */
    public static SemaphoreSet ofId(int semid) throws IpcException {
        if (semid < 0) {
            throw new IllegalArgumentException(
                    "semid=" + semid + " (identifiers are not negative)");
        }
        MemorySegment ds = Native.scratch(Structs.SEMID_DS.byteSize()).fill((byte) 0);
        int r = SysV.semctl(semid, 0, SysV.IPC_STAT, ds);
        if (r >= 0) {
            Structs.SemidDs d = Structs.semidDs(ds);
            return new SemaphoreSet(
                    semid, IpcKey.of(d.sem_perm().key()), (int) d.sem_nsems(), false);
        }
        if (!Errors.is(r, Errno.EACCES)) {
            throw ctlFailure(r, "semctl", semid, "IPC_STAT");
        }
        String[] row =
                ProcSysvipc.row("sem", semid)
                        .orElseThrow(
                                () ->
                                        new NotFoundException(
                                                "semctl",
                                                "semid " + semid,
                                                Errno.EINVAL,
                                                "IPC_STAT: no semaphore set has this id (it was removed)"));
        return new SemaphoreSet(
                semid, IpcKey.of(Integer.parseInt(row[0])), Integer.parseInt(row[3]), false);
    }

    /**
     * Creates a new set for a key, failing if the key has one ({@code IPC_CREAT|IPC_EXCL}), sets
     * its initial values exactly once ({@code SETALL}) and marks it initialised (one net-zero
     * {@code semop}, so {@code sem_otime != 0}). If setting the values fails, the set is removed.
     *
     * @param key the key (not {@link IpcKey#PRIVATE}; use {@link #createPrivate})
     * @param mode permission bits, e.g. {@code 0600}
     * @param size the number of semaphores, 1..{@code semmsl}
     * @param initialValues one value per semaphore, or none for all zeros
     * @return the set
     * @throws io.jipc.AlreadyExistsException if the key has a set
     * @throws LimitExceededException if {@code size} exceeds {@code semmsl}, a value exceeds {@code
     *     semvmx}, or no set or semaphore is left ({@code semmni}, {@code semmns})
     * @throws IpcException on other failures
     */
    public static SemaphoreSet createExclusive(IpcKey key, int mode, int size, int... initialValues)
            throws IpcException {
        checkCreate(key, mode, size, initialValues);
        int r = SysV.semget(key.value(), size, SysV.IPC_CREAT | SysV.IPC_EXCL | mode);
        if (r < 0) {
            throw getFailure(r, key, size);
        }
        return initialise(r, key, size, initialValues);
    }

    /**
     * Creates a new private set ({@code IPC_PRIVATE}), sets its initial values and marks it
     * initialised. Other processes reach it by its {@link #id()} (or by inheriting it).
     *
     * @param mode permission bits, e.g. {@code 0600}
     * @param size the number of semaphores, 1..{@code semmsl}
     * @param initialValues one value per semaphore, or none for all zeros
     * @return the set
     * @throws LimitExceededException if a limit is hit (see {@link #createExclusive})
     * @throws IpcException on other failures
     */
    public static SemaphoreSet createPrivate(int mode, int size, int... initialValues)
            throws IpcException {
        checkCreate(IpcKey.PRIVATE, mode, size, initialValues);
        int r = SysV.semget(SysV.IPC_PRIVATE, size, SysV.IPC_CREAT | mode);
        if (r < 0) {
            throw getFailure(r, IpcKey.PRIVATE, size);
        }
        return initialise(r, IpcKey.PRIVATE, size, initialValues);
    }

    /**
     * Creates the set of a key and initialises it like {@link #createExclusive}, or, if another
     * process created it first, opens it and waits up to {@link #DEFAULT_INIT_WAIT} until that
     * creator has initialised it. The initial values are thus set exactly once, however many
     * processes race here. {@link #created()} tells which happened.
     *
     * @param key the key (not {@link IpcKey#PRIVATE})
     * @param mode permission bits for a new set, e.g. {@code 0600}
     * @param size the number of semaphores (an existing set must have at least this many)
     * @param initialValues one value per semaphore, or none for all zeros (used only if created)
     * @return the set
     * @throws IpcException if the existing set stays uninitialised beyond the wait (its creator
     *     died before initialising it, or it was made by a program that never calls {@code semop}:
     *     remove it, or use {@link #open}), or on failure
     */
    public static SemaphoreSet create(IpcKey key, int mode, int size, int... initialValues)
            throws IpcException {
        return create(key, mode, size, DEFAULT_INIT_WAIT, initialValues);
    }

    /**
     * {@link #create(IpcKey, int, int, int...)} with an explicit longest wait for another creator's
     * initialisation.
     *
     * @param key the key (not {@link IpcKey#PRIVATE})
     * @param mode permission bits for a new set, e.g. {@code 0600}
     * @param size the number of semaphores (an existing set must have at least this many)
     * @param initWait how long to wait for another creator to initialise the set
     * @param initialValues one value per semaphore, or none for all zeros (used only if created)
     * @return the set
     * @throws IpcException if the existing set stays uninitialised beyond {@code initWait}, if the
     *     thread is interrupted while waiting for that (the interrupt status stays set), or on
     *     failure
     */
    public static SemaphoreSet create(
            IpcKey key, int mode, int size, Duration initWait, int... initialValues)
            throws IpcException {
        checkCreate(key, mode, size, initialValues);
        long deadline = System.nanoTime() + initWait.toNanos();
        while (true) {
            int r = SysV.semget(key.value(), size, SysV.IPC_CREAT | SysV.IPC_EXCL | mode);
            if (r >= 0) {
                return initialise(r, key, size, initialValues);
            }
            if (!Errors.is(r, Errno.EEXIST)) {
                throw getFailure(r, key, size);
            }
            int id = SysV.semget(key.value(), size, 0);
            if (Errors.is(id, Errno.ENOENT) || Errors.is(id, Errno.EIDRM)) {
                continue; // removed between our two semget calls: race to create again
            }
            if (id < 0) {
                throw getFailure(id, key, size);
            }
            try {
                if (awaitInitialised(id, deadline)) {
                    return new SemaphoreSet(id, key, sizeOf(id), false);
                }
            } catch (NotFoundException | RemovedException gone) {
                if (System.nanoTime() - deadline < 0) {
                    continue; // the creator gave up and removed it: race to create again
                }
                throw gone;
            }
            throw initTimeout(key, initWait);
        }
    }

    private static void checkCreate(IpcKey key, int mode, int size, int[] values) {
        Objects.requireNonNull(key, "key");
        Modes.check(mode);
        if (size < 1) {
            throw new IllegalArgumentException(
                    "size=" + size + " (a new set needs at least 1 semaphore)");
        }
        if (values.length != 0 && values.length != size) {
            throw new IllegalArgumentException(
                    "initialValues has "
                            + values.length
                            + " values for size="
                            + size
                            + " (give one per semaphore, or none for zeros)");
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                throw new IllegalArgumentException(
                        "initialValues[" + i + "]=" + values[i] + " (must be >= 0)");
            }
        }
    }

    /** Sets the values, marks the set initialised, and removes it if either fails. */
    private static SemaphoreSet initialise(int id, IpcKey key, int size, int[] values)
            throws IpcException {
        SemaphoreSet s = new SemaphoreSet(id, key, size, true);
        try {
            boolean allZero = true;
            for (int v : values) {
                allZero &= v == 0;
            }
            if (!allZero) {
                s.setAll(values);
            }
            s.markInitialised(values.length == 0 ? 0 : values[0]);
            return s;
        } catch (IpcException | RuntimeException | Error e) {
            SysV.semctl(id, 0, SysV.IPC_RMID, 0);
            throw e;
        }
    }

    /**
     * One net-zero semop on semaphore 0 so that {@code sem_otime} becomes non-zero: +1 then -1, or
     * -1 then +1 when the value is at {@code semvmx}. Non-blocking; retried if a process that did
     * not wait for the mark changed the value meanwhile.
     */
    private void markInitialised(int value0) throws IpcException {
        boolean upFirst = value0 == 0;
        for (int attempt = 0; attempt < 100; attempt++) {
            SemOp a = new SemOp(0, upFirst ? 1 : -1, false, true);
            SemOp b = new SemOp(0, upFirst ? -1 : 1, false, true);
            int r = semop(NEVER_WAIT, a, b);
            if (r == 0) {
                return;
            }
            if (!Errors.is(r, Errno.EAGAIN) && !Errors.is(r, Errno.ERANGE)) {
                throw opFailure(r, new SemOp[] {a, b}, "semop");
            }
            upFirst = !upFirst;
        }
        throw new IpcException(
                "semop",
                describe(),
                null,
                "could not mark the new set initialised: its semaphore 0 kept changing");
    }

    /** Polls sem_otime until non-zero or the deadline; throws if the set disappears. */
    private static boolean awaitInitialised(int id, long deadline) throws IpcException {
        long pause = 100_000; // 0.1 ms, doubling up to 10 ms
        while (true) {
            MemorySegment ds = Native.scratch(Structs.SEMID_DS.byteSize()).fill((byte) 0);
            int r = SysV.semctl(id, 0, SysV.IPC_STAT, ds);
            if (r < 0) {
                throw ctlFailure(r, "semctl", id, "IPC_STAT");
            }
            if (Structs.semOtime(ds) != 0) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.currentThread().isInterrupted()) { // the flag stays set for the caller
                throw new IpcException(
                        "semctl",
                        "semid " + id,
                        null,
                        "interrupted while waiting for the set's creator to initialise it");
            }
            pause = Math.min(pause * 2, 10_000_000);
        }
    }

    private static IpcException initTimeout(IpcKey key, Duration wait) {
        return new IpcException(
                "semget",
                "key " + key,
                null,
                "the set exists but was not initialised within "
                        + wait
                        + " (sem_otime is still 0): its creator may have died between semget and its first "
                        + "semop, or it was made by a program that never calls semop; remove it "
                        + "(jipc sem rm --key "
                        + key
                        + ") or open it with SemaphoreSet.open");
    }

    private static int sizeOf(int id) throws IpcException {
        MemorySegment ds = Native.scratch(Structs.SEMID_DS.byteSize()).fill((byte) 0);
        int r = SysV.semctl(id, 0, SysV.IPC_STAT, ds);
        if (r < 0) {
            throw ctlFailure(r, "semctl", id, "IPC_STAT");
        }
        return (int) Structs.semidDs(ds).sem_nsems();
    }

    // ---- identity ---------------------------------------------------------------------------

    /**
     * The set's identifier ({@code semid}), as {@code ipcs -s} prints it.
     *
     * @return the identifier
     */
    public int id() {
        return id;
    }

    /**
     * The key the set was created with ({@link IpcKey#PRIVATE} for a private set).
     *
     * @return the key
     */
    public IpcKey key() {
        return key;
    }

    /**
     * The number of semaphores in the set ({@code sem_nsems}).
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * Whether the factory method that returned this object created the set (rather than opened one
     * another process created).
     *
     * @return true if created here
     */
    public boolean created() {
        return created;
    }

    // ---- semop ------------------------------------------------------------------------------

    /**
     * Applies the operations as one atomic {@man semop(2)}, waiting until all of them can be done
     * at once (for {@code SemOp.down} and {@code SemOp.waitZero}). Signals do not end the wait;
     * {@link Thread#interrupt()} does, with {@link io.jipc.InterruptedCallException} (nothing done,
     * interrupt status kept); removing the set does, with {@link RemovedException}; a virtual
     * thread does not pin its carrier while waiting (see the class comment).
     *
     * @param ops the operations, at most {@code semopm}
     * @return true when done; false only if an operation flagged {@link SemOp#nowait()} could not
     *     be done at once (then nothing was done)
     * @throws IndexOutOfBoundsException if an operation's index is outside the set
     * @throws LimitExceededException more operations than {@code semopm}, or a value (or undo
     *     adjustment) beyond {@code semvmx}
     * @throws RemovedException if the set was removed while waiting
     * @throws io.jipc.InterruptedCallException if the thread was interrupted while waiting
     * @throws IpcException on other failures
     */
    public boolean op(SemOp... ops) throws IpcException {
        return run(ops, 0, -1);
    }

    /**
     * Applies the operations as one atomic {@man semop(2)} if that can be done at once ({@code
     * IPC_NOWAIT} on every operation).
     *
     * @param ops the operations
     * @return true when done, false if some operation would have had to wait (nothing was done)
     * @throws IpcException on failures, as {@link #op(SemOp...)}
     */
    public boolean tryOp(SemOp... ops) throws IpcException {
        return run(ops, SysV.IPC_NOWAIT, -1);
    }

    /**
     * Applies the operations as one atomic {@man semtimedop(2)}, waiting at most {@code timeout}. A
     * timeout is an expected outcome: it returns {@code false} (nothing was done) rather than
     * throwing. Signals neither shorten nor lengthen the wait (the time left is recomputed after
     * each {@code EINTR}). {@link Thread#interrupt()} ends the wait with {@link
     * io.jipc.InterruptedCallException}, removal with {@link RemovedException}; a virtual thread
     * does not pin its carrier.
     *
     * @param timeout the longest wait, zero or positive
     * @param ops the operations
     * @return true when done, false if the time ran out (or a {@code nowait} operation would block)
     * @throws IpcException on failures, as {@link #op(SemOp...)}
     */
    public boolean op(Duration timeout, SemOp... ops) throws IpcException {
        return run(ops, 0, Blocking.timeoutNanos(timeout));
    }

    private boolean run(SemOp[] ops, int extraFlags, long timeoutNanos) throws IpcException {
        if (ops.length == 0) {
            throw new IllegalArgumentException("ops is empty (give at least one operation)");
        }
        // Validated in place, nothing allocated on the way to the call (tryOp's IPC_NOWAIT is added
        // to the encoded flags by semop() below); the ops as made are built only for a failure.
        for (int i = 0; i < ops.length; i++) {
            SemOp o = ops[i];
            if (o == null) {
                throw new NullPointerException("ops[" + i + "]");
            }
            checkIndex(o.index());
        }
        int r = semop(extraFlags != 0 ? NEVER_WAIT : timeoutNanos, ops);
        if (r == 0) {
            return true;
        }
        if (Errors.is(r, Errno.EAGAIN)) {
            return false;
        }
        SemOp[] all = ops;
        if (extraFlags != 0) {
            all = ops.clone();
            for (int i = 0; i < all.length; i++) {
                all[i] = all[i].isNoWait() ? all[i] : all[i].nowait();
            }
        }
        String call = timeoutNanos < 0 ? "semop" : "semtimedop";
        if (Errors.is(r, Errno.EINTR)) {
            throw new InterruptedCallException(
                    call, describe(), all.length <= 8 ? "ops " + List.of(all) : null);
        }
        throw opFailure(r, all, call);
    }

    /**
     * Encodes the ops into this thread's scratch memory and makes the call. On a platform thread
     * that may wait: the blocking form at once, as C calls semop (one system call; an operation
     * flagged {@code nowait} still makes the whole call say EAGAIN). Otherwise first the
     * non-blocking form (every operation with {@code IPC_NOWAIT}), then, only if that would block
     * and the caller may wait, the blocking form through the interruptible, virtual-thread-safe
     * mechanism ({@code SysV.semopBlocking}). A negative {@code timeoutNanos} waits without limit;
     * {@code timeoutNanos == NEVER_WAIT} never waits.
     */
    private int semop(long timeoutNanos, SemOp... ops) {
        long bytes = Structs.SEMBUF_BYTES * ops.length;
        MemorySegment both =
                Native.scratchAtLeast(2 * bytes); // the ops at 0, a blocking copy after them
        if (timeoutNanos != NEVER_WAIT && timeoutNanos != 0 && Blocking.direct()) {
            encode(both, ops, 0);
            return SysV.semopBlocking(id, both, MemorySegment.NULL, ops.length, timeoutNanos);
        }
        MemorySegment noWait = both;
        boolean allNoWait = encode(noWait, ops, SysV.IPC_NOWAIT);
        int r = SysV.semopNoWait(id, noWait, ops.length);
        if (!Errors.is(r, Errno.EAGAIN) || timeoutNanos == NEVER_WAIT) {
            return r;
        }
        if (timeoutNanos == 0 || allNoWait) {
            return r; // op(Duration.ZERO), or nothing may wait: the non-blocking answer is the
            // answer
        }
        MemorySegment blocking = both.asSlice(bytes, bytes);
        encode(blocking, ops, 0);
        return SysV.semopBlocking(id, blocking, noWait, ops.length, timeoutNanos);
    }

    /**
     * Writes the ops as {@code struct sembuf}s with {@code extraFlags}; true if every op is nowait.
     */
    private static boolean encode(MemorySegment to, SemOp[] ops, int extraFlags) {
        boolean allNoWait = true;
        for (int i = 0; i < ops.length; i++) {
            Structs.sembuf(to, i, ops[i].index(), ops[i].delta(), ops[i].flags() | extraFlags);
            allNoWait &= ops[i].isNoWait();
        }
        return allNoWait;
    }

    /** {@code timeoutNanos} for {@link #semop(long, SemOp...)}: make the non-blocking call only. */
    private static final long NEVER_WAIT = -2;

    private IpcException opFailure(int r, SemOp[] ops, String call) {
        String what = ops.length <= 8 ? "ops " + List.of(ops) : ops.length + " ops";
        return switch (Errno.of(-r)) {
            case E2BIG ->
                    new LimitExceededException(
                            call,
                            describe(),
                            Errno.E2BIG,
                            ops.length + " operations in one call",
                            Limit.SEMOPM,
                            Limit.SEMOPM.value());
            case ERANGE ->
                    new LimitExceededException(
                            call,
                            describe(),
                            Errno.ERANGE,
                            what
                                    + " would take a semaphore (or this process's undo adjustment) beyond semvmx",
                            Limit.SEMVMX,
                            Limit.SEMVMX.value());
            case EIDRM ->
                    new RemovedException(
                            call,
                            describe(),
                            Errno.EIDRM,
                            "the set was removed while this call waited (" + what + ")");
            case EINVAL ->
                    new NotFoundException(
                            call,
                            describe(),
                            Errno.EINVAL,
                            "no semaphore set has this id (removed before the call?)");
            case EACCES ->
                    Errors.failure(
                            r,
                            call,
                            describe(),
                            "the set's mode does not allow this user to alter it (or to read it, for wait-for-zero)");
            case EFBIG ->
                    new IpcException(
                            call,
                            describe(),
                            Errno.EFBIG,
                            "an index is not below the set's "
                                    + size
                                    + " semaphores ("
                                    + what
                                    + ")");
            case ENOMEM ->
                    new IpcException(
                            call, describe(), Errno.ENOMEM, "no memory for the SEM_UNDO record");
            default -> Errors.failure(r, call, describe(), what);
        };
    }

    // ---- values -------------------------------------------------------------------------------

    /**
     * One semaphore's value ({@code semctl GETVAL}).
     *
     * @param index the semaphore
     * @return its value
     * @throws IpcException on failure (e.g. no read permission)
     */
    public int get(int index) throws IpcException {
        return ctlInt(index, SysV.GETVAL, 0, "GETVAL");
    }

    /**
     * Every value, read atomically ({@code semctl GETALL}).
     *
     * @return one value per semaphore
     * @throws IpcException on failure
     */
    public int[] getAll() throws IpcException {
        MemorySegment buf = Native.scratch(Structs.ushortsBytes(size)).fill((byte) 0);
        int r = SysV.semctl(id, 0, SysV.GETALL, buf);
        if (r < 0) {
            throw ctlFailure(r, "semctl", id, "GETALL");
        }
        return Structs.ushorts(buf, size);
    }

    /**
     * Sets one semaphore's value ({@code semctl SETVAL}), waking the processes this allows to
     * proceed. The kernel clears every process's undo adjustment for this semaphore.
     *
     * @param index the semaphore
     * @param value the value, 0..{@code semvmx}
     * @throws LimitExceededException if {@code value} exceeds {@code semvmx}
     * @throws IpcException on other failures
     */
    public void set(int index, int value) throws IpcException {
        checkIndex(index);
        if (value < 0) {
            throw new IllegalArgumentException("value=" + value + " (must be >= 0)");
        }
        int r = SysV.semctl(id, index, SysV.SETVAL, value);
        if (r < 0) {
            throw Errors.is(r, Errno.ERANGE)
                    ? new LimitExceededException(
                            "semctl",
                            describe(),
                            Errno.ERANGE,
                            "SETVAL semaphore " + index + " to " + value,
                            Limit.SEMVMX,
                            Limit.SEMVMX.value())
                    : ctlFailure(r, "semctl", id, "SETVAL");
        }
    }

    /**
     * Sets every value at once ({@code semctl SETALL}); the kernel clears every process's undo
     * adjustments for the set.
     *
     * @param values one value per semaphore, each 0..{@code semvmx}
     * @throws LimitExceededException if a value exceeds {@code semvmx}
     * @throws IpcException on other failures
     */
    public void setAll(int... values) throws IpcException {
        if (values.length != size) {
            throw new IllegalArgumentException(
                    "values has " + values.length + " values but the set has size=" + size);
        }
        MemorySegment buf = Native.scratch(Structs.ushortsBytes(size));
        for (int i = 0; i < size; i++) {
            int v = values[i];
            if (v < 0) {
                throw new IllegalArgumentException("values[" + i + "]=" + v + " (must be >= 0)");
            }
            if (v > 0xffff) { // cannot even be passed (unsigned short array): the kernel's answer
                // is known
                throw new LimitExceededException(
                        "semctl",
                        describe(),
                        null,
                        "SETALL values[" + i + "]=" + v,
                        Limit.SEMVMX,
                        Limit.SEMVMX.value());
            }
            Structs.ushort(buf, i, v);
        }
        int r = SysV.semctl(id, 0, SysV.SETALL, buf);
        if (r < 0) {
            throw Errors.is(r, Errno.ERANGE)
                    ? new LimitExceededException(
                            "semctl",
                            describe(),
                            Errno.ERANGE,
                            "SETALL " + java.util.Arrays.toString(values),
                            Limit.SEMVMX,
                            Limit.SEMVMX.value())
                    : ctlFailure(r, "semctl", id, "SETALL");
        }
    }

    /**
     * How many threads wait for this semaphore to grow ({@code semctl GETNCNT}).
     *
     * @param index the semaphore
     * @return the count
     * @throws IpcException on failure
     */
    public int waitingForIncrease(int index) throws IpcException {
        return ctlInt(index, SysV.GETNCNT, 0, "GETNCNT");
    }

    /**
     * How many threads wait for this semaphore to become zero ({@code semctl GETZCNT}).
     *
     * @param index the semaphore
     * @return the count
     * @throws IpcException on failure
     */
    public int waitingForZero(int index) throws IpcException {
        return ctlInt(index, SysV.GETZCNT, 0, "GETZCNT");
    }

    /**
     * The process that made the last operation on this semaphore ({@code semctl GETPID}).
     *
     * @param index the semaphore
     * @return the pid, 0 if none
     * @throws IpcException on failure
     */
    public int lastPid(int index) throws IpcException {
        return ctlInt(index, SysV.GETPID, 0, "GETPID");
    }

    /**
     * Every semaphore's value, waiter counts and last pid (values read atomically with {@code
     * GETALL}; the counts one by one after that).
     *
     * @return one state per semaphore, in index order
     * @throws IpcException on failure
     */
    public List<SemaphoreState> states() throws IpcException {
        int[] values = getAll();
        List<SemaphoreState> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(
                    new SemaphoreState(
                            i, values[i], waitingForIncrease(i), waitingForZero(i), lastPid(i)));
        }
        return List.copyOf(list);
    }

    private int ctlInt(int index, int cmd, int arg, String name) throws IpcException {
        checkIndex(index);
        int r = SysV.semctl(id, index, cmd, arg);
        if (r < 0) {
            throw ctlFailure(r, "semctl", id, name);
        }
        return r;
    }

    // ---- status, IPC_SET, removal
    // ----------------------------------------------------------------

    /**
     * The set's status ({@code semctl IPC_STAT}).
     *
     * @return the status
     * @throws IpcException on failure (e.g. no read permission)
     */
    public SemaphoreSetStatus status() throws IpcException {
        return SemaphoreSetStatus.of(id, Structs.semidDs(stat()));
    }

    /**
     * Sets the owner and the permission bits in one {@code semctl IPC_SET}; only the owner, the
     * creator or a privileged process may.
     *
     * @param uid the new owner's user id
     * @param gid the new owner's group id
     * @param mode the new permission bits, 0..0777
     * @throws io.jipc.PermissionDeniedException if this process may not change them
     * @throws IpcException on other failures
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}
     */
    public void setPermissions(int uid, int gid, int mode) throws IpcException {
        Modes.check(mode);
        ipcSet(stat(), uid, gid, mode);
    }

    /**
     * Changes the owner, keeping the mode ({@code IPC_STAT} then {@code IPC_SET}; not atomic
     * against another process changing the set at the same time).
     *
     * @param uid the new owner's user id
     * @param gid the new owner's group id
     * @throws IpcException as {@link #setPermissions} does
     */
    public void setOwner(int uid, int gid) throws IpcException {
        MemorySegment ds = stat();
        ipcSet(ds, uid, gid, Structs.semidDs(ds).sem_perm().mode() & 0777);
    }

    /**
     * Changes the permission bits, keeping the owner (see {@link #setOwner}).
     *
     * @param mode the new permission bits, 0..0777
     * @throws IpcException as {@link #setPermissions} does
     */
    public void setMode(int mode) throws IpcException {
        Modes.check(mode);
        MemorySegment ds = stat();
        Structs.IpcPerm p = Structs.semidDs(ds).sem_perm();
        ipcSet(ds, p.uid(), p.gid(), mode);
    }

    private MemorySegment stat() throws IpcException {
        MemorySegment ds = Native.scratch(Structs.SEMID_DS.byteSize()).fill((byte) 0);
        int r = SysV.semctl(id, 0, SysV.IPC_STAT, ds);
        if (r < 0) {
            throw ctlFailure(r, "semctl", id, "IPC_STAT");
        }
        return ds;
    }

    private void ipcSet(MemorySegment ds, int uid, int gid, int mode) throws IpcException {
        Structs.semidDs(ds, uid, gid, mode);
        int r = SysV.semctl(id, 0, SysV.IPC_SET, ds);
        if (r < 0) {
            throw ctlFailure(r, "semctl", id, "IPC_SET");
        }
    }

    /**
     * Removes the set ({@code semctl IPC_RMID}) at once; every thread waiting on it, in any
     * process, wakes with {@link RemovedException}.
     *
     * @throws NotFoundException if it was removed already
     * @throws io.jipc.PermissionDeniedException if this process is neither owner, creator nor
     *     privileged
     * @throws IpcException on other failures
     */
    public void remove() throws IpcException {
        int r = SysV.semctl(id, 0, SysV.IPC_RMID, 0);
        if (r < 0) {
            throw ctlFailure(r, "semctl", id, "IPC_RMID");
        }
    }

    /**
     * System-wide limits ({@code semctl IPC_INFO}) and usage ({@code semctl SEM_INFO}).
     *
     * @return the figures
     * @throws IpcException if the kernel refuses
     */
    public static SemaphoreInfo info() throws IpcException {
        Structs.SemInfo limits = SysvInfo.sem(SysV.IPC_INFO).info();
        SysvInfo.Reply<Structs.SemInfo> usage = SysvInfo.sem(SysV.SEM_INFO);
        return new SemaphoreInfo(
                limits.semmni(),
                limits.semmns(),
                limits.semmsl(),
                limits.semopm(),
                limits.semvmx(),
                limits.semaem(),
                usage.info().semusz(),
                usage.info().semaem(),
                usage.result());
    }

    // ---- the lock
    // ---------------------------------------------------------------------------------

    /**
     * Takes the cross-process lock on one semaphore of this set ({@link SemaphoreLock}: value 1
     * means free), waiting as long as needed; close the result to release it. {@code try (var held
     * = set.lock(0)) { ... }}
     *
     * @param index the semaphore used as the lock
     * @return the held lock
     * @throws IpcException on failure
     */
    public SemaphoreLock.Held lock(int index) throws IpcException {
        return SemaphoreLock.on(this, index).lock();
    }

    // ---- helpers ------------------------------------------------------------------------------

    void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(
                    "index="
                            + index
                            + " but "
                            + describe()
                            + " has "
                            + size
                            + " semaphore"
                            + (size == 1 ? "" : "s")
                            + " (0.."
                            + (size - 1)
                            + ")");
        }
    }

    String describe() {
        return "semid " + id;
    }

    private static IpcException ctlFailure(int r, String call, int id, String cmd) {
        String object = "semid " + id;
        return switch (Errno.of(-r)) {
            case EINVAL ->
                    new NotFoundException(
                            call,
                            object,
                            Errno.EINVAL,
                            cmd + ": no semaphore set has this id (removed?)");
            case EIDRM ->
                    new RemovedException(call, object, Errno.EIDRM, cmd + ": the set was removed");
            case EACCES ->
                    Errors.failure(
                            r, call, object, cmd + ": the set's mode does not allow this user");
            case EPERM ->
                    Errors.failure(
                            r,
                            call,
                            object,
                            cmd
                                    + ": only the set's owner, its creator or a privileged process may do this");
            default -> Errors.failure(r, call, object, cmd);
        };
    }

    private static IpcException getFailure(int r, IpcKey key, int size) {
        String object = "key " + key;
        return switch (Errno.of(-r)) {
            case ENOENT -> Errors.failure(r, "semget", object, "no semaphore set has this key");
            case EEXIST ->
                    Errors.failure(
                            r, "semget", object, "a semaphore set with this key exists already");
            case EACCES ->
                    Errors.failure(r, "semget", object, "the set's mode does not allow this user");
            case EINVAL ->
                    size > Limit.SEMMSL.value()
                            ? new LimitExceededException(
                                    "semget",
                                    object,
                                    Errno.EINVAL,
                                    "size=" + size,
                                    Limit.SEMMSL,
                                    Limit.SEMMSL.value())
                            : Errors.failure(
                                    r,
                                    "semget",
                                    object,
                                    "the existing set has fewer than size=" + size + " semaphores");
            case ENOSPC -> {
                Limit limit = Limit.SEMMNI;
                try {
                    if (info().setsInUse() < Limit.SEMMNI.value()) {
                        limit = Limit.SEMMNS;
                    }
                } catch (IpcException e) {
                    // keep SEMMNI
                }
                yield new LimitExceededException(
                        "semget",
                        object,
                        Errno.ENOSPC,
                        "no "
                                + (limit == Limit.SEMMNI ? "set identifiers" : "semaphores")
                                + " left for size="
                                + size,
                        limit,
                        limit.value());
            }
            default -> Errors.failure(r, "semget", object, null);
        };
    }

    /**
     * Sets are equal when they have the same identifier.
     *
     * @param o another object
     * @return whether {@code o} is a set with the same id
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SemaphoreSet s && s.id == id;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(id);
    }

    /**
     * A short description.
     *
     * @return e.g. {@code "SemaphoreSet[semid 5, key 0x67001234, 2 semaphores]"}
     */
    @Override
    public String toString() {
        return "SemaphoreSet[semid "
                + id
                + ", key "
                + key
                + ", "
                + size
                + " semaphore"
                + (size == 1 ? "" : "s")
                + "]";
    }
}
