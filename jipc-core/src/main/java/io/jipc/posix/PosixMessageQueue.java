package io.jipc.posix;

import io.jipc.AlreadyExistsException;
import io.jipc.Descriptor;
import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;
import io.jipc.Limit;
import io.jipc.LimitExceededException;
import io.jipc.NotFoundException;
import io.jipc.PermissionDeniedException;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.Modes;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.Blocking;
import io.jipc.internal.linux.Mqueue;
import io.jipc.internal.linux.Native;
import io.jipc.internal.linux.PosixFiles;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A POSIX message queue ({@man mq_overview(7)}: {@man mq_open(3)}, {@man mq_send(3)}, {@man
 * mq_receive(3)}, {@man mq_getattr(3)}, {@man mq_notify(3)}, {@man mq_unlink(3)}), byte-for-byte
 * interoperable with C programs that open the same name.
 *
 * <pre>{@code
 * try (PosixMessageQueue q = PosixMessageQueue.create("/jobs", 0600, 10, 8192)) {  // create-or-open
 *     q.send(5, "urgent".getBytes());                 // priority 5, blocks while the queue is full
 *     PosixMessage m = q.receive();                   // highest priority first, FIFO within one
 *     Optional<PosixMessage> next = q.tryReceive();   // empty instead of blocking
 *     q.unlink();                                     // the name goes; the queue when the last descriptor closes
 * }
 * }</pre>
 *
 * <h2>Names, creation, lifetime</h2>
 *
 * A name is {@code "/"} followed by 1 to 255 bytes without another {@code '/'} (checked before any
 * call: {@link IllegalArgumentException}). {@link #open} opens an existing queue; {@link #create}
 * creates it or opens the one that exists (and says which: {@link #created()}); {@link
 * #createExclusive} fails with {@link AlreadyExistsException} if it exists. A new queue gets
 * exactly the mode asked for (set with {@code fchmod} after creation; the umask does not narrow it,
 * unlike C's {@code mq_open}), and {@code mq_maxmsg} / {@code mq_msgsize}, or the defaults of
 * {@code /proc/sys/fs/mqueue/msg_default} and {@code msgsize_default}. Above {@link
 * Limit#MQ_MSG_MAX} or {@link Limit#MQ_MSGSIZE_MAX} the creation fails with a {@link
 * LimitExceededException} quoting the limit; so it does beyond {@link Limit#MQ_QUEUES_MAX} queues,
 * or when the user's queues would take more than {@link Limit#RLIMIT_MSGQUEUE} bytes.
 *
 * <p>A queue lives in the kernel, in the IPC namespace, until {@link #unlink()} removes its name
 * <em>and</em> the last descriptor on it is closed (or the system reboots); messages stay on it
 * meanwhile. {@link #close()} closes this process's descriptor only ({@code mq_close} is {@man
 * close(2)}) and is idempotent; every call after it throws {@link ClosedChannelException}.
 *
 * <h2>Messages</h2>
 *
 * A message is a body of 0 to {@link #messageSize()} bytes, any bytes, exactly as C's {@code
 * mq_send} sends them, and a priority from 0 to {@link #MAX_PRIORITY}: a receive takes the oldest
 * message of the highest priority. A body longer than the queue's message size, or a priority out
 * of range, is an {@link IllegalArgumentException} before any call.
 *
 * <h2>Blocking, try and timed forms</h2>
 *
 * {@link #send(int, byte[])} waits while the queue is full and {@link #receive()} while it is
 * empty. The try forms ({@link #trySend}, {@link #tryReceive}) return false or empty instead, and
 * the timed ones ({@link #send(int, byte[], Duration)}, {@link #receive(Duration)}) after the
 * timeout. None of them changes {@code O_NONBLOCK} on the shared open file description: a try is
 * one {@code mq_timedsend}/{@code mq_timedreceive} with a deadline long past, which the kernel
 * answers at once; a blocking or timed form on a description another process made non-blocking
 * waits in {@man poll(2)} and calls again, so it still waits and never returns unsent. While
 * waiting:
 *
 * <ul>
 *   <li><b>Interrupt:</b> {@link Thread#interrupt()} ends the wait with {@link
 *       InterruptedCallException}; nothing was sent or taken, the interrupt status stays set, and
 *       the queue stays open (unlike a JDK channel, which an interrupt closes).
 *   <li><b>Timeouts</b> are kept by the kernel ({@code mq_timedsend}/{@code mq_timedreceive} with
 *       an absolute {@code CLOCK_REALTIME} deadline, recomputed from the monotonic time left when a
 *       signal interrupts the call), so a signal storm neither shortens nor lengthens them.
 *   <li><b>Virtual threads</b> do not pin their carrier: the wait runs on a helper platform thread
 *       while the virtual thread parks.
 * </ul>
 *
 * <h2>Being told that a message arrived</h2>
 *
 * Two ways:
 *
 * <ul>
 *   <li><b>Readiness on the descriptor.</b> On Linux a queue descriptor is a file descriptor: this
 *       class is a {@link Descriptor}, so {@code poll}/{@code epoll} (jipc's poller, or C) report
 *       {@code POLLIN} while the queue holds a message and {@code POLLOUT} while it has room.
 *       Level-triggered, no registration, any number of pollers in any processes, nothing to
 *       re-arm. The descriptor can be handed to a child ({@code Spawn.fd}) or sent over a Unix
 *       socket, and adopted there with {@link #inherited(int)}.
 *   <li><b>{@code mq_notify}:</b> {@link #notifyOnArrival(Runnable)} registers this process; when a
 *       message arrives on the <em>empty</em> queue, the action runs once on the library's thread
 *       {@code jipc-mq-notify}. The kernel's semantics hold: one process per queue may be
 *       registered (another gets {@code EBUSY}); the registration is used up by one notification
 *       and must be re-armed; no notification is sent while another thread or process waits in
 *       {@code mq_receive}, nor for a message that arrives on a queue that is not empty. To see
 *       every message: re-arm first, then drain the queue with {@link #tryReceive()} until it is
 *       empty (a message that arrives after the re-arming and before the drain ends is taken by the
 *       drain or notified again, never lost). The kernel delivers the notification to a netlink
 *       socket, as glibc's {@code SIGEV_THREAD} does; no signal is used.
 * </ul>
 *
 * <h2>Cost</h2>
 *
 * Each send or receive copies the body through a per-thread native buffer and makes one system call
 * ({@code mq_timedsend}/{@code mq_timedreceive}); a platform thread makes the blocking call at
 * once, without a try first, as C does. The {@code ByteBuffer} forms ({@link #send(int,
 * ByteBuffer)}, {@link #trySend(int, ByteBuffer)}, {@link #receiveInto}, {@link #tryReceiveInto})
 * allocate nothing on the Java heap; {@link #receive()} allocates the body and the {@link
 * PosixMessage}.
 *
 * <h2>Errors</h2>
 *
 * {@link NotFoundException} (no queue has the name), {@link AlreadyExistsException}, {@link
 * PermissionDeniedException} (the mode denies the access asked), {@link LimitExceededException}
 * (see above), {@link InterruptedCallException}, {@link ClosedChannelException} (used after {@link
 * #close()}), {@link NonReadableChannelException} / {@link NonWritableChannelException} (receiving
 * on a queue opened {@link Access#WRITE_ONLY}, or sending on one opened {@link Access#READ_ONLY});
 * every {@link IpcException} names the call, the queue and the errno.
 *
 * <p>Thread-safe: any number of threads may send and receive at once.
 */
public final class PosixMessageQueue implements Descriptor {
    static {
        Fds.register(PosixMessageQueue.class, q -> q.fd);
    }

    /** The highest priority ({@code MQ_PRIO_MAX - 1}). */
    public static final int MAX_PRIORITY = Mqueue.MQ_PRIO_MAX - 1;

    private final OwnedFd fd;
    private final String name;
    private final Access access;
    private final int maxMessages;
    private final int messageSize;
    private final boolean created;
    private volatile long notification;

    private PosixMessageQueue(int fd, String name, Access access, boolean created)
            throws IpcException {
        this.fd = new OwnedFd(fd);
        this.name = name;
        this.access = access;
        this.created = created;
        long[] a = Mqueue.mq_getattr(fd);
        if (a.length == 1) {
            this.fd.close();
            throw Errors.failure(a[0], "mq_getattr", name, null);
        }
        this.maxMessages = (int) a[1];
        this.messageSize = (int) a[2];
    }

    // ---- obtaining a queue ------------------------------------------------------------------

    /**
     * Opens an existing queue for sending and receiving ({@code mq_open(name, O_RDWR)}).
     *
     * @param name the name, e.g. {@code "/jobs"}
     * @return the queue
     * @throws NotFoundException if no queue has the name
     * @throws PermissionDeniedException if its mode does not grant read and write
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException if the name is not {@code "/"} and 1..255 bytes without
     *     another {@code '/'}
     */
    public static PosixMessageQueue open(String name) throws IpcException {
        return open(name, Access.READ_WRITE);
    }

    /**
     * Opens an existing queue ({@code mq_open(name, O_RDONLY | O_WRONLY | O_RDWR)}).
     *
     * @param name the name, e.g. {@code "/jobs"}
     * @param access what this process will do: receive, send, or both
     * @return the queue
     * @throws NotFoundException if no queue has the name
     * @throws PermissionDeniedException if its mode does not grant {@code access}
     * @throws IpcException on any other failure
     */
    public static PosixMessageQueue open(String name, Access access) throws IpcException {
        PosixNames.check(name, PosixNames.NAME_MAX);
        Objects.requireNonNull(access, "access");
        int r = Mqueue.mq_open(name, access.flags | Unistd.O_CLOEXEC, 0, 0, 0);
        if (r < 0) {
            throw PosixErrors.open(r, "mq_open", name, "message queue", describe(access));
        }
        return new PosixMessageQueue(r, name, access, false);
    }

    /**
     * Opens the queue of this name, creating it with {@code mode} and the default attributes
     * ({@code /proc/sys/fs/mqueue/msg_default} messages of {@code msgsize_default} bytes) if there
     * is none.
     *
     * @param name the name, e.g. {@code "/jobs"}
     * @param mode the permission bits of a new queue, e.g. {@code 0600}
     * @return the queue; {@link #created()} says whether it is new
     * @throws IpcException as {@link #create(String, int, int, int)}
     */
    public static PosixMessageQueue create(String name, int mode) throws IpcException {
        return create(name, mode, 0, 0, false);
    }

    /**
     * Opens the queue of this name for sending and receiving, creating it if there is none with
     * exactly {@code mode} and room for {@code maxMessages} messages of up to {@code messageSize}
     * bytes. The attributes and mode are ignored when the queue exists (they cannot change). Any
     * number of processes may call this and meet on one queue.
     *
     * @param name the name, e.g. {@code "/jobs"}
     * @param mode the permission bits of a new queue, e.g. {@code 0600}
     * @param maxMessages {@code mq_maxmsg}, at least 1
     * @param messageSize {@code mq_msgsize}, at least 1
     * @return the queue; {@link #created()} says whether it is new
     * @throws LimitExceededException above {@link Limit#MQ_MSG_MAX} or {@link
     *     Limit#MQ_MSGSIZE_MAX}, beyond {@link Limit#MQ_QUEUES_MAX} queues, or above {@link
     *     Limit#RLIMIT_MSGQUEUE} bytes
     * @throws PermissionDeniedException if the queue exists and its mode denies read and write
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException for a bad name, a mode outside {@code 0777}, or attributes
     *     below 1
     */
    public static PosixMessageQueue create(String name, int mode, int maxMessages, int messageSize)
            throws IpcException {
        return create(
                name,
                mode,
                positive("maxMessages", maxMessages),
                positive("messageSize", messageSize),
                false);
    }

    /**
     * Creates a new queue with the default attributes, failing if the name has one.
     *
     * @param name the name, e.g. {@code "/jobs"}
     * @param mode the permission bits, e.g. {@code 0600}
     * @return the new queue
     * @throws IpcException as {@link #createExclusive(String, int, int, int)}
     */
    public static PosixMessageQueue createExclusive(String name, int mode) throws IpcException {
        return create(name, mode, 0, 0, true);
    }

    /**
     * Creates a new queue with exactly {@code mode} and room for {@code maxMessages} messages of up
     * to {@code messageSize} bytes, failing if the name has one ({@code mq_open(name, O_RDWR |
     * O_CREAT | O_EXCL, mode, &attr)}).
     *
     * @param name the name, e.g. {@code "/jobs"}
     * @param mode the permission bits, e.g. {@code 0600}
     * @param maxMessages {@code mq_maxmsg}, at least 1
     * @param messageSize {@code mq_msgsize}, at least 1
     * @return the new queue
     * @throws AlreadyExistsException if a queue has the name
     * @throws LimitExceededException as {@link #create(String, int, int, int)}
     * @throws IpcException on any other failure
     */
    public static PosixMessageQueue createExclusive(
            String name, int mode, int maxMessages, int messageSize) throws IpcException {
        return create(
                name,
                mode,
                positive("maxMessages", maxMessages),
                positive("messageSize", messageSize),
                true);
    }

    private static int positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + "=" + v + " (at least 1)");
        }
        return v;
    }

    private static PosixMessageQueue create(
            String name, int mode, int maxMessages, int messageSize, boolean exclusive)
            throws IpcException {
        PosixNames.check(name, PosixNames.NAME_MAX);
        Modes.check(mode);
        int flags = Unistd.O_RDWR | Unistd.O_CLOEXEC;
        Creation c =
                Creation.createOrOpen(
                        () ->
                                Mqueue.mq_open(
                                        name,
                                        flags | Mqueue.O_CREAT | Mqueue.O_EXCL,
                                        mode,
                                        maxMessages,
                                        messageSize),
                        () -> Mqueue.mq_open(name, flags, 0, 0, 0),
                        exclusive);
        if (c.result() < 0) {
            throw c.failedCreating()
                    ? PosixErrors.createQueue(
                            c.result(), name, maxMessages, messageSize, "read and write")
                    : PosixErrors.open(
                            c.result(), "mq_open", name, "message queue", "read and write");
        }
        PosixMessageQueue q =
                new PosixMessageQueue((int) c.result(), name, Access.READ_WRITE, c.created());
        if (c.created()) {
            q.exactMode(mode);
        }
        return q;
    }

    private void exactMode(int mode) throws IpcException {
        try {
            PosixNames.change(fd, name, PosixNames.KEEP, PosixNames.KEEP, mode);
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw e instanceof IpcException i
                    ? i
                    : new IpcException("fchmod", name, null, e.toString());
        }
    }

    /**
     * Adopts a queue descriptor this process inherited (from {@code Spawn.fd}) or received over a
     * Unix socket ({@code SCM_RIGHTS}), taking ownership of it. Its name is read from {@code
     * /proc/self/fd}; its access from the descriptor's flags. The open file description's {@code
     * O_NONBLOCK} is left as it is (a C program sharing it may rely on it): jipc's blocking forms
     * wait in {@man poll(2)} when the kernel will not, its try forms never need it.
     *
     * @param fd the descriptor number
     * @return the queue
     * @throws IpcException if {@code fd} is not a POSIX message queue (EBADF from mq_getattr)
     */
    public static PosixMessageQueue inherited(int fd) throws IpcException {
        if (fd < 0) {
            throw new IllegalArgumentException("fd=" + fd);
        }
        long[] a = Mqueue.mq_getattr(fd);
        if (a.length == 1) {
            throw Errors.failure(
                    a[0], "mq_getattr", "fd " + fd, "not a POSIX message queue descriptor");
        }
        int fl = Unistd.fcntl(fd, Unistd.F_GETFL, 0);
        Access access =
                switch (fl & Unistd.O_ACCMODE) {
                    case Unistd.O_RDONLY -> Access.READ_ONLY;
                    case Unistd.O_WRONLY -> Access.WRITE_ONLY;
                    default -> Access.READ_WRITE;
                };
        Unistd.fcntl(fd, Unistd.F_SETFD, Unistd.FD_CLOEXEC);
        return new PosixMessageQueue(fd, Inherited.link(fd), access, false);
    }

    /**
     * Removes a queue's name ({@man mq_unlink(3)}): no one can open it any more and a new queue may
     * take the name; the queue itself lives on until every descriptor on it is closed.
     *
     * @param name the name, e.g. {@code "/jobs"}
     * @throws NotFoundException if no queue has the name
     * @throws PermissionDeniedException if this user may not remove it
     * @throws IpcException on any other failure
     */
    public static void unlink(String name) throws IpcException {
        PosixNames.check(name, PosixNames.NAME_MAX);
        int r = Mqueue.mq_unlink(name);
        if (r < 0) {
            throw PosixErrors.open(r, "mq_unlink", name, "message queue", "removal");
        }
    }

    private static String describe(Access a) {
        return switch (a) {
            case READ_ONLY -> "read";
            case WRITE_ONLY -> "write";
            case READ_WRITE -> "read and write";
        };
    }

    // ---- what it is ---------------------------------------------------------------------------

    /**
     * The queue's name, e.g. {@code "/jobs"}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Whether this call created the queue ({@link #create} and {@link #createExclusive}); false
     * when it opened an existing one.
     *
     * @return true if new
     */
    public boolean created() {
        return created;
    }

    /**
     * How this process opened the queue.
     *
     * @return the access
     */
    public Access access() {
        return access;
    }

    /**
     * The most messages the queue holds ({@code mq_maxmsg}, fixed at creation).
     *
     * @return the capacity in messages
     */
    public int maxMessages() {
        return maxMessages;
    }

    /**
     * The largest body the queue takes ({@code mq_msgsize}, fixed at creation); also the size a
     * receive buffer must have.
     *
     * @return the size in bytes
     */
    public int messageSize() {
        return messageSize;
    }

    /**
     * The queue's status now: its attributes and the number of messages on it ({@man
     * mq_getattr(3)}), owner and mode ({@man fstat(2)}), and the bytes on it and the process
     * registered for notification (read from the descriptor, as the mqueue file system shows them).
     *
     * @return the status
     * @throws ClosedChannelException if closed
     * @throws IpcException if the call fails
     */
    public PosixMessageQueueStatus status() throws IOException {
        int f = fd.acquire();
        try {
            return status(f, name, Path.of("/proc/self/fd/" + f));
        } finally {
            fd.release();
        }
    }

    /** The status of the queue open on {@code f}, whose file is {@code file}. */
    static PosixMessageQueueStatus status(int f, String name, Path file) throws IpcException {
        long[] a = Mqueue.mq_getattr(f);
        if (a.length == 1) {
            throw Errors.failure(a[0], "mq_getattr", name, null);
        }
        FileAttrs st = FileAttrs.of(file, name);
        long bytes = -1;
        int notifyPid = -1;
        byte[] text = new byte[128];
        long n =
                PosixFiles.pread(
                        f, text,
                        0); // "QSIZE:5  NOTIFY:0  SIGNO:0  NOTIFY_PID:0" (a write-only one: EBADF)
        if (n > 0) {
            String[] words =
                    new String(text, 0, (int) n, java.nio.charset.StandardCharsets.US_ASCII)
                            .trim()
                            .split("\\s+");
            for (String w : words) {
                if (w.startsWith("QSIZE:")) {
                    bytes = Long.parseLong(w.substring(6));
                } else if (w.startsWith("NOTIFY_PID:")) {
                    notifyPid = Integer.parseInt(w.substring(11));
                }
            }
        }
        return new PosixMessageQueueStatus(
                name, st.uid(), st.gid(), st.mode(), a[1], a[2], a[3], bytes, notifyPid);
    }

    /**
     * The system-wide limits and defaults of POSIX message queues in this IPC namespace, read now
     * ({@code /proc/sys/fs/mqueue}, {@code RLIMIT_MSGQUEUE}).
     *
     * @return the figures
     */
    public static PosixMessageQueueInfo info() {
        return new PosixMessageQueueInfo(
                Limit.MQ_MSG_MAX.value(),
                Limit.MQ_MSGSIZE_MAX.value(),
                Limit.MQ_QUEUES_MAX.value(),
                PosixMessageQueueInfo.proc("msg_default"),
                PosixMessageQueueInfo.proc("msgsize_default"),
                Limit.RLIMIT_MSGQUEUE.value());
    }

    /**
     * Changes owner, group and mode at once ({@man fchown(2)}, {@man fchmod(2)} on the queue): the
     * owner and group need a privileged process, the mode the owner.
     *
     * @param uid the new owner
     * @param gid the new group
     * @param mode the new permission bits, e.g. {@code 0640}
     * @throws PermissionDeniedException if this process may not
     * @throws IpcException on any other failure
     * @throws ClosedChannelException if closed
     */
    public void setPermissions(int uid, int gid, int mode) throws IOException {
        Modes.check(mode);
        change(uid, gid, mode);
    }

    /**
     * Changes owner and group, keeping the mode ({@man fchown(2)}).
     *
     * @param uid the new owner
     * @param gid the new group
     * @throws IOException as {@link #setPermissions}
     */
    public void setOwner(int uid, int gid) throws IOException {
        change(uid, gid, -1);
    }

    /**
     * Changes the mode, keeping the owner ({@man fchmod(2)}).
     *
     * @param mode the new permission bits, e.g. {@code 0640}
     * @throws IOException as {@link #setPermissions}
     */
    public void setMode(int mode) throws IOException {
        Modes.check(mode);
        change(-1, -1, mode);
    }

    private void change(int uid, int gid, int mode) throws IOException {
        PosixNames.change(fd, name, uid, gid, mode);
    }

    @Override
    public int fd() {
        return fd.numberIfOpen();
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    /**
     * Closes this process's descriptor ({@man mq_close(3)}); the queue and its messages stay. A
     * registration of {@link #notifyOnArrival} made through it ends. Idempotent. A call in flight
     * in another thread keeps the descriptor until it returns.
     */
    @Override
    public void close() {
        fd.close();
        MqNotifier.forgetAll(this);
    }

    /**
     * Removes the queue's name ({@code mq_unlink}); see {@link #unlink(String)}. This descriptor
     * stays usable.
     *
     * @throws IpcException as {@link #unlink(String)}
     */
    public void unlink() throws IpcException {
        unlink(name);
    }

    /**
     * Equal if both name the same queue (their names are equal), whatever their descriptors.
     *
     * @param o the other object
     * @return true if the same name
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PosixMessageQueue q && q.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "PosixMessageQueue[name="
                + name
                + (isOpen() ? ", fd=" + fd.number() : ", closed")
                + "]";
    }

    // ---- send ---------------------------------------------------------------------------------

    /**
     * Sends a message of priority 0, blocking while the queue is full ({@man mq_send(3)}).
     *
     * @param body the body: exactly these bytes go on the queue
     * @throws InterruptedCallException if the thread was interrupted while waiting (not sent)
     * @throws ClosedChannelException if closed
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException if the body is longer than {@link #messageSize()}
     */
    public void send(byte[] body) throws IOException {
        send(0, body, 0, body.length, -1);
    }

    /**
     * Sends a message, blocking while the queue is full ({@man mq_send(3)}).
     *
     * @param priority 0 to {@link #MAX_PRIORITY}; higher is received first
     * @param body the body: exactly these bytes go on the queue
     * @throws InterruptedCallException if the thread was interrupted while waiting (not sent)
     * @throws ClosedChannelException if closed
     * @throws NonWritableChannelException if opened {@link Access#READ_ONLY}
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException if the body is longer than {@link #messageSize()} or the
     *     priority is out of range
     */
    public void send(int priority, byte[] body) throws IOException {
        send(priority, body, 0, body.length, -1);
    }

    /**
     * Sends part of an array, blocking while the queue is full; see {@link #send(int, byte[])}.
     *
     * @param priority 0 to {@link #MAX_PRIORITY}
     * @param body the array holding the body
     * @param offset where the body starts
     * @param length the body's length
     * @throws IOException as {@link #send(int, byte[])}
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public void send(int priority, byte[] body, int offset, int length) throws IOException {
        send(priority, body, offset, length, -1);
    }

    /**
     * Sends the remaining bytes of a buffer, blocking while the queue is full; the position moves
     * to the limit once the message is on the queue. See {@link #send(int, byte[])}.
     *
     * @param priority 0 to {@link #MAX_PRIORITY}
     * @param body the body, from its position to its limit
     * @throws IOException as {@link #send(int, byte[])}
     */
    public void send(int priority, ByteBuffer body) throws IOException {
        send(priority, body, -1);
    }

    /**
     * Sends a message, waiting at most {@code timeout} while the queue is full ({@man
     * mq_timedsend(3)}). A timeout is an expected outcome: false, and nothing was sent.
     *
     * @param priority 0 to {@link #MAX_PRIORITY}
     * @param body the body
     * @param timeout the longest wait, zero or positive
     * @return true if the message is on the queue, false if the time ran out
     * @throws IOException as {@link #send(int, byte[])}
     */
    public boolean send(int priority, byte[] body, Duration timeout) throws IOException {
        return send(priority, body, 0, body.length, Math.max(1, Blocking.timeoutNanos(timeout)));
    }

    /**
     * Sends a message unless the queue is full (one {@code mq_timedsend} with a deadline long past;
     * the descriptor's {@code O_NONBLOCK} is not touched).
     *
     * @param priority 0 to {@link #MAX_PRIORITY}
     * @param body the body
     * @return true if the message is on the queue, false if the queue was full
     * @throws IOException as {@link #send(int, byte[])}
     */
    public boolean trySend(int priority, byte[] body) throws IOException {
        return send(priority, body, 0, body.length, 0);
    }

    /**
     * Sends the remaining bytes of a buffer unless the queue is full; the position moves to the
     * limit if it was sent. See {@link #trySend(int, byte[])}.
     *
     * @param priority 0 to {@link #MAX_PRIORITY}
     * @param body the body, from its position to its limit
     * @return true if sent, false if the queue was full
     * @throws IOException as {@link #send(int, byte[])}
     */
    public boolean trySend(int priority, ByteBuffer body) throws IOException {
        return send(priority, body, 0);
    }

    private boolean send(int priority, byte[] body, int offset, int length, long nanos)
            throws IOException {
        Objects.checkFromIndexSize(offset, length, body.length);
        checkSend(priority, length);
        MemorySegment buf = Native.scratchAtLeast(length);
        Native.scratchView().put(0, body, offset, length);
        return send(priority, buf, length, nanos);
    }

    private boolean send(int priority, ByteBuffer body, long nanos) throws IOException {
        int length = body.remaining();
        checkSend(priority, length);
        // Copied through this thread's native buffer, direct buffers too: a segment view of the
        // caller's buffer would be an allocation per call, the copy is a memcpy.
        MemorySegment buf = Native.scratchAtLeast(length);
        Native.scratchView().put(0, body, body.position(), length);
        boolean sent = send(priority, buf, length, nanos);
        if (sent) {
            body.position(body.limit());
        }
        return sent;
    }

    private void checkSend(int priority, int length) {
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException(
                    "priority="
                            + priority
                            + " (0.."
                            + MAX_PRIORITY
                            + ": below MQ_PRIO_MAX = "
                            + Mqueue.MQ_PRIO_MAX
                            + ")");
        }
        if (length > messageSize) {
            throw new IllegalArgumentException(
                    "body of "
                            + length
                            + " bytes is longer than the message size of "
                            + name
                            + " (mq_msgsize = "
                            + messageSize
                            + ", fixed when the queue was created)");
        }
        if (!access.canWrite()) {
            throw new NonWritableChannelException();
        }
    }

    private boolean send(int priority, MemorySegment buf, int length, long nanos)
            throws IOException {
        int f = fd.acquire();
        int r;
        try {
            r =
                    nanos == 0
                            ? Mqueue.sendNow(f, buf, length, priority)
                            : Mqueue.sendBlocking(f, buf, length, priority, nanos);
        } finally {
            fd.release();
        }
        if (r == 0) {
            return true;
        }
        if (nanos < 0 && Errors.is(r, Errno.EAGAIN)) {
            // never a silent loss: an untimed send has no "false" to say it
            throw new IpcException(
                    "mq_send",
                    name,
                    Errno.EAGAIN,
                    "not sent: the queue was full and would not wait");
        }
        if (Errors.is(r, Errno.EAGAIN) || Errors.is(r, Errno.ETIMEDOUT)) {
            return false;
        }
        if (Errors.is(r, Errno.EINTR)) {
            throw PosixErrors.interrupted("mq_send", name);
        }
        throw Errors.failure(r, nanos == 0 ? "mq_timedsend" : "mq_send", name, null);
    }

    // ---- receive ------------------------------------------------------------------------------

    /**
     * Receives the oldest message of the highest priority, blocking while the queue is empty ({@man
     * mq_receive(3)}).
     *
     * @return the message
     * @throws InterruptedCallException if the thread was interrupted while waiting (nothing taken)
     * @throws ClosedChannelException if closed
     * @throws NonReadableChannelException if opened {@link Access#WRITE_ONLY}
     * @throws IpcException on any other failure
     */
    public PosixMessage receive() throws IOException {
        return receive(-1).orElseThrow();
    }

    /**
     * Receives a message, waiting at most {@code timeout} while the queue is empty ({@man
     * mq_timedreceive(3)}).
     *
     * @param timeout the longest wait, zero or positive
     * @return the message, or empty if the time ran out
     * @throws IOException as {@link #receive()}
     */
    public Optional<PosixMessage> receive(Duration timeout) throws IOException {
        return receive(Math.max(1, Blocking.timeoutNanos(timeout)));
    }

    /**
     * Receives a message unless the queue is empty (one {@code mq_timedreceive} with a deadline
     * long past).
     *
     * @return the message, or empty if the queue was empty
     * @throws IOException as {@link #receive()}
     */
    public Optional<PosixMessage> tryReceive() throws IOException {
        return receive(0);
    }

    private Optional<PosixMessage> receive(long nanos) throws IOException {
        checkReceive();
        MemorySegment buf = Native.scratchAtLeast(messageSize);
        MemorySegment prio = Mqueue.priorityCell();
        long r = receive(buf, prio, nanos);
        if (r < 0) {
            return Optional.empty();
        }
        byte[] body = new byte[(int) r];
        Native.scratchView().get(0, body);
        return Optional.of(new PosixMessage(Mqueue.priority(prio), body));
    }

    /**
     * Receives a message into a buffer without allocating, blocking while the queue is empty: the
     * body is stored from the position, which advances by its length.
     *
     * @param dst the buffer, with at least {@link #messageSize()} bytes remaining (the kernel
     *     refuses a smaller one, whatever the message's length)
     * @return the message's priority
     * @throws IOException as {@link #receive()}
     * @throws IllegalArgumentException if {@code dst} has less than {@link #messageSize()} bytes
     *     remaining
     */
    public int receiveInto(ByteBuffer dst) throws IOException {
        return receiveInto(dst, -1);
    }

    /**
     * Receives a message into a buffer unless the queue is empty; see {@link
     * #receiveInto(ByteBuffer)}.
     *
     * @param dst the buffer, with at least {@link #messageSize()} bytes remaining
     * @return the message's priority, or -1 if the queue was empty (the buffer is unchanged)
     * @throws IOException as {@link #receive()}
     */
    public int tryReceiveInto(ByteBuffer dst) throws IOException {
        return receiveInto(dst, 0);
    }

    private int receiveInto(ByteBuffer dst, long nanos) throws IOException {
        checkReceive();
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is read-only");
        }
        if (dst.remaining() < messageSize) {
            throw new IllegalArgumentException(
                    "dst.remaining()="
                            + dst.remaining()
                            + " (a receive buffer of "
                            + name
                            + " needs mq_msgsize = "
                            + messageSize
                            + " bytes)");
        }
        MemorySegment prio = Mqueue.priorityCell();
        long r = receive(Native.scratchAtLeast(messageSize), prio, nanos);
        if (r < 0) {
            return -1;
        }
        dst.put(dst.position(), Native.scratchView(), 0, (int) r);
        dst.position(dst.position() + (int) r);
        return Mqueue.priority(prio);
    }

    private void checkReceive() {
        if (!access.canRead()) {
            throw new NonReadableChannelException();
        }
    }

    /** The body's length, or -1 when none came; the priority stored in {@code prio}. */
    private long receive(MemorySegment body, MemorySegment prio, long nanos) throws IOException {
        int f = fd.acquire();
        long r;
        try {
            r =
                    nanos == 0
                            ? Mqueue.receiveNow(f, body, messageSize, prio)
                            : Mqueue.receiveBlocking(f, body, messageSize, prio, nanos);
        } finally {
            fd.release();
        }
        if (r >= 0) {
            return r;
        }
        if (nanos < 0 && Errors.is(r, Errno.EAGAIN)) {
            throw new IpcException(
                    "mq_receive",
                    name,
                    Errno.EAGAIN,
                    "nothing received: the queue was empty and would" + " not wait");
        }
        if (Errors.is(r, Errno.EAGAIN) || Errors.is(r, Errno.ETIMEDOUT)) {
            return -1;
        }
        if (Errors.is(r, Errno.EINTR)) {
            throw PosixErrors.interrupted("mq_receive", name);
        }
        throw Errors.failure(r, nanos == 0 ? "mq_timedreceive" : "mq_receive", name, null);
    }

    // ---- mq_notify ----------------------------------------------------------------------------

    /**
     * Registers this process for one notification ({@man mq_notify(3)}): when a message arrives on
     * the empty queue, {@code action} runs once, on the library's daemon thread {@code
     * jipc-mq-notify} (keep it short, or hand the work to an executor; an exception it throws goes
     * to the thread's uncaught-exception handler, and the thread goes on delivering every queue's
     * notifications even if that handler throws too). A registration refused (by the kernel, or
     * because this queue is closed) leaves nothing behind. Re-arm by calling this again, before
     * draining the queue; see the class comment for the kernel's rules.
     *
     * @param action what to run when a message arrives
     * @throws IpcException with {@code EBUSY} if a process (this one included) is registered for
     *     this queue already
     * @throws ClosedChannelException if closed
     */
    public void notifyOnArrival(Runnable action) throws IOException {
        Objects.requireNonNull(action, "action");
        int socket = MqNotifier.socket();
        int f = fd.acquire(); // first: a closed queue leaves nothing registered
        long id = 0;
        int r = -1;
        try {
            id = MqNotifier.register(action, this); // before the call: the cookie may come at once
            r = Mqueue.mq_notify(f, socket, id);
        } finally {
            fd.release();
            if (r < 0) {
                MqNotifier.forget(
                        id); // refused (EBUSY, ENOMEM, ENOBUFS, ...) or thrown: nothing pending
            }
        }
        if (r >= 0) {
            MqNotifier.armed(id);
        }
        if (r < 0) {
            throw Errors.failure(
                    r,
                    "mq_notify",
                    name,
                    Errors.is(r, Errno.EBUSY)
                            ? "a process is registered for this queue's notification already (one per queue; re-arm only"
                                    + " after the notification came, or cancel first)"
                            : null);
        }
        notification = id;
    }

    /**
     * Cancels this process's registration made with {@link #notifyOnArrival}, if any ({@code
     * mq_notify(mqdes, NULL)}); its action will not run.
     *
     * @throws ClosedChannelException if closed
     * @throws IpcException if the call fails
     */
    public void cancelNotification() throws IOException {
        int f = fd.acquire();
        int r;
        try {
            r = Mqueue.mq_notify(f, -1, 0);
        } finally {
            fd.release();
        }
        MqNotifier.forget(notification);
        if (r < 0) {
            throw Errors.failure(r, "mq_notify", name, "cancelling the registration");
        }
    }
}
