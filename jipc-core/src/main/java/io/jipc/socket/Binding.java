package io.jipc.socket;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.PermissionDeniedException;
import io.jipc.internal.Errors;
import io.jipc.internal.Modes;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.Native;
import io.jipc.internal.linux.SockaddrUn;
import io.jipc.internal.linux.SocketOptions;
import io.jipc.internal.linux.Sockets;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;

/**
 * Socket creation, binding with an exact mode, stale-file reclaim and options, shared by {@link
 * UnixSocket} and {@link UnixServerSocket}.
 *
 * <h2>Why a thread of its own for bind</h2>
 *
 * {@man bind(2)} creates the socket file with mode {@code (socket inode mode) & ~umask}. The socket
 * inode's mode is 0777 and can be lowered by {@man fchmod(2)} <em>before</em> bind (measured on
 * Linux 6.x: fchmod 0600 then bind under umask 022 gives 0600), but the umask still applies (fchmod
 * 0666 gives 0644), so fchmod alone cannot produce a mode with bits the umask clears. The umask is
 * process-wide, and changing it around bind races with every other thread that creates files. chmod
 * after bind leaves a window in which the file has the wrong mode and a peer may connect. Binding
 * in a private directory and renaming the file into place gives the right mode, but the kernel
 * keeps the <em>bind-time</em> path as the socket's name, so {@man getsockname(2)} and every
 * datagram's sender address would name a path that no longer exists. jipc therefore binds on a
 * short-lived platform thread that first calls {@code unshare(CLONE_FS)}: that thread alone then
 * has its own umask, set to {@code ~mode & 0777}, and the file is born with exactly {@code mode}.
 */
final class Binding {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private Binding() {}

    static int socket(SocketType type, String object) throws IpcException {
        int s = Sockets.socket(Sockets.AF_UNIX, type.value | Sockets.SOCK_CLOEXEC, 0);
        if (s < 0) {
            throw SocketErrors.failure(s, "socket", object, null);
        }
        return s;
    }

    static int connect(int fd, UnixAddress address) {
        MemorySegment a = Native.scratch(SockaddrUn.BYTES);
        int len = address.encode(a);
        return Sockets.connect(fd, a, len);
    }

    /** A new socket bound to {@code address} (and listening when {@code backlog > 0}). */
    static int bind(SocketType type, UnixAddress address, int mode, boolean reclaim, int backlog)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Modes.check(mode);
        if (address.equals(UnixAddress.UNNAMED)) {
            throw new IllegalArgumentException("address=(unnamed) cannot be bound");
        }
        String object = address.toString();
        int fd = socket(type, object);
        boolean ok = false;
        try {
            if (address.isAbstract()) {
                MemorySegment a = Native.scratch(SockaddrUn.BYTES);
                int r = Sockets.bind(fd, a, address.encode(a));
                if (r < 0) {
                    throw SocketErrors.failure(
                            r,
                            "bind",
                            object,
                            Errors.is(r, Errno.EADDRINUSE)
                                    ? "another socket holds this abstract name (abstract names are never stale: "
                                            + "they vanish with the last socket bound to them)"
                                    : null);
                }
            } else {
                bindPath(type, fd, address, mode, reclaim);
            }
            if (backlog > 0) {
                int r = Sockets.listen(fd, backlog);
                if (r < 0) {
                    throw SocketErrors.failure(r, "listen", object, null);
                }
            }
            ok = true;
            return fd;
        } finally {
            if (!ok) {
                Unistd.close(fd);
            }
        }
    }

    private static void bindPath(
            SocketType type, int fd, UnixAddress address, int mode, boolean reclaim)
            throws IOException {
        Path path = address.path().orElseThrow();
        String object = address.toString();
        for (int attempt = 0; ; attempt++) {
            int r = bindWithMode(fd, address, mode);
            if (r == 0) {
                return;
            }
            if (!Errors.is(r, Errno.EADDRINUSE) || !reclaim || attempt == 3) {
                throw SocketErrors.failure(
                        r,
                        "bind",
                        object,
                        Errors.is(r, Errno.ENOENT)
                                ? "the directory "
                                        + path.toAbsolutePath().getParent()
                                        + " does not exist"
                                : null);
            }
            Object key = socketFileKey(path, object);
            if (key == null) {
                continue; // gone meanwhile: try again
            }
            int p = probe(type, address);
            if (!Errors.is(p, Errno.ECONNREFUSED)) {
                throw new AlreadyExistsException(
                        "bind",
                        object,
                        Errno.EADDRINUSE,
                        "a live socket answers at this path (connect probe: "
                                + (p == 0 ? "connected" : Errno.of(-p).name())
                                + "); refusing to remove it");
            }
            // Remove only the file we probed: if another process replaced it meanwhile, probe
            // again.
            if (key.equals(socketFileKey(path, object))) {
                Errors.unlink(path, true, "stale socket file");
            }
        }
    }

    /** The file key of the socket file at {@code path}, null if none; refuses a non-socket. */
    private static Object socketFileKey(Path path, String object) throws IOException {
        try {
            int m = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((m & S_IFMT) != S_IFSOCK) {
                throw new AlreadyExistsException(
                        "bind",
                        object,
                        Errno.EADDRINUSE,
                        "the path exists and is not a socket; refusing to remove it");
            }
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (AccessDeniedException e) {
            throw new PermissionDeniedException(
                    "bind",
                    object,
                    Errno.EACCES,
                    "the stale socket file cannot be examined: its directory may not be searched by this user");
        }
    }

    /**
     * {@man connect(2)} with a throwaway socket: 0 if a live socket answers, -ECONNREFUSED if
     * stale.
     */
    private static int probe(SocketType type, UnixAddress address) throws IpcException {
        int s = socket(type, address.toString());
        try {
            return connect(s, address);
        } finally {
            Unistd.close(s);
        }
    }

    /**
     * {@man bind(2)} on a fresh thread whose own umask is {@code ~mode} (see the class comment).
     */
    private static int bindWithMode(int fd, UnixAddress address, int mode) throws IOException {
        int[] result = new int[1];
        Thread t =
                Thread.ofPlatform()
                        .name("jipc-bind")
                        .unstarted(
                                () -> {
                                    int u = Sockets.unshare(Sockets.CLONE_FS);
                                    if (u < 0) {
                                        result[0] = Integer.MIN_VALUE + (-u);
                                        return;
                                    }
                                    Sockets.umask(~mode & 0777);
                                    MemorySegment a = Native.scratch(SockaddrUn.BYTES);
                                    result[0] = Sockets.bind(fd, a, address.encode(a));
                                });
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (result[0] < -(1 << 20)) {
            throw SocketErrors.failure(
                    -(result[0] - Integer.MIN_VALUE),
                    "unshare(CLONE_FS)",
                    address.toString(),
                    "a thread-private umask is needed to create the socket file with an exact mode");
        }
        return result[0];
    }

    static int intOption(int fd, int option, String object) throws IpcException {
        long r = SocketOptions.intOption(fd, option);
        if (r < 0) {
            throw SocketErrors.failure(r, "getsockopt", object, null);
        }
        return (int) r;
    }

    static PeerCredentials peerCredentials(int fd, String object) throws IpcException {
        int[] c = SocketOptions.peerCredentials(fd);
        if (c[0] < 0) {
            throw SocketErrors.failure(c[0], "getsockopt(SO_PEERCRED)", object, null);
        }
        return new PeerCredentials(c[1], c[2], c[3]);
    }

    static void receiveTimeout(int fd, Duration timeout, String object) throws IpcException {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + " is negative");
        }
        long us = Math.max(timeout.isZero() ? 0 : 1, timeout.toNanos() / 1000);
        int r = SocketOptions.receiveTimeout(fd, us);
        if (r < 0) {
            throw SocketErrors.failure(r, "setsockopt(SO_RCVTIMEO)", object, null);
        }
    }

    static UnixAddress name(OwnedFd fd, boolean peer, String object) throws IOException {
        int f = fd.acquire();
        try {
            return name(f, peer, object);
        } finally {
            fd.release();
        }
    }

    /** {@link #name(OwnedFd, boolean, String)} of a number the caller holds. */
    static UnixAddress name(int fd, boolean peer, String object) throws IpcException {
        MemorySegment a = Native.scratch(SockaddrUn.NAME_BUFFER);
        int r = SockaddrUn.getsockname(fd, peer, a);
        if (r < 0) {
            throw SocketErrors.failure(r, peer ? "getpeername" : "getsockname", object, null);
        }
        return UnixAddress.decode(a, r);
    }
}
