package io.jipc.posix;

/**
 * A POSIX message queue's state: {@code struct mq_attr} ({@man mq_getattr(3)}), the owner and mode
 * of its file, and what the mqueue file system reports for it ({@code QSIZE}, {@code NOTIFY_PID};
 * {@man mq_overview(7)}).
 *
 * @param name the name, e.g. {@code "/jobs"}
 * @param uid the owner's user id
 * @param gid the owner's group id
 * @param mode the permission bits
 * @param maxMessages the most messages it holds ({@code mq_maxmsg})
 * @param messageSize the largest body ({@code mq_msgsize})
 * @param messages the messages on it ({@code mq_curmsgs})
 * @param bytes the bytes of all bodies on it ({@code QSIZE}); -1 if unknown (a queue opened {@link
 *     Access#WRITE_ONLY} cannot read it)
 * @param notifyPid the process registered with {@code mq_notify} ({@code NOTIFY_PID}), 0 if none;
 *     -1 if unknown
 */
public record PosixMessageQueueStatus(
        String name,
        int uid,
        int gid,
        int mode,
        long maxMessages,
        long messageSize,
        long messages,
        long bytes,
        int notifyPid) {}
