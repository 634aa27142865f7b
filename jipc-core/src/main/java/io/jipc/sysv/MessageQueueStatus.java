package io.jipc.sysv;

import io.jipc.internal.linux.Structs;

import java.time.Instant;

/**
 * A message queue's {@code struct msqid_ds} as {@code msgctl(IPC_STAT)} reports it ({@man
 * msgctl(2)}). Times the kernel has not set yet (no message sent or received so far) are {@link
 * Instant#EPOCH}, as C sees 0.
 *
 * @param id the queue's identifier (msqid)
 * @param permissions {@code msg_perm}: key, owner, creator, mode
 * @param messages {@code msg_qnum}: messages on the queue now
 * @param bytes {@code __msg_cbytes}: body bytes on the queue now
 * @param maxBytes {@code msg_qbytes}: the most body bytes the queue may hold
 * @param lastSendPid {@code msg_lspid}: the process of the last msgsnd, 0 if none
 * @param lastReceivePid {@code msg_lrpid}: the process of the last msgrcv, 0 if none
 * @param lastSend {@code msg_stime}: the time of the last msgsnd
 * @param lastReceive {@code msg_rtime}: the time of the last msgrcv
 * @param lastChange {@code msg_ctime}: the time of creation or of the last IPC_SET
 */
public record MessageQueueStatus(
        int id,
        IpcPermissions permissions,
        long messages,
        long bytes,
        long maxBytes,
        int lastSendPid,
        int lastReceivePid,
        Instant lastSend,
        Instant lastReceive,
        Instant lastChange)
        implements SysvStatus {

    static MessageQueueStatus of(int id, Structs.MsqidDs ds) {
        return new MessageQueueStatus(
                id,
                IpcPermissions.of(ds.msg_perm()),
                ds.msg_qnum(),
                ds.msg_cbytes(),
                ds.msg_qbytes(),
                ds.msg_lspid(),
                ds.msg_lrpid(),
                Instant.ofEpochSecond(ds.msg_stime()),
                Instant.ofEpochSecond(ds.msg_rtime()),
                Instant.ofEpochSecond(ds.msg_ctime()));
    }
}
