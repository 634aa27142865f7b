package io.jipc.poll;

import io.jipc.Descriptor;
import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.Blocking;
import io.jipc.internal.linux.Epoll;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Waits for several descriptors at once and says which are ready ({@man epoll(7)}): one thread can
 * serve pipes, FIFOs, sockets and listening sockets together, like the JDK's {@code Selector} does
 * for its own channels.
 *
 * <pre>{@code
 * try (Poller poller = Poller.open()) {
 *     Poller.Key fromChild = poller.register(pipe.source(), EnumSet.of(Readiness.READ));
 *     Poller.Key clients = poller.register(server, EnumSet.of(Readiness.ACCEPT));
 *     for (Poller.Key k : poller.poll(Duration.ofSeconds(5))) {
 *         if (k == clients) { UnixSocket c = server.accept(); poller.register(c, EnumSet.of(Readiness.READ)); }
 *         else if (k.isReady(Readiness.READ)) { ... }
 *         else if (k.isReady(Readiness.HANG_UP)) { k.descriptor().close(); }   // removes it too
 *     }
 * }
 * }</pre>
 *
 * <h2>What can be registered</h2>
 *
 * Any {@link Descriptor} of jipc: pipe and FIFO ends, {@code UnixSocket}, {@code UnixServerSocket},
 * a {@code RawDescriptor}, and every other fd-backed type (POSIX queues, eventfds, ...): epoll
 * accepts whatever supports {@man poll(2)}. Regular files and directories are refused (they are
 * always ready). A descriptor is registered at most once per poller; change what a key waits for
 * with {@link Key#interest(Set)}.
 *
 * <h2>Closing a registered descriptor removes it</h2>
 *
 * epoll forgets a descriptor only when <em>every</em> descriptor of its open file description is
 * closed, including copies in child processes and duplicates; until then a closed number would
 * still be reported. So jipc removes a descriptor from every poller ({@code EPOLL_CTL_DEL}) just
 * before it closes it, or when it is given up ({@code RawDescriptor.release()}); its key is then
 * invalid. A {@code Descriptor} implemented outside jipc cannot be watched that way: cancel its key
 * before closing it.
 *
 * <p>Like the JDK's {@code Selector}, a poller keeps its registered descriptors reachable (through
 * {@link #keys()}); a descriptor registers nothing that keeps the poller reachable. So a descriptor
 * dropped unclosed is closed by the garbage collector's safety net once its poller is unreachable
 * too, and a poller dropped unclosed once it is unreachable, whatever it watched.
 *
 * <h2>Polling</h2>
 *
 * {@link #poll(Duration)} returns the keys that are ready, each with {@link Key#ready()}; level
 * triggered by default (a descriptor is reported as long as it is ready), edge triggered when
 * registered with {@link Trigger#EDGE}. At most {@link #MAX_EVENTS} keys come back from one poll;
 * the others stay ready for the next. {@link #wakeup()} from any thread makes the current (or the
 * next) poll return at once. One thread polls at a time (others wait for it, interruptibly);
 * registration and cancellation may happen from any thread at any time and take effect at once.
 *
 * <p>A waiting poll ends on {@link Thread#interrupt()} with {@link InterruptedCallException} (the
 * interrupt status stays set), its timeout is kept against a deadline (signals neither shorten nor
 * lengthen it; it is rounded up to whole milliseconds), and on a virtual thread it does not pin the
 * carrier (see {@code io.jipc.internal.linux.Blocking}). {@link #close()} from another thread wakes
 * a waiting poll, which returns what it has; polling a closed poller is an {@link
 * IllegalStateException}.
 *
 * <p>The poller is itself a {@link Descriptor} (the epoll descriptor), which is readable when one
 * of its descriptors is ready, so a poller can be registered with another one.
 */
public final class Poller implements Descriptor {
    static {
        Fds.register(Poller.class, p -> p.epoll);
    }

    /** The most keys one {@link #poll} returns. */
    public static final int MAX_EVENTS = 256;

    /** The epoll data of the wake-up eventfd; keys count from 1. */
    private static final long WAKE = 0;

    private final OwnedFd epoll;
    private final OwnedFd wake;
    private final String name;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final ConcurrentHashMap<Long, Key> keys = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(WAKE + 1);
    private final ReentrantLock polling = new ReentrantLock();

    /**
     * The events epoll_wait fills: an automatic arena, so a helper thread may fill it for a virtual
     * thread.
     */
    private final MemorySegment events =
            Arena.ofAuto().allocate((long) Epoll.EVENT_BYTES * MAX_EVENTS, 8);

    /** Waits on {@link #events}; used under {@link #polling} only. */
    private final Epoll.Waiter waiter;

    /** What a close listener of a registered descriptor reaches the poller by: never strongly. */
    private final WeakReference<Poller> self = new WeakReference<>(this);

    private Poller(int epfd, int eventfd) {
        this.epoll = new OwnedFd(epfd);
        this.wake = new OwnedFd(eventfd);
        this.name = "poller (epoll fd " + epfd + ")";
        this.waiter = new Epoll.Waiter(epfd, events, MAX_EVENTS);
    }

    /**
     * A new poller with nothing registered ({@man epoll_create1(2)}, and an {@man eventfd(2)} for
     * {@link #wakeup()}; both close-on-exec).
     *
     * @return the poller
     * @throws IpcException EMFILE/ENFILE if no descriptor is left
     */
    public static Poller open() throws IpcException {
        int ep = Epoll.epoll_create1(Epoll.EPOLL_CLOEXEC);
        if (ep < 0) {
            throw Errors.failure(ep, "epoll_create1", "poller", null);
        }
        int ev = Epoll.eventfd(0, Epoll.EFD_CLOEXEC | Epoll.EFD_NONBLOCK);
        if (ev < 0) {
            io.jipc.internal.linux.Unistd.close(ep);
            throw Errors.failure(ev, "eventfd", "poller wake-up", null);
        }
        int r = Epoll.epoll_ctl(ep, Epoll.EPOLL_CTL_ADD, ev, Epoll.EPOLLIN, WAKE);
        if (r < 0) {
            io.jipc.internal.linux.Unistd.close(ep);
            io.jipc.internal.linux.Unistd.close(ev);
            throw Errors.failure(r, "epoll_ctl(EPOLL_CTL_ADD)", "poller wake-up", null);
        }
        return new Poller(ep, ev);
    }

    /**
     * Watches {@code d} for {@code interest}, level triggered.
     *
     * @param d an open descriptor, not registered with this poller yet
     * @param interest what to wait for (may be empty: then only {@link Readiness#HANG_UP} and
     *     {@link Readiness#ERROR} are reported)
     * @return the key, reported by {@link #poll} when {@code d} is ready
     * @throws IllegalArgumentException if {@code d} is closed, registered already, or cannot be
     *     polled (a regular file or directory)
     * @throws IllegalStateException if this poller is closed
     * @throws IOException if {@man epoll_ctl(2)} fails otherwise
     */
    public Key register(Descriptor d, Set<Readiness> interest) throws IOException {
        return register(d, interest, Trigger.LEVEL);
    }

    /**
     * Watches {@code d} for {@code interest} ({@code EPOLL_CTL_ADD}, {@man epoll_ctl(2)}).
     *
     * @param d an open descriptor, not registered with this poller yet
     * @param interest what to wait for
     * @param trigger {@link Trigger#LEVEL} or {@link Trigger#EDGE}
     * @return the key
     * @throws IllegalArgumentException if {@code d} is closed, registered already, or cannot be
     *     polled (a regular file or directory)
     * @throws IllegalStateException if this poller is closed
     * @throws IOException if {@man epoll_ctl(2)} fails otherwise
     */
    public Key register(Descriptor d, Set<Readiness> interest, Trigger trigger) throws IOException {
        Objects.requireNonNull(d, "d");
        Set<Readiness> wanted = copy(interest);
        Objects.requireNonNull(trigger, "trigger");
        int ep = acquireEpoll();
        try {
            OwnedFd owned = Fds.owned(d);
            int n;
            try {
                n = Fds.acquire(d);
            } catch (ClosedChannelException e) {
                throw closed(d);
            }
            try {
                Key k = new Key(this, nextId.getAndIncrement(), d, owned, n, wanted, trigger);
                keys.put(k.id, k);
                int r = Epoll.epoll_ctl(ep, Epoll.EPOLL_CTL_ADD, n, mask(wanted, trigger), k.id);
                if (r < 0) {
                    keys.remove(k.id);
                    throw registrationFailure(r, d, n);
                }
                k.registration.registered.set(true);
                if (owned != null && !owned.onClose(k.registration)) {
                    // a close was requested meanwhile (it waits for our use to end): undo now
                    k.undo();
                    throw closed(d);
                }
                if (!open.get()) {
                    // close() ran meanwhile: its walk over the keys may have missed this one
                    k.undo();
                    throw new IllegalStateException(name + " is closed");
                }
                return k;
            } finally {
                Fds.release(d);
            }
        } finally {
            epoll.release();
        }
    }

    private static IllegalArgumentException closed(Descriptor d) {
        return new IllegalArgumentException("d=" + d + " is closed");
    }

    private IOException registrationFailure(int r, Descriptor d, int n) {
        String what = "fd " + n + " (" + d + ")";
        if (Errors.is(r, Errno.EEXIST)) {
            throw new IllegalArgumentException(
                    what
                            + " is registered with this poller already: change its interest"
                            + " through its key");
        }
        if (Errors.is(r, Errno.EPERM)) {
            throw new IllegalArgumentException(
                    what
                            + " cannot be polled: epoll refuses regular files and directories"
                            + " (EPERM), which are always ready");
        }
        if (Errors.is(r, Errno.EINVAL)) {
            throw new IllegalArgumentException(
                    what + " cannot be registered with " + name + " (EINVAL: the poller itself?)");
        }
        return Errors.failure(
                r,
                "epoll_ctl(EPOLL_CTL_ADD)",
                what,
                Errors.is(r, Errno.ENOSPC)
                        ? "the per-user limit of watched descriptors is reached (/proc/sys/fs/epoll/max_user_watches)"
                        : null);
    }

    /**
     * Waits until at least one registered descriptor is ready, {@link #wakeup()} is called, or
     * {@code timeout} passes ({@man epoll_wait(2)}).
     *
     * @param timeout the longest wait; {@link Duration#ZERO} to look without waiting
     * @return the ready keys (empty on timeout or wake-up), each with {@link Key#ready()}
     * @throws InterruptedCallException if the thread was interrupted while waiting (in epoll_wait,
     *     or for another thread's poll to end)
     * @throws IllegalStateException if this poller is closed
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IOException if epoll_wait fails otherwise
     */
    public List<Key> poll(Duration timeout) throws IOException {
        return poll(Blocking.timeoutNanos(timeout));
    }

    /**
     * Waits, without a time limit, until at least one registered descriptor is ready or {@link
     * #wakeup()} is called.
     *
     * @return the ready keys (empty after a wake-up)
     * @throws InterruptedCallException if the thread was interrupted while waiting (in epoll_wait,
     *     or for another thread's poll to end)
     * @throws IllegalStateException if this poller is closed
     * @throws IOException if epoll_wait fails otherwise
     */
    public List<Key> poll() throws IOException {
        return poll(-1L);
    }

    private List<Key> poll(long nanos) throws IOException {
        try {
            polling.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedCallException(
                    "epoll_wait", name, "while waiting for another thread's poll to end");
        }
        try {
            int ep = acquireEpoll();
            int n;
            try {
                // Hold the eventfd too: closing it while the wait runs would drop its pending
                // wake-up from the epoll set, and close() would not end the wait.
                wake.acquire();
            } catch (ClosedChannelException e) {
                epoll.release();
                throw new IllegalStateException(name + " is closed");
            }
            try {
                n = waiter.await(nanos);
            } finally {
                wake.release();
                epoll.release();
            }
            if (Errors.is(n, Errno.EINTR)) {
                throw new InterruptedCallException("epoll_wait", name, null);
            }
            if (n < 0) {
                throw Errors.failure(n, "epoll_wait", name, null);
            }
            List<Key> ready = null;
            for (int i = 0; i < n; i++) {
                long id = Epoll.eventData(events, i);
                if (id == WAKE) {
                    drainWakeups();
                    continue;
                }
                Key k = keys.get(id);
                if (k == null || !k.valid || !k.descriptor.isOpen()) {
                    continue; // cancelled or closed meanwhile
                }
                k.ready = readiness(Epoll.eventMask(events, i), k.interest);
                if (ready == null) {
                    ready = new ArrayList<>(n - i);
                }
                ready.add(k);
            }
            return ready == null ? List.of() : ready;
        } finally {
            polling.unlock();
        }
    }

    /**
     * Makes the poll in progress return at once (with what is ready, possibly nothing), or the next
     * one if none is in progress; callable from any thread ({@man write(2)} to an eventfd). Does
     * nothing once the poller is closed.
     */
    public void wakeup() {
        int ev;
        try {
            ev = wake.acquire();
        } catch (ClosedChannelException closed) {
            return;
        }
        try {
            Epoll.eventfdAdd(ev, 1);
        } finally {
            wake.release();
        }
    }

    private void drainWakeups() {
        try {
            int ev = wake.acquire();
            try {
                Epoll.eventfdTake(ev);
            } finally {
                wake.release();
            }
        } catch (ClosedChannelException closed) {
            // closing
        }
    }

    /**
     * The keys registered now.
     *
     * @return a snapshot
     */
    public Set<Key> keys() {
        return Set.copyOf(keys.values());
    }

    /**
     * The epoll descriptor's number.
     *
     * @return the number
     * @throws IllegalStateException if this poller is closed
     */
    @Override
    public int fd() {
        return epoll.numberIfOpen();
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    /**
     * Closes the poller: wakes a poll in progress, invalidates every key and closes the epoll
     * descriptor and the eventfd (when the poll in progress has returned). The registered
     * descriptors stay open. Idempotent.
     */
    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        wakeup();
        for (Key k : keys.values()) {
            k.valid = false;
            if (k.owned != null) {
                k.owned.removeOnClose(k.registration);
            }
        }
        keys.clear();
        wake.close();
        epoll.close();
    }

    @Override
    public String toString() {
        return isOpen() ? name : name + " (closed)";
    }

    private int acquireEpoll() {
        if (!open.get()) {
            throw new IllegalStateException(name + " is closed");
        }
        try {
            return epoll.acquire();
        } catch (ClosedChannelException e) {
            throw new IllegalStateException(name + " is closed");
        }
    }

    private static Set<Readiness> copy(Set<Readiness> interest) {
        Objects.requireNonNull(interest, "interest");
        return Collections.unmodifiableSet(
                interest.isEmpty() ? EnumSet.noneOf(Readiness.class) : EnumSet.copyOf(interest));
    }

    static int mask(Set<Readiness> interest, Trigger trigger) {
        int m = 0;
        if (interest.contains(Readiness.READ) || interest.contains(Readiness.ACCEPT)) {
            m |= Epoll.EPOLLIN;
        }
        if (interest.contains(Readiness.WRITE)) {
            m |= Epoll.EPOLLOUT;
        }
        if (interest.contains(Readiness.HANG_UP)) {
            m |= Epoll.EPOLLRDHUP;
        }
        return trigger == Trigger.EDGE ? m | Epoll.EPOLLET : m;
    }

    /**
     * Every set of readiness, by the bits of its members' ordinals: what a poll reports, without
     * allocating.
     */
    private static final List<Set<Readiness>> SETS = sets();

    private static List<Set<Readiness>> sets() {
        Readiness[] all = Readiness.values();
        List<Set<Readiness>> sets = new ArrayList<>(1 << all.length);
        for (int bits = 0; bits < 1 << all.length; bits++) {
            EnumSet<Readiness> s = EnumSet.noneOf(Readiness.class);
            for (Readiness r : all) {
                if ((bits & bit(r)) != 0) {
                    s.add(r);
                }
            }
            sets.add(Collections.unmodifiableSet(s));
        }
        return List.copyOf(sets);
    }

    private static int bit(Readiness r) {
        return 1 << r.ordinal();
    }

    static Set<Readiness> readiness(int events, Set<Readiness> interest) {
        int r = 0;
        if ((events & Epoll.EPOLLIN) != 0) {
            if (interest.contains(Readiness.READ)) {
                r |= bit(Readiness.READ);
            }
            if (interest.contains(Readiness.ACCEPT)) {
                r |= bit(Readiness.ACCEPT);
            }
        }
        if ((events & Epoll.EPOLLOUT) != 0) {
            r |= bit(Readiness.WRITE);
        }
        if ((events & (Epoll.EPOLLHUP | Epoll.EPOLLRDHUP)) != 0) {
            r |= bit(Readiness.HANG_UP);
        }
        if ((events & Epoll.EPOLLERR) != 0) {
            r |= bit(Readiness.ERROR);
        }
        return SETS.get(r);
    }

    /**
     * One descriptor registered with a {@link Poller}: what it waits for, what the last poll found
     * ready, and an attachment. Valid until {@link #cancel()}, the descriptor's close, or the
     * poller's close.
     */
    public static final class Key {
        private final Poller poller;
        private final long id;
        private final Descriptor descriptor;
        private final OwnedFd owned;
        private final int number;
        private final Trigger trigger;

        /** The close listener of the descriptor; it does not reach this key. */
        private final Registration registration;

        private volatile Set<Readiness> interest;
        private volatile Set<Readiness> ready = Set.of();
        private volatile boolean valid = true;
        private volatile Object attachment;

        private Key(
                Poller poller,
                long id,
                Descriptor descriptor,
                OwnedFd owned,
                int number,
                Set<Readiness> interest,
                Trigger trigger) {
            this.poller = poller;
            this.id = id;
            this.descriptor = descriptor;
            this.owned = owned;
            this.number = number;
            this.interest = interest;
            this.trigger = trigger;
            this.registration = new Registration(poller.self, id, number);
        }

        /**
         * The registered descriptor.
         *
         * @return the descriptor
         */
        public Descriptor descriptor() {
            return descriptor;
        }

        /**
         * The poller this key belongs to.
         *
         * @return the poller
         */
        public Poller poller() {
            return poller;
        }

        /**
         * What this key waits for.
         *
         * @return an unmodifiable set
         */
        public Set<Readiness> interest() {
            return interest;
        }

        /**
         * Changes what this key waits for ({@code EPOLL_CTL_MOD}, {@man epoll_ctl(2)}); the trigger
         * stays.
         *
         * @param interest what to wait for from now on
         * @return this key
         * @throws IllegalStateException if this key is no longer valid: cancelled, its descriptor
         *     closed, or its poller closed
         * @throws IOException if epoll_ctl fails otherwise
         */
        public Key interest(Set<Readiness> interest) throws IOException {
            Set<Readiness> wanted = copy(interest);
            if (!valid) {
                throw new IllegalStateException(this + " is cancelled");
            }
            int n;
            try {
                n = Fds.acquire(descriptor);
            } catch (ClosedChannelException e) {
                throw new IllegalStateException(this + ": the descriptor is closed");
            }
            try {
                int ep = poller.acquireEpoll();
                try {
                    int r = Epoll.epoll_ctl(ep, Epoll.EPOLL_CTL_MOD, n, mask(wanted, trigger), id);
                    if (r < 0) {
                        throw Errors.failure(
                                r,
                                "epoll_ctl(EPOLL_CTL_MOD)",
                                "fd " + n + " (" + descriptor + ")",
                                null);
                    }
                    this.interest = wanted;
                } finally {
                    poller.epoll.release();
                }
            } finally {
                Fds.release(descriptor);
            }
            return this;
        }

        /**
         * Level or edge triggered.
         *
         * @return the trigger given at registration
         */
        public Trigger trigger() {
            return trigger;
        }

        /**
         * What the last poll that returned this key found ready.
         *
         * @return an unmodifiable set; empty before the first such poll
         */
        public Set<Readiness> ready() {
            return ready;
        }

        /**
         * Whether the last poll that returned this key found {@code r}.
         *
         * @param r a readiness
         * @return true if it is in {@link #ready()}
         */
        public boolean isReady(Readiness r) {
            return ready.contains(r);
        }

        /**
         * Attaches an object, e.g. the connection state of a socket.
         *
         * @param o the object, or {@code null}
         * @return the previous attachment
         */
        public Object attach(Object o) {
            Object before = attachment;
            attachment = o;
            return before;
        }

        /**
         * The attached object.
         *
         * @return it, or {@code null}
         */
        public Object attachment() {
            return attachment;
        }

        /**
         * Whether this key is still registered: not cancelled, its descriptor not closed, its
         * poller open.
         *
         * @return true while valid
         */
        public boolean isValid() {
            return valid && poller.isOpen() && descriptor.isOpen();
        }

        /**
         * Stops watching the descriptor ({@code EPOLL_CTL_DEL}); the descriptor stays open.
         * Idempotent.
         */
        public void cancel() {
            if (!valid) {
                return;
            }
            valid = false;
            poller.keys.remove(id, this);
            try {
                Fds.acquire(descriptor);
            } catch (ClosedChannelException closing) {
                if (owned == null) {
                    // closed without a listener: its number may be another file's by now, which
                    // EPOLL_CTL_DEL must not touch; what epoll still reports of it is dropped
                    registration.registered.set(false);
                }
                return; // a jipc descriptor's close removes it from epoll (Registration)
            }
            try {
                registration.delete(poller);
                if (owned != null) {
                    owned.removeOnClose(registration);
                }
            } finally {
                Fds.release(descriptor);
            }
        }

        /**
         * Undoes a registration that must not stand (the descriptor or the poller closing
         * meanwhile); the number is held.
         */
        private void undo() {
            valid = false;
            if (owned != null) {
                owned.removeOnClose(registration);
            }
            poller.keys.remove(id, this);
            registration.delete(poller);
        }

        @Override
        public String toString() {
            return "Key[fd "
                    + number
                    + " "
                    + descriptor
                    + " "
                    + interest
                    + (trigger == Trigger.EDGE ? " edge" : "")
                    + (valid ? "" : " cancelled")
                    + "]";
        }
    }

    /**
     * The close listener a key leaves on its descriptor ({@link OwnedFd#onClose}): just before the
     * descriptor is closed it removes it from the epoll set. The descriptor's cleaning action holds
     * it, so it holds nothing that reaches the descriptor (no key, no strong reference to the
     * poller, whose keys reach their descriptors): a registered descriptor dropped unclosed stays
     * collectable, and its poller too.
     */
    private static final class Registration implements Runnable {
        private final WeakReference<Poller> poller;
        private final long id;
        private final int number;

        /**
         * Whether the epoll set holds the descriptor under this registration (set once added,
         * cleared by the one DEL).
         */
        final AtomicBoolean registered = new AtomicBoolean();

        Registration(WeakReference<Poller> poller, long id, int number) {
            this.poller = poller;
            this.id = id;
            this.number = number;
        }

        /** The descriptor is about to be closed (its number still valid). */
        @Override
        public void run() {
            Poller p = poller.get();
            if (p == null) {
                return; // unreachable: its epoll set goes away with it
            }
            Key k = p.keys.remove(id);
            if (k != null) {
                k.valid = false;
            }
            delete(p);
        }

        /** EPOLL_CTL_DEL, once; the descriptor's number must be valid. */
        void delete(Poller p) {
            if (!registered.compareAndSet(true, false)) {
                return;
            }
            int ep;
            try {
                ep = p.epoll.acquire();
            } catch (ClosedChannelException pollerClosed) {
                return; // the epoll set goes away with it
            }
            try {
                Epoll.epoll_ctl(ep, Epoll.EPOLL_CTL_DEL, number, 0, 0);
            } finally {
                p.epoll.release();
            }
        }
    }
}
