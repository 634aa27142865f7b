package io.jipc.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The system-wide limits and defaults of POSIX message queues ({@man mq_overview(7)}), as {@link
 * PosixMessageQueue#info()} reads them: the files of {@code /proc/sys/fs/mqueue} of this IPC
 * namespace and the process's {@code RLIMIT_MSGQUEUE}.
 *
 * @param maxMessages the largest {@code mq_maxmsg} without {@code CAP_SYS_RESOURCE} ({@code
 *     msg_max})
 * @param maxMessageSize the largest {@code mq_msgsize} without {@code CAP_SYS_RESOURCE} ({@code
 *     msgsize_max})
 * @param maxQueues the most queues in the namespace ({@code queues_max})
 * @param defaultMessages the {@code mq_maxmsg} of a queue created without attributes ({@code
 *     msg_default})
 * @param defaultMessageSize the {@code mq_msgsize} of a queue created without attributes ({@code
 *     msgsize_default})
 * @param maxBytesPerUser the bytes one user's queues may take ({@code RLIMIT_MSGQUEUE}; {@code
 *     Long.MAX_VALUE} if unlimited)
 */
public record PosixMessageQueueInfo(
        long maxMessages,
        long maxMessageSize,
        long maxQueues,
        long defaultMessages,
        long defaultMessageSize,
        long maxBytesPerUser) {

    static long proc(String file) {
        try {
            return Long.parseLong(
                    Files.readAllLines(Path.of("/proc/sys/fs/mqueue", file)).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/sys/fs/mqueue/" + file, e);
        }
    }
}
