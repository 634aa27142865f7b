package io.jipc.socket;

import io.jipc.IpcException;
import io.jipc.internal.linux.Sockets;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Finds the descriptor behind a JDK {@link SocketChannel} without reflection or JDK internals, to
 * read {@code SO_PEERCRED} with the pid (the JDK's own {@code jdk.net.ExtendedSocketOptions
 * .SO_PEERCRED} gives user and group only).
 *
 * <p>The channel is tagged through its public API: its receive-buffer size is set to a random
 * value, and the sockets of {@code /proc/self/fd} whose {@code SO_RCVBUF} reads that value are the
 * candidates; a second random value must select the same single descriptor. The original size is
 * then restored. Side effect: the kernel no longer auto-sizes that buffer ({@code SO_RCVBUF} was set
 * explicitly), which Unix-domain sockets do not do anyway.
 */
final class JdkPeer {
    private static final Object LOCK = new Object();

    private JdkPeer() {
    }

    static PeerCredentials of(SocketChannel channel) throws IOException {
        if (!(channel.getRemoteAddress() instanceof UnixDomainSocketAddress)) {
            throw new IllegalArgumentException("channel=" + channel + " is not a connected Unix-domain channel");
        }
        synchronized (LOCK) {
            int original = channel.getOption(StandardSocketOptions.SO_RCVBUF);
            try {
                for (int attempt = 0; attempt < 4; attempt++) {
                    Set<Integer> a = tagged(channel);
                    a.retainAll(tagged(channel));
                    if (a.size() == 1) {
                        int fd = a.iterator().next();
                        return Binding.peerCredentials(fd, "JDK channel fd " + fd);
                    }
                }
            } finally {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, original);
            }
            throw new IpcException("getsockopt(SO_PEERCRED)", channel.toString(), null,
                    "could not single out the channel's descriptor in /proc/self/fd");
        }
    }

    /**
     * The JDK on Linux halves what {@man getsockopt(2)} reports for the buffer sizes (the kernel doubles
     * what is set, and the JDK makes get and set symmetric); accept either form.
     */
    private static boolean matches(int raw, int seenByJdk) {
        return raw == seenByJdk || raw == 2 * seenByJdk;
    }

    /** Tags the channel with a random buffer size and returns the descriptors that carry it. */
    private static Set<Integer> tagged(SocketChannel channel) throws IOException {
        int value = 3000 + 2 * ThreadLocalRandom.current().nextInt(40_000);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, value);
        int seen = channel.getOption(StandardSocketOptions.SO_RCVBUF);
        Set<Integer> found = new HashSet<>();
        List<Path> entries;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            entries = s.toList();
        }
        for (Path e : entries) {
            String target;
            try {
                target = Files.readSymbolicLink(e).toString();
            } catch (IOException gone) {
                continue;
            }
            if (!target.startsWith("socket:")) {
                continue;
            }
            int fd = Integer.parseInt(e.getFileName().toString());
            try {
                if (Binding.intOption(fd, Sockets.SO_DOMAIN, "fd") == Sockets.AF_UNIX
                        && matches(Binding.intOption(fd, Sockets.SO_RCVBUF, "fd"), seen)) {
                    found.add(fd);
                }
            } catch (IpcException closedMeanwhile) {
                // not a socket any more
            }
        }
        return found;
    }
}
