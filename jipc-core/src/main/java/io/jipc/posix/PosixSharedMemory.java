package io.jipc.posix;

import io.jipc.AlreadyExistsException;
import io.jipc.Descriptor;
import io.jipc.IpcException;
import io.jipc.NotFoundException;
import io.jipc.PermissionDeniedException;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.Modes;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.Mqueue;
import io.jipc.internal.linux.PosixFiles;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A POSIX shared memory object ({@man shm_open(3)}, {@man ftruncate(2)}, {@man mmap(2)}, {@man
 * shm_unlink(3)}; {@man shm_overview(7)}): a file {@code /dev/shm/NAME} that every process (Java or
 * C) that opens the name maps to the same memory.
 *
 * <pre>{@code
 * try (PosixSharedMemory shm = PosixSharedMemory.createExclusive("/frames", 0600, 1 << 20);
 *      Mapping m = shm.map()) {                      // mmap(MAP_SHARED), bounded to 1 MiB
 *     m.segment().setString(0, "hello");
 * }                                                  // munmap, close: the object stays
 * PosixSharedMemory.unlink("/frames");               // the name goes; the memory with the last mapping
 * }</pre>
 *
 * <p><b>Names and creation.</b> {@code "/"} then 1 to 255 bytes without another {@code '/'},
 * checked before any call. {@link #open} opens an existing object, {@link #create} creates it or
 * opens the existing one ({@link #created()} says which), {@link #createExclusive} fails with
 * {@link AlreadyExistsException} if it exists. A new object gets exactly the mode asked for (the
 * umask does not narrow it) and the size asked for ({@code ftruncate}); {@link #create} also grows
 * an existing object that is smaller than asked (never shrinks it), which settles the race of a
 * process opening the object between another's {@code shm_open} and {@code ftruncate}. New memory
 * reads as zeros.
 *
 * <p><b>Lifetime.</b> The object lives until {@link #unlink()} removes its name and the last
 * descriptor and mapping on it are gone (or reboot). {@link #close()} closes this process's
 * descriptor only (idempotent; mappings stay valid); every call on this object after it throws
 * {@link ClosedChannelException}. Opening a name that was unlinked is a {@link NotFoundException}.
 *
 * <p><b>Memory.</b> {@link #map()} and {@link #mapReadOnly()} give a {@link Mapping}, whose segment
 * is bounded to the size at mapping time and invalid after the mapping is closed (an access is then
 * an {@link IllegalStateException}, not a fault). While a mapping is open, {@link #resize} in this
 * process refuses to shrink the object below its end; another process can still {@code ftruncate}
 * the object smaller, and access beyond the new end then raises {@code SIGBUS}: a Java access
 * through the segment fails with an {@link InternalError}, a native call on that memory (a
 * semaphore operation) kills the JVM. Share an object only with processes trusted not to shrink it
 * (a {@link Memfd} can be sealed against that). /dev/shm is a tmpfs: the size is reserved lazily,
 * page by page, as memory is touched; touching a page when the tmpfs is full raises {@code SIGBUS},
 * reported by the JVM as an {@link InternalError}.
 *
 * <p>This is a {@link Descriptor}: it can be handed to a child ({@code Spawn.fd}) or sent over a
 * Unix socket, and adopted there with {@link #inherited(int)}. Thread-safe.
 */
public final class PosixSharedMemory implements Descriptor {
    static {
        Fds.register(PosixSharedMemory.class, s -> s.fd);
    }

    private final OwnedFd fd;
    private final String name;
    private final Access access;
    private final boolean created;
    private final FdMemory memory;

    private PosixSharedMemory(int fd, String name, Access access, boolean created) {
        this.fd = new OwnedFd(fd);
        this.name = name;
        this.access = access;
        this.created = created;
        this.memory = new FdMemory(this.fd, name, access.canWrite());
    }

    /**
     * Opens an existing object for reading and writing ({@code shm_open(name, O_RDWR)}).
     *
     * @param name the name, e.g. {@code "/frames"}
     * @return the object
     * @throws NotFoundException if no object has the name (never created, or unlinked)
     * @throws PermissionDeniedException if its mode does not grant read and write
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException for a bad name
     */
    public static PosixSharedMemory open(String name) throws IpcException {
        return open(name, Access.READ_WRITE);
    }

    /**
     * Opens an existing object ({@code shm_open(name, O_RDONLY | O_RDWR)}).
     *
     * @param name the name, e.g. {@code "/frames"}
     * @param access {@link Access#READ_ONLY} (then only {@link #mapReadOnly()}) or {@link
     *     Access#READ_WRITE}
     * @return the object
     * @throws NotFoundException if no object has the name
     * @throws PermissionDeniedException if its mode does not grant {@code access}
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException for a bad name, or {@link Access#WRITE_ONLY} (a mapping
     *     needs read access)
     */
    public static PosixSharedMemory open(String name, Access access) throws IpcException {
        PosixNames.check(name, PosixNames.NAME_MAX);
        if (Objects.requireNonNull(access, "access") == Access.WRITE_ONLY) {
            throw new IllegalArgumentException(
                    "access=WRITE_ONLY (shared memory is mapped, which needs read access)");
        }
        int r = PosixFiles.shm_open(name, access.flags, 0);
        if (r < 0) {
            throw PosixErrors.open(
                    r,
                    "shm_open",
                    name,
                    "shared memory object",
                    access == Access.READ_ONLY ? "read" : "read and write");
        }
        return new PosixSharedMemory(r, name, access, false);
    }

    /**
     * Opens the object of this name for reading and writing, creating it with exactly {@code mode}
     * and {@code size} bytes if there is none; an existing object smaller than {@code size} is
     * grown to it.
     *
     * @param name the name, e.g. {@code "/frames"}
     * @param mode the permission bits of a new object, e.g. {@code 0600}
     * @param size the size in bytes, at least 1
     * @return the object; {@link #created()} says whether it is new
     * @throws PermissionDeniedException if it exists and its mode denies read and write
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException for a bad name, size or mode
     */
    public static PosixSharedMemory create(String name, int mode, long size) throws IOException {
        return create(name, mode, size, false);
    }

    /**
     * Creates a new object of {@code size} bytes with exactly {@code mode}, failing if the name has
     * one ({@code shm_open(name, O_RDWR | O_CREAT | O_EXCL, mode)}, {@code ftruncate}).
     *
     * @param name the name, e.g. {@code "/frames"}
     * @param mode the permission bits, e.g. {@code 0600}
     * @param size the size in bytes, at least 1
     * @return the new object
     * @throws AlreadyExistsException if an object has the name
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException for a bad name, size or mode
     */
    public static PosixSharedMemory createExclusive(String name, int mode, long size)
            throws IOException {
        return create(name, mode, size, true);
    }

    private static PosixSharedMemory create(String name, int mode, long size, boolean exclusive)
            throws IOException {
        PosixNames.check(name, PosixNames.NAME_MAX);
        Modes.check(mode);
        if (size < 1) {
            throw new IllegalArgumentException("size=" + size + " (at least 1 byte)");
        }
        Creation c =
                Creation.createOrOpen(
                        () ->
                                PosixFiles.shm_open(
                                        name, Unistd.O_RDWR | Mqueue.O_CREAT | Mqueue.O_EXCL, mode),
                        () -> PosixFiles.shm_open(name, Unistd.O_RDWR, 0),
                        exclusive);
        if (c.result() < 0) {
            throw PosixErrors.open(
                    c.result(), "shm_open", name, "shared memory object", "read and write");
        }
        PosixSharedMemory s =
                new PosixSharedMemory((int) c.result(), name, Access.READ_WRITE, c.created());
        try {
            if (c.created()) {
                PosixNames.change(s.fd, name, PosixNames.KEEP, PosixNames.KEEP, mode);
            }
            if (c.created() || s.size() < size) {
                s.memory.resize(size, null);
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            if (c.created()) {
                PosixFiles.shm_unlink(name);
            }
            throw e;
        }
        return s;
    }

    /**
     * Adopts a descriptor of a shared memory object (or any memory file) that this process
     * inherited or received over a Unix socket, taking ownership of it. The name is read from
     * {@code /proc/self/fd}, the access from the descriptor's flags.
     *
     * @param fd the descriptor number
     * @return the object
     * @throws IpcException if {@code fd} is not open
     */
    public static PosixSharedMemory inherited(int fd) throws IpcException {
        if (fd < 0) {
            throw new IllegalArgumentException("fd=" + fd);
        }
        int fl = Unistd.fcntl(fd, Unistd.F_GETFL, 0);
        if (fl < 0) {
            throw Errors.failure(fl, "fcntl", "fd " + fd, null);
        }
        Unistd.fcntl(fd, Unistd.F_SETFD, Unistd.FD_CLOEXEC);
        String path = Inherited.link(fd);
        String n = path.startsWith("/dev/shm/") ? "/" + path.substring("/dev/shm/".length()) : path;
        return new PosixSharedMemory(
                fd,
                n,
                (fl & Unistd.O_ACCMODE) == Unistd.O_RDONLY ? Access.READ_ONLY : Access.READ_WRITE,
                false);
    }

    /**
     * Removes an object's name ({@man shm_unlink(3)}): no one can open it any more; the memory
     * lives on while descriptors or mappings of it exist.
     *
     * @param name the name, e.g. {@code "/frames"}
     * @throws NotFoundException if no object has the name
     * @throws PermissionDeniedException if this user may not remove it
     * @throws IpcException on any other failure
     */
    public static void unlink(String name) throws IpcException {
        PosixNames.check(name, PosixNames.NAME_MAX);
        int r = PosixFiles.shm_unlink(name);
        if (r < 0) {
            throw PosixErrors.open(r, "shm_unlink", name, "shared memory object", "removal");
        }
    }

    /**
     * Removes this object's name; see {@link #unlink(String)}. This descriptor and its mappings
     * stay usable.
     *
     * @throws IpcException as {@link #unlink(String)}
     */
    public void unlink() throws IpcException {
        unlink(name);
    }

    /**
     * The object's name, e.g. {@code "/frames"}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Whether this call created the object.
     *
     * @return true if new
     */
    public boolean created() {
        return created;
    }

    /**
     * How this process opened the object.
     *
     * @return {@link Access#READ_ONLY} or {@link Access#READ_WRITE}
     */
    public Access access() {
        return access;
    }

    /**
     * The object's size now ({@man fstat(2)}); another process may have changed it.
     *
     * @return the size in bytes
     * @throws ClosedChannelException if closed
     * @throws IpcException if the call fails
     */
    public long size() throws IOException {
        return memory.size();
    }

    /**
     * Sets the object's size ({@man ftruncate(2)}). New bytes read as zeros. Existing mappings keep
     * their size. A shrink below the end of a {@link Mapping} this process still holds of the same
     * object (made through any jipc object on it) is refused: access there would fault. Mappings in
     * other processes are not known here: shrink only what no other process maps.
     *
     * @param size the new size in bytes
     * @throws IpcException if {@code size} is below the end of a mapping this process holds
     *     (nothing changed; the message gives both)
     * @throws NonWritableChannelException if opened {@link Access#READ_ONLY}
     * @throws ClosedChannelException if closed
     * @throws IpcException if the call fails
     */
    public void resize(long size) throws IOException {
        memory.resize(size, null);
    }

    /**
     * Maps the whole object for reading and writing ({@code mmap(PROT_READ | PROT_WRITE,
     * MAP_SHARED)}).
     *
     * @return the mapping; close it to unmap
     * @throws NonWritableChannelException if opened {@link Access#READ_ONLY}
     * @throws ClosedChannelException if closed
     * @throws IpcException if the size is 0 or mmap fails
     */
    public Mapping map() throws IOException {
        return memory.map(false, null);
    }

    /**
     * Maps the whole object read-only ({@code mmap(PROT_READ, MAP_SHARED)}); its segment is
     * read-only.
     *
     * @return the mapping; close it to unmap
     * @throws ClosedChannelException if closed
     * @throws IpcException if the size is 0 or mmap fails
     */
    public Mapping mapReadOnly() throws IOException {
        return memory.map(true, null);
    }

    @Override
    public int fd() {
        return fd.numberIfOpen();
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    /** Closes this process's descriptor ({@man close(2)}); mappings stay valid. Idempotent. */
    @Override
    public void close() {
        fd.close();
    }

    /**
     * The object's owner, mode and size now ({@man fstat(2)}).
     *
     * @return the status
     * @throws ClosedChannelException if closed
     * @throws IpcException if the call fails
     */
    public PosixSharedMemoryStatus status() throws IOException {
        int f = fd.acquire();
        try {
            FileAttrs a = FileAttrs.of(Path.of("/proc/self/fd/" + f), name);
            return new PosixSharedMemoryStatus(name, a.uid(), a.gid(), a.mode(), a.size());
        } finally {
            fd.release();
        }
    }

    /**
     * Changes owner, group and mode at once ({@man fchown(2)}, {@man fchmod(2)}): the owner and
     * group need a privileged process, the mode the owner.
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

    /**
     * Equal if both name the same object (their names are equal), whatever their descriptors.
     *
     * @param o the other object
     * @return true if the same name
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PosixSharedMemory s && s.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "PosixSharedMemory[name="
                + name
                + (isOpen() ? ", fd=" + fd.number() : ", closed")
                + "]";
    }
}
