package io.jipc;

import java.io.IOException;
import java.util.Objects;

/**
 * A failed IPC call: the root of jipc's checked exceptions.
 *
 * <p>Every instance names the C call ({@link #call()}), the object it was made on ({@link
 * #object()}, e.g. {@code "key 0x67001234"}, {@code "msqid 32769"} or a path) and, when the kernel
 * reported one, the {@link Errno}. Subclasses say what went wrong by meaning: {@link
 * NotFoundException}, {@link AlreadyExistsException}, {@link RemovedException}, {@link
 * PermissionDeniedException}, {@link LimitExceededException}.
 *
 * <p>{@code EINTR} from a signal never surfaces as an exception: jipc retries interrupted calls
 * itself. A {@link Thread#interrupt()} of a blocked call ends it with {@link
 * InterruptedCallException}.
 */
public class IpcException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The errno reported by the call, or null. */
    private final Errno errno;

    /** The C call. */
    private final String call;

    /** The object the call was made on. */
    private final String object;

    /**
     * Creates an exception whose message is {@code call(object): ERRNO (text): detail}.
     *
     * @param call the C function, e.g. {@code "msgget"}
     * @param object the object, e.g. {@code "key 0x67001234"}
     * @param errno the errno the call reported, or {@code null}
     * @param detail what it means here, or {@code null}
     */
    public IpcException(String call, String object, Errno errno, String detail) {
        super(message(call, object, errno, detail));
        this.call = Objects.requireNonNull(call, "call");
        this.object = Objects.requireNonNull(object, "object");
        this.errno = errno;
    }

    private static String message(String call, String object, Errno errno, String detail) {
        StringBuilder b = new StringBuilder().append(call).append('(').append(object).append(')');
        if (errno != null) {
            b.append(": ").append(errno);
        }
        if (detail != null && !detail.isEmpty()) {
            b.append(": ").append(detail);
        }
        return b.toString();
    }

    /**
     * The errno the kernel reported.
     *
     * @return the errno, or {@code null} when the failure was detected without a call
     */
    public Errno errno() {
        return errno;
    }

    /**
     * The C call that failed, e.g. {@code "msgsnd"}.
     *
     * @return the call's name
     */
    public String call() {
        return call;
    }

    /**
     * The object the call was made on, e.g. {@code "msqid 32769"}.
     *
     * @return a short description of the object
     */
    public String object() {
        return object;
    }
}
