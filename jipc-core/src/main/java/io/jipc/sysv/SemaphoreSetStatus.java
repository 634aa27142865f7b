package io.jipc.sysv;

import java.time.Instant;
import java.util.Optional;

/**
 * The status of a semaphore set: C's {@code struct semid_ds} as {@code semctl(IPC_STAT)} reports
 * it (see {@man semctl(2)}).
 *
 * @param id the set's identifier ({@code semid})
 * @param permissions owner, creator and mode ({@code sem_perm})
 * @param nsems the number of semaphores ({@code sem_nsems})
 * @param lastOperation the time of the last successful {@code semop} ({@code sem_otime}), empty
 *        if none was ever made; jipc's creators make one as the "initialised" mark
 * @param lastChange the time of creation or of the last {@code IPC_SET}/{@code SETVAL}/
 *        {@code SETALL} ({@code sem_ctime})
 */
public record SemaphoreSetStatus(int id, IpcPermissions permissions, int nsems,
                                 Optional<Instant> lastOperation, Instant lastChange) {

    /**
     * Whether a {@code semop} has ever succeeded on the set, the sign (in the {@code sem_otime}
     * recipe that jipc and Stevens' C programs follow) that its creator has initialised it.
     *
     * @return {@code lastOperation().isPresent()}
     */
    public boolean initialised() {
        return lastOperation.isPresent();
    }
}
