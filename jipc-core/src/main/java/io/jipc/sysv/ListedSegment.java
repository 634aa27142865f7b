package io.jipc.sysv;

import java.util.List;
import java.util.Set;

/**
 * A shared memory segment as {@link SysvObjects#list()} saw it: its status ({@code struct
 * shmid_ds}, {@man shmctl(2)}) and which of its recorded pids were dead.
 *
 * @param status the segment's status at listing time
 * @param deadPids the recorded pids that were not alive at listing time
 */
public record ListedSegment(SharedMemoryStatus status, Set<Integer> deadPids)
        implements SysvObject {

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
        return SysvObjects.nonZero(status.creatorPid(), status.lastPid());
    }

    /** {@return whether every recorded pid is dead and nothing is attached} */
    @Override
    public boolean orphan() {
        return status.attachCount() == 0 && SysvObject.super.orphan();
    }
}
