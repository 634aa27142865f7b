package io.jipc.sysv;

import java.util.List;
import java.util.Set;

/**
 * A message queue as {@link SysvObjects#list()} saw it: its status ({@code struct msqid_ds}, {@man
 * msgctl(2)}) and which of its recorded pids were dead.
 *
 * @param status the queue's status at listing time
 * @param deadPids the recorded pids that were not alive at listing time
 */
public record ListedQueue(MessageQueueStatus status, Set<Integer> deadPids) implements SysvObject {

    /** Copies the set. */
    public ListedQueue {
        deadPids = Set.copyOf(deadPids);
    }

    /** {@return {@link SysvKind#MSG}} */
    @Override
    public SysvKind kind() {
        return SysvKind.MSG;
    }

    /** {@return the non-zero last sender and last receiver pids} */
    @Override
    public List<Integer> pids() {
        return SysvObjects.nonZero(status.lastSendPid(), status.lastReceivePid());
    }
}
