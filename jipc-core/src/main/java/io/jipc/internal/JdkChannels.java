package io.jipc.internal;

import io.jipc.IpcException;
import io.jipc.internal.linux.Descriptors;
import io.jipc.internal.linux.SocketOptions;
import io.jipc.internal.linux.Sockets;
import io.jipc.internal.linux.Unistd;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Finds the descriptor behind a JDK channel without reflection, JDK internals or
 * {@code --add-opens}, and returns a private duplicate of it (close-on-exec) that the caller owns.
 *
 * <h2>How: tag the channel through its public API, find the tag in /proc/self</h2>
 * The channel is given a distinctive state that the kernel shows for its open file description,
 * and the descriptors of {@code /proc/self/fd} that show that state are the candidates:
 * <ul>
 *   <li>a network channel that supports {@code SO_REUSEADDR} (TCP and UDP channels): the option is
 *       flipped and flipped back; only the channel's own socket follows both flips
 *       (getsockopt(2)). The original value is restored exactly: no side effect.</li>
 *   <li>other network channels (the JDK's Unix-domain channels): {@code SO_RCVBUF} is set to two
 *       random sizes; the original size is restored afterwards (the kernel then treats it as set
 *       explicitly, which changes nothing for Unix-domain sockets).</li>
 *   <li>a {@link FileChannel}: its position is set to two random offsets in [2^31, 2^32) and read
 *       back from the {@code pos:} line of {@code /proc/self/fdinfo/N} (proc(5)); the original
 *       position is restored. A channel of a file that cannot seek (a FIFO, a terminal, a
 *       character device such as {@code /dev/null} whose offset stays 0) cannot be tagged: it is
 *       refused with a sentence saying so.</li>
 * </ul>
 * The candidate that followed both tags is duplicated ({@code F_DUPFD_CLOEXEC}) and the
 * <em>duplicate</em> must follow two more tags: so even if the number was closed and reused
 * meanwhile, what is returned is the channel's own socket or file. A duplicate of the channel's
 * descriptor made by someone else is as good (same open file description). Calls are serialised
 * process-wide; do not use the channel from another thread during the call (a read at the
 * tagged position, or a concurrent change of the same option, would be disturbed).
 */
public final class JdkChannels {
    private static final Object LOCK = new Object();
    private static final int ATTEMPTS = 4;

    private JdkChannels() {
    }

    /**
     * A private duplicate of the socket behind a JDK network channel ({@code SocketChannel},
     * {@code ServerSocketChannel}, {@code DatagramChannel}, the asynchronous ones).
     *
     * @param channel an open channel
     * @return the duplicate, owned by the caller
     * @throws java.nio.channels.ClosedChannelException if the channel is closed
     * @throws IOException if its descriptor cannot be singled out
     */
    public static OwnedFd duplicate(NetworkChannel channel) throws IOException {
        Tag tag = channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEADDR)
                ? new ReuseAddressTag(channel) : new ReceiveBufferTag(channel);
        return find(tag, channel.toString());
    }

    /**
     * A private duplicate of the descriptor behind a JDK {@link FileChannel}.
     *
     * @param channel an open channel of a file that can seek
     * @return the duplicate, owned by the caller
     * @throws java.nio.channels.ClosedChannelException if the channel is closed
     * @throws IllegalArgumentException if the file cannot seek (see the class comment)
     * @throws IOException if its descriptor cannot be singled out
     */
    public static OwnedFd duplicate(FileChannel channel) throws IOException {
        return find(new PositionTag(channel), channel.toString());
    }

    private static OwnedFd find(Tag tag, String what) throws IOException {
        synchronized (LOCK) {
            tag.save();
            try {
                for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                    List<Integer> candidates = new ArrayList<>(descriptors(tag));
                    for (int round = 0; round < 2 && !candidates.isEmpty(); round++) {
                        tag.set(round);
                        int r = round;
                        candidates.removeIf(fd -> !tag.carries(fd, r));
                    }
                    for (int fd : candidates) {
                        int dup = Descriptors.dupCloseOnExec(fd, 3);
                        if (dup < 0) {
                            continue; // closed meanwhile
                        }
                        boolean same = true;
                        for (int round = 2; round < 4 && same; round++) {
                            tag.set(round);
                            same = tag.carries(dup, round);
                        }
                        if (same) {
                            return new OwnedFd(dup);
                        }
                        Unistd.close(dup);
                    }
                }
            } finally {
                tag.restore();
            }
            throw new IpcException("fcntl(F_DUPFD_CLOEXEC)", what, null,
                    "could not single out the channel's descriptor in /proc/self/fd" + tag.hint());
        }
    }

    /** The numbers in /proc/self/fd whose link target the tag may concern. */
    private static List<Integer> descriptors(Tag tag) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            entries = s.toList();
        }
        List<Integer> fds = new ArrayList<>();
        for (Path e : entries) {
            String target;
            try {
                target = Files.readSymbolicLink(e).toString();
            } catch (IOException gone) {
                continue; // the listing's own descriptor, or closed meanwhile
            }
            if (tag.candidate(target)) {
                fds.add(Integer.parseInt(e.getFileName().toString()));
            }
        }
        return fds;
    }

    /** A state of the channel that the kernel shows per open file description. */
    private abstract static class Tag {
        abstract void save() throws IOException;

        /** Puts the channel in the state of {@code round} (0 .. 3; every round differs from the one before). */
        abstract void set(int round) throws IOException;

        /** Whether {@code fd} shows the state of {@code round}. */
        abstract boolean carries(int fd, int round);

        abstract void restore() throws IOException;

        abstract boolean candidate(String linkTarget);

        /** Why the tag may not show, for the failure's message. */
        String hint() {
            return "";
        }
    }

    /** Flips {@code SO_REUSEADDR} (rounds 0 and 2: the opposite of the original; 1 and 3: the original). */
    private static final class ReuseAddressTag extends Tag {
        private final NetworkChannel channel;
        private boolean original;

        ReuseAddressTag(NetworkChannel channel) {
            this.channel = channel;
        }

        @Override
        void save() throws IOException {
            original = channel.getOption(StandardSocketOptions.SO_REUSEADDR);
        }

        private boolean value(int round) {
            return round % 2 == 0 != original;
        }

        @Override
        void set(int round) throws IOException {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, value(round));
        }

        @Override
        boolean carries(int fd, int round) {
            long v = SocketOptions.intOption(fd, Descriptors.SO_REUSEADDR);
            return v >= 0 && (v != 0) == value(round);
        }

        @Override
        void restore() throws IOException {
            if (channel.isOpen()) {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, original);
            }
        }

        @Override
        boolean candidate(String linkTarget) {
            return linkTarget.startsWith("socket:");
        }
    }

    /** Sets {@code SO_RCVBUF} to a random size per round. */
    private static final class ReceiveBufferTag extends Tag {
        private static final SocketOption<Integer> OPTION = StandardSocketOptions.SO_RCVBUF;
        private final NetworkChannel channel;
        private final int[] seen = new int[4];
        private int original;

        ReceiveBufferTag(NetworkChannel channel) {
            this.channel = channel;
        }

        @Override
        void save() throws IOException {
            if (!channel.supportedOptions().contains(OPTION)) {
                throw new IllegalArgumentException("channel=" + channel + " supports neither SO_REUSEADDR nor SO_RCVBUF");
            }
            original = channel.getOption(OPTION);
        }

        @Override
        void set(int round) throws IOException {
            int value = 3000 + 2 * ThreadLocalRandom.current().nextInt(40_000);
            channel.setOption(OPTION, value);
            seen[round] = channel.getOption(OPTION);
        }

        /**
         * The JDK on Linux halves what getsockopt(2) reports for the buffer sizes (the kernel
         * doubles what is set, and the JDK makes get and set symmetric); accept either form.
         */
        @Override
        boolean carries(int fd, int round) {
            long raw = SocketOptions.intOption(fd, Sockets.SO_RCVBUF);
            return raw > 0 && (raw == seen[round] || raw == 2L * seen[round]);
        }

        @Override
        void restore() throws IOException {
            if (channel.isOpen()) {
                channel.setOption(OPTION, original);
            }
        }

        @Override
        boolean candidate(String linkTarget) {
            return linkTarget.startsWith("socket:");
        }
    }

    /** Sets the file position to a random offset per round, read back from /proc/self/fdinfo. */
    private static final class PositionTag extends Tag {
        private final FileChannel channel;
        private final long[] at = new long[4];
        private long original;

        PositionTag(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        void save() throws IOException {
            try {
                original = channel.position();
            } catch (java.nio.channels.ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                throw notSeekable(e);
            }
        }

        private IllegalArgumentException notSeekable(IOException e) {
            return new IllegalArgumentException("channel=" + channel + " is of a file that cannot seek (" + e.getMessage()
                    + "): its descriptor cannot be found through the JDK's API; open a FIFO with io.jipc.pipe.Fifo", e);
        }

        @Override
        void set(int round) throws IOException {
            long value;
            do {
                value = (1L << 31) + ThreadLocalRandom.current().nextLong(1L << 31);
            } while (value == original);
            try {
                channel.position(value);
            } catch (java.nio.channels.ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                throw notSeekable(e);
            }
            at[round] = value;
        }

        @Override
        boolean carries(int fd, int round) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                    if (line.startsWith("pos:")) {
                        return Long.parseLong(line.substring(4).trim()) == at[round];
                    }
                }
            } catch (NoSuchFileException gone) {
                return false;
            } catch (IOException | NumberFormatException unreadable) {
                return false;
            }
            return false;
        }

        @Override
        void restore() throws IOException {
            if (channel.isOpen()) {
                channel.position(original);
            }
        }

        @Override
        String hint() {
            return " (a file that keeps no position, such as /dev/null or a terminal, cannot be told apart)";
        }

        @Override
        boolean candidate(String linkTarget) {
            return !linkTarget.startsWith("socket:") && !linkTarget.startsWith("pipe:")
                    && !linkTarget.startsWith("anon_inode:");
        }
    }
}
