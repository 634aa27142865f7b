package io.jipc;

/** An exclusive creation found an object already there (EEXIST). */
public class AlreadyExistsException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param call the C function
     * @param object the object, e.g. {@code "key 0x67001234"}
     * @param errno the errno reported (usually {@link Errno#EEXIST}), or {@code null}
     * @param detail what it means here, or {@code null}
     */
    public AlreadyExistsException(String call, String object, Errno errno, String detail) {
        super(call, object, errno, detail);
    }
}
