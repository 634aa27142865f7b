package io.jipc.posix;

import io.jipc.Descriptor;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.PosixFiles;
import io.jipc.internal.linux.Sockets;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An anonymous memory file ({@man memfd_create(2)}): shared memory without a name, reached only
 * through its descriptor, which a child inherits ({@code Spawn.fd(3, memfd)}) or another process
 * receives over a Unix socket ({@code SCM_RIGHTS}); gone when the last descriptor and mapping are.
 *
 * <pre>{@code
 * try (Memfd m = Memfd.create("frame", 4096); Mapping map = m.map()) {
 *     map.segment().setString(0, "hello");
 *     m.addSeals(Seal.SHRINK, Seal.GROW);                   // the receiver can trust the size
 *     socket.sendWithDescriptors(ByteBuffer.wrap(new byte[] {1}), m);
 * }
 * // the receiver: Memfd.inherited(received.release()).mapReadOnly()
 * }</pre>
 *
 * <p>Sealing is allowed ({@code MFD_ALLOW_SEALING}); see {@link Seal}. The size is set with {@link
 * #resize} (new bytes read as zeros); mappings are {@link Mapping}s, bounded and invalid after
 * close (an {@link IllegalStateException}, not a fault). {@link #resize} refuses to shrink below
 * the end of a mapping this process holds; another process holding the descriptor can still shrink
 * it (access beyond the new end then raises {@code SIGBUS}) unless {@link Seal#SHRINK} forbids it.
 * {@link #close()} closes this descriptor (idempotent; mappings stay valid); every call after it
 * throws {@link ClosedChannelException}. Thread-safe.
 */
public final class Memfd implements Descriptor {
    static {
        Fds.register(Memfd.class, m -> m.fd);
    }

    private final OwnedFd fd;
    private final String name;
    private final FdMemory memory;

    private Memfd(int fd, String name, boolean writable) {
        this.fd = new OwnedFd(fd);
        this.name = name;
        this.memory = new FdMemory(this.fd, "memfd " + name, writable);
    }

    /**
     * Creates an empty memory file ({@code memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING)}).
     *
     * @param name a name for {@code /proc/PID/fd} ({@code /memfd:NAME}), not a path; at most 249
     *     bytes, no {@code '/'} needed
     * @return the file, of size 0
     * @throws IpcException if the call fails
     */
    public static Memfd create(String name) throws IpcException {
        Objects.requireNonNull(name, "name");
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 249
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("name=" + name + " (at most 249 bytes, no NUL)");
        }
        int r = Sockets.memfd_create(name, Sockets.MFD_CLOEXEC | PosixFiles.MFD_ALLOW_SEALING);
        if (r < 0) {
            throw Errors.failure(r, "memfd_create", name, null);
        }
        return new Memfd(r, name, true);
    }

    /**
     * Creates a memory file of {@code size} bytes (zeros).
     *
     * @param name a name for {@code /proc/PID/fd}
     * @param size the size in bytes
     * @return the file
     * @throws IOException if a call fails
     */
    public static Memfd create(String name, long size) throws IOException {
        Memfd m = create(name);
        try {
            m.resize(size);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /**
     * Adopts a memfd descriptor this process inherited or received over a Unix socket, taking
     * ownership of it (read-only if it was opened so).
     *
     * @param fd the descriptor number
     * @return the file
     * @throws IpcException if {@code fd} is not open or not a memfd
     */
    public static Memfd inherited(int fd) throws IpcException {
        if (fd < 0) {
            throw new IllegalArgumentException("fd=" + fd);
        }
        int fl = Unistd.fcntl(fd, Unistd.F_GETFL, 0);
        if (fl < 0) {
            throw Errors.failure(fl, "fcntl", "fd " + fd, null);
        }
        String link = Inherited.link(fd);
        if (!link.startsWith("/memfd:")) {
            throw new IpcException("memfd", "fd " + fd, null, "not a memfd but " + link);
        }
        Unistd.fcntl(fd, Unistd.F_SETFD, Unistd.FD_CLOEXEC);
        return new Memfd(
                fd, link.substring("/memfd:".length()), (fl & Unistd.O_ACCMODE) != Unistd.O_RDONLY);
    }

    /**
     * The name given at creation.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The size now ({@man fstat(2)}).
     *
     * @return the size in bytes
     * @throws ClosedChannelException if closed
     * @throws IpcException if the call fails
     */
    public long size() throws IOException {
        return memory.size();
    }

    /**
     * Sets the size ({@man ftruncate(2)}).
     *
     * @param size the new size in bytes
     * @throws IpcException with {@code EPERM} if a {@link Seal#SHRINK} or {@link Seal#GROW} seal
     *     forbids it; without errno if {@code size} is below the end of a {@link Mapping} this
     *     process holds
     * @throws ClosedChannelException if closed
     */
    public void resize(long size) throws IOException {
        memory.resize(size, "a seal forbids changing the size (seals: " + sealsOrNothing() + ")");
    }

    /**
     * Maps the whole file for reading and writing ({@code mmap(MAP_SHARED)}).
     *
     * @return the mapping; close it to unmap
     * @throws IpcException with {@code EPERM} if {@link Seal#WRITE} or {@link Seal#FUTURE_WRITE} is
     *     set, or if the size is 0
     * @throws ClosedChannelException if closed
     */
    public Mapping map() throws IOException {
        return memory.map(
                false, "a write seal forbids a writable mapping (seals: " + sealsOrNothing() + ")");
    }

    /**
     * Maps the whole file read-only.
     *
     * @return the mapping; close it to unmap
     * @throws IpcException if the size is 0 or mmap fails
     * @throws ClosedChannelException if closed
     */
    public Mapping mapReadOnly() throws IOException {
        return memory.map(true, null);
    }

    /**
     * Adds seals ({@code fcntl(F_ADD_SEALS)}).
     *
     * @param seals the seals to add
     * @throws IpcException {@code EPERM} if {@link Seal#SEAL} is set already; {@code EBUSY} for
     *     {@link Seal#WRITE} while a writable mapping exists
     * @throws ClosedChannelException if closed
     */
    public void addSeals(Seal... seals) throws IOException {
        addSeals(EnumSet.copyOf(java.util.List.of(seals)));
    }

    /**
     * Adds seals ({@code fcntl(F_ADD_SEALS)}); see {@link #addSeals(Seal...)}.
     *
     * @param seals the seals to add
     * @throws IOException as {@link #addSeals(Seal...)}
     */
    public void addSeals(Collection<Seal> seals) throws IOException {
        int bits = 0;
        for (Seal s : seals) {
            bits |= s.bit;
        }
        int f = fd.acquire();
        try {
            int r = Unistd.fcntl(f, PosixFiles.F_ADD_SEALS, bits);
            if (r < 0) {
                throw Errors.failure(
                        r,
                        "fcntl(F_ADD_SEALS)",
                        "memfd " + name,
                        Errors.is(r, Errno.EBUSY)
                                ? "a writable shared mapping exists: unmap it before sealing WRITE"
                                : Errors.is(r, Errno.EPERM)
                                        ? "the file is sealed against new seals (SEAL)"
                                        : null);
            }
        } finally {
            fd.release();
        }
    }

    /**
     * The seals set now ({@code fcntl(F_GET_SEALS)}).
     *
     * @return the seals
     * @throws ClosedChannelException if closed
     * @throws IpcException if the call fails
     */
    public Set<Seal> seals() throws IOException {
        int f = fd.acquire();
        try {
            int r = Unistd.fcntl(f, PosixFiles.F_GET_SEALS, 0);
            if (r < 0) {
                throw Errors.failure(r, "fcntl(F_GET_SEALS)", "memfd " + name, null);
            }
            Set<Seal> out = EnumSet.noneOf(Seal.class);
            for (Seal s : Seal.values()) {
                if ((r & s.bit) != 0) {
                    out.add(s);
                }
            }
            return out;
        } finally {
            fd.release();
        }
    }

    private String sealsOrNothing() {
        try {
            return seals().toString();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public int fd() {
        return fd.numberIfOpen();
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    /** Closes this descriptor ({@man close(2)}); mappings stay valid. Idempotent. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "Memfd[name=" + name + (isOpen() ? ", fd=" + fd.number() : ", closed") + "]";
    }
}
