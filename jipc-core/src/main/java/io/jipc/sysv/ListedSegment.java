package io.jipc.sysv;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A shared memory segment as {@link SysvObjects#list()} saw it ({@code struct shmid_ds},
 * {@man shmctl(2)}).
 *
 * @param id the shmid
 * @param permissions owner, creator, mode and key; the mode keeps the {@code SHM_DEST} (01000)
 *        and {@code SHM_LOCKED} (02000) bits
 * @param size the size in bytes ({@code shm_segsz})
 * @param attachCount the attachments in all processes ({@code shm_nattch})
 * @param creatorPid the pid that created it ({@code shm_cpid})
 * @param lastPid the pid of the last {@code shmat}/{@code shmdt}, 0 if none ({@code shm_lpid})
 * @param lastAttach the time of the last {@code shmat}, {@link Instant#EPOCH} if never
 * @param lastDetach the time of the last {@code shmdt}, {@link Instant#EPOCH} if never
 * @param lastChange the time of creation or of the last {@code IPC_SET}
 * @param deadPids the recorded pids that were not alive at listing time
 */
public record ListedSegment(int id, IpcPermissions permissions, long size, long attachCount, int creatorPid,
                            int lastPid, Instant lastAttach, Instant lastDetach, Instant lastChange,
                            Set<Integer> deadPids) implements SysvObject {

    /** Copies the set. */
    public ListedSegment {
        deadPids = Set.copyOf(deadPids);
    }

    /** {@return {@link SysvKind#SHM}} */
    @Override
    public SysvKind kind() {
        return SysvKind.SHM;
    }

    /** {@return the non-zero creator and last pids} */
    @Override
    public List<Integer> pids() {
        return SysvObjects.nonZero(creatorPid, lastPid);
    }

    /**
     * Whether the segment was removed while still attached ({@code SHM_DEST}): its key is now
     * private, nobody can find it by key, and the kernel destroys it at the last detach.
     *
     * @return true if removal is pending
     */
    public boolean removalPending() {
        return (permissions.mode() & 01000) != 0;
    }

    /**
     * Whether the segment is locked in memory ({@code SHM_LOCKED}).
     *
     * @return true if locked
     */
    public boolean locked() {
        return (permissions.mode() & 02000) != 0;
    }

    /** {@return whether every recorded pid is dead and nothing is attached} */
    @Override
    public boolean orphan() {
        return attachCount == 0 && SysvObject.super.orphan();
    }
}
