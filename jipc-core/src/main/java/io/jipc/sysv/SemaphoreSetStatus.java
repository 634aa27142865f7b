package io.jipc.sysv;

import io.jipc.internal.linux.Structs;

import java.time.Instant;

/**
 * The status of a semaphore set: C's {@code struct semid_ds} as {@code semctl(IPC_STAT)} reports it
 * (see {@man semctl(2)}). Times the kernel has not set yet are {@link Instant#EPOCH}, as C sees 0.
 *
 * @param id the set's identifier ({@code semid})
 * @param permissions owner, creator and mode ({@code sem_perm})
 * @param size the number of semaphores in the set ({@code sem_nsems})
 * @param lastOperation the time of the last successful {@code semop} ({@code sem_otime}), {@link
 *     Instant#EPOCH} if none was ever made; jipc's creators make one as the "initialised" mark
 * @param lastChange the time of creation or of the last {@code IPC_SET}/{@code SETVAL}/ {@code
 *     SETALL} ({@code sem_ctime})
 */
public record SemaphoreSetStatus(
        int id, IpcPermissions permissions, int size, Instant lastOperation, Instant lastChange)
        implements SysvStatus {

    static SemaphoreSetStatus of(int id, Structs.SemidDs ds) {
        return new SemaphoreSetStatus(
                id,
                IpcPermissions.of(ds.sem_perm()),
                (int) ds.sem_nsems(),
                Instant.ofEpochSecond(ds.sem_otime()),
                Instant.ofEpochSecond(ds.sem_ctime()));
    }

    /**
     * Whether a {@code semop} has ever succeeded on the set, the sign (in the {@code sem_otime}
     * recipe that jipc and Stevens' C programs follow) that its creator has initialised it.
     *
     * @return {@code !lastOperation().equals(Instant.EPOCH)}
     */
    public boolean initialised() {
        return !lastOperation.equals(Instant.EPOCH);
    }
}
