package io.jipc.socket;

import io.jipc.internal.JdkChannels;
import io.jipc.internal.OwnedFd;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * Reads {@code SO_PEERCRED}, pid included, of a JDK {@link SocketChannel} (the JDK's own {@code
 * jdk.net.ExtendedSocketOptions.SO_PEERCRED} gives user and group only) from a private duplicate of
 * its descriptor, found without reflection or JDK internals by {@link
 * JdkChannels#duplicate(java.nio.channels.NetworkChannel)}: the channel's {@code SO_RCVBUF} is set
 * to random values and restored (the kernel then treats the size as set explicitly, which
 * Unix-domain sockets ignore anyway).
 */
final class JdkPeer {
    private JdkPeer() {}

    static PeerCredentials of(SocketChannel channel) throws IOException {
        if (!(channel.getRemoteAddress() instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException(
                    "channel=" + channel + " is not a connected Unix-domain channel");
        }
        try (OwnedFd dup = JdkChannels.duplicate(channel)) {
            int fd = dup.acquire();
            try {
                return Binding.peerCredentials(fd, "JDK channel " + channel);
            } finally {
                dup.release();
            }
        }
    }
}
