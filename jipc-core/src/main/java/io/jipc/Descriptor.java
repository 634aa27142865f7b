package io.jipc;

import java.nio.channels.Channel;

/**
 * An open file descriptor owned by a jipc object: a pipe or FIFO end, a Unix-domain socket, a
 * listening socket, a descriptor received from another process, and every other fd-backed type of
 * the library. {@link #close()} closes this process's descriptor ({@man close(2)}) and is
 * idempotent.
 *
 * <p>What every descriptor can do: be handed to a child process at a chosen number ({@code
 * io.jipc.pipe.Spawn#fd(int, Descriptor)}), be passed to another process over a Unix-domain socket
 * ({@code SCM_RIGHTS}), and be watched for readiness with an {@code io.jipc.poll.Poller} (which it
 * leaves when it is closed). The owning object brackets every call it makes with the descriptor, so
 * a {@code close()} from another thread while a call is in flight takes effect when that call
 * returns: the number is never closed under a running call and reused by an unrelated open.
 *
 * <p>The number itself ({@link #fd()}) is for messages, {@code /proc/self/fd} and native code the
 * caller trusts; never close it behind the owner's back.
 */
public interface Descriptor extends Channel {
    /**
     * The descriptor's number in this process. It stays owned by this object.
     *
     * @return the number
     * @throws IllegalStateException if this descriptor is closed
     */
    int fd();
}
