package io.jipc.socket;

import io.jipc.internal.linux.Unistd;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor received from another process ({@code SCM_RIGHTS}), owned by this object until
 * {@link #close()} or {@link #release()}. It arrives close-on-exec ({@code MSG_CMSG_CLOEXEC}).
 *
 * <p>Hand it to the type that fits with {@link #release()}, which gives up ownership, e.g.
 * {@code ReadEnd.inherited(d.release())} for a pipe's read end or a FIFO,
 * {@code UnixSocket.inherited(d.release())} for a socket; a memfd or regular file can be reopened
 * as a {@code FileChannel} through {@code /proc/self/fd/N} (a new open file description) and then
 * closed. There is no safety net: a descriptor neither closed nor released stays open.
 */
public final class Descriptor implements AutoCloseable {
    private final AtomicInteger fd;

    Descriptor(int fd) {
        this.fd = new AtomicInteger(fd);
    }

    /**
     * The descriptor number, valid while this object owns it.
     *
     * @return the number
     * @throws IllegalStateException once closed or released
     */
    public int number() {
        int n = fd.get();
        if (n < 0) {
            throw new IllegalStateException("descriptor already closed or released");
        }
        return n;
    }

    /**
     * Gives up ownership: the caller (or the object it hands the number to) must close it.
     *
     * @return the number
     * @throws IllegalStateException once closed or released
     */
    public int release() {
        int n = fd.getAndSet(-1);
        if (n < 0) {
            throw new IllegalStateException("descriptor already closed or released");
        }
        return n;
    }

    /** Closes the descriptor unless released (close(2)). Idempotent. */
    @Override
    public void close() {
        int n = fd.getAndSet(-1);
        if (n >= 0) {
            Unistd.close(n);
        }
    }

    @Override
    public String toString() {
        int n = fd.get();
        return n < 0 ? "descriptor (closed)" : "descriptor " + n;
    }
}
