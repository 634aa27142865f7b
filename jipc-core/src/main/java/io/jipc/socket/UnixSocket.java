package io.jipc.socket;

import io.jipc.Descriptor;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.RawDescriptor;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.Descriptors;
import io.jipc.internal.linux.Msghdr;
import io.jipc.internal.linux.Native;
import io.jipc.internal.linux.Sockets;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Unix-domain socket of any {@link SocketType} ({@man unix(7)}), as a channel: one end of a
 * {@link #pair socketpair}, a socket {@link #connect connected} to a server, a datagram socket
 * {@link #bind bound} to a path or abstract name, or one {@link UnixServerSocket#accept accepted}.
 *
 * <h2>Messages</h2>
 *
 * On {@link SocketType#DATAGRAM} and {@link SocketType#SEQPACKET} sockets one {@link #send} is one
 * message and one {@link #receive} takes exactly one whole message. A message longer than the
 * buffer is never cut silently: {@code receive} asks the kernel for the real length ({@code
 * MSG_TRUNC}) and throws {@link TruncatedMessageException} with it (the buffer then holds the head
 * of the message; the rest is lost, as in C). On {@link SocketType#STREAM} sockets send and receive
 * move bytes like {@link #write}/{@link #read}.
 *
 * <h2>Sending never raises SIGPIPE</h2>
 *
 * Every send passes {@code MSG_NOSIGNAL}: a peer that has gone away gives an {@link IpcException}
 * with {@code EPIPE} (stream, seqpacket) or {@code ECONNREFUSED} (datagram).
 *
 * <h2>Blocking</h2>
 *
 * Sockets are blocking; {@link #tryReceive} and {@link #trySend} never wait (they return empty or
 * false instead). {@link #receiveTimeout(Duration)} bounds receive and accept ({@code SO_RCVTIMEO};
 * a timeout is a {@link SocketTimeoutException}; signals neither shorten nor lengthen it). A call
 * first tries without waiting ({@code MSG_DONTWAIT}) and waits only if it must. As with the JDK's
 * channels, {@link Thread#interrupt()} of a blocked call closes the socket and ends the call with
 * {@link ClosedByInterruptException} (the interrupt status stays set; nothing was received or sent
 * by that call). {@link #close()} from another thread does not end a blocked call (the descriptor
 * is closed when the call returns). A blocked call on a virtual thread does not pin its carrier (a
 * helper platform thread waits while it parks; see {@code io.jipc.internal.linux.Blocking}).
 */
public final class UnixSocket implements ByteChannel, Descriptor {
    static {
        Fds.register(UnixSocket.class, s -> s.fd);
    }

    /** Where {@link #sendPlain}/{@link #receivePlain} put a heap buffer's bytes in the scratch. */
    private static final long PLAIN_DATA = Msghdr.PLAIN_DATA;

    /** Most descriptors one message may carry on Linux ({@code SCM_MAX_FD}). */
    public static final int MAX_DESCRIPTORS = Msghdr.MAX_RIGHTS;

    private final OwnedFd fd;
    private final SocketType type;
    private final String name;

    /**
     * This socket's {@code SO_RCVTIMEO} in nanoseconds, read once on the first receive that has to
     * wait and again after {@link #receiveTimeout}; -1 while unknown.
     */
    private volatile long rcvTimeoutNanos = -1;

    UnixSocket(int fd, SocketType type, String name) {
        this.fd = new OwnedFd(fd);
        this.type = type;
        this.name = name;
    }

    /**
     * Two connected sockets ({@man socketpair(2)}), both close-on-exec.
     *
     * @param first one end
     * @param second the other end
     */
    public record Pair(UnixSocket first, UnixSocket second) implements AutoCloseable {
        /** Closes both ends. */
        @Override
        public void close() {
            first.close();
            second.close();
        }
    }

    /**
     * A connected pair of sockets ({@man socketpair(2)}).
     *
     * @param type stream, datagram or seqpacket
     * @return the two ends
     * @throws IpcException if the call fails (EMFILE, ...)
     */
    public static Pair pair(SocketType type) throws IpcException {
        int[] fds = Sockets.socketpair(Sockets.AF_UNIX, type.value | Sockets.SOCK_CLOEXEC, 0);
        if (fds[0] < 0) {
            throw SocketErrors.failure(
                    fds[0], "socketpair", type.name().toLowerCase(java.util.Locale.ROOT), null);
        }
        return new Pair(
                new UnixSocket(fds[0], type, "socketpair fd " + fds[0]),
                new UnixSocket(fds[1], type, "socketpair fd " + fds[1]));
    }

    /**
     * An unbound socket ({@code socket(AF_UNIX, type, 0)}), e.g. a datagram socket that sends with
     * {@link #send(ByteBuffer, UnixAddress)} (its messages then come from an unnamed address, so
     * nobody can reply).
     *
     * @param type the type
     * @return the socket
     * @throws IpcException if the call fails
     */
    public static UnixSocket open(SocketType type) throws IpcException {
        return new UnixSocket(
                Binding.socket(type, "socket"),
                type,
                "unbound " + type.name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Connects to a server ({@man connect(2)}): a listening stream or seqpacket socket, or a bound
     * datagram socket (which then becomes this socket's default destination).
     *
     * @param type the server's type
     * @param address its path or abstract name
     * @return the connected socket
     * @throws io.jipc.NotFoundException ENOENT if no socket file exists at the path
     * @throws IpcException ECONNREFUSED if nothing is bound there (a stale file, or an abstract
     *     name nobody holds), EPROTOTYPE if the socket there is of another type, EACCES without
     *     write permission on the socket file, EAGAIN if the server's backlog is full
     */
    public static UnixSocket connect(SocketType type, UnixAddress address) throws IpcException {
        int s = Binding.socket(type, address.toString());
        int r = Binding.connect(s, address);
        if (r < 0) {
            Unistd.close(s);
            throw SocketErrors.failure(r, "connect", address.toString(), null);
        }
        return new UnixSocket(s, type, address.toString());
    }

    /**
     * A datagram socket bound to {@code address} ({@man bind(2)}), so that others can send to it
     * and it can reply. For a path, the socket file is created with exactly {@code mode} (see
     * {@link UnixServerSocket#bind} for how); fails if the path exists.
     *
     * @param address a path or abstract name
     * @param mode the socket file's permissions (0 .. 0777; ignored for an abstract name). Senders
     *     need write permission.
     * @return the bound socket
     * @throws io.jipc.AlreadyExistsException EADDRINUSE if the address is taken (a file exists at
     *     the path, possibly a stale one: see {@link #bindReclaimingStale})
     * @throws IOException if binding fails otherwise
     */
    public static UnixSocket bind(UnixAddress address, int mode) throws IOException {
        return new UnixSocket(
                Binding.bind(SocketType.DATAGRAM, address, mode, false, 0),
                SocketType.DATAGRAM,
                address.toString());
    }

    /**
     * Like {@link #bind(UnixAddress, int)}, but a socket file left behind by a dead process is
     * reclaimed, while one a live socket is bound to is refused (see {@link
     * UnixServerSocket#bindReclaimingStale}).
     *
     * @param address a path or abstract name
     * @param mode the socket file's permissions
     * @return the bound socket
     * @throws io.jipc.AlreadyExistsException if a live socket holds the address or the path is not
     *     a socket
     * @throws IOException if binding fails otherwise
     */
    public static UnixSocket bindReclaimingStale(UnixAddress address, int mode) throws IOException {
        return new UnixSocket(
                Binding.bind(SocketType.DATAGRAM, address, mode, true, 0),
                SocketType.DATAGRAM,
                address.toString());
    }

    /**
     * Takes ownership of a socket descriptor this process inherited or received ({@link
     * io.jipc.RawDescriptor#release()}); marks it close-on-exec.
     *
     * @param fd an open Unix-domain socket
     * @return the socket
     * @throws IpcException ENOTSOCK if it is no socket, EBADF if it is not open
     * @throws IllegalArgumentException if it is not a Unix-domain socket, or is a listening one
     *     ({@link UnixServerSocket#inherited})
     */
    public static UnixSocket inherited(int fd) throws IpcException {
        int domain = Binding.intOption(fd, Sockets.SO_DOMAIN, "inherited fd " + fd);
        if (domain != Sockets.AF_UNIX) {
            throw new IllegalArgumentException(
                    "fd=" + fd + " is a socket of family " + domain + ", not AF_UNIX");
        }
        SocketType type =
                SocketType.of(Binding.intOption(fd, Sockets.SO_TYPE, "inherited fd " + fd));
        if (type != SocketType.DATAGRAM
                && Binding.intOption(fd, Descriptors.SO_ACCEPTCONN, "inherited fd " + fd) != 0) {
            throw new IllegalArgumentException(
                    "fd=" + fd + " is a listening socket: use UnixServerSocket.inherited");
        }
        Unistd.fcntl(fd, Unistd.F_SETFD, Unistd.FD_CLOEXEC);
        return new UnixSocket(fd, type, "inherited fd " + fd);
    }

    /**
     * Sets the default destination of this datagram socket and receives only from it ({@man
     * connect(2)} on a datagram socket), e.g. after a first message told who the peer is.
     *
     * @param peer a bound datagram socket's address
     * @return this socket
     * @throws IpcException ECONNREFUSED if nothing is bound there, ENOENT if no such file
     * @throws IOException if closed
     */
    public UnixSocket connectTo(UnixAddress peer) throws IOException {
        int f = fd.acquire();
        try {
            int r = Binding.connect(f, peer);
            if (r < 0) {
                throw SocketErrors.failure(r, "connect", peer.toString(), null);
            }
        } finally {
            fd.release();
        }
        return this;
    }

    /**
     * This socket's type.
     *
     * @return stream, datagram or seqpacket
     */
    public SocketType type() {
        return type;
    }

    /**
     * The descriptor number, e.g. to pass this socket to another process ({@link
     * #sendWithDescriptors}). Stays owned by this object.
     *
     * @return the number
     * @throws IllegalStateException if this socket is closed
     */
    @Override
    public int fd() {
        return fd.numberIfOpen();
    }

    /**
     * The address this socket is bound to ({@man getsockname(2)}).
     *
     * @return the address, {@link UnixAddress#UNNAMED} if unbound
     * @throws IOException if closed or the call fails
     */
    public UnixAddress localAddress() throws IOException {
        return Binding.name(fd, false, name);
    }

    /**
     * The address of the connected peer ({@man getpeername(2)}).
     *
     * @return the address ({@link UnixAddress#UNNAMED} for an unbound peer)
     * @throws IOException ENOTCONN if not connected
     */
    public UnixAddress remoteAddress() throws IOException {
        return Binding.name(fd, true, name);
    }

    /**
     * The credentials of the peer process (getsockopt {@code SO_PEERCRED}).
     *
     * @return pid, uid, gid as of the connection
     * @throws IOException ENOTCONN on an unconnected datagram socket
     */
    public PeerCredentials peerCredentials() throws IOException {
        int f = fd.acquire();
        try {
            return Binding.peerCredentials(f, name);
        } finally {
            fd.release();
        }
    }

    /**
     * Bounds how long {@link #receive}, {@link #read} and accept wait ({@code SO_RCVTIMEO}).
     *
     * @param timeout the bound, {@link Duration#ZERO} for none (the default)
     * @return this socket
     * @throws IOException if the call fails
     */
    public UnixSocket receiveTimeout(Duration timeout) throws IOException {
        int f = fd.acquire();
        try {
            Binding.receiveTimeout(f, timeout, name);
        } finally {
            rcvTimeoutNanos = -1;
            fd.release();
        }
        return this;
    }

    /**
     * Sends the buffer's remaining bytes as one message (datagram, seqpacket) or as many bytes as
     * the kernel takes (stream), to the connected peer ({@man sendmsg(2)} with {@code
     * MSG_NOSIGNAL}).
     *
     * @param src the bytes; its position advances by the bytes sent
     * @return the bytes sent
     * @throws IpcException EMSGSIZE for a message larger than the socket buffer, EPIPE if the peer
     *     is gone, ENOTCONN/EDESTADDRREQ when unconnected
     * @throws IOException if closed
     */
    public int send(ByteBuffer src) throws IOException {
        return sendPlain(src);
    }

    /**
     * Sends like {@link #send(ByteBuffer)} unless that would block ({@man sendmsg(2)} with {@code
     * MSG_DONTWAIT}): the peer's queue is full.
     *
     * @param src the bytes
     * @return true if sent (on a stream socket possibly in part: see the position), false if it
     *     would have blocked (nothing sent)
     * @throws IOException as {@link #send(ByteBuffer)}
     */
    public boolean trySend(ByteBuffer src) throws IOException {
        return send(src, null, new int[0], Sockets.MSG_DONTWAIT) >= 0;
    }

    /**
     * Sends one datagram to {@code target} ({@man sendmsg(2)} with a destination).
     *
     * @param src the message
     * @param target a bound datagram socket's address
     * @return the bytes sent
     * @throws IpcException ECONNREFUSED if nothing is bound at {@code target}, ENOENT if no file
     *     there, EAGAIN if the receiver's queue is full and the socket non-blocking
     * @throws IOException if closed
     */
    public int send(ByteBuffer src, UnixAddress target) throws IOException {
        return send(src, Objects.requireNonNull(target, "target"), new int[0], 0);
    }

    /**
     * Sends the buffer with copies of {@code descriptors} attached ({@code SCM_RIGHTS}): the
     * receiver gets new descriptors for the same open files (pipes, FIFOs, sockets, memfds, files).
     * This process keeps its own and should close them when it no longer needs them. At least one
     * byte must be sent with descriptors on a stream socket.
     *
     * @param src the bytes
     * @param descriptors 1 .. {@link #MAX_DESCRIPTORS} open descriptors (pipe ends, sockets, any
     *     {@link Descriptor})
     * @return the bytes sent
     * @throws IpcException ETOOMANYREFS past the in-flight limit
     * @throws java.nio.channels.ClosedChannelException if this socket or one of {@code descriptors}
     *     is closed
     * @throws IOException if sending fails otherwise
     */
    public int sendWithDescriptors(ByteBuffer src, Descriptor... descriptors) throws IOException {
        if (descriptors.length == 0 || descriptors.length > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException(
                    "descriptors.length=" + descriptors.length + " must be 1.." + MAX_DESCRIPTORS);
        }
        int[] numbers = new int[descriptors.length];
        int acquired = 0;
        try {
            for (Descriptor d : descriptors) {
                numbers[acquired] = Fds.acquire(Objects.requireNonNull(d, "descriptor"));
                acquired++;
            }
            return send(src, null, numbers, 0);
        } finally {
            for (int i = 0; i < acquired; i++) {
                Fds.release(descriptors[i]);
            }
        }
    }

    /**
     * The hot path of {@link #send(ByteBuffer)}/{@link #write}: a msghdr with one iovec and no
     * address or control data, written into the thread's scratch memory; nothing is allocated. A
     * heap buffer is copied into that scratch memory first (the kernel needs a native address).
     */
    private int sendPlain(ByteBuffer src) throws IOException {
        int n = src.remaining();
        boolean direct = src.isDirect();
        MemorySegment s = Native.scratchAtLeast(PLAIN_DATA + (direct ? 0 : n));
        long data;
        if (direct) {
            data = MemorySegment.ofBuffer(src).address();
        } else {
            Native.scratchView().put((int) PLAIN_DATA, src, src.position(), n);
            data = s.address() + PLAIN_DATA;
        }
        MemorySegment h = Msghdr.plain(s, data, n);
        int f = fd.acquire();
        long r;
        try {
            r = Sockets.sendmsgBlocking(f, h, Sockets.MSG_NOSIGNAL);
        } finally {
            fd.release();
        }
        closeIfInterrupted(r);
        if (r < 0) {
            throw SocketErrors.failure(r, "sendmsg", name, null);
        }
        src.position(src.position() + (int) r);
        return (int) r;
    }

    /**
     * The hot path of {@link #receive(ByteBuffer)}/{@link #read}: {@man recvmsg(2)} without a
     * sender address or control buffer (so a message that carried descriptors still reports {@code
     * MSG_CTRUNC}, and the kernel closes them), nothing allocated. A heap buffer receives through
     * the thread's scratch memory (one copy out).
     */
    private int receivePlain(ByteBuffer dst) throws IOException {
        int cap = dst.remaining();
        boolean direct = dst.isDirect();
        MemorySegment s = Native.scratchAtLeast(PLAIN_DATA + (direct ? 0 : cap));
        long data = direct ? MemorySegment.ofBuffer(dst).address() : s.address() + PLAIN_DATA;
        MemorySegment h = Msghdr.plain(s, data, cap);
        int flags = Sockets.MSG_CMSG_CLOEXEC | (type.keepsBoundaries() ? Sockets.MSG_TRUNC : 0);
        int f = fd.acquire();
        long r;
        try {
            long timeout = rcvTimeoutNanos;
            if (timeout < 0) {
                rcvTimeoutNanos = timeout = Sockets.receiveTimeoutNanos(f);
            }
            r = Sockets.recvmsgBlocking(f, h, flags, timeout);
        } finally {
            fd.release();
        }
        closeIfInterrupted(r);
        if (r < 0) {
            if (Errors.is(r, Errno.EAGAIN)) {
                throw new SocketTimeoutException("recvmsg(" + name + "): timed out (SO_RCVTIMEO)");
            }
            throw SocketErrors.failure(r, "recvmsg", name, null);
        }
        int outFlags = Msghdr.flags(h);
        int stored = (int) Math.min(r, cap);
        if (!direct && stored > 0) {
            dst.put(dst.position(), Native.scratchView(), (int) PLAIN_DATA, stored);
        }
        dst.position(dst.position() + stored);
        boolean ctrunc = (outFlags & Sockets.MSG_CTRUNC) != 0;
        boolean trunc = type.keepsBoundaries() && (outFlags & Sockets.MSG_TRUNC) != 0;
        if (ctrunc || trunc) {
            throw new TruncatedMessageException(name, (int) r, stored, ctrunc);
        }
        if (type == SocketType.STREAM && r == 0 && cap > 0) {
            return -1;
        }
        return (int) r;
    }

    /** Returns the bytes sent, or -1 if {@code MSG_DONTWAIT} was given and the call would block. */
    private int send(ByteBuffer src, UnixAddress target, int[] fds, int extraFlags)
            throws IOException {
        int n = src.remaining();
        long ctl = Msghdr.rightsSpace(fds.length);
        boolean direct = src.isDirect();
        long dataAt = Msghdr.dataOffset(ctl);
        MemorySegment s = Native.scratch(dataAt + (direct ? 0 : n));
        MemorySegment data;
        if (direct) {
            data = MemorySegment.ofBuffer(src);
        } else {
            data = s.asSlice(dataAt, n);
            MemorySegment.copy(MemorySegment.ofBuffer(src), 0, data, 0, n);
        }
        int nameLength = target == null ? 0 : target.encode(Msghdr.name(s));
        MemorySegment h = Msghdr.full(s, data.address(), n, nameLength, ctl);
        if (ctl > 0) {
            Msghdr.putRights(s, fds);
        }
        int f = fd.acquire();
        long r;
        try {
            r =
                    extraFlags != 0
                            ? Sockets.sendmsg(f, h, Sockets.MSG_NOSIGNAL | extraFlags)
                            : Sockets.sendmsgBlocking(f, h, Sockets.MSG_NOSIGNAL);
        } finally {
            fd.release();
        }
        closeIfInterrupted(r);
        if (Errors.is(r, Errno.EAGAIN) && extraFlags != 0) {
            return -1;
        }
        if (r < 0) {
            throw SocketErrors.failure(
                    r, "sendmsg", target != null ? target.toString() : name, null);
        }
        src.position(src.position() + (int) r);
        return (int) r;
    }

    /**
     * Receives one whole message (datagram, seqpacket) or the bytes available (stream) into {@code
     * dst} ({@man recvmsg(2)}).
     *
     * @param dst the buffer; its position advances by the bytes stored
     * @return the message's length (which may be 0 for an empty message, or when a seqpacket peer
     *     has closed); on a stream socket the bytes read, or -1 at end of stream
     * @throws TruncatedMessageException if the message was longer than {@code dst.remaining()}
     * @throws SocketTimeoutException if a {@link #receiveTimeout} passed
     * @throws IOException if closed or the call fails
     */
    public int receive(ByteBuffer dst) throws IOException {
        return receivePlain(dst);
    }

    /**
     * What one {@link #receive(ByteBuffer, int)} got.
     *
     * @param length the message's length (stream: bytes read, -1 at end of stream)
     * @param sender the sender's address (datagram; {@link UnixAddress#UNNAMED} if it was unbound
     *     or the socket is connected)
     * @param descriptors the descriptors that came with it, owned by the caller: close or release
     *     each one
     */
    public record Received(int length, UnixAddress sender, List<RawDescriptor> descriptors) {}

    /**
     * Receives one message with its sender's address and up to {@code maxDescriptors} passed
     * descriptors ({@code SCM_RIGHTS}), which arrive close-on-exec ({@code MSG_CMSG_CLOEXEC}).
     *
     * @param dst the buffer
     * @param maxDescriptors how many descriptors to make room for (0 .. {@link #MAX_DESCRIPTORS})
     * @return the length, sender and descriptors
     * @throws TruncatedMessageException if the bytes did not fit, or more descriptors came than
     *     {@code maxDescriptors} ({@code MSG_CTRUNC}: the kernel closes the surplus, jipc closes
     *     the rest, so nothing leaks)
     * @throws SocketTimeoutException if a {@link #receiveTimeout} passed
     * @throws IOException if closed or the call fails
     */
    public Received receive(ByteBuffer dst, int maxDescriptors) throws IOException {
        return receive(dst, maxDescriptors, 0);
    }

    /**
     * Receives like {@link #receive(ByteBuffer, int)} if a message is already there, without
     * waiting ({@man recvmsg(2)} with {@code MSG_DONTWAIT}).
     *
     * @param dst the buffer
     * @param maxDescriptors how many descriptors to make room for
     * @return what was received, or empty if nothing was there
     * @throws TruncatedMessageException as {@link #receive(ByteBuffer, int)}
     * @throws IOException if closed or the call fails
     */
    public Optional<Received> tryReceive(ByteBuffer dst, int maxDescriptors) throws IOException {
        return Optional.ofNullable(receive(dst, maxDescriptors, Sockets.MSG_DONTWAIT));
    }

    private Received receive(ByteBuffer dst, int maxDescriptors, int extraFlags)
            throws IOException {
        if (maxDescriptors < 0 || maxDescriptors > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException(
                    "maxDescriptors=" + maxDescriptors + " must be 0.." + MAX_DESCRIPTORS);
        }
        int cap = dst.remaining();
        long ctl = Msghdr.rightsSpace(maxDescriptors);
        boolean direct = dst.isDirect();
        long dataAt = Msghdr.dataOffset(ctl);
        MemorySegment s = Native.scratch(dataAt + (direct ? 0 : cap));
        MemorySegment data = direct ? MemorySegment.ofBuffer(dst) : s.asSlice(dataAt, cap);
        MemorySegment h = Msghdr.full(s, data.address(), cap, Msghdr.NAME_CAPACITY, ctl);
        int flags =
                Sockets.MSG_CMSG_CLOEXEC
                        | (type.keepsBoundaries() ? Sockets.MSG_TRUNC : 0)
                        | extraFlags;
        int f = fd.acquire();
        long r;
        try {
            r =
                    extraFlags != 0
                            ? Sockets.recvmsg(f, h, flags)
                            : Sockets.recvmsgBlocking(f, h, flags);
        } finally {
            fd.release();
        }
        closeIfInterrupted(r);
        if (r < 0) {
            if (Errors.is(r, Errno.EAGAIN) && extraFlags != 0) {
                return null;
            }
            if (Errors.is(r, Errno.EAGAIN)) {
                throw new SocketTimeoutException("recvmsg(" + name + "): timed out (SO_RCVTIMEO)");
            }
            throw SocketErrors.failure(r, "recvmsg", name, null);
        }
        int outFlags = Msghdr.flags(h);
        List<RawDescriptor> got = new ArrayList<>();
        for (int passed : Msghdr.rights(s)) {
            got.add(new RawDescriptor(passed));
        }
        int stored = (int) Math.min(r, cap);
        if (!direct) {
            MemorySegment.copy(data, 0, MemorySegment.ofBuffer(dst), 0, stored);
        }
        dst.position(dst.position() + stored);
        boolean ctrunc = (outFlags & Sockets.MSG_CTRUNC) != 0;
        boolean trunc = type.keepsBoundaries() && (outFlags & Sockets.MSG_TRUNC) != 0;
        if (ctrunc || trunc) {
            got.forEach(RawDescriptor::close);
            throw new TruncatedMessageException(name, (int) r, stored, ctrunc);
        }
        UnixAddress sender = UnixAddress.decode(Msghdr.name(s), Msghdr.nameLength(h));
        int length = (int) r;
        if (type == SocketType.STREAM && r == 0 && cap > 0) {
            length = -1;
        }
        return new Received(length, sender, List.copyOf(got));
    }

    /**
     * Reads bytes (the same as {@link #receive(ByteBuffer)}).
     *
     * @param dst the buffer
     * @return bytes read (stream: -1 at end of stream)
     * @throws IOException as {@link #receive(ByteBuffer)}
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        return receive(dst);
    }

    /**
     * Writes bytes (the same as {@link #send(ByteBuffer)}).
     *
     * @param src the bytes
     * @return bytes written
     * @throws IOException as {@link #send(ByteBuffer)}
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        return send(src);
    }

    /**
     * Ends sending ({@man shutdown(2)} {@code SHUT_WR}): the peer reads end of stream (or a
     * 0-length receive on seqpacket), while this side can still receive.
     *
     * @throws IOException if closed or the call fails
     */
    public void shutdownOutput() throws IOException {
        int f = fd.acquire();
        try {
            int r = Sockets.shutdown(f, Sockets.SHUT_WR);
            if (r < 0) {
                throw SocketErrors.failure(r, "shutdown", name, null);
            }
        } finally {
            fd.release();
        }
    }

    /**
     * Ends an interrupted call the way JDK channels do: the socket is closed and {@link
     * ClosedByInterruptException} thrown.
     */
    private void closeIfInterrupted(long r) throws ClosedByInterruptException {
        if (Errors.is(r, Errno.EINTR)) {
            close();
            throw new ClosedByInterruptException();
        }
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    /**
     * Closes this process's descriptor ({@man close(2)}); idempotent. A socket file this socket was
     * bound to stays: remove it with {@link java.nio.file.Files#deleteIfExists}.
     */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "UnixSocket[" + type.name().toLowerCase(java.util.Locale.ROOT) + " " + name + "]";
    }
}
