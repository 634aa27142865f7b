package io.jipc.poll;

/**
 * What a {@link Poller} watches a descriptor for, and what it reports as ready ({@man epoll(7)}).
 *
 * <p>{@link #ERROR} ({@code EPOLLERR}) and the {@code EPOLLHUP} form of {@link #HANG_UP} are
 * reported whether asked for or not, as epoll does; with the default level triggering they are
 * reported on every poll until the descriptor is closed or its key cancelled. The {@code
 * EPOLLRDHUP} form (the peer of a stream socket shut down writing) is reported only to a key that
 * asks for {@code HANG_UP}.
 */
public enum Readiness {
    /**
     * Data to read, or end of file / end of stream ({@code EPOLLIN}): a read will not block. A
     * pipe's read end whose writers are all gone reports {@link #HANG_UP} (with {@code READ} while
     * data is left).
     */
    READ,
    /**
     * Room to write ({@code EPOLLOUT}): a write will not block (pipes: at least {@code PIPE_BUF}
     * bytes).
     */
    WRITE,
    /**
     * A connection waits on a listening socket ({@code EPOLLIN} of a listening socket): accept will
     * not block. The same kernel event as {@link #READ}; a key reports the one it asked for.
     */
    ACCEPT,
    /**
     * The other side is gone: {@code EPOLLHUP} (every writer of a pipe or FIFO closed, a socket
     * shut down both ways), reported even when not asked for, or {@code EPOLLRDHUP} (the peer of a
     * stream socket shut down writing), reported only when asked for. For a FIFO, "every writer
     * closed" is reported only after a first writer came and went.
     */
    HANG_UP,
    /**
     * An error condition ({@code EPOLLERR}), e.g. the write end of a pipe whose readers are all
     * gone (a write would fail with {@code EPIPE}).
     */
    ERROR
}
