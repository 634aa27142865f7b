package io.jipc.posix;

/**
 * A POSIX message queue's {@code struct mq_attr} as {@code mq_getattr(3)} reports it.
 *
 * @param maxMessages {@code mq_maxmsg}: the most messages it holds
 * @param messageSize {@code mq_msgsize}: the largest body
 * @param currentMessages {@code mq_curmsgs}: the messages on it now
 * @param nonBlocking whether {@code O_NONBLOCK} is set on this open file description
 *     ({@code mq_flags}); jipc never sets it, a C program sharing the description may
 */
public record PosixQueueAttributes(long maxMessages, long messageSize, long currentMessages, boolean nonBlocking) {
}
