package io.jipc;

/**
 * A blocking call was ended by {@link Thread#interrupt()} (jipc's {@link
 * java.io.InterruptedIOException} for System V objects): the call did nothing (no message was taken
 * or sent, no semaphore was changed), and the thread's interrupt status is still set. The errno is
 * {@link Errno#EINTR}.
 *
 * <p>Calls on channels (pipe and FIFO ends) follow the JDK instead: they close the end and throw
 * {@link java.nio.channels.ClosedByInterruptException}.
 */
public class InterruptedCallException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param call the C function
     * @param object the object, e.g. {@code "semid 5"}
     * @param detail what was interrupted, or {@code null}
     */
    public InterruptedCallException(String call, String object, String detail) {
        super(
                call,
                object,
                Errno.EINTR,
                "interrupted (Thread.interrupt()) while waiting; nothing was done"
                        + " and the interrupt status is still set"
                        + (detail == null ? "" : " (" + detail + ")"));
    }
}
