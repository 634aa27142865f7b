package io.jipc.sysv;

/**
 * System-wide semaphore limits and usage: C's {@code struct seminfo} as {@code semctl(IPC_INFO)}
 * (limits) and {@code semctl(SEM_INFO)} (usage) report it (see {@man semctl(2)}). The limits are also
 * in {@code /proc/sys/kernel/sem}; see {@link io.jipc.Limit}.
 *
 * @param semmni the maximum number of sets
 * @param semmns the maximum number of semaphores on the system
 * @param semmsl the maximum number of semaphores in one set
 * @param semopm the maximum number of operations in one {@code semop}
 * @param semvmx the largest value a semaphore may hold
 * @param semaem the largest undo adjustment a process may accumulate on one semaphore
 * @param setsInUse the number of sets that exist now ({@code semusz} of SEM_INFO)
 * @param semaphoresInUse the number of semaphores in all sets now ({@code semaem} of SEM_INFO)
 */
public record SemaphoreInfo(int semmni, int semmns, int semmsl, int semopm, int semvmx, int semaem,
                            int setsInUse, int semaphoresInUse) {
}
