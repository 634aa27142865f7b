package io.jipc.sysv;

import io.jipc.internal.linux.Structs;

import java.time.Instant;

/**
 * What {@code shmctl(IPC_STAT)} reports about a segment: C's {@code struct shmid_ds} (see {@man
 * shmctl(2)}).
 *
 * <p>A removed segment that some process still has attached keeps reporting its status: its {@link
 * #removalPending()} is true and its key has become {@code IPC_PRIVATE}, until the last detach
 * destroys it.
 *
 * @param id the segment's identifier (shmid)
 * @param permissions owner, creator and mode ({@code shm_perm}); the mode carries the kernel's
 *     {@code SHM_DEST} (01000) and {@code SHM_LOCKED} (02000) bits above the permission bits
 * @param size the size in bytes the segment was created with ({@code shm_segsz})
 * @param attachCount how many attachments exist, in all processes ({@code shm_nattch})
 * @param creatorPid the process that created the segment ({@code shm_cpid})
 * @param lastPid the process of the last {@code shmat} or {@code shmdt} ({@code shm_lpid})
 * @param lastAttach the time of the last {@code shmat}, or {@link Instant#EPOCH} if never ({@code
 *     shm_atime})
 * @param lastDetach the time of the last {@code shmdt}, or {@link Instant#EPOCH} if never ({@code
 *     shm_dtime})
 * @param lastChange the time of creation or of the last {@code IPC_SET} ({@code shm_ctime})
 */
public record SharedMemoryStatus(
        int id,
        IpcPermissions permissions,
        long size,
        long attachCount,
        int creatorPid,
        int lastPid,
        Instant lastAttach,
        Instant lastDetach,
        Instant lastChange)
        implements SysvStatus {

    static SharedMemoryStatus of(int id, Structs.ShmidDs ds) {
        return new SharedMemoryStatus(
                id,
                IpcPermissions.of(ds.shm_perm()),
                ds.shm_segsz(),
                ds.shm_nattch(),
                ds.shm_cpid(),
                ds.shm_lpid(),
                Instant.ofEpochSecond(ds.shm_atime()),
                Instant.ofEpochSecond(ds.shm_dtime()),
                Instant.ofEpochSecond(ds.shm_ctime()));
    }

    /**
     * Whether the segment was removed ({@code IPC_RMID}) while attached somewhere, and so is
     * destroyed at the last detach ({@code SHM_DEST} in the mode).
     *
     * @return true if removal is pending
     */
    public boolean removalPending() {
        return (permissions.mode() & 01000) != 0;
    }

    /**
     * Whether the segment is locked in memory ({@code SHM_LOCKED} in the mode, set by {@link
     * SharedMemory#lock()}).
     *
     * @return true if locked
     */
    public boolean locked() {
        return (permissions.mode() & 02000) != 0;
    }
}
