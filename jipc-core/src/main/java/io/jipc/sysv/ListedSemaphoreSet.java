package io.jipc.sysv;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A semaphore set as {@link SysvObjects#list()} saw it ({@code struct semid_ds}, {@man semctl(2)}), with
 * the values and last pids of its semaphores ({@code GETALL}, {@code GETPID}) when the caller may
 * read them.
 *
 * @param id the semid
 * @param permissions owner, creator, mode and key
 * @param count the number of semaphores in the set ({@code sem_nsems})
 * @param values each semaphore's value, or empty if the caller lacks read permission
 * @param lastPids each semaphore's last operating pid ({@code sempid}, 0 if none), or empty
 *        if the caller lacks read permission
 * @param lastOperation the time of the last {@code semop}, {@link Instant#EPOCH} if never
 *        ({@code sem_otime})
 * @param lastChange the time of creation or of the last {@code IPC_SET}/{@code SETVAL}/{@code SETALL}
 * @param deadPids the recorded pids that were not alive at listing time
 */
public record ListedSemaphoreSet(int id, IpcPermissions permissions, int count, List<Integer> values,
                                 List<Integer> lastPids, Instant lastOperation, Instant lastChange,
                                 Set<Integer> deadPids) implements SysvObject {

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
