package io.jipc.posix;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;
import io.jipc.Limit;
import io.jipc.LimitExceededException;
import io.jipc.NotFoundException;
import io.jipc.PermissionDeniedException;
import io.jipc.internal.Errors;

/**
 * The exceptions of the POSIX types, by meaning, naming the call, the object and the errno: what a
 * failed open of a name means (not found, exists, denied, a limit), and the rest through {@link
 * Errors#failure}.
 */
final class PosixErrors {
    private PosixErrors() {}

    /**
     * The failure of an open-by-name call ({@code mq_open}, {@code sem_open}, {@code shm_open}).
     *
     * @param r the negated errno
     * @param call the C call
     * @param name the object's name
     * @param kind what the name names, e.g. {@code "message queue"}
     * @param access what was asked, e.g. {@code "read and write"}
     * @return the exception
     */
    static IpcException open(long r, String call, String name, String kind, String access) {
        Errno errno = Errno.of((int) -r);
        return switch (errno) {
            case ENOENT ->
                    new NotFoundException(
                            call, name, errno, "no " + kind + " has this name (create it first)");
            case EEXIST ->
                    new AlreadyExistsException(
                            call, name, errno, "a " + kind + " with this name exists already");
            case EACCES, EPERM ->
                    new PermissionDeniedException(
                            call,
                            name,
                            errno,
                            access.equals("removal")
                                    ? "only its owner or a privileged process may remove a " + kind
                                    : "the " + kind + "'s mode does not grant this user " + access);
            case EMFILE ->
                    new IpcException(
                            call, name, errno, "this process has RLIMIT_NOFILE descriptors open");
            case ENFILE ->
                    new IpcException(
                            call, name, errno, "the system has no file handles left (fs.file-max)");
            default -> Errors.failure(r, call, name, null);
        };
    }

    /**
     * The failure of {@code mq_open} with {@code O_CREAT}, where EINVAL, ENOSPC and EMFILE mean a
     * limit.
     *
     * @param r the negated errno
     * @param name the queue's name
     * @param maxMessages the {@code mq_maxmsg} asked for (0 for the defaults)
     * @param messageSize the {@code mq_msgsize} asked for (0 for the defaults)
     * @param access what was asked
     * @return the exception
     */
    static IpcException createQueue(
            long r, String name, long maxMessages, long messageSize, String access) {
        Errno errno = Errno.of((int) -r);
        if (errno == Errno.EINVAL) {
            long msgMax = Limit.MQ_MSG_MAX.value();
            if (maxMessages > msgMax) {
                return new LimitExceededException(
                        "mq_open",
                        name,
                        errno,
                        "mq_maxmsg " + maxMessages,
                        Limit.MQ_MSG_MAX,
                        msgMax);
            }
            long sizeMax = Limit.MQ_MSGSIZE_MAX.value();
            if (messageSize > sizeMax) {
                return new LimitExceededException(
                        "mq_open",
                        name,
                        errno,
                        "mq_msgsize " + messageSize,
                        Limit.MQ_MSGSIZE_MAX,
                        sizeMax);
            }
        }
        if (errno == Errno.ENOSPC) {
            return new LimitExceededException(
                    "mq_open",
                    name,
                    errno,
                    "no room for another queue",
                    Limit.MQ_QUEUES_MAX,
                    Limit.MQ_QUEUES_MAX.value());
        }
        if (errno == Errno.EMFILE) {
            return new LimitExceededException(
                    "mq_open",
                    name,
                    errno,
                    (maxMessages > 0
                                    ? "a queue of " + maxMessages + " x " + messageSize + " bytes"
                                    : "a queue of the default size")
                            + " would take this user's POSIX queues above their byte limit, or this process has"
                            + " RLIMIT_NOFILE descriptors open",
                    Limit.RLIMIT_MSGQUEUE,
                    Limit.RLIMIT_MSGQUEUE.value());
        }
        return open(r, "mq_open", name, "message queue", access);
    }

    /**
     * The exception for a call that {@code Thread.interrupt()} ended.
     *
     * @param call the C call
     * @param name the object
     * @return the exception
     */
    static InterruptedCallException interrupted(String call, String name) {
        return new InterruptedCallException(call, name, null);
    }
}
