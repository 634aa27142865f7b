package io.jipc.sysv;

/**
 * System-wide message queue limits and usage, from {@code msgctl(0, IPC_INFO)} and {@code msgctl(0,
 * MSG_INFO)} ({@man msgctl(2)}; both fill a {@code struct msginfo}). The limits are also in {@code
 * /proc/sys/kernel}; see {@link io.jipc.Limit}.
 *
 * @param maxMessageBytes the largest message body in bytes ({@code msgmax}, {@code
 *     /proc/sys/kernel/msgmax})
 * @param maxQueueBytes the default {@code msg_qbytes} of a new queue ({@code msgmnb}, {@code
 *     /proc/sys/kernel/msgmnb})
 * @param maxQueues the most queues the system may have ({@code msgmni}, {@code
 *     /proc/sys/kernel/msgmni})
 * @param poolKilobytes IPC_INFO's {@code msgpool}: kilobytes of buffer pool (a fixed figure, unused
 *     by Linux)
 * @param mapEntries IPC_INFO's {@code msgmap}: entries in the message map (unused by Linux)
 * @param maxMessages IPC_INFO's {@code msgtql}: most messages on the system (unused by Linux)
 * @param segmentSize the message segment size ({@code msgssz}, unused by Linux)
 * @param maxSegments the most message segments ({@code msgseg}, unused by Linux)
 * @param queuesInUse the queues that exist now (MSG_INFO's {@code msgpool})
 * @param messages the messages on all queues now (MSG_INFO's {@code msgmap})
 * @param bytes the body bytes on all queues now (MSG_INFO's {@code msgtql})
 * @param highestIndex the highest used index in the kernel's queue table (MSG_INFO's result; also 0
 *     when there is no queue)
 */
public record MessageQueueInfo(
        long maxMessageBytes,
        long maxQueueBytes,
        long maxQueues,
        long poolKilobytes,
        long mapEntries,
        long maxMessages,
        long segmentSize,
        long maxSegments,
        long queuesInUse,
        long messages,
        long bytes,
        int highestIndex) {}
