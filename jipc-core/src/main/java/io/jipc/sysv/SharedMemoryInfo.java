package io.jipc.sysv;

/**
 * System-wide shared memory limits ({@code shmctl(IPC_INFO)}, {@code struct shminfo}) and usage
 * ({@code shmctl(SHM_INFO)}, {@code struct shm_info}); see {@man shmctl(2)} and {@man proc(5)}. The
 * limits are the sysctls {@code kernel.shmmax}, {@code kernel.shmall} and {@code kernel.shmmni},
 * per IPC namespace; see {@link io.jipc.Limit}. Unsigned values above {@code Long.MAX_VALUE} (the
 * kernel's "unlimited" defaults) are reported as {@code Long.MAX_VALUE}.
 *
 * @param maxSegmentBytes the largest segment, in bytes ({@code shmmax})
 * @param minSegmentBytes the smallest segment, in bytes ({@code shmmin}, always 1)
 * @param maxSegments the most segments on the system ({@code shmmni})
 * @param maxSegmentsPerProcess the most attachments per process ({@code shmseg}; not enforced by
 *     Linux)
 * @param maxTotalPages the most pages all segments may take together ({@code shmall})
 * @param segmentsInUse the segments that exist now ({@code used_ids})
 * @param totalPages the pages all segments take now ({@code shm_tot})
 * @param residentPages how many of those are resident ({@code shm_rss})
 * @param swappedPages how many of those are swapped out ({@code shm_swp})
 * @param highestIndex the highest used index in the kernel's segment table (SHM_INFO's result; also
 *     0 when there is no segment)
 */
public record SharedMemoryInfo(
        long maxSegmentBytes,
        long minSegmentBytes,
        long maxSegments,
        long maxSegmentsPerProcess,
        long maxTotalPages,
        long segmentsInUse,
        long totalPages,
        long residentPages,
        long swappedPages,
        int highestIndex) {}
