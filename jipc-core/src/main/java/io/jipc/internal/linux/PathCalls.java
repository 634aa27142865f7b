package io.jipc.internal.linux;

import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_POINTER;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls on a path name that the JDK's file API reports with less precision than jipc's
 * exceptions need ({@code java.nio.file.Files.delete} turns {@code EPERM} into a bare {@code
 * FileSystemException}). Same conventions as {@link Unistd}: the C result on success, the negated
 * errno on failure.
 */
public final class PathCalls {
    private PathCalls() {}

    private static final class unlink {
        static final MethodHandle H =
                Native.downcallErrno("unlink", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    /**
     * {@code int unlink(const char *pathname);} (unlink(2)).
     *
     * @param path the path
     * @return 0, or -errno ({@code -ENOENT}, {@code -EACCES}, {@code -EPERM}, ...)
     */
    public static int unlink(String path) {
        MemorySegment st = Native.errnoState();
        MemorySegment p = Unistd.cString(path);
        try {
            int r = (int) unlink.H.invokeExact(st, p);
            return r == 0 ? 0 : -Native.errno(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
