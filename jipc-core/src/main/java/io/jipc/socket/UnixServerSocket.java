package io.jipc.socket;

import io.jipc.Descriptor;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.Descriptors;
import io.jipc.internal.linux.Sockets;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A listening stream or seqpacket socket bound to a path or an abstract name ({@man bind(2)}, {@man
 * listen(2)}); {@link #accept()} gives a connected {@link UnixSocket} per client.
 *
 * <h2>Socket files: exact mode, no umask race</h2>
 *
 * For a path, the socket file is born with exactly the requested mode, whatever the umask, with no
 * window in which it has another mode: the bind runs on a short-lived thread that has its own umask
 * ({@code unshare(CLONE_FS)}; why not fchmod, chmod or rename: see the notes in the source of
 * {@code Binding}). Clients need write permission on the file to connect.
 *
 * <h2>Stale socket files</h2>
 *
 * A socket file outlives the process that bound it. {@link #bind} fails with {@link
 * io.jipc.AlreadyExistsException} (EADDRINUSE) when the path exists; {@link #bindReclaimingStale}
 * instead probes it with {@man connect(2)}: {@code ECONNREFUSED} means nobody is bound to it any
 * more, so the file is removed and the bind retried; a live server answering (or a file that is not
 * a socket) is refused with {@link io.jipc.AlreadyExistsException}. The probe of a live stream or
 * seqpacket server makes one connection that the server accepts and sees closed at once. Abstract
 * names are never stale.
 */
public final class UnixServerSocket implements Descriptor {
    static {
        Fds.register(UnixServerSocket.class, s -> s.fd);
    }

    private static final int BACKLOG = 128;

    private final OwnedFd fd;
    private final SocketType type;
    private final UnixAddress address;

    private UnixServerSocket(int fd, SocketType type, UnixAddress address) {
        this(new OwnedFd(fd), type, address);
    }

    private UnixServerSocket(OwnedFd fd, SocketType type, UnixAddress address) {
        this.fd = fd;
        this.type = type;
        this.address = address;
    }

    private static SocketType connected(SocketType type) {
        if (type == SocketType.DATAGRAM) {
            throw new IllegalArgumentException(
                    "type=DATAGRAM has no listening socket: use UnixSocket.bind");
        }
        return type;
    }

    /**
     * Binds and listens; fails if the address is taken.
     *
     * @param type {@link SocketType#STREAM} or {@link SocketType#SEQPACKET}
     * @param address a path or abstract name
     * @param mode the socket file's permissions, 0 .. 0777 (ignored for an abstract name)
     * @return the listening socket
     * @throws io.jipc.AlreadyExistsException EADDRINUSE if a file exists at the path or the
     *     abstract name is held
     * @throws IOException ENOENT if the directory does not exist, EACCES, ...
     */
    public static UnixServerSocket bind(SocketType type, UnixAddress address, int mode)
            throws IOException {
        return new UnixServerSocket(
                Binding.bind(connected(type), address, mode, false, BACKLOG), type, address);
    }

    /**
     * Binds and listens, first removing a stale socket file at the path (see the class comment).
     *
     * @param type {@link SocketType#STREAM} or {@link SocketType#SEQPACKET}
     * @param address a path or abstract name
     * @param mode the socket file's permissions, 0 .. 0777
     * @return the listening socket
     * @throws io.jipc.AlreadyExistsException if a live server answers at the address, or the path
     *     is not a socket
     * @throws IOException if binding fails otherwise
     */
    public static UnixServerSocket bindReclaimingStale(
            SocketType type, UnixAddress address, int mode) throws IOException {
        return new UnixServerSocket(
                Binding.bind(connected(type), address, mode, true, BACKLOG), type, address);
    }

    /**
     * Takes ownership of a listening socket this process inherited or received, e.g. fd 3 given by
     * a parent through {@code Spawn.fd(3, server)} (or {@link io.jipc.RawDescriptor#release()});
     * marks it close-on-exec. Its address is read with {@man getsockname(2)}.
     *
     * @param fd an open, listening Unix-domain stream or seqpacket socket
     * @return the listening socket, which now owns {@code fd}
     * @throws IpcException ENOTSOCK if it is no socket, EBADF if it is not open
     * @throws IllegalArgumentException if it is not a Unix-domain socket, or not listening
     */
    public static UnixServerSocket inherited(int fd) throws IpcException {
        String what = "inherited fd " + fd;
        int domain = Binding.intOption(fd, Sockets.SO_DOMAIN, what);
        if (domain != Sockets.AF_UNIX) {
            throw new IllegalArgumentException(
                    "fd=" + fd + " is a socket of family " + domain + ", not AF_UNIX");
        }
        SocketType type = SocketType.of(Binding.intOption(fd, Sockets.SO_TYPE, what));
        if (type == SocketType.DATAGRAM
                || Binding.intOption(fd, Descriptors.SO_ACCEPTCONN, what) == 0) {
            throw new IllegalArgumentException(
                    "fd="
                            + fd
                            + " is a "
                            + type.name().toLowerCase(java.util.Locale.ROOT)
                            + " socket that is not listening: use UnixSocket.inherited");
        }
        UnixAddress address = Binding.name(fd, false, what);
        Unistd.fcntl(fd, Unistd.F_SETFD, Unistd.FD_CLOEXEC);
        return new UnixServerSocket(fd, type, address);
    }

    /**
     * The address given at bind.
     *
     * @return the address
     */
    public UnixAddress address() {
        return address;
    }

    /**
     * This socket's type.
     *
     * @return stream or seqpacket
     */
    public SocketType type() {
        return type;
    }

    /**
     * The descriptor number (owned by this object), e.g. to share the listening socket with worker
     * processes.
     *
     * @return the number
     * @throws IllegalStateException if this socket is closed
     */
    @Override
    public int fd() {
        return fd.numberIfOpen();
    }

    /**
     * Bounds how long {@link #accept()} waits ({@code SO_RCVTIMEO}).
     *
     * @param timeout the bound, {@link Duration#ZERO} for none
     * @return this
     * @throws IOException if the call fails
     */
    public UnixServerSocket acceptTimeout(Duration timeout) throws IOException {
        int f = fd.acquire();
        try {
            Binding.receiveTimeout(f, timeout, address.toString());
        } finally {
            fd.release();
        }
        return this;
    }

    /**
     * Waits for a client and returns the connection ({@man accept4(2)}, close-on-exec). {@link
     * Thread#interrupt()} of the waiting thread closes this server socket and ends the wait with
     * {@link java.nio.channels.ClosedByInterruptException} (interrupt status kept, no connection
     * taken), as for JDK channels; a waiting virtual thread does not pin its carrier.
     *
     * @return the connected socket
     * @throws SocketTimeoutException if an {@link #acceptTimeout} passed
     * @throws java.nio.channels.ClosedByInterruptException if the thread was interrupted while
     *     waiting
     * @throws IOException if closed or the call fails
     */
    public UnixSocket accept() throws IOException {
        int f = fd.acquire();
        int c;
        try {
            c = Sockets.accept4Blocking(f, Sockets.SOCK_CLOEXEC);
        } finally {
            fd.release();
        }
        if (Errors.is(c, Errno.EINTR)) { // Thread.interrupt()
            close();
            throw new java.nio.channels.ClosedByInterruptException();
        }
        if (Errors.is(c, Errno.EAGAIN)) { // SO_RCVTIMEO
            throw new SocketTimeoutException("accept(" + address + "): timed out (SO_RCVTIMEO)");
        }
        if (c < 0) {
            throw SocketErrors.failure(c, "accept4", address.toString(), null);
        }
        return new UnixSocket(c, type, "connection to " + address);
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    /** Closes the listening socket ({@man close(2)}); the socket file stays. Idempotent. */
    @Override
    public void close() {
        fd.close();
    }

    /**
     * Closes the socket and deletes its socket file ({@man unlink(2)}); nothing to delete for an
     * abstract name.
     *
     * @throws io.jipc.PermissionDeniedException if the directory may not be written
     * @throws IOException if the file cannot be deleted otherwise
     */
    public void remove() throws IOException {
        close();
        Optional<Path> p = address.path();
        if (p.isPresent()) {
            Errors.unlink(p.get(), true, "socket file");
        }
    }

    @Override
    public String toString() {
        return "UnixServerSocket["
                + type.name().toLowerCase(java.util.Locale.ROOT)
                + " "
                + address
                + "]";
    }
}
