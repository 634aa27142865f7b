package io.jipc.internal;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.NotFoundException;
import io.jipc.PermissionDeniedException;
import io.jipc.RemovedException;
import io.jipc.internal.linux.PathCalls;

import java.nio.file.Path;

/**
 * Turns the negated errno a native wrapper returned into the exception that says what it means.
 * Call sites that know more (which limit was hit, what EINVAL means for this call) build their own
 * exception and fall back on this for the rest.
 */
public final class Errors {
    private Errors() {}

    /**
     * Whether a wrapper's result is the failure {@code errno}: the one way the public packages
     * compare results with error numbers ({@code if (is(r, EAGAIN)) ...}), so that no errno number
     * is written outside {@code io.jipc.Errno} and {@code internal.linux.Errnos}.
     *
     * @param result what a native wrapper returned (the C result, or {@code -errno})
     * @param errno the error to test for
     * @return {@code result == -errno.number()}
     */
    public static boolean is(long result, Errno errno) {
        return result == -errno.number();
    }

    /**
     * The exception for a failed call.
     *
     * @param result the negative value the wrapper returned ({@code -errno})
     * @param call the C function
     * @param object the object, e.g. {@code "key 0x67001234"}
     * @param detail what it means here, or {@code null}
     * @return the exception to throw
     */
    public static IpcException failure(long result, String call, String object, String detail) {
        if (result >= 0) {
            throw new IllegalArgumentException("result=" + result + " is not a failure");
        }
        return failure(Errno.of((int) -result), call, object, detail);
    }

    /**
     * The exception for a failure known by its errno (one the caller concluded rather than a result
     * a wrapper returned).
     *
     * @param errno the error
     * @param call the C function
     * @param object the object, e.g. {@code "key 0x67001234"}
     * @param detail what it means here, or {@code null}
     * @return the exception to throw
     */
    public static IpcException failure(Errno errno, String call, String object, String detail) {
        return switch (errno) {
            case ENOENT -> new NotFoundException(call, object, errno, detail);
            case EEXIST -> new AlreadyExistsException(call, object, errno, detail);
            case EIDRM -> new RemovedException(call, object, errno, detail);
            case EACCES, EPERM -> new PermissionDeniedException(call, object, errno, detail);
            default -> new IpcException(call, object, errno, detail);
        };
    }

    /**
     * Removes the name of a path object (a FIFO, a socket file) with unlink(2), failing the way
     * every jipc object fails: {@link NotFoundException} rather than the JDK's {@code
     * NoSuchFileException}, {@link PermissionDeniedException} rather than {@code
     * AccessDeniedException}.
     *
     * @param path the path
     * @param ifExists true to do nothing when nothing is there
     * @param what what is removed, e.g. {@code "FIFO"}
     * @throws NotFoundException if nothing is there and {@code ifExists} is false
     * @throws PermissionDeniedException if the directory may not be written (EACCES), or the file
     *     may not be removed from it (EPERM)
     * @throws IpcException on other failures
     */
    public static void unlink(Path path, boolean ifExists, String what) throws IpcException {
        int r = PathCalls.unlink(path.toString());
        if (r == 0 || ifExists && is(r, Errno.ENOENT)) {
            return;
        }
        throw failure(
                r,
                "unlink",
                path.toString(),
                is(r, Errno.ENOENT)
                        ? "no " + what + " at this path (removed already?)"
                        : is(r, Errno.EACCES)
                                ? "the directory may not be written by this user"
                                : is(r, Errno.EPERM)
                                        ? "the directory is sticky and the file another user's, or it is immutable"
                                        : null);
    }
}
