package io.jipc.sysv;

import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.IpcKey;
import io.jipc.Limit;
import io.jipc.LimitExceededException;
import io.jipc.NotFoundException;
import io.jipc.PermissionDeniedException;
import io.jipc.internal.Errors;
import io.jipc.internal.Modes;
import io.jipc.internal.SysvInfo;
import io.jipc.internal.linux.Native;
import io.jipc.internal.linux.Structs;
import io.jipc.internal.linux.SysV;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A System V shared memory segment ({@code shmget}, {@code shmat}, {@code shmdt}, {@code shmctl};
 * see {@man shmget(2)}, {@man shmop(2)}, {@man shmctl(2)}, {@man sysvipc(7)}).
 *
 * <p>A segment is a kernel object: it <b>outlives every process</b>, including the one that created
 * it, until it is {@linkplain #remove() removed} (or the IPC namespace ends). This class is only a
 * handle (the identifier, the key and the size); it holds nothing to release. Memory is reached
 * through an {@link Attachment}:
 *
 * <pre>{@code
 * SharedMemory shm = SharedMemory.create(key, 0600, 4096);      // create-or-open
 * try (Attachment a = shm.attach()) {                            // shmat
 *     MemorySegment seg = a.segment();                           // bounded to 4096 bytes
 *     seg.setString(0, "hello");
 * }                                                              // shmdt; seg is now invalid
 * shm.remove();                                                  // IPC_RMID
 * }</pre>
 *
 * <p><b>Creation.</b> {@link #open(IpcKey)} opens an existing segment and learns its size ({@code
 * IPC_STAT}); {@link #create} creates or opens ({@code IPC_CREAT}); {@link #createExclusive} fails
 * with {@link io.jipc.AlreadyExistsException} if the key has a segment ({@code
 * IPC_CREAT|IPC_EXCL}); {@link #createPrivate} makes a segment no key names ({@code IPC_PRIVATE}),
 * to be shared by passing its {@link #id()}. A new segment is zero-filled. {@link Option} asks for
 * huge pages ({@code SHM_HUGETLB}) or no swap reservation ({@code SHM_NORESERVE}).
 *
 * <p><b>Removal is deferred.</b> {@link #remove()} marks the segment for destruction: its key is
 * released at once (it reads {@code IPC_PRIVATE} in {@link #status()}, and a new segment may take
 * the key), but the memory lives on, and stays attached where it is attached, until the last
 * attachment is detached; meanwhile {@link SharedMemoryStatus#removalPending()} is true and {@link
 * SharedMemoryStatus#attachCount()} counts the remaining attachments. Linux still lets a process
 * attach such a segment by its id.
 *
 * <p><b>Cross-process atomics.</b> An attached segment works with the FFM API's {@link
 * java.lang.invoke.VarHandle}s exactly like C11 atomics ({@code __atomic_*}, {@code <stdatomic.h>})
 * on the same memory in another process: the processor's atomic instructions act on the physical
 * memory both mappings share. Use naturally aligned offsets (a misaligned atomic access throws
 * {@link IllegalArgumentException}):
 *
 * <pre>{@code
 * static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();   // coordinates: (segment, offset)
 *
 * MemorySegment seg = attachment.segment();
 * long before = (long) LONG.getAndAdd(seg, 0L, 1L);      // == __atomic_fetch_add(p, 1, __ATOMIC_SEQ_CST)
 * boolean won = LONG.compareAndSet(seg, 8L, 0L, 42L);    // == __atomic_compare_exchange_n(...)
 * LONG.setRelease(seg, 16L, 1L);                         // publish: pairs with the reader's getAcquire
 * long ready = (long) LONG.getAcquire(seg, 16L);         // == __atomic_load_n(p, __ATOMIC_ACQUIRE)
 * }</pre>
 *
 * <p>Plain {@code get}/{@code set} give no ordering between processes; publish data with a release
 * store of a flag written after it and read the flag with an acquire load before the data. Two
 * processes, one Java and one C, each adding 1 to one {@code long} N times with {@code getAndAdd}
 * and {@code __atomic_fetch_add} leave exactly 2N (a test checks this).
 *
 * <p>Thread-safe: the handle is immutable.
 */
public final class SharedMemory {

    /** Creation flags for {@link #create}, {@link #createExclusive} and {@link #createPrivate}. */
    public enum Option {
        /** Do not reserve swap space for the segment ({@code SHM_NORESERVE}). */
        NO_RESERVE(SysV.SHM_NORESERVE),
        /**
         * Back the segment with huge pages of the default size ({@code SHM_HUGETLB}); needs huge
         * pages reserved in {@code /proc/sys/vm/nr_hugepages} and {@code CAP_IPC_LOCK} or the group
         * in {@code /proc/sys/vm/hugetlb_shm_group}.
         */
        HUGE_PAGES(SysV.SHM_HUGETLB),
        /** Huge pages of 2 MiB ({@code SHM_HUGETLB | SHM_HUGE_2MB}). */
        HUGE_PAGES_2MB(SysV.SHM_HUGETLB | (21 << SysV.SHM_HUGE_SHIFT)),
        /** Huge pages of 1 GiB ({@code SHM_HUGETLB | SHM_HUGE_1GB}). */
        HUGE_PAGES_1GB(SysV.SHM_HUGETLB | (30 << SysV.SHM_HUGE_SHIFT));

        private final int flags;

        Option(int flags) {
            this.flags = flags;
        }
    }

    private final int id;
    private final IpcKey key;
    private final long size;

    private SharedMemory(int id, IpcKey key, long size) {
        this.id = id;
        this.key = key;
        this.size = size;
    }

    // ---- obtaining a handle ---------------------------------------------------------------------

    /**
     * Opens the existing segment of a key ({@code shmget(key, 0, 0400)}) and learns its size
     * ({@code IPC_STAT}).
     *
     * @param key the key (not {@link IpcKey#PRIVATE})
     * @return the handle
     * @throws NotFoundException if the key has no segment
     * @throws PermissionDeniedException if the mode does not grant this process read
     * @throws IpcException for any other failure
     */
    public static SharedMemory open(IpcKey key) throws IpcException {
        requireKey(key);
        // shmget checks only the permissions its flags ask for (none for 0): ask for read, which
        // learning the size (IPC_STAT) needs anyway, so a denied open fails in shmget itself.
        return get(key, 0, 0400);
    }

    /**
     * A handle for the segment with this identifier (as {@code ipcs -m} lists it, or as another
     * process passed it), checked with {@code IPC_STAT}, which also gives its key and size: a
     * segment this user may not read is still returned, as by {@code MessageQueue.ofId} and {@code
     * SemaphoreSet.ofId} (its key and size are then read from {@code /proc/sysvipc/shm}); attaching
     * it is then refused.
     *
     * @param shmid the identifier
     * @return the handle
     * @throws NotFoundException if no segment has this identifier
     * @throws IpcException for any other failure
     * @throws IllegalArgumentException if {@code shmid} is negative
     */
    public static SharedMemory ofId(int shmid) throws IpcException {
        if (shmid < 0) {
            throw new IllegalArgumentException(
                    "shmid=" + shmid + " (identifiers are not negative)");
        }
        SharedMemoryStatus st;
        try {
            st = stat(shmid);
        } catch (PermissionDeniedException e) {
            if (e.errno() != Errno.EACCES) {
                throw e;
            }
            String[] row =
                    ProcSysvipc.row("shm", shmid)
                            .orElseThrow(
                                    () ->
                                            new NotFoundException(
                                                    "shmctl(IPC_STAT)",
                                                    "shmid " + shmid,
                                                    Errno.EINVAL,
                                                    "no shared memory segment has this id (it was removed)"));
            return new SharedMemory(
                    shmid, IpcKey.of(Integer.parseInt(row[0])), Long.parseLong(row[3]));
        }
        return new SharedMemory(shmid, st.permissions().key(), st.size());
    }

    /**
     * Creates a segment of {@code size} bytes for the key, or opens the one it has ({@code
     * shmget(key, size, IPC_CREAT | mode)}). An existing segment must be at least {@code size}
     * bytes: shmget cannot grow it.
     *
     * @param key the key (not {@link IpcKey#PRIVATE})
     * @param mode the permission bits of a new segment, e.g. {@code 0600}
     * @param size the size in bytes, at least 1
     * @param options creation flags
     * @return the handle; {@link #size()} is the existing segment's size if it was opened
     * @throws LimitExceededException if {@code size} is above {@code shmmax}, the new segment would
     *     take the total above {@code shmall}, or {@code shmmni} segments exist
     * @throws IpcException if the existing segment is smaller than {@code size} (EINVAL, with its
     *     size in the message), the mode of an existing one denies access, or another failure
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777} or {@code size
     *     < 1}
     */
    public static SharedMemory create(IpcKey key, int mode, long size, Option... options)
            throws IpcException {
        requireKey(key);
        return get(key, requireSize(size), SysV.IPC_CREAT | Modes.check(mode) | flags(options));
    }

    /**
     * Creates a new segment of {@code size} bytes for the key, failing if the key already has one
     * ({@code shmget(key, size, IPC_CREAT | IPC_EXCL | mode)}).
     *
     * @param key the key (not {@link IpcKey#PRIVATE})
     * @param mode the permission bits, e.g. {@code 0600}
     * @param size the size in bytes, at least 1
     * @param options creation flags
     * @return the handle
     * @throws io.jipc.AlreadyExistsException if the key has a segment
     * @throws LimitExceededException if a limit ({@code shmmax}, {@code shmall}, {@code shmmni})
     *     forbids the segment
     * @throws IpcException for any other failure (e.g. no huge pages for {@link Option#HUGE_PAGES})
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777} or {@code size
     *     < 1}
     */
    public static SharedMemory createExclusive(IpcKey key, int mode, long size, Option... options)
            throws IpcException {
        requireKey(key);
        return get(
                key,
                requireSize(size),
                SysV.IPC_CREAT | SysV.IPC_EXCL | Modes.check(mode) | flags(options));
    }

    /**
     * Creates a new segment of {@code size} bytes that no key names ({@code IPC_PRIVATE}). Share it
     * by passing {@link #id()} to the other process.
     *
     * @param mode the permission bits, e.g. {@code 0600}
     * @param size the size in bytes, at least 1
     * @param options creation flags
     * @return the handle
     * @throws IpcException as {@link #createExclusive(IpcKey, int, long, Option...)}
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777} or {@code size
     *     < 1}
     */
    public static SharedMemory createPrivate(int mode, long size, Option... options)
            throws IpcException {
        return get(
                IpcKey.PRIVATE,
                requireSize(size),
                SysV.IPC_CREAT | Modes.check(mode) | flags(options));
    }

    // ---- the handle -----------------------------------------------------------------------------

    /**
     * The identifier (shmid), valid in every process of the IPC namespace.
     *
     * @return the shmid
     */
    public int id() {
        return id;
    }

    /**
     * The key the segment was opened or created with ({@link IpcKey#PRIVATE} for a private one, and
     * for one obtained by {@link #ofId} after its removal).
     *
     * @return the key
     */
    public IpcKey key() {
        return key;
    }

    /**
     * The segment's size in bytes (its {@code shm_segsz}), which is the size of every attachment's
     * memory.
     *
     * @return the size
     */
    public long size() {
        return size;
    }

    /**
     * Attaches the segment for reading and writing ({@code shmat(shmid, NULL, 0)}).
     *
     * @return the attachment; close it to detach
     * @throws NotFoundException if the segment no longer exists
     * @throws PermissionDeniedException if the mode does not grant read and write
     * @throws IpcException for any other failure
     */
    public Attachment attach() throws IpcException {
        return attach(false);
    }

    /**
     * Attaches the segment read-only ({@code shmat(shmid, NULL, SHM_RDONLY)}). Its segment is a
     * {@linkplain MemorySegment#asReadOnly() read-only} {@code MemorySegment}: the FFM API refuses
     * a write through it with an exception before touching memory (see {@link Attachment}); the
     * mapping itself is read-only too, so only native code writing there could fault.
     *
     * @return the attachment; close it to detach
     * @throws NotFoundException if the segment no longer exists
     * @throws PermissionDeniedException if the mode does not grant read
     * @throws IpcException for any other failure
     */
    public Attachment attachReadOnly() throws IpcException {
        return attach(true);
    }

    private Attachment attach(boolean readOnly) throws IpcException {
        long address = SysV.shmat(id, readOnly ? SysV.SHM_RDONLY : 0);
        if (address < 0) {
            throw ctlFailure(
                    address,
                    "shmat",
                    readOnly
                            ? "read-only attach needs read permission"
                            : "attach needs read and write permission");
        }
        Arena arena = Arena.ofShared();
        MemorySegment segment;
        try {
            segment = SysV.attached(address, size, arena);
        } catch (RuntimeException | Error e) {
            SysV.shmdt(address);
            arena.close();
            throw e;
        }
        return new Attachment(this, arena, segment, readOnly);
    }

    /**
     * The segment's status ({@code shmctl(IPC_STAT)}).
     *
     * @return the status
     * @throws NotFoundException if the segment no longer exists
     * @throws PermissionDeniedException if the mode does not grant read
     * @throws IpcException for any other failure
     */
    public SharedMemoryStatus status() throws IpcException {
        return stat(id);
    }

    /**
     * Sets the owner and the permission bits in one {@code shmctl(IPC_SET)}: allowed to the owner,
     * the creator and privileged processes.
     *
     * @param uid the new owner user id
     * @param gid the new owner group id
     * @param mode the new permission bits, e.g. {@code 0640}
     * @throws PermissionDeniedException if this process may not change them
     * @throws IpcException for any other failure
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}
     */
    public void setPermissions(int uid, int gid, int mode) throws IpcException {
        Modes.check(mode);
        MemorySegment buf = Native.scratch(Structs.SHMID_DS.byteSize()).fill((byte) 0);
        Structs.shmidDs(buf, uid, gid, mode);
        int r = SysV.shmctl(id, SysV.IPC_SET, buf);
        if (r < 0) {
            throw ctlFailure(
                    r,
                    "shmctl(IPC_SET)",
                    "only the owner, the creator or a privileged process may"
                            + " change the owner and mode");
        }
    }

    /**
     * Changes the owner, keeping the mode ({@code IPC_STAT} then {@code IPC_SET}; not atomic
     * against another process changing the segment at the same time).
     *
     * @param uid the new owner user id
     * @param gid the new owner group id
     * @throws IpcException as {@link #setPermissions}
     */
    public void setOwner(int uid, int gid) throws IpcException {
        setPermissions(uid, gid, status().permissions().permissionBits());
    }

    /**
     * Changes the permission bits, keeping the owner (see {@link #setOwner}).
     *
     * @param mode the new permission bits, e.g. {@code 0640}
     * @throws IpcException as {@link #setPermissions}
     */
    public void setMode(int mode) throws IpcException {
        Modes.check(mode);
        IpcPermissions p = status().permissions();
        setPermissions(p.uid(), p.gid(), mode);
    }

    /**
     * Locks the segment's pages in memory so they are never swapped ({@code shmctl(SHM_LOCK)});
     * needs {@code CAP_IPC_LOCK} or room under {@code RLIMIT_MEMLOCK}. Shows as {@link
     * SharedMemoryStatus#locked()}.
     *
     * @throws IpcException if the kernel refuses
     */
    public void lock() throws IpcException {
        int r = SysV.shmctl(id, SysV.SHM_LOCK, MemorySegment.NULL);
        if (r < 0) {
            throw ctlFailure(
                    r,
                    "shmctl(SHM_LOCK)",
                    "locking needs CAP_IPC_LOCK or room under RLIMIT_MEMLOCK"
                            + " (ulimit -l) for "
                            + size
                            + " bytes");
        }
    }

    /**
     * Undoes {@link #lock()} ({@code shmctl(SHM_UNLOCK)}).
     *
     * @throws IpcException if the kernel refuses
     */
    public void unlock() throws IpcException {
        int r = SysV.shmctl(id, SysV.SHM_UNLOCK, MemorySegment.NULL);
        if (r < 0) {
            throw ctlFailure(r, "shmctl(SHM_UNLOCK)", null);
        }
    }

    /**
     * Removes the segment ({@code shmctl(IPC_RMID)}): the key is released at once, the memory when
     * the last attachment (in any process) is detached. Existing attachments stay valid until
     * closed.
     *
     * @throws NotFoundException if the segment is already gone
     * @throws PermissionDeniedException if this process is neither owner, creator nor privileged
     * @throws IpcException for any other failure
     */
    public void remove() throws IpcException {
        int r = SysV.shmctl(id, SysV.IPC_RMID, MemorySegment.NULL);
        if (r < 0) {
            throw ctlFailure(
                    r,
                    "shmctl(IPC_RMID)",
                    "only the owner, the creator or a privileged process may"
                            + " remove a segment");
        }
    }

    /**
     * The system-wide limits ({@code shmctl(IPC_INFO)}) and usage ({@code shmctl(SHM_INFO)}) of
     * this IPC namespace.
     *
     * @return the figures
     * @throws IpcException if the kernel refuses
     */
    public static SharedMemoryInfo info() throws IpcException {
        Structs.ShmInfo limits = SysvInfo.shmLimits().info();
        SysvInfo.Reply<Structs.ShmUsage> usage = SysvInfo.shmUsage();
        return new SharedMemoryInfo(
                SysvInfo.clampUnsigned(limits.shmmax()),
                SysvInfo.clampUnsigned(limits.shmmin()),
                SysvInfo.clampUnsigned(limits.shmmni()),
                SysvInfo.clampUnsigned(limits.shmseg()),
                SysvInfo.clampUnsigned(limits.shmall()),
                usage.info().used_ids(),
                usage.info().shm_tot(),
                usage.info().shm_rss(),
                usage.info().shm_swp(),
                usage.result());
    }

    /**
     * Segments are equal when they have the same identifier.
     *
     * @param o another object
     * @return whether {@code o} is a segment with the same id
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SharedMemory s && s.id == id;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(id);
    }

    /**
     * A short description.
     *
     * @return e.g. {@code "SharedMemory[shmid 5, key 0x67001234, 4096 bytes]"}
     */
    @Override
    public String toString() {
        return "SharedMemory[shmid " + id + ", key " + key + ", " + size + " bytes]";
    }

    // ---- internals ------------------------------------------------------------------------------

    private static SharedMemory get(IpcKey key, long size, int flags) throws IpcException {
        int id = SysV.shmget(key.value(), size, flags);
        if (id < 0) {
            throw getFailure(id, key, size, flags);
        }
        return new SharedMemory(id, key, stat(id).size());
    }

    private static SharedMemoryStatus stat(int shmid) throws IpcException {
        MemorySegment buf = Native.scratch(Structs.SHMID_DS.byteSize()).fill((byte) 0);
        int r = SysV.shmctl(shmid, SysV.IPC_STAT, buf);
        if (r < 0) {
            throw failure(
                    r,
                    "shmctl(IPC_STAT)",
                    "shmid " + shmid,
                    "reading the status needs read permission");
        }
        return SharedMemoryStatus.of(shmid, Structs.shmidDs(buf));
    }

    private IpcException ctlFailure(long r, String call, String permissionDetail) {
        return failure(r, call, "shmid " + id, permissionDetail);
    }

    /** EINVAL on an id means the id names nothing (never EIDRM for shm). */
    private static IpcException failure(
            long r, String call, String object, String permissionDetail) {
        Errno e = Errno.of((int) -r);
        return switch (e) {
            case EINVAL ->
                    new NotFoundException(
                            call,
                            object,
                            e,
                            "no shared memory segment has this id (removed, or never created)");
            case EACCES, EPERM -> Errors.failure(r, call, object, permissionDetail);
            default -> Errors.failure(r, call, object, null);
        };
    }

    private static IpcException getFailure(int r, IpcKey key, long size, int flags) {
        Errno e = Errno.of(-r);
        String object = key.isPrivate() ? "IPC_PRIVATE" : "key " + key;
        boolean creating = (flags & SysV.IPC_CREAT) != 0;
        boolean huge = (flags & SysV.SHM_HUGETLB) != 0;
        String asked = "segment of " + size + " bytes";
        switch (e) {
            case ENOENT:
                return Errors.failure(r, "shmget", object, "no shared memory segment has this key");
            case EEXIST:
                return Errors.failure(
                        r, "shmget", object, "a shared memory segment already has this key");
            case EACCES:
                return Errors.failure(
                        r, "shmget", object, "the segment's mode denies this process access");
            case EINVAL:
                if (creating && (flags & SysV.IPC_EXCL) == 0 && !key.isPrivate()) {
                    int existing = SysV.shmget(key.value(), 0, 0);
                    if (existing >= 0) {
                        try {
                            long has = stat(existing).size();
                            if (has < size) {
                                return new IpcException(
                                        "shmget",
                                        object,
                                        e,
                                        "the existing segment (shmid "
                                                + existing
                                                + ") has "
                                                + has
                                                + " bytes, fewer than the "
                                                + size
                                                + " asked for; shmget cannot grow a segment");
                            }
                        } catch (IpcException ignored) {
                            // fall through to the generic explanation
                        }
                    }
                }
                if (creating) {
                    return new LimitExceededException(
                            "shmget",
                            object,
                            e,
                            asked + " is above the largest segment",
                            Limit.SHMMAX,
                            Limit.SHMMAX.value());
                }
                return Errors.failure(r, "shmget", object, null);
            case ENOSPC:
                try {
                    SharedMemoryInfo info = info();
                    if (info.segmentsInUse() >= info.maxSegments()) {
                        return new LimitExceededException(
                                "shmget",
                                object,
                                e,
                                "no segment ids left",
                                Limit.SHMMNI,
                                Limit.SHMMNI.value());
                    }
                    return new LimitExceededException(
                            "shmget",
                            object,
                            e,
                            asked
                                    + " would take all segments to "
                                    + (info.totalPages() + pages(size))
                                    + " pages, above the system total",
                            Limit.SHMALL,
                            Limit.SHMALL.value());
                } catch (IpcException ignored) {
                    return new LimitExceededException(
                            "shmget", object, e, asked, Limit.SHMALL, Limit.SHMALL.value());
                }
            case ENOMEM:
                if (huge) {
                    return new IpcException(
                            "shmget",
                            object,
                            e,
                            "no huge pages for a "
                                    + asked
                                    + ": "
                                    + hugePageFigures()
                                    + " (reserve some in /proc/sys/vm/nr_hugepages)");
                }
                return new IpcException("shmget", object, e, "not enough memory for a " + asked);
            case EPERM:
                if (huge) {
                    return Errors.failure(
                            r,
                            "shmget",
                            object,
                            "huge pages need CAP_IPC_LOCK or membership of"
                                    + " the group in /proc/sys/vm/hugetlb_shm_group");
                }
                return Errors.failure(r, "shmget", object, null);
            default:
                return Errors.failure(r, "shmget", object, null);
        }
    }

    private static long pages(long size) {
        return (size + 4095) / 4096;
    }

    private static String hugePageFigures() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
            StringBuilder b = new StringBuilder();
            for (String l : lines) {
                if (l.startsWith("HugePages_Total")
                        || l.startsWith("HugePages_Free")
                        || l.startsWith("Hugepagesize")) {
                    if (!b.isEmpty()) {
                        b.append(", ");
                    }
                    b.append(l.replaceAll("\\s+", " "));
                }
            }
            return b.isEmpty() ? "no huge page figures in /proc/meminfo" : b.toString();
        } catch (IOException ex) {
            return "cannot read /proc/meminfo";
        }
    }

    private static void requireKey(IpcKey key) {
        if (key == null) {
            throw new NullPointerException("key");
        }
        if (key.isPrivate()) {
            throw new IllegalArgumentException(
                    "key=IPC_PRIVATE (use createPrivate, or ofId with the shmid)");
        }
    }

    private static long requireSize(long size) {
        if (size < 1) {
            throw new IllegalArgumentException("size=" + size + " (a segment has at least 1 byte)");
        }
        return size;
    }

    private static int flags(Option... options) {
        int f = 0;
        for (Option o : options) {
            f |= o.flags;
        }
        return f;
    }
}
