package io.jipc.sysv;

/**
 * System-wide use of System V IPC in this IPC namespace, like {@code ipcs -u}: what {@code
 * msgctl(MSG_INFO)}, {@code semctl(SEM_INFO)} and {@code shmctl(SHM_INFO)} report.
 *
 * @param queues the message queues that exist ({@code msginfo.msgpool})
 * @param messages the messages on all queues ({@code msginfo.msgmap})
 * @param messageBytes the bytes in all those messages ({@code msginfo.msgtql})
 * @param semaphoreSets the semaphore sets that exist ({@code seminfo.semusz})
 * @param semaphores the semaphores in all sets ({@code seminfo.semaem})
 * @param segments the segments that exist ({@code shm_info.used_ids})
 * @param segmentPages the pages of all segments ({@code shm_info.shm_tot})
 * @param residentPages the resident pages ({@code shm_info.shm_rss})
 * @param swappedPages the swapped pages ({@code shm_info.shm_swp})
 */
public record SysvUsage(
        int queues,
        long messages,
        long messageBytes,
        int semaphoreSets,
        long semaphores,
        int segments,
        long segmentPages,
        long residentPages,
        long swappedPages) {}
