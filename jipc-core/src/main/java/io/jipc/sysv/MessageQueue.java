package io.jipc.sysv;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;
import io.jipc.IpcKey;
import io.jipc.Limit;
import io.jipc.LimitExceededException;
import io.jipc.NotFoundException;
import io.jipc.PermissionDeniedException;
import io.jipc.RemovedException;
import io.jipc.internal.Errors;
import io.jipc.internal.Modes;
import io.jipc.internal.SysvInfo;
import io.jipc.internal.linux.Blocking;
import io.jipc.internal.linux.Native;
import io.jipc.internal.linux.Structs;
import io.jipc.internal.linux.SysV;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A System V message queue ({@man msgget(2)}, {@man msgop(2)}, {@man msgctl(2)}), byte-for-byte
 * interoperable with C programs that use the same queue.
 *
 * <pre>{@code
 * IpcKey key = IpcKey.ftok(Path.of("/etc/services"), 'g');
 * MessageQueue q = MessageQueue.create(key, 0600);        // create-or-open
 * q.send(7, "hello".getBytes());                          // blocks while the queue is full
 * Message m = q.receive(Select.any(), 8192);              // m.type() == 7, m.body() == "hello"
 * Optional<Message> next = q.tryReceive(Select.upTo(6), 8192);
 * q.remove();
 * }</pre>
 *
 * <h2>What crosses the boundary</h2>
 *
 * A message is C's {@code struct { long mtype; char mtext[]; }}: the type is the native {@code
 * long} (64 bits here) and is always greater than 0; the body is exactly the bytes given, without
 * any header, so a C program's {@code msgrcv} sees what Java sent and vice versa. Bodies may be
 * empty and may contain any byte, {@code 0x00} included.
 *
 * <h2>Lifetime</h2>
 *
 * A queue outlives every process that uses it: it exists, with its messages, until {@link
 * #remove()} (or {@code ipcrm -q}, or {@code jipc mq rm}) or a reboot. This object holds no
 * resource of its own (it is the queue's identifier), so there is nothing to close; it may be
 * shared between threads.
 *
 * <h2>Blocking calls</h2>
 *
 * {@link #send} (on a full queue) and {@link #receive} (on a queue with no matching message) first
 * try without waiting ({@code IPC_NOWAIT}: the common case costs one plain system call) and wait in
 * the kernel only if they must. While waiting:
 *
 * <ul>
 *   <li><b>Interrupt:</b> {@link Thread#interrupt()} ends the wait within about a millisecond with
 *       {@link InterruptedCallException}; the interrupt status stays set and nothing is lost: no
 *       message was taken (or sent). A message that arrives as the interrupt comes is received and
 *       returned (the status stays set). A thread already interrupted does not start to wait.
 *   <li><b>Timeout:</b> {@link #receive(Select, int, Duration)} and {@link #send(long, byte[],
 *       Duration)}. Linux has no timed {@code msgrcv}/{@code msgsnd}: the kernel wait is cancelled
 *       at the deadline by the same mechanism as an interrupt.
 *   <li><b>Signals:</b> a signal that interrupts the system call ({@code EINTR}, e.g. a profiler's
 *       {@code SIGPROF}) is retried: it neither ends nor shortens nor lengthens the wait.
 *   <li><b>Removal</b> of the queue (by any process) wakes the call with a {@link RemovedException}
 *       ({@code EIDRM}), never confused with a queue that never existed.
 *   <li><b>Virtual threads:</b> a waiting virtual thread does not pin its carrier: a helper
 *       platform thread waits in the kernel while the virtual thread parks (and when every helper
 *       is busy, the call is retried without waiting by a poller thread, with a back-off of up to
 *       100 ms). Ten thousand virtual threads may wait, each on its own queue.
 * </ul>
 *
 * How: {@code io.jipc.internal.linux.Blocking} (a real-time signal with a native no-op handler).
 *
 * <h2>Cost</h2>
 *
 * Each call copies the body through a per-thread native buffer (the kernel needs the type and the
 * body contiguous) and makes one system call; {@link #trySend(long, byte[])} and {@link
 * #tryReceiveInto} allocate nothing on the Java heap. {@link #receive} allocates the body array and
 * the {@link Message}.
 *
 * <h2>Errors</h2>
 *
 * Failures are {@link IpcException}s by meaning: {@link NotFoundException} (no queue has the key,
 * or the id names no queue), {@link AlreadyExistsException} ({@link #createExclusive}), {@link
 * RemovedException} (removed while the call waited), {@link PermissionDeniedException} (the queue's
 * mode denies this user), {@link LimitExceededException} (a body above {@link Limit#MSGMAX}, a
 * message larger than the receive buffer, no queue identifiers left). Misuse (a type {@code <= 0},
 * a negative size) is an {@link IllegalArgumentException} thrown before any call.
 */
public final class MessageQueue {
    /** Bodies up to this size need no look at msgmax before the call (the kernel's default). */
    private static final int SMALL = 8192;

    private final int id;
    private final IpcKey key;

    private MessageQueue(int id, IpcKey key) {
        this.id = id;
        this.key = key;
    }

    // ---- obtaining a queue ------------------------------------------------------------------

    /**
     * Opens the queue that exists for {@code key} ({@code msgget(key, 0)}). Asking for no access,
     * this succeeds whatever the queue's mode: each send, receive or status call checks it.
     *
     * @param key the key
     * @return the queue
     * @throws NotFoundException if no queue has the key
     * @throws IpcException on any other failure
     */
    public static MessageQueue open(IpcKey key) throws IpcException {
        return get(key, 0);
    }

    /**
     * Opens the queue for {@code key}, creating it with {@code mode} if there is none ({@code
     * msgget(key, IPC_CREAT | mode)}). The mode is ignored when the queue exists. Two processes may
     * both call this and meet on one queue.
     *
     * @param key the key ({@link IpcKey#PRIVATE} always creates a new queue)
     * @param mode the permission bits for a new queue, e.g. {@code 0600}
     * @return the queue
     * @throws PermissionDeniedException if the queue exists and its mode grants this user nothing
     * @throws LimitExceededException if the system has {@link Limit#MSGMNI} queues already
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}
     */
    public static MessageQueue create(IpcKey key, int mode) throws IpcException {
        return get(key, SysV.IPC_CREAT | mode(mode));
    }

    /**
     * Creates a new queue for {@code key}, failing if one exists ({@code msgget(key, IPC_CREAT |
     * IPC_EXCL | mode)}).
     *
     * @param key the key
     * @param mode the permission bits, e.g. {@code 0600}
     * @return the new queue
     * @throws AlreadyExistsException if a queue has the key
     * @throws LimitExceededException if the system has {@link Limit#MSGMNI} queues already
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}
     */
    public static MessageQueue createExclusive(IpcKey key, int mode) throws IpcException {
        return get(key, SysV.IPC_CREAT | SysV.IPC_EXCL | mode(mode));
    }

    /**
     * Creates a new queue without a key ({@code msgget(IPC_PRIVATE, mode)}): other processes reach
     * it only by its {@link #id()}.
     *
     * @param mode the permission bits, e.g. {@code 0600}
     * @return the new queue
     * @throws LimitExceededException if the system has {@link Limit#MSGMNI} queues already
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}
     */
    public static MessageQueue createPrivate(int mode) throws IpcException {
        return get(IpcKey.PRIVATE, SysV.IPC_CREAT | mode(mode));
    }

    /**
     * The queue with identifier {@code msqid} (as {@code ipcs -q} prints it, or as another process
     * got it from msgget). Checked with {@code msgctl(IPC_STAT)}, which also gives its key: a queue
     * this user may not read is still returned, since sending may be allowed (its key is then read
     * from {@code /proc/sysvipc/msg}).
     *
     * @param msqid the identifier
     * @return the queue
     * @throws NotFoundException if no queue has this identifier
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException if {@code msqid} is negative
     */
    public static MessageQueue ofId(int msqid) throws IpcException {
        if (msqid < 0) {
            throw new IllegalArgumentException(
                    "msqid=" + msqid + " (identifiers are not negative)");
        }
        MemorySegment ds = Native.scratch(Structs.MSQID_DS.byteSize()).fill((byte) 0);
        int r = SysV.msgctl(msqid, SysV.IPC_STAT, ds);
        if (r >= 0) {
            return new MessageQueue(msqid, IpcKey.of(Structs.msqidDs(ds).msg_perm().key()));
        }
        MessageQueue unread = new MessageQueue(msqid, IpcKey.PRIVATE);
        if (!Errors.is(r, Errno.EACCES)) {
            throw unread.idFailure(r, "msgctl", "IPC_STAT");
        }
        String[] row =
                ProcSysvipc.row("msg", msqid)
                        .orElseThrow(
                                () ->
                                        new NotFoundException(
                                                "msgctl",
                                                unread.object(),
                                                Errno.EINVAL,
                                                "IPC_STAT: no message queue has this id (it was removed)"));
        return new MessageQueue(msqid, IpcKey.of(Integer.parseInt(row[0])));
    }

    private static int mode(int mode) {
        return Modes.check(mode);
    }

    private static MessageQueue get(IpcKey key, int flags) throws IpcException {
        Objects.requireNonNull(key, "key");
        int r = SysV.msgget(key.value(), flags);
        if (r >= 0) {
            return new MessageQueue(r, key);
        }
        String object = key.isPrivate() ? "IPC_PRIVATE" : "key " + key;
        throw switch (Errno.of(-r)) {
            case ENOENT ->
                    new NotFoundException(
                            "msgget",
                            object,
                            Errno.ENOENT,
                            "no message queue has this key (create it first)");
            case EEXIST ->
                    new AlreadyExistsException(
                            "msgget",
                            object,
                            Errno.EEXIST,
                            "a message queue with this key exists already");
            case EACCES ->
                    new PermissionDeniedException(
                            "msgget",
                            object,
                            Errno.EACCES,
                            "the queue's mode grants this user no access");
            case ENOSPC ->
                    new LimitExceededException(
                            "msgget",
                            object,
                            Errno.ENOSPC,
                            "no message queue identifiers left",
                            Limit.MSGMNI,
                            Limit.MSGMNI.value());
            default -> Errors.failure(r, "msgget", object, null);
        };
    }

    /**
     * The queue's identifier (msqid), as {@code ipcs -q} prints it.
     *
     * @return the identifier
     */
    public int id() {
        return id;
    }

    /**
     * The key the queue was opened or created with ({@link IpcKey#PRIVATE} for a private queue; for
     * {@link #ofId} the key the kernel reported).
     *
     * @return the key
     */
    public IpcKey key() {
        return key;
    }

    // ---- send ---------------------------------------------------------------------------------

    /**
     * Sends a message, blocking while the queue is full ({@man msgsnd(2)} without flags). See the
     * class comment for what interrupts, removal and virtual threads do to a blocked call.
     *
     * @param type the message type, greater than 0 (C's {@code long mtype})
     * @param body the body: exactly these bytes go on the queue
     * @throws LimitExceededException if the body is longer than {@link Limit#MSGMAX}
     * @throws RemovedException if the queue was removed while the call waited
     * @throws InterruptedCallException if the thread was interrupted while waiting (not sent)
     * @throws NotFoundException if the queue no longer exists
     * @throws PermissionDeniedException if the queue's mode denies writing
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException if {@code type <= 0}
     */
    public void send(long type, byte[] body) throws IpcException {
        send(type, body, 0, body.length, 0);
    }

    /**
     * Sends part of an array, blocking while the queue is full; see {@link #send(long, byte[])}.
     *
     * @param type the message type, greater than 0
     * @param body the array holding the body
     * @param offset where the body starts
     * @param length the body's length
     * @throws IpcException as {@link #send(long, byte[])} does
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public void send(long type, byte[] body, int offset, int length) throws IpcException {
        send(type, body, offset, length, 0);
    }

    /**
     * Sends the remaining bytes of a buffer, blocking while the queue is full; the buffer's
     * position moves to its limit once the message is on the queue. See {@link #send(long,
     * byte[])}.
     *
     * @param type the message type, greater than 0
     * @param body the body, from its position to its limit
     * @throws IpcException as {@link #send(long, byte[])} does
     */
    public void send(long type, ByteBuffer body) throws IpcException {
        send(type, body, 0);
    }

    /**
     * Sends the whole segment as the body, blocking while the queue is full; see {@link #send(long,
     * byte[])}.
     *
     * @param type the message type, greater than 0
     * @param body the body
     * @throws IpcException as {@link #send(long, byte[])} does
     */
    public void send(long type, MemorySegment body) throws IpcException {
        sendSegment(type, body, 0);
    }

    /**
     * Sends a message, waiting at most {@code timeout} while the queue is full. Linux has no timed
     * {@code msgsnd}: the wait is cancelled at the deadline (see the class comment), so signals
     * neither shorten nor lengthen it. A timeout is an expected outcome: the result is false and
     * the message was not sent.
     *
     * @param type the message type, greater than 0
     * @param body the body
     * @param timeout the longest wait, zero or positive
     * @return true if the message is on the queue, false if the time ran out
     * @throws InterruptedCallException if the thread was interrupted while waiting (not sent)
     * @throws IpcException as {@link #send(long, byte[])} does
     */
    public boolean send(long type, byte[] body, Duration timeout) throws IpcException {
        long nanos = Blocking.timeoutNanos(timeout);
        checkType(type);
        MemorySegment buf = sendBuffer(type, body.length);
        Structs.mtext(buf, body, 0, body.length);
        return send(buf, body.length, 0, nanos);
    }

    /**
     * Sends a message unless the queue is full ({@man msgsnd(2)} with {@code IPC_NOWAIT}).
     *
     * @param type the message type, greater than 0
     * @param body the body
     * @return true if the message is on the queue, false if the queue had no room for it
     * @throws IpcException as {@link #send(long, byte[])} does
     */
    public boolean trySend(long type, byte[] body) throws IpcException {
        return send(type, body, 0, body.length, SysV.IPC_NOWAIT);
    }

    /**
     * Sends part of an array unless the queue is full; see {@link #trySend(long, byte[])}.
     *
     * @param type the message type, greater than 0
     * @param body the array holding the body
     * @param offset where the body starts
     * @param length the body's length
     * @return true if the message is on the queue, false if the queue had no room for it
     * @throws IpcException as {@link #send(long, byte[])} does
     */
    public boolean trySend(long type, byte[] body, int offset, int length) throws IpcException {
        return send(type, body, offset, length, SysV.IPC_NOWAIT);
    }

    /**
     * Sends the remaining bytes of a buffer unless the queue is full; the position moves to the
     * limit only when the message was sent.
     *
     * @param type the message type, greater than 0
     * @param body the body, from its position to its limit
     * @return true if the message is on the queue, false if the queue had no room for it
     * @throws IpcException as {@link #send(long, byte[])} does
     */
    public boolean trySend(long type, ByteBuffer body) throws IpcException {
        return send(type, body, SysV.IPC_NOWAIT);
    }

    /**
     * Sends the whole segment unless the queue is full.
     *
     * @param type the message type, greater than 0
     * @param body the body
     * @return true if the message is on the queue, false if the queue had no room for it
     * @throws IpcException as {@link #send(long, byte[])} does
     */
    public boolean trySend(long type, MemorySegment body) throws IpcException {
        return sendSegment(type, body, SysV.IPC_NOWAIT);
    }

    private boolean send(long type, byte[] body, int offset, int length, int flags)
            throws IpcException {
        checkType(type);
        Objects.checkFromIndexSize(offset, length, body.length);
        MemorySegment buf = sendBuffer(type, length);
        Structs.mtext(buf, body, offset, length);
        return send(buf, length, flags);
    }

    private boolean send(long type, ByteBuffer body, int flags) throws IpcException {
        checkType(type);
        int length = body.remaining();
        MemorySegment buf = sendBuffer(type, length);
        Structs.mtext(
                Native.scratchView(),
                body,
                length); // through the scratch's view: nothing allocated
        boolean sent = send(buf, length, flags);
        if (sent) {
            body.position(body.limit());
        }
        return sent;
    }

    private boolean sendSegment(long type, MemorySegment body, int flags) throws IpcException {
        checkType(type);
        long length = body.byteSize();
        MemorySegment buf = sendBuffer(type, length);
        Structs.mtext(buf, body, length);
        return send(buf, length, flags);
    }

    private static void checkType(long type) {
        if (type <= 0) {
            throw new IllegalArgumentException("type=" + type + " (message types must be > 0)");
        }
    }

    /** This thread's scratch memory holding the type, with room for the body after it. */
    private MemorySegment sendBuffer(long type, long length) throws IpcException {
        if (length > SMALL) {
            // Read the limit only for large bodies (a /proc read per call would dominate small
            // sends), and before copying a body the kernel is sure to refuse.
            long max = Limit.MSGMAX.value();
            if (length > max) {
                throw tooLong(null, length, max);
            }
        }
        MemorySegment buf = Native.scratchAtLeast(Structs.msgbufBytes(length));
        Structs.mtype(buf, type);
        return buf;
    }

    private LimitExceededException tooLong(Errno errno, long length, long max) {
        return new LimitExceededException(
                "msgsnd",
                object(),
                errno,
                "a body of " + length + " bytes is longer than the largest message",
                Limit.MSGMAX,
                max);
    }

    private boolean send(MemorySegment buf, long length, int flags) throws IpcException {
        return send(buf, length, flags, -1);
    }

    /** flags IPC_NOWAIT: one try; else the blocking call, at most timeoutNanos if >= 0. */
    private boolean send(MemorySegment buf, long length, int flags, long timeoutNanos)
            throws IpcException {
        int r =
                flags == SysV.IPC_NOWAIT
                        ? SysV.msgsnd(id, buf, length, flags)
                        : SysV.msgsndBlocking(id, buf, length, timeoutNanos);
        if (r == 0) {
            return true;
        }
        if ((Errors.is(r, Errno.EAGAIN) && flags == SysV.IPC_NOWAIT)
                || Errors.is(r, Errno.ETIMEDOUT)) {
            return false;
        }
        if (Errors.is(r, Errno.EINTR)) {
            throw new InterruptedCallException("msgsnd", object(), "the message was not sent");
        }
        if (Errors.is(r, Errno.EINVAL)) {
            // msgsnd says EINVAL both for a body above msgmax and for an id that names no queue.
            long max = Limit.MSGMAX.value();
            if (length > max) {
                throw tooLong(Errno.EINVAL, length, max);
            }
        }
        throw idFailure(r, "msgsnd", null);
    }

    // ---- receive ------------------------------------------------------------------------------

    /**
     * Receives the first message {@code select} matches, blocking until there is one ({@man
     * msgrcv(2)}). A message longer than {@code maxBytes} stays on the queue and the call fails;
     * see {@link #receive(Select, int, Oversize)} to truncate instead. See the class comment for
     * what interrupts, removal and virtual threads do to a blocked call.
     *
     * @param select which message to take
     * @param maxBytes the longest body accepted (a body of {@link Limit#MSGMAX} bytes always fits);
     *     the call receives through this thread's native buffer, which grows to {@code maxBytes +
     *     8} bytes and is kept for the thread's next calls, so offer what the protocol needs rather
     *     than {@code Integer.MAX_VALUE}
     * @return the message, with exactly the bytes received
     * @throws LimitExceededException if the message is longer than {@code maxBytes} ({@code E2BIG})
     * @throws RemovedException if the queue was removed while the call waited ({@code EIDRM})
     * @throws InterruptedCallException if the thread was interrupted while waiting (nothing taken)
     * @throws NotFoundException if the queue no longer exists
     * @throws PermissionDeniedException if the queue's mode denies reading
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     */
    public Message receive(Select select, int maxBytes) throws IpcException {
        return receive(select, maxBytes, Oversize.FAIL);
    }

    /**
     * Receives the first message {@code select} matches, blocking until there is one, with an
     * explicit choice for a message longer than {@code maxBytes}: fail, or truncate ({@code
     * MSG_NOERROR}).
     *
     * @param select which message to take
     * @param maxBytes the longest body accepted
     * @param oversize what to do with a longer message
     * @return the message
     * @throws IpcException as {@link #receive(Select, int)} does
     */
    public Message receive(Select select, int maxBytes, Oversize oversize) throws IpcException {
        return message(receive(select, maxBytes, oversize, 0, null));
    }

    /**
     * Receives the first message {@code select} matches, waiting at most {@code timeout} for one.
     * Linux has no timed {@code msgrcv}: the wait is cancelled at the deadline (see the class
     * comment), so signals neither shorten nor lengthen it, and no message is lost: a message is
     * either returned or left on the queue.
     *
     * @param select which message to take
     * @param maxBytes the longest body accepted (a longer message fails the call and stays)
     * @param timeout the longest wait, zero or positive
     * @return the message, or empty if none came in time
     * @throws InterruptedCallException if the thread was interrupted while waiting (nothing taken)
     * @throws IpcException as {@link #receive(Select, int)} does
     */
    public Optional<Message> receive(Select select, int maxBytes, Duration timeout)
            throws IpcException {
        long n = receive(select, maxBytes, Oversize.FAIL, 0, null, Blocking.timeoutNanos(timeout));
        return n < 0 ? Optional.empty() : Optional.of(message(n));
    }

    /**
     * Receives the first message {@code select} matches if there is one now ({@code IPC_NOWAIT}); a
     * message longer than {@code maxBytes} fails the call.
     *
     * @param select which message to take
     * @param maxBytes the longest body accepted
     * @return the message, or empty if no message matches now
     * @throws IpcException as {@link #receive(Select, int)} does
     */
    public Optional<Message> tryReceive(Select select, int maxBytes) throws IpcException {
        return tryReceive(select, maxBytes, Oversize.FAIL);
    }

    /**
     * Receives the first message {@code select} matches if there is one now ({@code IPC_NOWAIT}),
     * with an explicit choice for a message longer than {@code maxBytes}.
     *
     * @param select which message to take
     * @param maxBytes the longest body accepted
     * @param oversize what to do with a longer message
     * @return the message, or empty if no message matches now
     * @throws IpcException as {@link #receive(Select, int)} does
     */
    public Optional<Message> tryReceive(Select select, int maxBytes, Oversize oversize)
            throws IpcException {
        long n = receive(select, maxBytes, oversize, SysV.IPC_NOWAIT, null);
        return n < 0 ? Optional.empty() : Optional.of(message(n));
    }

    /**
     * Receives the first message {@code select} matches into the caller's buffer, blocking until
     * there is one, without allocating: at most {@code dst.remaining()} body bytes are written at
     * the buffer's position, which then advances past them.
     *
     * @param select which message to take
     * @param dst where the body goes (heap or direct)
     * @param oversize what to do with a message longer than {@code dst.remaining()}
     * @return the message's type (greater than 0)
     * @throws IpcException as {@link #receive(Select, int)} does
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     */
    public long receiveInto(Select select, ByteBuffer dst, Oversize oversize) throws IpcException {
        return receiveInto(select, dst, oversize, 0);
    }

    /**
     * Receives the first message {@code select} matches into the caller's buffer if there is one
     * now ({@code IPC_NOWAIT}), without allocating; see {@link #receiveInto(Select, ByteBuffer,
     * Oversize)}.
     *
     * @param select which message to take
     * @param dst where the body goes; its position advances past the bytes written
     * @param oversize what to do with a message longer than {@code dst.remaining()}
     * @return the message's type (greater than 0), or 0 if no message matches now (the buffer is
     *     then untouched)
     * @throws IpcException as {@link #receive(Select, int)} does
     */
    public long tryReceiveInto(Select select, ByteBuffer dst, Oversize oversize)
            throws IpcException {
        return receiveInto(select, dst, oversize, SysV.IPC_NOWAIT);
    }

    private long receiveInto(Select select, ByteBuffer dst, Oversize oversize, int flags)
            throws IpcException {
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        long n = receive(select, dst.remaining(), oversize, flags, null);
        if (n < 0) {
            return 0;
        }
        MemorySegment buf = Native.scratchAtLeast(Structs.msgbufBytes(n));
        int len = (int) n;
        int pos = dst.position();
        Structs.mtextTo(Native.scratchView(), dst, len); // heap or direct, nothing allocated
        dst.position(pos + len);
        return Structs.mtype(buf);
    }

    /**
     * Copies the message at position {@code index} (0 is the oldest) without taking it off the
     * queue ({@man msgrcv(2)} with {@code MSG_COPY | IPC_NOWAIT}). The whole body is returned (a
     * buffer of {@link Limit#MSGMAX} bytes is offered). Never blocks.
     *
     * <p>{@code MSG_COPY} exists only in kernels built with {@code CONFIG_CHECKPOINT_RESTORE};
     * elsewhere this throws {@link UnsupportedOperationException}.
     *
     * @param index the message's position on the queue, from 0
     * @return the message, or empty if the queue holds no more than {@code index} messages
     * @throws UnsupportedOperationException if the kernel lacks {@code MSG_COPY} ({@code ENOSYS})
     * @throws IpcException as {@link #receive(Select, int)} does
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public Optional<Message> peek(long index) throws IpcException {
        if (index < 0) {
            throw new IllegalArgumentException("index=" + index + " (must be >= 0)");
        }
        long max = Math.min(Limit.MSGMAX.value(), Integer.MAX_VALUE - Structs.MTEXT);
        long n =
                receive(
                        new Select(index, false),
                        (int) max,
                        Oversize.FAIL,
                        SysV.MSG_COPY | SysV.IPC_NOWAIT,
                        "MSG_COPY");
        return n < 0 ? Optional.empty() : Optional.of(message(n));
    }

    /**
     * Calls msgrcv into this thread's scratch memory.
     *
     * @return the body length, or -1 when IPC_NOWAIT found nothing
     */
    private long receive(Select select, int maxBytes, Oversize oversize, int flags, String op)
            throws IpcException {
        return receive(select, maxBytes, oversize, flags, op, -1);
    }

    /**
     * Calls msgrcv into this thread's scratch memory: once with IPC_NOWAIT in {@code flags}, else
     * as a blocking call (at most {@code timeoutNanos} if that is {@code >= 0}).
     *
     * @return the body length, or -1 when IPC_NOWAIT found nothing or the time ran out
     */
    private long receive(
            Select select, int maxBytes, Oversize oversize, int flags, String op, long timeoutNanos)
            throws IpcException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes=" + maxBytes + " (must be >= 0)");
        }
        int f =
                flags
                        | (select.except() ? SysV.MSG_EXCEPT : 0)
                        | (oversize == Oversize.TRUNCATE ? SysV.MSG_NOERROR : 0);
        MemorySegment buf = Native.scratchAtLeast(Structs.msgbufBytes(maxBytes));
        long r =
                (flags & SysV.IPC_NOWAIT) != 0
                        ? SysV.msgrcv(id, buf, maxBytes, select.msgtyp(), f)
                        : SysV.msgrcvBlocking(id, buf, maxBytes, select.msgtyp(), f, timeoutNanos);
        if (r >= 0) {
            return r;
        }
        if (Errors.is(r, Errno.ETIMEDOUT)) {
            return -1;
        }
        if (Errors.is(r, Errno.EINTR)) {
            throw new InterruptedCallException("msgrcv", object(), "no message was taken");
        }
        if (Errors.is(r, Errno.ENOMSG) && (flags & SysV.IPC_NOWAIT) != 0) {
            return -1;
        }
        if (Errors.is(r, Errno.E2BIG)) {
            throw new LimitExceededException(
                    "msgrcv",
                    object(),
                    Errno.E2BIG,
                    (op == null ? "" : op + ": ")
                            + "the message is larger than the receive buffer of "
                            + maxBytes
                            + " bytes and stays on the queue (offer more room, at most the limit below, or"
                            + " receive with Oversize.TRUNCATE / MSG_NOERROR)",
                    Limit.MSGMAX,
                    Limit.MSGMAX.value());
        }
        if (Errors.is(r, Errno.ENOSYS) && (flags & SysV.MSG_COPY) != 0) {
            throw new UnsupportedOperationException(
                    "msgrcv("
                            + object()
                            + "): ENOSYS: this kernel has no MSG_COPY (built without CONFIG_CHECKPOINT_RESTORE)");
        }
        if (Errors.is(r, Errno.EINVAL) && (flags & SysV.MSG_COPY) != 0 && exists()) {
            throw new LimitExceededException(
                    "msgrcv",
                    object(),
                    Errno.EINVAL,
                    "MSG_COPY: the message at index "
                            + select.msgtyp()
                            + " is longer than the largest message"
                            + " (msgmax was lowered after it was sent)",
                    Limit.MSGMAX,
                    Limit.MSGMAX.value());
        }
        throw idFailure(r, "msgrcv", op);
    }

    /** The message in this thread's scratch memory (filled by the last receive). */
    private static Message message(long n) {
        MemorySegment buf = Native.scratch(Structs.msgbufBytes(n));
        byte[] body = new byte[(int) n];
        Structs.mtextTo(buf, body, 0, body.length);
        return new Message(Structs.mtype(buf), body);
    }

    // ---- control ------------------------------------------------------------------------------

    /**
     * The queue's status: every field of {@code struct msqid_ds} ({@code msgctl(IPC_STAT)}).
     *
     * @return the status
     * @throws NotFoundException if the queue no longer exists
     * @throws PermissionDeniedException if the queue's mode denies reading
     * @throws IpcException on any other failure
     */
    public MessageQueueStatus status() throws IpcException {
        return MessageQueueStatus.of(id, Structs.msqidDs(stat()));
    }

    private MemorySegment stat() throws IpcException {
        MemorySegment ds = Native.scratch(Structs.MSQID_DS.byteSize()).fill((byte) 0);
        int r = SysV.msgctl(id, SysV.IPC_STAT, ds);
        if (r < 0) {
            throw idFailure(r, "msgctl", "IPC_STAT");
        }
        return ds;
    }

    /**
     * Sets the owner and the permission bits in one {@code msgctl(IPC_SET)}, keeping the byte
     * capacity. Only the owner, the creator or a process with {@code CAP_SYS_ADMIN} may do this.
     *
     * @param uid the new owner's user id
     * @param gid the new owner's group id
     * @param mode the new permission bits, e.g. {@code 0640}
     * @throws PermissionDeniedException if this process may not change the queue
     * @throws NotFoundException if the queue no longer exists
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}
     */
    public void setPermissions(int uid, int gid, int mode) throws IpcException {
        mode(mode);
        MemorySegment ds = stat();
        ipcSet(ds, uid, gid, mode, Structs.msqidDs(ds).msg_qbytes());
    }

    /**
     * Changes the owner, keeping mode and capacity ({@code IPC_STAT} then {@code IPC_SET}; not
     * atomic against another process changing the queue at the same time).
     *
     * @param uid the new owner's user id
     * @param gid the new owner's group id
     * @throws IpcException as {@link #setPermissions} does
     */
    public void setOwner(int uid, int gid) throws IpcException {
        MemorySegment ds = stat();
        Structs.MsqidDs d = Structs.msqidDs(ds);
        ipcSet(ds, uid, gid, d.msg_perm().mode() & 0777, d.msg_qbytes());
    }

    /**
     * Changes the permission bits, keeping owner and capacity (see {@link #setOwner}).
     *
     * @param mode the new permission bits
     * @throws IpcException as {@link #setPermissions} does
     */
    public void setMode(int mode) throws IpcException {
        mode(mode);
        MemorySegment ds = stat();
        Structs.MsqidDs d = Structs.msqidDs(ds);
        ipcSet(ds, d.msg_perm().uid(), d.msg_perm().gid(), mode, d.msg_qbytes());
    }

    /**
     * Changes the capacity ({@code msg_qbytes}: the most body bytes the queue may hold), keeping
     * owner and mode (see {@link #setOwner}). Raising it above {@link Limit#MSGMNB} needs {@code
     * CAP_SYS_RESOURCE}.
     *
     * @param maxBytes the most body bytes the queue may hold
     * @throws LimitExceededException if {@code maxBytes} is above {@link Limit#MSGMNB} without
     *     {@code CAP_SYS_RESOURCE}
     * @throws IpcException as {@link #setPermissions} does
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     */
    public void setMaxBytes(long maxBytes) throws IpcException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes=" + maxBytes + " (must be >= 0)");
        }
        MemorySegment ds = stat();
        Structs.MsqidDs d = Structs.msqidDs(ds);
        ipcSet(ds, d.msg_perm().uid(), d.msg_perm().gid(), d.msg_perm().mode() & 0777, maxBytes);
    }

    /** msgctl(IPC_SET) with {@code ds} as IPC_STAT read it, owner, mode and capacity replaced. */
    private void ipcSet(MemorySegment ds, int uid, int gid, int mode, long maxBytes)
            throws IpcException {
        Structs.msqidDs(ds, uid, gid, mode, maxBytes);
        int r = SysV.msgctl(id, SysV.IPC_SET, ds);
        if (Errors.is(r, Errno.EPERM)) {
            long mnb = Limit.MSGMNB.value();
            if (maxBytes > mnb) {
                throw new LimitExceededException(
                        "msgctl",
                        object(),
                        Errno.EPERM,
                        "IPC_SET: raising msg_qbytes to "
                                + maxBytes
                                + " needs CAP_SYS_RESOURCE (or the owner's"
                                + " rights were missing)",
                        Limit.MSGMNB,
                        mnb);
            }
            throw new PermissionDeniedException(
                    "msgctl",
                    object(),
                    Errno.EPERM,
                    "IPC_SET: only the queue's owner or creator, or a process with CAP_SYS_ADMIN, may change it");
        }
        if (r < 0) {
            throw idFailure(r, "msgctl", "IPC_SET");
        }
    }

    /**
     * Destroys the queue and the messages on it ({@code msgctl(IPC_RMID)}), for every process:
     * callers blocked in send or receive wake with {@link RemovedException}; later calls get {@link
     * NotFoundException}.
     *
     * @throws NotFoundException if the queue no longer exists
     * @throws PermissionDeniedException if this process is not the owner or creator and lacks
     *     {@code CAP_SYS_ADMIN}
     * @throws IpcException on any other failure
     */
    public void remove() throws IpcException {
        int r = SysV.msgctl(id, SysV.IPC_RMID, MemorySegment.NULL);
        if (Errors.is(r, Errno.EPERM)) {
            throw new PermissionDeniedException(
                    "msgctl",
                    object(),
                    Errno.EPERM,
                    "IPC_RMID: only the queue's owner or creator, or a process with CAP_SYS_ADMIN, may remove it");
        }
        if (r < 0) {
            throw idFailure(r, "msgctl", "IPC_RMID");
        }
    }

    /**
     * The system-wide limits ({@code msgctl(0, IPC_INFO)}) and usage ({@code msgctl(0, MSG_INFO)}).
     *
     * @return the figures
     * @throws IpcException if the kernel refuses either call
     */
    public static MessageQueueInfo info() throws IpcException {
        Structs.MsgInfo limits = SysvInfo.msg(SysV.IPC_INFO).info();
        SysvInfo.Reply<Structs.MsgInfo> usage = SysvInfo.msg(SysV.MSG_INFO);
        return new MessageQueueInfo(
                limits.msgmax(),
                limits.msgmnb(),
                limits.msgmni(),
                limits.msgpool(),
                limits.msgmap(),
                limits.msgtql(),
                limits.msgssz(),
                limits.msgseg(),
                usage.info().msgpool(),
                usage.info().msgmap(),
                usage.info().msgtql(),
                usage.result());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private String object() {
        return "msqid " + id;
    }

    private boolean exists() {
        int r = SysV.msgctl(id, SysV.IPC_STAT, Native.scratch(Structs.MSQID_DS.byteSize()));
        return r >= 0 || Errors.is(r, Errno.EACCES);
    }

    /**
     * The exception for a failed call on this queue's id.
     *
     * @param r the negated errno
     * @param call the C function
     * @param op the command or flag that matters ({@code "IPC_STAT"}, {@code "MSG_COPY"}), or null
     */
    private IpcException idFailure(long r, String call, String op) {
        Errno e = Errno.of((int) -r);
        String p = op == null ? "" : op + ": ";
        return switch (e) {
            case EINVAL ->
                    new NotFoundException(
                            call,
                            object(),
                            e,
                            p + "no message queue has this id (it was removed, or never existed)");
            case EIDRM ->
                    new RemovedException(
                            call, object(), e, p + "the queue was removed while the call waited");
            case EACCES ->
                    new PermissionDeniedException(
                            call,
                            object(),
                            e,
                            p
                                    + "the queue's mode denies this user "
                                    + (call.equals("msgsnd") ? "writing" : "reading"));
            default -> Errors.failure(r, call, object(), op);
        };
    }

    /**
     * Queues are equal when they have the same identifier.
     *
     * @param o another object
     * @return whether {@code o} is a queue with the same id
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof MessageQueue q && q.id == id;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(id);
    }

    /**
     * A short description.
     *
     * @return e.g. {@code "MessageQueue[msqid 32769, key 0x67001234]"}
     */
    @Override
    public String toString() {
        return "MessageQueue[msqid " + id + ", key " + key + "]";
    }
}
