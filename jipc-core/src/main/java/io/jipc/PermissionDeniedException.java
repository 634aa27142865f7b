package io.jipc;

/** The caller lacks the permission the call needs (EACCES or EPERM). */
public class PermissionDeniedException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param call the C function
     * @param object the object, e.g. {@code "key 0x67001234"}
     * @param errno the errno reported (usually {@link Errno#EACCES}), or {@code null}
     * @param detail what it means here, or {@code null}
     */
    public PermissionDeniedException(String call, String object, Errno errno, String detail) {
        super(call, object, errno, detail);
    }
}
