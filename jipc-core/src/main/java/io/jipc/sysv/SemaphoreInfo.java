package io.jipc.sysv;

/**
 * System-wide semaphore limits and usage: C's {@code struct seminfo} as {@code semctl(IPC_INFO)}
 * (limits) and {@code semctl(SEM_INFO)} (usage) report it (see {@man semctl(2)}). The limits are
 * also in {@code /proc/sys/kernel/sem}; see {@link io.jipc.Limit}.
 *
 * @param maxSets the most sets on the system ({@code semmni})
 * @param maxSemaphores the most semaphores on the system ({@code semmns})
 * @param maxSetSize the most semaphores in one set ({@code semmsl})
 * @param maxOperations the most operations in one {@code semop} ({@code semopm})
 * @param maxValue the largest value a semaphore may hold ({@code semvmx})
 * @param maxUndo the largest undo adjustment a process may accumulate on one semaphore ({@code
 *     semaem})
 * @param setsInUse the sets that exist now (SEM_INFO's {@code semusz})
 * @param semaphoresInUse the semaphores in all sets now (SEM_INFO's {@code semaem})
 * @param highestIndex the highest used index in the kernel's set table (SEM_INFO's result; also 0
 *     when there is no set)
 */
public record SemaphoreInfo(
        long maxSets,
        long maxSemaphores,
        long maxSetSize,
        long maxOperations,
        long maxValue,
        long maxUndo,
        long setsInUse,
        long semaphoresInUse,
        int highestIndex) {}
