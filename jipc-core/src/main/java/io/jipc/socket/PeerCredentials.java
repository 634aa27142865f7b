package io.jipc.socket;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Who is at the other end of a connected Unix-domain socket: {@code struct ucred} from {@code
 * SO_PEERCRED} ({@man unix(7)}), taken by the kernel when the connection was made (connect, accept,
 * socketpair), not when asked. For a socketpair the creator is reported, also at the end a child
 * process inherited.
 *
 * @param pid the peer's process id at connect time
 * @param uid its effective user id
 * @param gid its effective group id
 */
public record PeerCredentials(int pid, int uid, int gid) {

    /**
     * The peer credentials, pid included, of a connected JDK Unix-domain {@link SocketChannel}
     * (what {@code jdk.net.ExtendedSocketOptions.SO_PEERCRED} gives without the pid).
     *
     * <p>The JDK has no public way to get a channel's descriptor, and jipc uses neither reflection
     * nor JDK internals. Instead the channel is tagged through its public API: its {@code
     * SO_RCVBUF} is set to a random value, the Unix-domain sockets in {@code /proc/self/fd} reading
     * that value are found with {@man getsockopt(2)}, and a second random value must single out the
     * same descriptor; the original size is then restored (the kernel then treats the size as set
     * explicitly, which changes nothing for Unix-domain sockets). Calls are serialised
     * process-wide; keep the channel open during the call. Where that is not acceptable, connect
     * with jipc's own {@link UnixSocket#connect} (a JDK server accepts it like any client) and use
     * {@link UnixSocket#peerCredentials()}.
     *
     * @param channel a connected channel with a {@link java.net.UnixDomainSocketAddress}
     * @return pid, uid and gid of the process at the other end as of the connection
     * @throws IOException if the channel is closed or its descriptor cannot be singled out
     */
    public static PeerCredentials of(SocketChannel channel) throws IOException {
        return JdkPeer.of(channel);
    }
}
