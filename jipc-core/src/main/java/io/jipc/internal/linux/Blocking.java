package io.jipc.internal.linux;

import static io.jipc.internal.linux.Errnos.EAGAIN;
import static io.jipc.internal.linux.Errnos.EINTR;
import static io.jipc.internal.linux.Errnos.ETIMEDOUT;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one mechanism through which every call that can block in the kernel runs ({@code semop},
 * {@code semtimedop}, {@code msgsnd}, {@code msgrcv}, FIFO {@code open}, pipe {@code read} and
 * {@code write}): it makes such a call end on {@link Thread#interrupt()}, gives it a timeout where
 * the kernel has none, and keeps it from pinning the carrier of a virtual thread.
 *
 * <h2>The contract for callers</h2>
 *
 * On a <em>platform thread</em> an untimed call (or one the kernel times, {@code semtimedop}) goes
 * straight to the blocking form ({@link #enter}), once, as C makes it, bracketed by the interrupt
 * hook described below. No non-blocking try first: on a ping-pong that try fails on every hand-off,
 * a wasted kernel entry C does not make. The wrapper keeps the call in its own loop, so nothing is
 * captured or allocated. An interrupted thread does not come here: it makes the non-blocking form
 * (what needs no wait is still done) and then {@link #call} says {@code -EINTR}.
 *
 * <p>On a virtual thread, and for calls that need a timer, the caller first makes the non-blocking
 * form of its call itself ({@code IPC_NOWAIT}, ...) and comes to {@link #call} only if that would
 * block (a virtual thread then needs no helper thread, a timed call no timer, in the common case).
 * {@link #call} runs {@code blocking} (one attempt of the blocking form, {@code EINTR} <em>not</em>
 * retried inside) and returns its result, or {@code -EINTR} when the thread was interrupted
 * (nothing was done, the interrupt status is set), or {@code -ETIMEDOUT} when the timeout passed
 * first (nothing was done). A call that completes while an interrupt or the timeout arrives returns
 * its result: a message is either received and returned or left where it was.
 *
 * <h2>Cancelling a call: a signal with a native no-op handler</h2>
 *
 * A thread blocked in a downcall is ended by sending it {@link #SIGNAL}, a real-time signal whose
 * handler ({@link Signals#installNoOpHandler}) is glibc's {@code getpid} installed without {@code
 * SA_RESTART}: the blocked system call returns {@code EINTR}, the handler does nothing (it ignores
 * its argument, is async-signal-safe and never touches errno). There is no Java upcall and no
 * native library of jipc. The signal is {@code SIGRTMIN+6} (40) unless the system property {@code
 * io.jipc.cancelSignal} names another; a signal someone else already handles is skipped (the next
 * free one up to {@code SIGRTMAX-3} is taken). glibc keeps 32 and 33 and the JDK's NIO uses {@code
 * SIGRTMAX-2} (62) for the same purpose, visible in {@code SigCgt} of {@code /proc/PID/status};
 * neither is ever used.
 *
 * <p>The canceller first records why ({@code cancel}, checked by the blocked thread before every
 * attempt), then, if the thread is in its call, sends the signal with {@code tgkill} to the thread
 * id the blocked thread recorded, and re-sends it (10 µs doubling to 1 ms apart) until the blocked
 * thread acknowledges by leaving the call: a signal that lands just before the thread enters the
 * kernel is harmless and the next one ends the wait. A thread not yet in its call is neither
 * signalled nor waited for (the canceller may hold a lock it needs to get there): it reads the
 * request itself before its first attempt. This is the JDK's own recipe for its NIO channels
 * ({@code NativeThreadSet.signalAndWait}). {@code EINTR} from any other signal (a profiler's {@code
 * SIGPROF}, {@code SIGPIPE}) is retried with the same deadline, so it neither shortens nor
 * lengthens a timeout.
 *
 * <h2>Learning of an interrupt</h2>
 *
 * <ul>
 *   <li>On a platform thread the call runs on the caller, bracketed by the {@link
 *       AbstractInterruptibleChannel#begin()}/{@code end} hook of a private per-call object: {@link
 *       Thread#interrupt()} itself then runs the canceller, in the interrupting thread, as it does
 *       for JDK channels. No polling thread, no handoff.
 *   <li>On a virtual thread the call runs on a helper platform thread from a bounded pool ({@code
 *       io.jipc.blocking.maxThreads}, default 256) while the virtual thread parks; an interrupt
 *       unparks it and it cancels the helper's call. When every helper is busy, the virtual thread
 *       parks and a single "poller" platform thread retries its non-blocking form with a back-off
 *       (0.1 ms doubling up to 100 ms) until it would no longer block, then unparks it; so any
 *       number of virtual threads can wait without pinning a carrier, and waiting ones cost the
 *       virtual-thread scheduler nothing (no timers, no mounts).
 *   <li>Timeouts without kernel support run a timer (one daemon thread) that cancels the call at
 *       the deadline.
 * </ul>
 */
public final class Blocking {
    private Blocking() {}

    /** One attempt of a call: its result, or -errno (without retrying {@code EINTR}). */
    @FunctionalInterface
    public interface Attempt {
        /**
         * Makes the call once.
         *
         * @return the result, or -errno
         */
        long run();
    }

    /**
     * Whether the calling thread takes the direct path ({@link #enter}): a platform thread that is
     * not interrupted. (An interrupted one makes the non-blocking form, which still does what needs
     * no wait, and then gets {@code -EINTR} from {@link #call}.)
     *
     * @return true on a platform thread without pending interrupt
     */
    public static boolean direct() {
        Thread me = Thread.currentThread();
        return !me.isVirtual() && !me.isInterrupted();
    }

    /**
     * Begins a blocking call on the direct path of this platform thread ({@link #direct()}): the
     * caller then makes the blocking form itself, in a loop that goes on while {@link
     * Wait#mayCall()} and the call says {@code EINTR}, and ends with {@link Wait#exit(long)} in a
     * {@code finally} block:
     *
     * <pre>{@code
     * Blocking.Wait w = Blocking.enter();
     * long r = -EINTR;
     * try {
     *     while (w.mayCall() && (r = once(w.errno, ...)) == -EINTR) {
     *     }
     * } finally {
     *     r = w.exit(r);
     * }
     * }</pre>
     *
     * The loop lives in each wrapper, with the downcall in it, so that the JIT compiles it as one
     * piece: no interface call in between, nothing allocated. Between {@code enter} and {@code
     * exit}, {@link Thread#interrupt()} cancels the call (see the class comment).
     *
     * @return this thread's wait, in the call
     */
    static Wait enter() {
        Wait w = reusable(Thread.currentThread());
        w.enter(); // begin(): until exit()'s end(), w's hook is this thread's interrupt hook
        // IN_CALL only after begin(): begin() may close the hook, which needs the lock that an
        // interrupter holds while it signals an IN_CALL thread (the deadlock this order avoids).
        // A volatile store, then mayCall()'s volatile loads of cancel and rehook, against the
        // canceller's volatile store of its request, then its volatile load of state (Dekker):
        // volatile accesses are sequentially consistent, so either the canceller reads IN_CALL
        // and signals until DONE, or this thread reads the request before its first attempt. A
        // release store would let the load of cancel pass it (StoreLoad): neither would notice.
        Wait.STATE.setVolatile(w, IN_CALL);
        return w;
    }

    /**
     * This platform thread's Wait for an untimed call, made fresh (state BEFORE). A wait that a
     * cancel reached is replaced, never reset: its canceller may still be at work on it.
     */
    private static Wait reusable(Thread me) {
        Wait w = IDLE.get();
        if (w == null || w.cancel != NONE) {
            w = new Wait(me);
            w.tid = Tid.current();
            IDLE.set(w);
        } else {
            w.reset();
        }
        return w;
    }

    /**
     * Starts now the threads this class starts lazily (the timer of timed calls, the poller of
     * virtual threads), so that they do not inherit a CPU pinning made later ({@code io.jipc.Cpus}:
     * Linux copies a thread's affinity to the threads it starts).
     */
    public static void startThreads() {
        Timer.EXECUTOR.prestartCoreThread();
        Poller.THREAD.getState(); // initialising Poller started its thread
    }

    /**
     * What a non-blocking {@link Attempt} returns when the call would block ({@code -EAGAIN}), for
     * attempts written outside this package.
     */
    public static final long WOULD_BLOCK = -EAGAIN;

    /** The most helper threads for virtual threads ({@code io.jipc.blocking.maxThreads}). */
    public static final int MAX_HELPERS = Integer.getInteger("io.jipc.blocking.maxThreads", 256);

    /** The longest pause between two non-blocking attempts of a virtual thread without helper. */
    static final long MAX_POLL_PAUSE_NANOS = 100_000_000L;

    /** The cancel signal (see the class comment). */
    public static final int SIGNAL = Cancel.SIGNAL;

    private static final long CANCELLED = Long.MIN_VALUE;
    private static final ThreadLocal<Wait> IDLE = new ThreadLocal<>();
    private static final int NONE = 0;
    private static final int INTERRUPT = 1;
    private static final int TIMEOUT = 2;
    private static final int BEFORE = 0;
    private static final int IN_CALL = 1;
    private static final int DONE = 2;

    /**
     * The nanoseconds of a timed form's {@code Duration}: a negative timeout is refused, one too
     * long for a {@code long} of nanoseconds waits "forever" ({@code Long.MAX_VALUE / 2}).
     *
     * @param timeout the caller's timeout
     * @return the timeout in nanoseconds
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static long timeoutNanos(java.time.Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + " (must not be negative)");
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    /**
     * Runs a call that may block; see the class comment.
     *
     * @param blocking one attempt of the blocking form
     * @param nonBlocking one attempt of the non-blocking form, returning {@code -EAGAIN} when it
     *     would block; {@code null} if the call has none (a virtual thread then waits for a helper
     *     thread)
     * @param timeoutNanos the longest wait, or negative for none
     * @param kernelTimed true if {@code blocking} enforces the timeout itself (semtimedop): no
     *     timer is set then
     * @return the call's result or -errno, {@code -EINTR} if interrupted, {@code -ETIMEDOUT} if the
     *     time ran out
     */
    public static long call(
            Attempt blocking, Attempt nonBlocking, long timeoutNanos, boolean kernelTimed) {
        Thread me = Thread.currentThread();
        if (me.isInterrupted()) {
            return -EINTR;
        }
        long deadline = timeoutNanos >= 0 ? System.nanoTime() + timeoutNanos : 0L;
        if (me.isVirtual()) {
            return onVirtual(me, blocking, nonBlocking, timeoutNanos >= 0, deadline, kernelTimed);
        }
        boolean timed = timeoutNanos >= 0 && !kernelTimed;
        // An untimed call reuses this thread's Wait (no allocation); one an interrupt closed, or
        // one a timer may still touch, is never reused.
        Wait w;
        if (timed) {
            w = new Wait(me);
            w.tid = Tid.current();
        } else {
            w = reusable(me);
        }
        ScheduledFuture<?> timer = null;
        w.enter();
        try {
            if (timed) {
                timer = Timer.EXECUTOR.schedule(w::timeout, timeoutNanos, TimeUnit.NANOSECONDS);
            }
            w.run(blocking);
        } finally {
            w.leave();
            if (timer != null) {
                timer.cancel(false);
            }
        }
        if (!timed && w.cancel != NONE) {
            IDLE.remove();
        }
        return w.outcome();
    }

    private static long onVirtual(
            Thread me,
            Attempt blocking,
            Attempt nonBlocking,
            boolean timed,
            long deadline,
            boolean kernelTimed) {
        Wait w = new Wait(null);
        Runnable job =
                () -> {
                    w.owner = Thread.currentThread();
                    w.tid = Tid.current();
                    try {
                        w.run(blocking);
                    } finally {
                        LockSupport.unpark(me);
                    }
                };
        if (!Helpers.tryStart(job)) {
            if (nonBlocking != null) {
                return Poller.await(me, nonBlocking, timed, deadline);
            }
            long pause = 100_000L; // no non-blocking form: wait (parked) for a helper to be free
            do {
                if (me.isInterrupted()) {
                    return -EINTR;
                }
                long now = System.nanoTime();
                if (timed && now - deadline >= 0) {
                    return -ETIMEDOUT;
                }
                LockSupport.parkNanos(timed ? Math.min(pause, deadline - now) : pause);
                pause = Math.min(pause * 2, MAX_POLL_PAUSE_NANOS);
            } while (!Helpers.tryStart(job));
        }
        while (w.state != DONE) {
            if (me.isInterrupted()) {
                w.cancel(INTERRUPT);
                awaitHelper(me, w);
                break;
            }
            if (timed && !kernelTimed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    w.cancel(TIMEOUT);
                    awaitHelper(me, w);
                    break;
                }
                LockSupport.parkNanos(w, left);
            } else {
                LockSupport.park(w);
            }
        }
        return w.outcome();
    }

    /**
     * Waits, parked, until the helper thread has left a call this virtual thread cancelled (the
     * helper unparks it then). The interrupt status is cleared before every park, since park()
     * returns at once while it is set (the wait would be a spin: interrupts keep coming), and set
     * again afterwards.
     */
    private static void awaitHelper(Thread me, Wait w) {
        boolean interrupted = false;
        try {
            while (w.state != DONE) {
                interrupted |= Thread.interrupted(); // again each time: more interrupts may come
                LockSupport.park(w);
            }
        } finally {
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    /**
     * One blocking call in progress: who runs it (thread and kernel thread id), where it is ({@code
     * state}) and whether and why it must end ({@code cancel}). Its {@link Hook} receives {@link
     * Thread#interrupt()} of a platform thread blocked in it.
     *
     * <p>A canceller never waits for a thread that is not {@code IN_CALL}: it may hold the lock of
     * the thread's hook (Thread.interrupt() runs it under that lock), which the thread itself takes
     * in begin() and end(). A thread {@code IN_CALL} reaches {@code DONE} without that lock (its
     * exit sets DONE before end()), so signalling it until DONE cannot deadlock. A thread {@code
     * BEFORE} its call is not signalled and not waited for: it re-reads the request after storing
     * {@code IN_CALL} (a volatile store and a volatile load on either side, the Dekker pair of
     * {@link #run} against {@link #cancel}), so it never enters the kernel with a request pending.
     */
    static final class Wait {
        private static final VarHandle CANCEL;
        private static final VarHandle STATE;
        private static final VarHandle REHOOK;

        static {
            try {
                CANCEL = MethodHandles.lookup().findVarHandle(Wait.class, "cancel", int.class);
                STATE = MethodHandles.lookup().findVarHandle(Wait.class, "state", int.class);
                REHOOK = MethodHandles.lookup().findVarHandle(Wait.class, "rehook", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        volatile Thread owner;
        volatile int tid;

        /** The owner's errno capture segment (direct path only: {@link Blocking#enter}). */
        java.lang.foreign.MemorySegment errno;

        volatile int state = BEFORE;
        volatile int cancel = NONE;

        /** Set by a hook that an interrupt meant for an earlier wait reached: hook again. */
        volatile boolean rehook;

        long result;

        /** This wait's interrupt hook (platform threads); replaced once an interrupt closed it. */
        private Hook hook = new Hook(this);

        Wait(Thread owner) {
            this.owner = owner;
            // A platform thread's own Wait (kept in IDLE, reused by the direct path) knows its
            // errno
            // segment; a virtual thread's is made for a helper thread and never takes the direct
            // path.
            this.errno =
                    owner != null && owner == Thread.currentThread() ? Native.errnoState() : null;
        }

        /** Registers the interrupt hook (begin()); in the owner thread, before the call. */
        void enter() {
            if (!hook.isOpen()) {
                hook = new Hook(this);
            }
            hook.register();
        }

        /**
         * Makes a reused wait fresh: only a wait no cancel has reached (so {@code cancel} stays
         * NONE, untouched: an interrupter may be about to set it). Plain stores: whoever cancels
         * later reads them after Thread.interrupt() took the lock begin() releases.
         */
        void reset() {
            STATE.set(this, BEFORE);
            REHOOK.set(this, false);
            result = 0;
        }

        /** Unregisters the interrupt hook (end()); in the owner thread, after the call. */
        void leave() {
            hook.unregister();
        }

        /** Runs the attempts until one does not fail with EINTR or a cancel is requested. */
        void run(Attempt attempt) {
            long r = CANCELLED;
            // A volatile store, then mayCall()'s volatile loads of cancel and rehook: a canceller
            // that stored its request and then read BEFORE (so neither signals nor waits) is seen
            // here, before the first attempt (sequential consistency of volatile accesses).
            state = IN_CALL;
            try {
                while (mayCall()) {
                    r = attempt.run();
                    if (r != -EINTR) {
                        break;
                    }
                    r = CANCELLED;
                }
            } finally {
                result = r;
                state = DONE; // the acknowledgement the canceller waits for (publishes result)
            }
        }

        /**
         * Whether the direct-path call may (still) be made: no interrupt or timeout cancelled it.
         *
         * @return true to make the call
         */
        boolean mayCall() {
            if (rehook) {
                hookAgain();
            }
            return cancel == NONE;
        }

        /**
         * A late interrupt closed the hook of this call (see {@link #interrupted()}): register a
         * new one, so that the next interrupt ends the call, then let the interrupter stop.
         */
        private void hookAgain() {
            Hook h = new Hook(this);
            hook = h;
            h.register(); // an interrupt that came meanwhile cancels here (begin() sees the status)
            REHOOK.setRelease(this, false);
        }

        /**
         * Ends a direct-path call begun by {@link Blocking#enter}.
         *
         * @param r what the last attempt returned ({@code -EINTR} if it was cancelled or never
         *     made)
         * @return the call's result or -errno; {@code -EINTR} if interrupted
         */
        long exit(long r) {
            result = r == -EINTR ? CANCELLED : r;
            // DONE before end(): a canceller holding the hook's lock stops waiting, and end() may
            // need that lock (it closes a hook an interrupter reached during the call)
            STATE.setRelease(
                    this, DONE); // the acknowledgement the canceller waits for (publishes result)
            // end() after every call: a hook left registered between calls (d7aacab) let an
            // interrupt that the thread consumed after one call cancel its next one. Unregistered,
            // the hook is reached only by an interrupt that Thread.interrupt() delivered between
            // this call's begin() and end(), and end() itself finishes handling it (it closes the
            // hook, waiting for an interrupter still at work on it), so no late hook touches a
            // later
            // call. The cost: one more monitor (the thread's interruptLock) per call.
            leave();
            if (cancel != NONE) {
                IDLE.remove(); // cancelled: never reused
            }
            return outcome();
        }

        long outcome() {
            if (result != CANCELLED) {
                return result;
            }
            return cancel == TIMEOUT ? -ETIMEDOUT : -EINTR;
        }

        void timeout() {
            cancel(TIMEOUT);
        }

        /** Records why the call must end, then signals its thread until it has left the call. */
        void cancel(int reason) {
            if (!CANCEL.compareAndSet(this, NONE, reason)) {
                return;
            }
            if (Thread.currentThread() == owner) {
                return; // not in the call yet: run() sees the request before its first attempt
            }
            signal(false);
        }

        /**
         * Signals the owner out of its system call (10 µs doubling to 1 ms apart) while it is in
         * the call, until it has left it, or, for a hook to renew, until it has renewed it. Returns
         * at once if the owner is not IN_CALL (see the class comment: it sees the request itself,
         * and waiting for it could deadlock). The pauses park (a virtual thread cancelling its
         * helper's call unmounts), with this thread's interrupt status cleared meanwhile.
         */
        private void signal(boolean untilRehooked) {
            if (state != IN_CALL) {
                return;
            }
            boolean interrupted = false;
            try {
                long pause = 10_000L;
                while (state == IN_CALL && (!untilRehooked || rehook)) {
                    Signals.tgkill(Cancel.PID, tid, SIGNAL);
                    // cleared before every pause, so that parkNanos really pauses: a virtual thread
                    // cancelling its helper's call is interrupted again and again meanwhile, and
                    // without the pause it kept its carrier and flooded the helper with queued
                    // real-time signals (a stall of every virtual thread of the stress test)
                    interrupted |= Thread.interrupted();
                    LockSupport.parkNanos(pause);
                    pause = Math.min(pause * 2, 1_000_000L);
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /**
         * What an interrupt does through the hook (Thread.interrupt() runs it, in the interrupting
         * thread, after setting the owner's interrupt status, under the hook's lock; begin() runs
         * it in the owner when the status was already set, end() when an interrupter reached the
         * hook during the call). The hook is registered only between begin() and end() of one call,
         * and the owner consumes no interrupt in between, so if the owner no longer has the status
         * it consumed that interrupt before this call began (Thread.interrupt() sets the status,
         * wakes the thread, and only then looks for a hook): the interrupt was not for this call,
         * which goes on; but the hook is closed for good, so the owner, if in its call, is
         * signalled out of its system call to register a new one ({@link #hookAgain}) and the next
         * interrupt ends the call as it should. An owner BEFORE its call sees the request itself;
         * one that left it needs no hook.
         */
        void interrupted() {
            Thread o = owner;
            if (o == null || o.isInterrupted() || Thread.currentThread() == o) {
                cancel(INTERRUPT);
                return;
            }
            REHOOK.setVolatile(this, true);
            signal(true);
        }
    }

    /**
     * The interrupt hook of a platform thread's wait: registered with {@code begin()} for the
     * length of a call, it makes {@link Thread#interrupt()} run {@link Wait#interrupted()}. An
     * {@link AbstractInterruptibleChannel} that an interrupt closes stays closed, so a wait takes a
     * new hook when it needs one. Never used as a channel otherwise.
     */
    private static final class Hook extends AbstractInterruptibleChannel {
        private final Wait wait;

        Hook(Wait wait) {
            this.wait = wait;
        }

        void register() {
            begin();
        }

        void unregister() {
            try {
                end(true);
            } catch (IOException expected) {
                // ClosedByInterruptException: the interrupt is handled through the wait's cancel
            }
        }

        @Override
        protected void implCloseChannel() {
            wait.interrupted();
        }
    }

    /** The kernel thread id of each platform thread, asked once ({@code gettid}). */
    private static final class Tid {
        private static final ThreadLocal<int[]> TID =
                ThreadLocal.withInitial(() -> new int[] {Signals.gettid()});

        static int current() {
            return TID.get()[0];
        }
    }

    /** Chooses and installs the cancel signal once, and links what the canceller calls. */
    private static final class Cancel {
        static final int PID = (int) ProcessHandle.current().pid();
        static final int SIGNAL = choose();

        private static int choose() {
            int min = Signals.sigrtmin();
            int max = Signals.sigrtmax() - 3; // SIGRTMAX-2 is the JDK's NIO signal
            Integer wanted = Integer.getInteger("io.jipc.cancelSignal");
            if (wanted != null) {
                if (wanted < min || wanted > max) {
                    throw new IllegalStateException(
                            "io.jipc.cancelSignal="
                                    + wanted
                                    + " is outside "
                                    + min
                                    + ".."
                                    + max
                                    + " (SIGRTMIN..SIGRTMAX-3)");
                }
                return install(wanted, wanted);
            }
            return install(min + 6, max);
        }

        private static int install(int from, int to) {
            long noOp = Signals.noOpHandlerAddress();
            for (int sig = from; sig <= to; sig++) {
                int r = Signals.installNoOpHandler(sig);
                if (r == 0 || (r == 1 && Signals.handlerOf(sig) == noOp)) {
                    Signals.tgkill(
                            PID, Signals.gettid(), 0); // links tgkill ahead of the first cancel
                    return sig;
                }
            }
            throw new IllegalStateException(
                    "no free real-time signal in "
                            + from
                            + ".."
                            + to
                            + " for cancelling blocked calls (set io.jipc.cancelSignal)");
        }
    }

    /**
     * The overflow path for virtual threads when every helper thread is busy: one platform thread
     * retries the waiters' non-blocking attempts, each with its own back-off (0.1 ms doubling to
     * {@link #MAX_POLL_PAUSE_NANOS}), and unparks a waiter when its attempt no longer says {@code
     * EAGAIN}. The waiting virtual threads stay parked meanwhile (no timer, no carrier), so they
     * cost the scheduler nothing; the cost is this thread's system calls.
     */
    private static final class Poller {
        private static final int WAITING = 0;
        private static final int RUNNING = 1;
        private static final int FINISHED = 2;
        private static final int DROPPED = 3;
        private static final java.util.concurrent.ConcurrentLinkedQueue<Polled> INBOX =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private static final Thread THREAD =
                Thread.ofPlatform().name("jipc-poller").daemon(true).unstarted(Poller::loop);

        static {
            THREAD.start();
        }

        /** One waiter. */
        private static final class Polled {
            private static final VarHandle STATE;

            static {
                try {
                    STATE = MethodHandles.lookup().findVarHandle(Polled.class, "state", int.class);
                } catch (ReflectiveOperationException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }

            final Thread waiter;
            final Attempt attempt;
            volatile int state = WAITING;
            long result;
            long due;
            long pause = 100_000L;

            Polled(Thread waiter, Attempt attempt) {
                this.waiter = waiter;
                this.attempt = attempt;
            }

            /** Withdraws the waiter; false if the poller finished its attempt first. */
            boolean drop() {
                while (true) {
                    int st = state;
                    if (st == WAITING && STATE.compareAndSet(this, WAITING, DROPPED)) {
                        return true;
                    }
                    if (st == FINISHED) {
                        return false;
                    }
                    Thread.onSpinWait(); // RUNNING: one non-blocking system call
                }
            }
        }

        static long await(Thread me, Attempt nonBlocking, boolean timed, long deadline) {
            Polled p = new Polled(me, nonBlocking);
            p.due = System.nanoTime() + p.pause;
            INBOX.add(p);
            LockSupport.unpark(THREAD);
            while (true) {
                if (p.state == FINISHED) {
                    return p.result;
                }
                if (me.isInterrupted()) {
                    if (p.drop()) {
                        return -EINTR;
                    }
                    continue;
                }
                if (timed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        if (p.drop()) {
                            return -ETIMEDOUT;
                        }
                        continue;
                    }
                    LockSupport.parkNanos(p, left);
                } else {
                    LockSupport.park(p);
                }
            }
        }

        private static void loop() {
            java.util.PriorityQueue<Polled> byDue =
                    new java.util.PriorityQueue<>(
                            java.util.Comparator.comparingLong((Polled p) -> p.due));
            while (true) {
                for (Polled p; (p = INBOX.poll()) != null; ) {
                    byDue.add(p);
                }
                long now = System.nanoTime();
                while (!byDue.isEmpty() && byDue.peek().due - now <= 0) {
                    Polled p = byDue.poll();
                    if (!Polled.STATE.compareAndSet(p, WAITING, RUNNING)) {
                        continue; // dropped by its waiter
                    }
                    long r;
                    try {
                        do {
                            r = p.attempt.run();
                        } while (r == -EINTR);
                    } catch (RuntimeException | Error e) {
                        r = -EAGAIN; // cannot happen with the wrappers; keep polling rather
                        // than die
                    }
                    if (r != -EAGAIN) {
                        p.result = r;
                        p.state = FINISHED;
                        LockSupport.unpark(p.waiter);
                    } else {
                        p.state = WAITING;
                        p.pause = Math.min(p.pause * 2, MAX_POLL_PAUSE_NANOS);
                        p.due = now + p.pause;
                        byDue.add(p);
                    }
                    now = System.nanoTime();
                }
                if (INBOX.isEmpty()) {
                    if (byDue.isEmpty()) {
                        LockSupport.park();
                    } else {
                        LockSupport.parkNanos(byDue.peek().due - now);
                    }
                }
            }
        }
    }

    /** The helper platform threads that make blocking calls for virtual threads. */
    private static final class Helpers {
        private static final ThreadPoolExecutor POOL =
                new ThreadPoolExecutor(
                        0,
                        Math.max(1, MAX_HELPERS),
                        30,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        Thread.ofPlatform()
                                .name("jipc-blocking-", 0)
                                .daemon(true)
                                .stackSize(256 * 1024)
                                .factory());

        static boolean tryStart(Runnable job) {
            try {
                POOL.execute(job);
                return true;
            } catch (RejectedExecutionException full) {
                return false;
            }
        }
    }

    /** The timer that cancels calls whose timeout the kernel cannot enforce. */
    private static final class Timer {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor e =
                    new ScheduledThreadPoolExecutor(
                            1, Thread.ofPlatform().name("jipc-timeouts").daemon(true).factory());
            e.setRemoveOnCancelPolicy(true);
            return e;
        }
    }
}
