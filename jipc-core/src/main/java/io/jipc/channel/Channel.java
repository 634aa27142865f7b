package io.jipc.channel;

import static io.jipc.channel.Format.INT;
import static io.jipc.channel.Format.LONG;

import io.jipc.AlreadyExistsException;
import io.jipc.Descriptor;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.NotFoundException;
import io.jipc.PermissionDeniedException;
import io.jipc.RawDescriptor;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.Modes;
import io.jipc.internal.linux.Mman;
import io.jipc.internal.linux.Sockets;
import io.jipc.sysv.Attachment;
import io.jipc.sysv.SharedMemory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * A shared-memory message channel between processes: a ring of variable-length records in one
 * memory region, with one reader and one ({@link ChannelKind#SPSC}) or many ({@link
 * ChannelKind#MPSC}) writers, in Java or in C ({@code c/include/jipc_channel.h} implements the same
 * format, described in {@code docs/channel-format.md}). No broker process, no system call per
 * message; an idle reader sleeps in a futex wait and costs no CPU.
 *
 * <pre>{@code
 * try (Channel ch = Channel.create(Channel.path("prices"), 0600, 1 << 20, ChannelKind.SPSC);
 *      ChannelWriter w = ch.writer()) {
 *     w.send(ByteBuffer.wrap(bytes));                  // waits for room; w.offer(...) does not
 * }
 * try (Channel ch = Channel.open(Channel.path("prices"));
 *      ChannelReader r = ch.reader()) {
 *     r.poll(m -> handle(m), 100);                     // zero copy, returns at once
 *     int n = r.receive(buffer, Duration.ofSeconds(1));  // waits; -1 on timeout
 * }
 * }</pre>
 *
 * <h2>Where the region lives</h2>
 *
 * <ul>
 *   <li>a file, usually under {@code /dev/shm} ({@link #path(String)}; what {@code jipc channel}
 *       and {@code jipc_channel_open(name)} in C name): {@link #create(Path, int, long,
 *       ChannelKind)} (create or open), {@link #createExclusive}, {@link #open(Path)}; {@link
 *       #remove()} unlinks it;
 *   <li>an anonymous memfd ({@link #createAnonymous}): hand {@link #descriptor()} to a child with
 *       {@code Spawn.fd(n, descriptor)} or to another process over a Unix socket ({@code
 *       SCM_RIGHTS}); the receiver calls {@link #open(Descriptor)};
 *   <li>a System V segment ({@link #create(SharedMemory, ChannelKind)}, {@link
 *       #open(SharedMemory)}), sized with {@link #regionSize}.
 * </ul>
 *
 * Creating formats a zero-filled region: the creator claims it by compare-and-set of the magic word
 * and writes the magic last, so processes that race to create-or-open agree on one channel. Opening
 * validates the header (magic, version, kind, capacity, sizes) and fails with a {@link
 * ChannelFormatException} for anything else.
 *
 * <h2>Lifetimes</h2>
 *
 * A handle maps the region with {@man mmap(2)} ({@man shmat(2)} for a System V segment). {@link
 * #close()} closes this handle's readers and writers and unmaps the region (use after it is an
 * {@link IllegalStateException}); {@link #remove()} destroys the file or segment (a memfd goes with
 * its last descriptor and mapping). Roles are taken with {@link #writer()} and {@link #reader()}; a
 * process that dies leaves its roles to be taken over.
 *
 * <p>Thread-safe; each reader and writer is used by one thread at a time.
 */
public final class Channel implements AutoCloseable {
    /** The default capacity, 1 MiB. */
    public static final long DEFAULT_CAPACITY = Format.DEFAULT_CAPACITY;

    private static final Path SHM = Path.of("/dev/shm");

    private final Region region;
    private final Arena arena;
    private final Attachment attachment;
    private final SharedMemory shm;
    private final Path file;
    private final RawDescriptor memfd;
    private final List<AutoCloseable> roles = new ArrayList<>();
    private boolean closed;

    private Channel(
            Region region,
            Arena arena,
            Attachment attachment,
            SharedMemory shm,
            Path file,
            RawDescriptor memfd) {
        this.region = region;
        this.arena = arena;
        this.attachment = attachment;
        this.shm = shm;
        this.file = file;
        this.memfd = memfd;
    }

    // ---- files
    // ------------------------------------------------------------------------------------

    /**
     * The file of a channel named as the CLI and the C header name it: {@code /dev/shm/NAME}.
     *
     * @param name a file name (no {@code /})
     * @return the path
     * @throws IllegalArgumentException if {@code name} is empty, {@code .}, {@code ..} or has a
     *     {@code /}
     */
    public static Path path(String name) {
        if (name.isEmpty()
                || name.equals(".")
                || name.equals("..")
                || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "name=" + name + " (a file name under /dev/shm, without '/')");
        }
        return SHM.resolve(name);
    }

    /**
     * Creates a channel file, or opens the channel the file holds (then its own kind and capacity
     * apply, and {@code mode} does not). A new file gets exactly {@code mode} (the umask does not
     * apply).
     *
     * @param path the file, e.g. {@code Channel.path("prices")}
     * @param mode the permission bits, e.g. {@code 0600}
     * @param capacity the data area in bytes: a power of two from 1 KiB to 1 GiB
     * @param kind SPSC or MPSC
     * @return the channel
     * @throws ChannelFormatException if the file exists and is not a channel
     * @throws NotFoundException if the directory does not exist
     * @throws PermissionDeniedException if the file or directory denies this user
     * @throws IOException on other failures
     */
    public static Channel create(Path path, int mode, long capacity, ChannelKind kind)
            throws IOException {
        try {
            return createExclusive(path, mode, capacity, kind);
        } catch (AlreadyExistsException exists) {
            return open(path);
        }
    }

    /**
     * Creates a new channel file, failing if the file exists. The file gets exactly {@code mode}
     * (the umask does not apply).
     *
     * @param path the file
     * @param mode the permission bits, e.g. {@code 0600}
     * @param capacity the data area in bytes: a power of two from 1 KiB to 1 GiB
     * @param kind SPSC or MPSC
     * @return the channel
     * @throws AlreadyExistsException if the file exists
     * @throws NotFoundException if the directory does not exist
     * @throws PermissionDeniedException if the directory may not be written
     * @throws IOException on other failures
     */
    public static Channel createExclusive(Path path, int mode, long capacity, ChannelKind kind)
            throws IOException {
        Objects.requireNonNull(kind, "kind");
        long size = Region.regionSize(capacity, kind);
        Modes.check(mode);
        boolean done = false;
        try (FileChannel fc = fileChannel(path, true)) {
            try {
                Files.setPosixFilePermissions(path, permissions(mode));
                fc.write(ByteBuffer.allocate(1), size - 1); // extends the file (sparse) to its size
                Arena arena = Arena.ofShared();
                try {
                    MemorySegment seg = fc.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
                    Channel ch =
                            new Channel(
                                    Region.formatOrOpen(seg, path.toString(), kind, capacity),
                                    arena,
                                    null,
                                    null,
                                    path,
                                    null);
                    done = true;
                    return ch;
                } finally {
                    if (!done) {
                        arena.close();
                    }
                }
            } finally {
                if (!done) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** Opens (or creates exclusively) a file for reading and writing, with jipc's exceptions. */
    private static FileChannel fileChannel(Path path, boolean create) throws IOException {
        String p = path.toString();
        try {
            return create
                    ? FileChannel.open(
                            path,
                            StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new AlreadyExistsException(
                    "open", p, Errno.EEXIST, "a file already exists there");
        } catch (NoSuchFileException e) {
            throw new NotFoundException(
                    "open",
                    p,
                    Errno.ENOENT,
                    create ? "the directory does not exist" : "no channel at this path");
        } catch (AccessDeniedException e) {
            throw new PermissionDeniedException(
                    "open",
                    p,
                    Errno.EACCES,
                    create
                            ? "the directory may not be written by this user"
                            : "the file's mode denies reading and writing");
        }
    }

    /**
     * Opens an existing channel file, waiting up to 2 s for a creator that is still writing its
     * header.
     *
     * @param path the file
     * @return the channel
     * @throws NotFoundException if there is no such file
     * @throws PermissionDeniedException if the file's mode denies reading and writing
     * @throws ChannelFormatException if the file is not a channel this library reads
     * @throws IOException on other failures
     */
    public static Channel open(Path path) throws IOException {
        try (FileChannel fc = fileChannel(path, false)) {
            long deadline = System.nanoTime() + Region.INIT_WAIT_NANOS;
            long size;
            while ((size = fc.size()) < Format.WRITER_TABLE_OFFSET
                    && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(1_000_000L); // a creator between creating and sizing the file
            }
            if (size < Format.WRITER_TABLE_OFFSET) {
                throw new ChannelFormatException(
                        path.toString(), "not a channel: the file has " + size + " bytes");
            }
            Arena arena = Arena.ofShared();
            boolean done = false;
            try {
                MemorySegment seg = fc.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
                Channel ch =
                        new Channel(
                                Region.open(seg, path.toString()), arena, null, null, path, null);
                done = true;
                return ch;
            } finally {
                if (!done) {
                    arena.close();
                }
            }
        }
    }

    // ---- memfd
    // ------------------------------------------------------------------------------------

    /**
     * Creates a channel in an anonymous memory file ({@man memfd_create(2)}): no name, gone when
     * the last descriptor and mapping are. Share it through {@link #descriptor()}.
     *
     * @param capacity the data area in bytes: a power of two from 1 KiB to 1 GiB
     * @param kind SPSC or MPSC
     * @return the channel
     * @throws IpcException if the memory file cannot be made
     */
    public static Channel createAnonymous(long capacity, ChannelKind kind) throws IpcException {
        Objects.requireNonNull(kind, "kind");
        long size = Region.regionSize(capacity, kind);
        int fd = Sockets.memfd_create("jipc-channel", Sockets.MFD_CLOEXEC);
        if (fd < 0) {
            throw Errors.failure(fd, "memfd_create", "jipc-channel", null);
        }
        RawDescriptor d = new RawDescriptor(fd);
        boolean done = false;
        try {
            int r = Mman.ftruncate(fd, size);
            if (r < 0) {
                throw Errors.failure(r, "ftruncate", "memfd " + fd, null);
            }
            Arena arena = Arena.ofShared();
            MemorySegment seg = map(fd, size, arena, "memfd " + fd);
            try {
                Channel ch =
                        new Channel(
                                Region.formatOrOpen(seg, "memfd " + fd, kind, capacity),
                                arena,
                                null,
                                null,
                                null,
                                d);
                done = true;
                return ch;
            } finally {
                if (!done) {
                    arena.close();
                }
            }
        } finally {
            if (!done) {
                d.close();
            }
        }
    }

    /**
     * Opens the channel in a memory file or channel file received as a descriptor (inherited from a
     * parent through {@code Spawn.fd}, or received over {@code SCM_RIGHTS}). The descriptor stays
     * the caller's: the mapping outlives it, so it may be closed at once.
     *
     * @param descriptor the descriptor
     * @return the channel
     * @throws ChannelFormatException if the file is not a channel this library reads
     * @throws IpcException if the descriptor cannot be mapped
     * @throws java.nio.channels.ClosedChannelException if the descriptor is closed
     */
    public static Channel open(Descriptor descriptor) throws IOException {
        int fd = Fds.acquire(descriptor);
        try {
            String object = "fd " + fd;
            long size = Mman.fileSize(fd);
            if (size < 0) {
                throw Errors.failure(size, "fstat", object, null);
            }
            if (size < Format.WRITER_TABLE_OFFSET) {
                throw new ChannelFormatException(
                        object, "not a channel: the file has " + size + " bytes");
            }
            Arena arena = Arena.ofShared();
            boolean done = false;
            try {
                MemorySegment seg = map(fd, size, arena, object);
                Channel ch = new Channel(Region.open(seg, object), arena, null, null, null, null);
                done = true;
                return ch;
            } finally {
                if (!done) {
                    arena.close();
                }
            }
        } finally {
            Fds.release(descriptor);
        }
    }

    private static MemorySegment map(int fd, long size, Arena arena, String object)
            throws IpcException {
        long address = Mman.mmap(size, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, fd, 0);
        if (address < 0) {
            arena.close();
            throw Errors.failure(address, "mmap", object, null);
        }
        return Mman.segment(address, size, arena);
    }

    // ---- System V
    // ---------------------------------------------------------------------------------

    /**
     * The region bytes a channel of this kind and capacity needs (header and data area): the size
     * to give a System V segment or a file made by other means.
     *
     * @param capacity the data area in bytes: a power of two from 1 KiB to 1 GiB
     * @param kind SPSC or MPSC
     * @return the size in bytes
     */
    public static long regionSize(long capacity, ChannelKind kind) {
        return Region.regionSize(capacity, Objects.requireNonNull(kind, "kind"));
    }

    /**
     * Makes a channel in a System V segment, or opens the one it holds: a zero-filled segment (as
     * shmget creates it) is formatted with the largest power-of-two capacity that fits.
     *
     * @param segment the segment, at least {@link #regionSize regionSize(1024, kind)} bytes
     * @param kind SPSC or MPSC
     * @return the channel; {@link #close()} detaches, {@link #remove()} removes the segment
     * @throws ChannelFormatException if the segment holds something else
     * @throws IpcException if the segment cannot be attached
     */
    public static Channel create(SharedMemory segment, ChannelKind kind) throws IpcException {
        long room = segment.size() - Format.dataOffset(Region.defaultWriters(kind));
        if (room < Format.MIN_CAPACITY) {
            throw new IllegalArgumentException(
                    "segment.size()="
                            + segment.size()
                            + " (a channel needs at least "
                            + regionSize(Format.MIN_CAPACITY, kind)
                            + " bytes)");
        }
        long capacity = Math.min(Long.highestOneBit(room), Format.MAX_CAPACITY);
        return attach(segment, kind, capacity);
    }

    /**
     * Opens the channel a System V segment holds.
     *
     * @param segment the segment
     * @return the channel; {@link #close()} detaches
     * @throws ChannelFormatException if the segment is not a channel this library reads
     * @throws IpcException if the segment cannot be attached
     */
    public static Channel open(SharedMemory segment) throws IpcException {
        return attach(segment, null, 0);
    }

    private static Channel attach(SharedMemory segment, ChannelKind kind, long capacity)
            throws IpcException {
        Attachment a = segment.attach();
        boolean done = false;
        try {
            String object = "shmid " + segment.id();
            Region r =
                    kind == null
                            ? Region.open(a.segment(), object)
                            : Region.formatOrOpen(a.segment(), object, kind, capacity);
            Channel ch = new Channel(r, null, a, segment, null, null);
            done = true;
            return ch;
        } finally {
            if (!done) {
                a.close();
            }
        }
    }

    // ---- roles
    // ------------------------------------------------------------------------------------

    /**
     * Joins the channel as a writer: takes an entry of the writer table (and, in an SPSC channel,
     * the write side, refused while another live process or writer holds it).
     *
     * @return the writer; close it to leave
     * @throws IpcException with {@code EBUSY} if an SPSC channel has a live writer, or every entry
     *     of the writer table is held
     * @throws IllegalStateException if this channel is closed
     */
    public synchronized ChannelWriter writer() throws IpcException {
        checkOpen();
        ChannelWriter w = new ChannelWriter(this, region);
        roles.add(w);
        return w;
    }

    /**
     * Becomes the channel's reader, at the position the last reader left (a dead reader's role is
     * taken over).
     *
     * @return the reader; close it to leave
     * @throws IpcException with {@code EBUSY} if another live reader holds the role
     * @throws IllegalStateException if this channel is closed
     */
    public synchronized ChannelReader reader() throws IpcException {
        checkOpen();
        ChannelReader rd = new ChannelReader(this, region);
        roles.add(rd);
        return rd;
    }

    synchronized void forget(AutoCloseable role) {
        roles.remove(role);
    }

    // ---- properties
    // -------------------------------------------------------------------------------

    /**
     * SPSC or MPSC, as stored in the region.
     *
     * @return the kind
     */
    public ChannelKind kind() {
        return region.kind;
    }

    /**
     * The data area in bytes (a power of two).
     *
     * @return the capacity
     */
    public long capacity() {
        return region.capacity;
    }

    /**
     * The longest message: a quarter of the capacity less a record header.
     *
     * @return the length in bytes
     */
    public int maxMessage() {
        return region.maxMessage;
    }

    /**
     * What the region is: a path, {@code "memfd N"}, {@code "fd N"} or {@code "shmid N"}.
     *
     * @return the description
     */
    public String name() {
        return region.object;
    }

    /**
     * The file of a channel made or opened by path.
     *
     * @return the path, or empty for a memory file or System V segment
     */
    public Optional<Path> path() {
        return Optional.ofNullable(file);
    }

    /**
     * The memory file of a channel made by {@link #createAnonymous}, to hand to another process
     * ({@code Spawn.fd(n, d)}, {@code UnixSocket.sendWithDescriptors}); it stays this channel's and
     * is closed by {@link #close()}.
     *
     * @return the descriptor, or empty for a channel in a file or System V segment
     */
    public Optional<Descriptor> descriptor() {
        return Optional.ofNullable(memfd);
    }

    /**
     * Reads the shared state; see {@link ChannelStatus}. Checks the liveness of the reader and of
     * each writer in {@code /proc}.
     *
     * @return the snapshot
     * @throws IllegalStateException if this channel is closed
     */
    public ChannelStatus status() {
        checkOpen();
        Region r = region;
        MemorySegment s = r.seg;
        long head = r.head();
        long tail = r.tail();
        long messages = 0;
        for (long pos = head; pos < tail && messages < r.capacity; ) {
            long at = r.dataIndex(pos);
            if ((long) LONG.getAcquire(s, at + Format.RECORD_TAG) != r.tag(pos)) {
                break;
            }
            int len = (int) INT.getAcquire(s, at + Format.RECORD_LENGTH);
            int type = (int) INT.get(s, at + Format.RECORD_INFO) & Format.TYPE_MASK;
            long size = Format.recordSize(Math.abs((long) len));
            if (len < 0 || (pos & r.mask) + size > r.capacity) {
                break;
            }
            if (type == Format.TYPE_DATA) {
                messages++;
            }
            pos += size;
        }
        long reader = (long) LONG.getAcquire(s, Format.READER_OWNER_OFFSET);
        List<ChannelStatus.Writer> writers = new ArrayList<>();
        for (int i = 0; i < r.maxWriters; i++) {
            long o = r.writerOwner(i);
            if (o != Owners.NONE) {
                long e = Format.writerEntry(i);
                writers.add(
                        new ChannelStatus.Writer(
                                i,
                                Owners.pid(o),
                                Owners.alive(o),
                                (long) LONG.getAcquire(s, e + Format.WRITER_CLAIM_POSITION),
                                (long) LONG.getAcquire(s, e + Format.WRITER_CLAIM_SIZE)));
            }
        }
        return new ChannelStatus(
                r.kind,
                r.capacity,
                r.maxMessage,
                head,
                tail,
                messages,
                Owners.pid(reader),
                Owners.alive(reader),
                ((int) INT.getVolatile(s, Format.READER_SIGNAL_OFFSET) & Format.WAITERS) != 0,
                ((int) INT.getVolatile(s, Format.SPACE_SIGNAL_OFFSET) & Format.WAITERS) != 0,
                (long) LONG.getAcquire(s, Format.ABANDONED_OFFSET),
                writers);
    }

    // ---- lifetimes
    // --------------------------------------------------------------------------------

    /**
     * Closes this handle's readers and writers, wakes its threads that wait in them (they end with
     * an {@link IllegalStateException}), unmaps the region and closes the memory file's descriptor.
     * The channel itself stays for other processes. Idempotent.
     */
    @Override
    public void close() {
        List<AutoCloseable> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(roles);
        }
        for (AutoCloseable role : open) {
            try {
                role.close();
            } catch (Exception e) {
                // roles close without checked failures
            }
        }
        region.closed = true;
        long deadline = System.nanoTime() + 2_000_000_000L;
        do {
            region.wakeAllForClose();
            if (region.sleepers.get() == 0) {
                break;
            }
            LockSupport.parkNanos(1_000_000L);
        } while (System.nanoTime() - deadline < 0);
        if (attachment != null) {
            attachment.close();
        } else {
            arena.close();
        }
        if (memfd != null) {
            memfd.close();
        }
    }

    /**
     * Destroys the region: unlinks the file (processes that mapped it keep it until they unmap) or
     * removes the System V segment (freed at its last detach). Nothing to do for a memory file.
     * This handle stays usable until {@link #close()}.
     *
     * @throws NotFoundException if the file or segment is gone already
     * @throws IOException if the file or segment cannot be removed
     */
    public void remove() throws IOException {
        if (file != null) {
            Errors.unlink(file, false, "channel");
        } else if (shm != null) {
            shm.remove();
        }
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the channel is closed: " + region.object);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                p.add(bits[i]);
            }
        }
        return p;
    }

    @Override
    public String toString() {
        return "Channel["
                + region.object
                + ", "
                + region.kind
                + ", capacity "
                + region.capacity
                + "]";
    }
}
