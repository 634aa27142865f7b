package io.jipc;

import io.jipc.internal.Fds;
import io.jipc.internal.OwnedFd;

/**
 * A descriptor of no particular kind, owned by this object until {@link #close()} or {@link
 * #release()}: what arrives from another process over {@code SCM_RIGHTS} (close-on-exec, {@code
 * MSG_CMSG_CLOEXEC}), or a number this process inherited.
 *
 * <p>Hand it to the type that fits with {@link #release()}, which gives up ownership, e.g. {@code
 * ReadEnd.inherited(d.release())} for a pipe's read end or a FIFO, {@code
 * UnixSocket.inherited(d.release())} for a socket; a memfd or regular file can be reopened as a
 * {@code FileChannel} through {@code /proc/self/fd/N} (a new open file description) and then
 * closed. A {@code Cleaner} closes a descriptor that was neither closed nor released once this
 * object is unreachable; close explicitly.
 */
public final class RawDescriptor implements Descriptor {
    static {
        Fds.register(RawDescriptor.class, d -> d.fd);
    }

    private final OwnedFd fd;

    /**
     * Takes ownership of an open descriptor.
     *
     * @param fd the number, e.g. one inherited from the parent process
     * @throws IllegalArgumentException if {@code fd} is negative
     */
    public RawDescriptor(int fd) {
        this.fd = new OwnedFd(fd);
    }

    @Override
    public int fd() {
        return fd.numberIfOpen();
    }

    /**
     * Gives up ownership: the caller (or the object it hands the number to) must close it.
     *
     * @return the number
     * @throws IllegalStateException once closed or released, or while another thread uses it
     */
    public int release() {
        return fd.detach();
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    /** Closes the descriptor unless released ({@man close(2)}). Idempotent. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return isOpen() ? "descriptor " + fd.number() : "descriptor (closed)";
    }
}
