package io.jipc.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/**
 * Typed socket options over {@link Sockets#getsockopt}/{@link Sockets#setsockopt} (socket(7)): an
 * {@code int} option, the peer's {@code struct ucred} ({@code SO_PEERCRED}) and the receive
 * timeout's {@code struct timeval} ({@code SO_RCVTIMEO}), with the layouts of {@link Structs}
 * (checked against gcc). The values travel through this thread's scratch memory.
 */
public final class SocketOptions {
    private SocketOptions() {}

    private static final long UCRED_PID = Structs.offset(Structs.UCRED, "pid");
    private static final long UCRED_UID = Structs.offset(Structs.UCRED, "uid");
    private static final long UCRED_GID = Structs.offset(Structs.UCRED, "gid");
    private static final long UCRED_BYTES = Structs.UCRED.byteSize();

    /** Where the {@code socklen_t} goes in the scratch, after a value of up to 16 bytes. */
    private static final long LENGTH_AT = 16;

    /**
     * An {@code int} option at level {@code SOL_SOCKET} ({@code SO_TYPE}, {@code SO_DOMAIN}, {@code
     * SO_RCVBUF}, ...), whose value is never negative.
     *
     * @param fd the socket
     * @param option the option
     * @return the value, or -errno
     */
    public static long intOption(int fd, int option) {
        MemorySegment m = Native.scratch(LENGTH_AT + Integer.BYTES);
        MemorySegment v = m.asSlice(0, JAVA_INT.byteSize());
        int r =
                Sockets.getsockopt(
                        fd, Sockets.SOL_SOCKET, option, v, m.asSlice(LENGTH_AT, Integer.BYTES));
        return r < 0 ? r : v.get(JAVA_INT, 0);
    }

    /**
     * The peer's credentials as of connect/socketpair ({@code SO_PEERCRED}, {@code struct ucred}).
     *
     * @param fd a connected socket
     * @return {@code {0, pid, uid, gid}}, or {@code {-errno, 0, 0, 0}}
     */
    public static int[] peerCredentials(int fd) {
        MemorySegment m = Native.scratch(LENGTH_AT + Integer.BYTES);
        MemorySegment v = m.asSlice(0, UCRED_BYTES);
        int r =
                Sockets.getsockopt(
                        fd,
                        Sockets.SOL_SOCKET,
                        Sockets.SO_PEERCRED,
                        v,
                        m.asSlice(LENGTH_AT, Integer.BYTES));
        if (r < 0) {
            return new int[] {r, 0, 0, 0};
        }
        return new int[] {
            0, v.get(JAVA_INT, UCRED_PID), v.get(JAVA_INT, UCRED_UID), v.get(JAVA_INT, UCRED_GID)
        };
    }

    /**
     * Sets the receive timeout ({@code SO_RCVTIMEO}, a {@code struct timeval}).
     *
     * @param fd the socket
     * @param micros the timeout in microseconds, 0 for none
     * @return 0, or -errno
     */
    public static int receiveTimeout(int fd, long micros) {
        MemorySegment tv = Native.scratch(Structs.TIMEVAL.byteSize());
        Structs.timeval(tv, micros);
        return Sockets.setsockopt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVTIMEO, tv);
    }
}
