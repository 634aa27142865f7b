package io.jipc.posix;

import io.jipc.AlreadyExistsException;
import io.jipc.IpcException;
import io.jipc.NotFoundException;
import io.jipc.PermissionDeniedException;
import io.jipc.internal.Modes;
import io.jipc.internal.linux.Mqueue;
import io.jipc.internal.linux.PosixSem;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A named POSIX semaphore ({@man sem_open(3)}, {@man sem_close(3)}, {@man sem_unlink(3)}), opened
 * by glibc itself: a C program calling {@code sem_open} with the same name uses the same {@code
 * sem_t}, mapped from the file {@code /dev/shm/sem.NAME}.
 *
 * <pre>{@code
 * try (NamedSemaphore mutex = NamedSemaphore.create("/counter-lock", 0600, 1)) {
 *     mutex.acquire();                  // sem_wait
 *     try { ... } finally { mutex.release(); }   // sem_post
 * }
 * NamedSemaphore.unlink("/counter-lock");
 * }</pre>
 *
 * <p><b>Names and creation.</b> {@code "/"} then 1 to 251 bytes without another {@code '/'} (glibc
 * prefixes {@code "sem."} within {@code NAME_MAX}); checked before any call. {@link #open} opens an
 * existing one, {@link #create} creates or opens (and says which: {@link #created()}; the initial
 * value is set only by the creator, so processes that race to create meet on one semaphore whose
 * value was set once), {@link #createExclusive} fails with {@link AlreadyExistsException} if it
 * exists. A new semaphore gets exactly the mode asked for (the umask does not narrow it, unlike C's
 * {@code sem_open}).
 *
 * <p><b>Lifetime.</b> The semaphore lives until {@link #unlink(String)} removes its name and every
 * process has closed it (or the system reboots). {@link #close()} ({@code sem_close}) unmaps it
 * from this process only and is idempotent; it fails with {@link IllegalStateException} while
 * another thread is inside a call on it (a wait), as closing an attachment does. After it, every
 * operation is an {@link IllegalStateException}.
 *
 * <p>The operations, their blocking and interrupt behaviour: see {@link PosixSemaphore}.
 */
public final class NamedSemaphore extends PosixSemaphore {
    /** Longest name after the slash: {@code NAME_MAX} less the {@code "sem."} prefix. */
    static final int NAME_BYTES = PosixNames.NAME_MAX - 4;

    private final String name;
    private final boolean created;
    private final Arena arena;
    private final MemorySegment sem;

    private NamedSemaphore(String name, long address, boolean created) {
        this.name = name;
        this.created = created;
        this.arena = Arena.ofShared();
        this.sem = PosixSem.opened(address, arena);
    }

    /**
     * Opens an existing named semaphore ({@code sem_open(name, 0)}).
     *
     * @param name the name, e.g. {@code "/counter-lock"}
     * @return the semaphore
     * @throws NotFoundException if no semaphore has the name
     * @throws PermissionDeniedException if its mode does not grant read and write
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException for a bad name
     */
    public static NamedSemaphore open(String name) throws IpcException {
        PosixNames.check(name, NAME_BYTES);
        long r = PosixSem.sem_open(name, 0, 0, 0);
        if (r < 0) {
            throw PosixErrors.open(r, "sem_open", name, "semaphore", "read and write");
        }
        return new NamedSemaphore(name, r, false);
    }

    /**
     * Opens the named semaphore, creating it with exactly {@code mode} and {@code initialValue} if
     * there is none ({@code sem_open(name, O_CREAT | O_EXCL, ...)}, then {@code sem_open(name, 0)}
     * if it existed).
     *
     * @param name the name, e.g. {@code "/counter-lock"}
     * @param mode the permission bits of a new semaphore, e.g. {@code 0600}
     * @param initialValue the value of a new semaphore, 0 to {@link #MAX_VALUE}
     * @return the semaphore; {@link #created()} says whether it is new
     * @throws PermissionDeniedException if it exists and its mode denies read and write
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException for a bad name, mode or value
     */
    public static NamedSemaphore create(String name, int mode, int initialValue)
            throws IpcException {
        return create(name, mode, initialValue, false);
    }

    /**
     * Creates a new named semaphore with exactly {@code mode} and {@code initialValue}, failing if
     * the name has one ({@code sem_open(name, O_CREAT | O_EXCL, mode, value)}).
     *
     * @param name the name, e.g. {@code "/counter-lock"}
     * @param mode the permission bits, e.g. {@code 0600}
     * @param initialValue the value, 0 to {@link #MAX_VALUE}
     * @return the new semaphore
     * @throws AlreadyExistsException if a semaphore has the name
     * @throws IpcException on any other failure
     * @throws IllegalArgumentException for a bad name, mode or value
     */
    public static NamedSemaphore createExclusive(String name, int mode, int initialValue)
            throws IpcException {
        return create(name, mode, initialValue, true);
    }

    private static NamedSemaphore create(String name, int mode, int initialValue, boolean exclusive)
            throws IpcException {
        PosixNames.check(name, NAME_BYTES);
        Modes.check(mode);
        value(initialValue);
        Creation c =
                Creation.createOrOpen(
                        () ->
                                PosixSem.sem_open(
                                        name, Mqueue.O_CREAT | Mqueue.O_EXCL, mode, initialValue),
                        () -> PosixSem.sem_open(name, 0, 0, 0),
                        exclusive);
        if (c.result() < 0) {
            throw PosixErrors.open(c.result(), "sem_open", name, "semaphore", "read and write");
        }
        NamedSemaphore s = new NamedSemaphore(name, c.result(), c.created());
        if (c.created()) {
            s.exactMode(mode);
        }
        return s;
    }

    private void exactMode(int mode) throws IpcException {
        try {
            FileAttrs.set(file(name), name, -1, -1, mode);
        } catch (IpcException e) {
            close();
            throw e;
        }
    }

    /** The file glibc keeps a named semaphore in. */
    static Path file(String name) {
        return Path.of("/dev/shm", "sem." + name.substring(1));
    }

    /**
     * Removes a semaphore's name ({@man sem_unlink(3)}): no one can open it any more; processes
     * that have it open keep using it until they close it.
     *
     * @param name the name, e.g. {@code "/counter-lock"}
     * @throws NotFoundException if no semaphore has the name
     * @throws PermissionDeniedException if this user may not remove it
     * @throws IpcException on any other failure
     */
    public static void unlink(String name) throws IpcException {
        PosixNames.check(name, NAME_BYTES);
        int r = PosixSem.sem_unlink(name);
        if (r < 0) {
            throw PosixErrors.open(r, "sem_unlink", name, "semaphore", "removal");
        }
    }

    /**
     * Removes this semaphore's name; see {@link #unlink(String)}. This handle stays usable.
     *
     * @throws IpcException as {@link #unlink(String)}
     */
    public void unlink() throws IpcException {
        unlink(name);
    }

    /**
     * The semaphore's name, e.g. {@code "/counter-lock"}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Whether this call created the semaphore (and so set its initial value).
     *
     * @return true if new
     */
    public boolean created() {
        return created;
    }

    /**
     * Whether {@link #close()} has not been called.
     *
     * @return true while open
     */
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    @Override
    MemorySegment sem() {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("semaphore " + name + " is closed");
        }
        return sem;
    }

    @Override
    String object() {
        return name;
    }

    /**
     * Unmaps the semaphore from this process ({@man sem_close(3)}); it lives on for the others.
     * Idempotent.
     *
     * @throws IllegalStateException if another thread is inside a call on it
     */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            try {
                arena.close();
            } catch (IllegalStateException alreadyClosed) {
                if (arena.scope().isAlive()) {
                    throw new IllegalStateException(
                            "semaphore "
                                    + name
                                    + " is in use by a call in another thread;"
                                    + " close it when no thread waits on it",
                            alreadyClosed);
                }
            }
        }
    }

    /**
     * The semaphore's owner, mode ({@man stat(2)} of {@code /dev/shm/sem.NAME}) and value now.
     *
     * @return the status
     * @throws NotFoundException if its name was unlinked
     * @throws IpcException if a call fails
     * @throws IllegalStateException if closed
     */
    public NamedSemaphoreStatus status() throws IpcException {
        int value = value();
        FileAttrs a = FileAttrs.of(file(name), name);
        return new NamedSemaphoreStatus(name, a.uid(), a.gid(), a.mode(), value);
    }

    /**
     * Changes owner, group and mode of {@code /dev/shm/sem.NAME} at once: the owner and group need
     * a privileged process, the mode the owner.
     *
     * @param uid the new owner
     * @param gid the new group
     * @param mode the new permission bits, e.g. {@code 0640}
     * @throws PermissionDeniedException if this process may not
     * @throws NotFoundException if the name was unlinked
     * @throws IpcException on any other failure
     */
    public void setPermissions(int uid, int gid, int mode) throws IpcException {
        FileAttrs.set(file(name), name, uid, gid, Modes.check(mode));
    }

    /**
     * Changes owner and group, keeping the mode.
     *
     * @param uid the new owner
     * @param gid the new group
     * @throws IpcException as {@link #setPermissions}
     */
    public void setOwner(int uid, int gid) throws IpcException {
        FileAttrs.set(file(name), name, uid, gid, -1);
    }

    /**
     * Changes the mode, keeping the owner.
     *
     * @param mode the new permission bits, e.g. {@code 0640}
     * @throws IpcException as {@link #setPermissions}
     */
    public void setMode(int mode) throws IpcException {
        FileAttrs.set(file(name), name, -1, -1, Modes.check(mode));
    }

    /**
     * Equal if both name the same semaphore (their names are equal).
     *
     * @param o the other object
     * @return true if the same name
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof NamedSemaphore s && s.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "NamedSemaphore[name=" + name + (isOpen() ? "" : ", closed") + "]";
    }
}
