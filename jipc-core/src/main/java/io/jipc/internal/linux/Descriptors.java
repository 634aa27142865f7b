package io.jipc.internal.linux;

/**
 * What code that hands descriptors around needs beyond {@link Unistd} and {@link Sockets}: a
 * close-on-exec duplicate ({@code fcntl(F_DUPFD_CLOEXEC)}, fcntl(2)), and the integer socket
 * options that tell sockets apart ({@code SO_REUSEADDR}, {@code SO_ACCEPTCONN}, socket(7); read
 * with {@link SocketOptions#intOption}). Every wrapper returns the C result or the negated errno.
 */
public final class Descriptors {
    private Descriptors() {
    }

    /** fcntl: duplicate onto the lowest free number at or above the argument, close-on-exec ({@code F_DUPFD_CLOEXEC}). */
    public static final int F_DUPFD_CLOEXEC = 1030;
    /** {@code SO_REUSEADDR} (socket(7)), a boolean every IP socket has. */
    public static final int SO_REUSEADDR = 2;
    /** {@code SO_ACCEPTCONN} (socket(7)): 1 on a listening socket, read only. */
    public static final int SO_ACCEPTCONN = 30;

    /**
     * {@code fcntl(fd, F_DUPFD_CLOEXEC, lowest)} (fcntl(2)): a new descriptor for the same open
     * file description, close-on-exec.
     *
     * @param fd the descriptor to duplicate
     * @param lowest the lowest number the duplicate may get
     * @return the duplicate, or -errno ({@code -EBADF} if {@code fd} is not open)
     */
    public static int dupCloseOnExec(int fd, int lowest) {
        return Unistd.fcntl(fd, F_DUPFD_CLOEXEC, lowest);
    }
}
