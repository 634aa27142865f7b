package io.jipc;

/** No object exists for the key or id (ENOENT for a key, EINVAL for an id that names nothing). */
public class NotFoundException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param call the C function
     * @param object the object, e.g. {@code "key 0x67001234"}
     * @param errno the errno reported (usually {@link Errno#ENOENT}), or {@code null}
     * @param detail what it means here, or {@code null}
     */
    public NotFoundException(String call, String object, Errno errno, String detail) {
        super(call, object, errno, detail);
    }
}
