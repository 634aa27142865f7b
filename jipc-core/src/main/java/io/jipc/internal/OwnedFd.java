package io.jipc.internal;

import io.jipc.internal.linux.Unistd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.nio.channels.ClosedChannelException;

/**
 * A file descriptor owned by one Java object: closed once, by {@link #close()} or, as a safety net
 * when the owner was never closed, by a {@link Cleaner}.
 *
 * <p>Every use brackets the descriptor with {@link #acquire()} and {@link #release()}; a close that
 * comes while a call is in flight (say, a read blocked in another thread) is carried out when that
 * call returns, so the number is never closed under a running call and then reused by an unrelated
 * open. The consequence: closing does not wake a thread blocked on the descriptor.
 *
 * <p>The bookkeeping of uses is one atomic word (a closed bit, a released bit and the count of
 * calls in flight): a use costs one compare-and-set to begin and one atomic add to end, no lock.
 * Only the close listeners are kept under a lock, off the path of a call.
 */
public final class OwnedFd implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    /**
     * Starts the cleaner's thread now if it has not started (it starts with this class), so that it
     * does not inherit a CPU pinning made later ({@code io.jipc.Cpus}).
     */
    public static void startCleaner() {
        // initialising this class started it
    }

    private final State state;
    private final Cleaner.Cleanable cleanable;
    private final int fd;

    /**
     * Takes ownership of {@code fd}.
     *
     * @param fd an open descriptor
     */
    public OwnedFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd=" + fd);
        }
        this.fd = fd;
        this.state = new State(fd);
        this.cleanable = CLEANER.register(this, state);
    }

    /**
     * The descriptor number for a call; pair with {@link #release()}.
     *
     * @return the descriptor
     * @throws ClosedChannelException if closed
     */
    public int acquire() throws ClosedChannelException {
        state.acquire();
        return fd;
    }

    /** Ends a use begun by {@link #acquire()}. */
    public void release() {
        state.release();
    }

    /**
     * Whether {@link #close()} has not been called.
     *
     * @return true while open
     */
    public boolean isOpen() {
        return !state.closed();
    }

    /**
     * The number, for messages only (it may be closed).
     *
     * @return the descriptor number
     */
    public int number() {
        return fd;
    }

    /**
     * The number while open.
     *
     * @return the descriptor number
     * @throws IllegalStateException if closed
     */
    public int numberIfOpen() {
        if (state.closed()) {
            throw new IllegalStateException("fd " + fd + " is closed");
        }
        return fd;
    }

    /**
     * Gives up ownership without closing: this object is closed from now on and the caller owns the
     * number.
     *
     * @return the number
     * @throws IllegalStateException if closed (or given up) already, or in use by a call
     */
    public int detach() {
        state.detach();
        State.run(state.takeListeners());
        cleanable.clean();
        return fd;
    }

    /**
     * Runs {@code listener} once, when the descriptor is about to be closed (or given up by {@link
     * #detach()}): after every call in flight has returned, while the number is still this
     * descriptor, e.g. to remove it from an epoll set. It runs in the thread that closes (or
     * detaches), or, when a close had to wait for calls in flight, in the thread whose call ends
     * last; for an owner dropped unclosed, in the {@link Cleaner}'s thread. No lock of this object
     * is held; it must be quick and must not throw. The cleaning action holds it: it must not reach
     * the owner, or the owner is never collected and the safety net never closes it.
     *
     * @param listener the action
     * @return false (and nothing registered) if a close was already requested
     */
    public boolean onClose(Runnable listener) {
        synchronized (state) {
            if (state.closed()) {
                return false;
            }
            if (state.listeners == null) {
                state.listeners = new java.util.ArrayList<>(2);
            }
            state.listeners.add(listener);
            return true;
        }
    }

    /**
     * Withdraws a listener added by {@link #onClose(Runnable)} (by identity).
     *
     * @param listener the action
     */
    public void removeOnClose(Runnable listener) {
        synchronized (state) {
            if (state.listeners != null) {
                state.listeners.removeIf(l -> l == listener);
            }
        }
    }

    /** Closes the descriptor (now, or when the last call in flight returns). Idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /**
     * The cleaning action and the atomic state word; holds no reference to the owner. The close
     * itself and the close listeners run outside the lock; the listeners are taken under it after
     * the closed bit is set, so a listener {@link #onClose} accepted is always run.
     */
    private static final class State implements Runnable {
        private static final Runnable[] NONE = new Runnable[0];

        /** No new use may begin. */
        private static final int CLOSED = 1 << 30;

        /** close(2) was made, or the number given up. */
        private static final int RELEASED = 1 << 29;

        private static final int USERS = RELEASED - 1;
        private static final VarHandle WORD;

        static {
            try {
                WORD = MethodHandles.lookup().findVarHandle(State.class, "word", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final int fd;

        /** CLOSED | RELEASED | calls in flight. */
        private volatile int word;

        /** Guarded by this. */
        java.util.List<Runnable> listeners;

        State(int fd) {
            this.fd = fd;
        }

        boolean closed() {
            return (word & CLOSED) != 0;
        }

        void acquire() throws ClosedChannelException {
            int w;
            do {
                w = word;
                if ((w & CLOSED) != 0) {
                    throw new ClosedChannelException();
                }
            } while (!WORD.weakCompareAndSet(this, w, w + 1));
        }

        void release() {
            int w = (int) WORD.getAndAdd(this, -1) - 1;
            if (w == CLOSED) {
                closeNow(); // the last call in flight after a close
            }
        }

        /** Close: no new use; the descriptor is closed now if idle, else by the last release. */
        @Override
        public void run() {
            int w;
            do {
                w = word;
                if ((w & CLOSED) != 0) {
                    return;
                }
            } while (!WORD.compareAndSet(this, w, w | CLOSED));
            if ((w & USERS) == 0) {
                closeNow();
            }
        }

        void detach() {
            if (!WORD.compareAndSet(this, 0, CLOSED | RELEASED)) {
                int w = word;
                throw new IllegalStateException(
                        "fd "
                                + fd
                                + ((w & CLOSED) != 0
                                        ? " is closed or given up already"
                                        : " is in use by a call in flight"));
            }
        }

        private void closeNow() {
            if (WORD.compareAndSet(this, CLOSED, CLOSED | RELEASED)) {
                run(takeListeners());
                Unistd.close(fd);
            }
        }

        synchronized Runnable[] takeListeners() {
            Runnable[] l = listeners == null ? NONE : listeners.toArray(Runnable[]::new);
            listeners = null;
            return l;
        }

        static void run(Runnable[] listeners) {
            for (Runnable l : listeners) {
                try {
                    l.run();
                } catch (RuntimeException e) {
                    // a listener must not keep the descriptor from being closed
                }
            }
        }
    }
}
