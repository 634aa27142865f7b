package io.jipc.sysv;

/**
 * System-wide message queue limits and usage, from {@code msgctl(0, IPC_INFO)} and
 * {@code msgctl(0, MSG_INFO)} ({@man msgctl(2)}; both fill a {@code struct msginfo}).
 *
 * @param msgmax the largest message body in bytes ({@code /proc/sys/kernel/msgmax})
 * @param msgmnb the default {@code msg_qbytes} of a new queue ({@code /proc/sys/kernel/msgmnb})
 * @param msgmni the most queues the system may have ({@code /proc/sys/kernel/msgmni})
 * @param msgpool IPC_INFO's {@code msgpool}: kilobytes of buffer pool (an unused, fixed figure on Linux)
 * @param msgmap IPC_INFO's {@code msgmap}: entries in the message map (unused on Linux)
 * @param msgtql IPC_INFO's {@code msgtql}: most messages on the system (unused on Linux)
 * @param msgssz the message segment size (unused on Linux)
 * @param msgseg the most message segments (unused on Linux)
 * @param queuesInUse MSG_INFO's {@code msgpool}: queues that exist now
 * @param messages MSG_INFO's {@code msgmap}: messages on all queues now
 * @param bytes MSG_INFO's {@code msgtql}: body bytes on all queues now
 * @param highestIndex the highest used index in the kernel's queue table (the calls' return
 *        value; also 0 when there is no queue)
 */
public record MessageQueueInfo(long msgmax, long msgmnb, long msgmni, long msgpool, long msgmap, long msgtql,
                               long msgssz, long msgseg, long queuesInUse, long messages, long bytes,
                               int highestIndex) {
}
