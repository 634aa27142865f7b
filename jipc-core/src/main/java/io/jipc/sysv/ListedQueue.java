package io.jipc.sysv;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A message queue as {@link SysvObjects#list()} saw it ({@code struct msqid_ds}, {@man msgctl(2)}).
 *
 * @param id the msqid
 * @param permissions owner, creator, mode and key
 * @param messages the number of messages on the queue ({@code msg_qnum})
 * @param bytes the bytes in those messages ({@code msg_cbytes}; {@code ipcs}' "used-bytes")
 * @param maxBytes the most bytes the queue may hold ({@code msg_qbytes})
 * @param lastSendPid the pid of the last {@code msgsnd}, 0 if none ({@code msg_lspid})
 * @param lastReceivePid the pid of the last {@code msgrcv}, 0 if none ({@code msg_lrpid})
 * @param lastSend the time of the last {@code msgsnd}, {@link Instant#EPOCH} if never
 * @param lastReceive the time of the last {@code msgrcv}, {@link Instant#EPOCH} if never
 * @param lastChange the time of creation or of the last {@code IPC_SET}
 * @param deadPids the recorded pids that were not alive at listing time
 */
public record ListedQueue(int id, IpcPermissions permissions, long messages, long bytes, long maxBytes,
                          int lastSendPid, int lastReceivePid, Instant lastSend, Instant lastReceive,
                          Instant lastChange, Set<Integer> deadPids) implements SysvObject {

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
        return SysvObjects.nonZero(lastSendPid, lastReceivePid);
    }
}
