package io.jipc.cli;

import io.jipc.IpcException;
import io.jipc.posix.NamedSemaphoreStatus;
import io.jipc.posix.PosixMessageQueueStatus;
import io.jipc.posix.PosixObjects;
import io.jipc.posix.PosixSharedMemoryStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * The POSIX objects {@code jipc ls} shows, filtered by {@code --owner}.
 *
 * @param queues the message queues, or null when they cannot be listed
 * @param whyNoQueues why, when {@code queues} is null
 * @param shm the shared memory objects
 * @param sems the named semaphores
 */
record PosixListing(
        List<PosixMessageQueueStatus> queues,
        String whyNoQueues,
        List<PosixSharedMemoryStatus> shm,
        List<NamedSemaphoreStatus> sems) {
    /** Nothing (POSIX objects not asked for). */
    static final PosixListing NONE = new PosixListing(List.of(), null, List.of(), List.of());

    /**
     * Lists them.
     *
     * @param filter {@code --owner}
     * @return the listing
     * @throws IpcException if /dev/shm cannot be read
     */
    static PosixListing of(SysvFilter filter) throws IpcException {
        List<PosixMessageQueueStatus> queues = null;
        String why = null;
        if (PosixObjects.mqueueMount().isEmpty()) {
            why = PosixObjects.MOUNT_HINT;
        } else {
            try {
                queues =
                        PosixObjects.queues().stream()
                                .filter(q -> filter.ownerMatches(q.uid()))
                                .toList();
            } catch (IpcException e) {
                why = e.getMessage();
            }
        }
        return new PosixListing(
                queues,
                why,
                PosixObjects.sharedMemory().stream()
                        .filter(s -> filter.ownerMatches(s.uid()))
                        .toList(),
                PosixObjects.semaphores().stream()
                        .filter(s -> filter.ownerMatches(s.uid()))
                        .toList());
    }

    /**
     * Whether nothing is listed.
     *
     * @return true if empty
     */
    boolean isEmpty() {
        return (queues == null || queues.isEmpty()) && shm.isEmpty() && sems.isEmpty();
    }

    /**
     * The {@code --json} objects of every POSIX object listed.
     *
     * @return the objects
     */
    List<Object> json() {
        List<Object> out = new ArrayList<>();
        if (queues != null) {
            queues.forEach(q -> out.add(PosixView.json(q)));
        }
        shm.forEach(s -> out.add(PosixView.json(s)));
        sems.forEach(s -> out.add(PosixView.json(s)));
        return out;
    }
}
