package io.jipc.internal.linux;

import static io.jipc.internal.linux.Native.C_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/** Downcalls for general C library functions (unistd.h). See {@link Native}. */
public final class LibC {
    private LibC() {}

    private static final class geteuid {
        static final MethodHandle H = Native.downcall("geteuid", FunctionDescriptor.of(C_INT));
    }

    /**
     * {@code uid_t geteuid(void);} (geteuid(2)).
     *
     * @return the effective user id
     */
    public static int geteuid() {
        try {
            return (int) geteuid.H.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
