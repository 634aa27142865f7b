package io.jipc.sysv;

import java.util.List;
import java.util.Set;

/**
 * A semaphore set as {@link SysvObjects#list()} saw it: its status ({@code struct semid_ds}, {@man
 * semctl(2)}), the values and last pids of its semaphores ({@code GETALL}, {@code GETPID}) when the
 * caller may read them, and which of those pids were dead.
 *
 * @param status the set's status at listing time
 * @param values each semaphore's value, or empty if the caller lacks read permission
 * @param lastPids each semaphore's last operating pid ({@code sempid}, 0 if none), or empty if the
 *     caller lacks read permission
 * @param deadPids the recorded pids that were not alive at listing time
 */
public record ListedSemaphoreSet(
        SemaphoreSetStatus status,
        List<Integer> values,
        List<Integer> lastPids,
        Set<Integer> deadPids)
        implements SysvObject {

    /** Copies the collections. */
    public ListedSemaphoreSet {
        values = List.copyOf(values);
        lastPids = List.copyOf(lastPids);
        deadPids = Set.copyOf(deadPids);
    }

    /** {@return {@link SysvKind#SEM}} */
    @Override
    public SysvKind kind() {
        return SysvKind.SEM;
    }

    /** {@return the distinct non-zero {@link #lastPids()}} */
    @Override
    public List<Integer> pids() {
        return SysvObjects.nonZero(lastPids.stream().mapToInt(Integer::intValue).toArray());
    }
}
