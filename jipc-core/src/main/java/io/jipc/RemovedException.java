package io.jipc;

/**
 * The object was removed while the call used or waited on it (EIDRM). Never merged with EINVAL: a
 * blocked receiver whose queue is removed gets this, not a generic error.
 */
public class RemovedException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param call the C function
     * @param object the object, e.g. {@code "key 0x67001234"}
     * @param errno the errno reported (usually {@link Errno#EIDRM}), or {@code null}
     * @param detail what it means here, or {@code null}
     */
    public RemovedException(String call, String object, Errno errno, String detail) {
        super(call, object, errno, detail);
    }
}
