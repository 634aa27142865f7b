package io.jipc.internal;

import io.jipc.internal.linux.Descriptors;
import io.jipc.internal.linux.Mman;
import io.jipc.internal.linux.SocketOptions;
import io.jipc.internal.linux.Sockets;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Finds the descriptor behind a JDK channel without reflection, JDK internals or {@code
 * --add-opens}, and returns a private duplicate of it (close-on-exec) that the caller owns.
 *
 * <h2>Network channels: tag the socket through the channel's API, find the tag in /proc/self</h2>
 *
 * The channel is given a distinctive option value that the kernel shows for its socket, and the
 * sockets of {@code /proc/self/fd} that show it are the candidates:
 *
 * <ul>
 *   <li>a channel that supports {@code SO_REUSEADDR} (TCP and UDP channels): the option is flipped
 *       and flipped back; only the channel's own socket follows both flips (getsockopt(2)). The
 *       original value is restored. While it is flipped, the socket is changed for every process
 *       that shares it: a bind(2) of another socket to the same address is judged by the flipped
 *       value.
 *   <li>other network channels (the JDK's Unix-domain channels): {@code SO_RCVBUF} is set to two
 *       random sizes; the original size is restored afterwards (the kernel then treats it as set
 *       explicitly).
 * </ul>
 *
 * The candidate that followed both tags is duplicated ({@code F_DUPFD_CLOEXEC}) and the
 * <em>duplicate</em> must follow two more tags: so even if the number was closed and reused
 * meanwhile, what is returned is the channel's own socket. A duplicate of the channel's descriptor
 * made by someone else is as good (same open file description). Calls are serialised process-wide;
 * do not change the same option from another thread during the call.
 *
 * <h2>File channels: look, change nothing</h2>
 *
 * A file's position is shared by every process that holds its open file description (a child given
 * the file writes at it), so it is never moved to tag the channel. The channel's descriptor is
 * recognised by what the channel tells without a system call that changes anything (its access
 * mode, by reads and writes of nothing; its position; its size) against what the kernel shows of
 * each descriptor ({@code flags:} and {@code pos:} of {@code /proc/self/fdinfo/N}, proc(5), and the
 * size from fstat(2)), twice, between readings of the channel's position and size (a child writing
 * through the file moves them meanwhile). Several descriptors that match are told apart by kcmp(2)
 * (one open file description, or several). If more than one open file description matches, or the
 * kernel refuses kcmp, the channel is refused with a sentence saying so (give the child the file by
 * its path instead); so is a channel whose position cannot be read (a FIFO, a terminal).
 */
public final class JdkChannels {
    private static final Object LOCK = new Object();
    private static final int ATTEMPTS = 4;

    private JdkChannels() {}

    /**
     * A private duplicate of the socket behind a JDK network channel ({@code SocketChannel}, {@code
     * ServerSocketChannel}, {@code DatagramChannel}, the asynchronous ones).
     *
     * @param channel an open channel
     * @return the duplicate, owned by the caller
     * @throws java.nio.channels.ClosedChannelException if the channel is closed
     * @throws IOException if its descriptor cannot be singled out
     */
    public static OwnedFd duplicate(NetworkChannel channel) throws IOException {
        Tag tag =
                channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEADDR)
                        ? new ReuseAddressTag(channel)
                        : new ReceiveBufferTag(channel);
        return find(tag, channel.toString());
    }

    /**
     * A private duplicate of the descriptor behind a JDK {@link FileChannel}, found without
     * changing the channel (see the class comment).
     *
     * @param channel an open channel of a file that can seek
     * @return the duplicate, owned by the caller
     * @throws java.nio.channels.ClosedChannelException if the channel is closed
     * @throws IllegalArgumentException if the file cannot seek (see the class comment)
     * @throws IOException if its descriptor cannot be told apart from another one of this process
     *     without changing the file's position, or is not found
     */
    public static OwnedFd duplicate(FileChannel channel) throws IOException {
        return new FileLook(channel).find();
    }

    private static OwnedFd find(Tag tag, String what) throws IOException {
        synchronized (LOCK) {
            tag.save();
            OwnedFd found = null;
            Throwable primary = null;
            try {
                found = search(tag);
            } catch (Throwable t) {
                primary = t;
                throw t;
            } finally {
                try {
                    tag.restore();
                } catch (IOException | RuntimeException e) {
                    if (primary != null) {
                        primary.addSuppressed(e);
                    } else {
                        if (found != null) {
                            found.close();
                        }
                        throw e;
                    }
                }
            }
            if (found == null) {
                throw new IOException(
                        what
                                + ": no socket of /proc/self/fd followed "
                                + tag.what()
                                + " in "
                                + ATTEMPTS
                                + " attempts, so its descriptor is not known (is the option changed from another thread?)");
            }
            return found;
        }
    }

    /**
     * The tagging rounds; the duplicate found, or null. Closes every duplicate it does not return.
     */
    private static OwnedFd search(Tag tag) throws IOException {
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
                try {
                    for (int round = 2; round < 4 && same; round++) {
                        tag.set(round);
                        same = tag.carries(dup, round);
                    }
                } catch (IOException | RuntimeException | Error e) {
                    Unistd.close(dup); // e.g. the channel closed meanwhile
                    throw e;
                }
                if (same) {
                    return new OwnedFd(dup);
                }
                Unistd.close(dup);
            }
        }
        return null;
    }

    /** The numbers in /proc/self/fd whose link target the tag may concern. */
    private static List<Integer> descriptors(Tag tag) throws IOException {
        List<Integer> fds = new ArrayList<>();
        for (int fd : numbers()) {
            try {
                if (tag.candidate(
                        Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString())) {
                    fds.add(fd);
                }
            } catch (IOException gone) {
                // the listing's own descriptor, or closed meanwhile
            }
        }
        return fds;
    }

    /** A state of the channel that the kernel shows per open file description. */
    private abstract static class Tag {
        abstract void save() throws IOException;

        /**
         * Puts the channel in the state of {@code round} (0 .. 3; every round differs from the one
         * before).
         */
        abstract void set(int round) throws IOException;

        /** Whether {@code fd} shows the state of {@code round}. */
        abstract boolean carries(int fd, int round);

        abstract void restore() throws IOException;

        abstract boolean candidate(String linkTarget);

        /** What the tag changes, for the failure's message. */
        abstract String what();
    }

    /**
     * Flips {@code SO_REUSEADDR} (rounds 0 and 2: the opposite of the original; 1 and 3: the
     * original).
     */
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

        @Override
        String what() {
            return "SO_REUSEADDR flipped";
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
                throw new IllegalArgumentException(
                        "channel=" + channel + " supports neither SO_REUSEADDR nor SO_RCVBUF");
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

        @Override
        String what() {
            return "SO_RCVBUF set to random sizes";
        }
    }

    /**
     * Finds a {@link FileChannel}'s descriptor by looking only: see the class comment. One use per
     * call of {@link #duplicate(FileChannel)}.
     */
    private static final class FileLook {
        /** Rounds in which the channel's position and size did not move backwards. */
        private static final int AGREEING_ROUNDS = 2;

        private static final int MAX_ROUNDS = 50;
        private static final int MAX_VERIFICATIONS = 3;
        private final FileChannel channel;
        private final int accessMode;

        FileLook(FileChannel channel) throws IOException {
            this.channel = channel;
            position(); // a FIFO or terminal fails here, before anything else
            boolean readable = probe(true);
            boolean writable = probe(false);
            this.accessMode =
                    readable && writable
                            ? Unistd.O_RDWR
                            : writable ? Unistd.O_WRONLY : Unistd.O_RDONLY;
        }

        /**
         * Whether the channel reads (or writes): a read (or write) of nothing, which makes no
         * system call.
         */
        private boolean probe(boolean read) throws IOException {
            try {
                if (read) {
                    channel.read(ByteBuffer.allocate(0));
                } else {
                    channel.write(ByteBuffer.allocate(0));
                }
                return true;
            } catch (NonReadableChannelException | NonWritableChannelException e) {
                return false;
            }
        }

        private long position() throws IOException {
            try {
                return channel.position();
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "channel="
                                + channel
                                + " is of a file that cannot seek ("
                                + e.getMessage()
                                + "): its descriptor cannot be found through the JDK's API; open a FIFO with io.jipc.pipe.Fifo",
                        e);
            }
        }

        /** What one descriptor shows. */
        private record Seen(int fd, String target, long pos, int flags, long size) {}

        /** The channel's position and size before and after a look at the descriptors. */
        private record Window(long p1, long s1, long p2, long s2) {
            boolean valid() {
                return p1 <= p2 && s1 <= s2;
            }

            /**
             * Whether {@code d} may be the channel's descriptor: an append-mode descriptor's
             * position is its size (FileChannel.position says so too), any other's is its own.
             */
            boolean admits(Seen d) {
                boolean append = (d.flags() & Descriptors.O_APPEND) != 0;
                long pos = append ? d.size() : d.pos();
                return d.size() >= s1 && d.size() <= s2 && pos >= p1 && pos <= p2;
            }

            @Override
            public String toString() {
                return (p1 == p2 ? "position " + p1 : "position " + p1 + ".." + p2)
                        + (s1 == s2 ? ", size " + s1 : ", size " + s1 + ".." + s2);
            }
        }

        OwnedFd find() throws IOException {
            for (int verification = 0; verification < MAX_VERIFICATIONS; verification++) {
                Seen chosen = choose();
                int dup = Descriptors.dupCloseOnExec(chosen.fd(), 3);
                if (dup < 0) {
                    continue; // closed meanwhile: look again
                }
                boolean same;
                try {
                    same = verify(chosen, dup);
                } catch (IOException | RuntimeException | Error e) {
                    Unistd.close(dup);
                    throw e;
                }
                if (same) {
                    return new OwnedFd(dup);
                }
                Unistd.close(dup); // the number was closed and reused meanwhile: look again
            }
            throw new IOException(
                    "channel="
                            + channel
                            + ": its descriptor changed under every look ("
                            + MAX_VERIFICATIONS
                            + " times); is the channel closed and reopened from another thread?");
        }

        /** The one open file description that matches in every agreeing round. */
        private Seen choose() throws IOException {
            Map<String, Seen> agreed = null;
            Window last = null;
            int agreeing = 0;
            for (int round = 0; round < MAX_ROUNDS && agreeing < AGREEING_ROUNDS; round++) {
                long p1 = position();
                long s1 = channel.size();
                List<Seen> seen = look();
                long s2 = channel.size();
                long p2 = position();
                Window w = new Window(p1, s1, p2, s2);
                if (!w.valid()) {
                    continue; // moved backwards meanwhile (a seek or a truncation): look again
                }
                last = w;
                agreeing++;
                Map<String, Seen> matching = new LinkedHashMap<>();
                for (Seen d : seen) {
                    if (w.admits(d)) {
                        matching.put(d.fd() + " " + d.target(), d);
                    }
                }
                if (agreed == null) {
                    agreed = matching;
                } else {
                    agreed.keySet().retainAll(matching.keySet());
                }
            }
            if (!channel.isOpen()) {
                throw new ClosedChannelException();
            }
            if (agreed == null) {
                throw new IOException(
                        "channel="
                                + channel
                                + ": its position or size moved backwards at every look ("
                                + MAX_ROUNDS
                                + " times); something seeks or truncates the file meanwhile");
            }
            List<Seen> found = List.copyOf(agreed.values());
            String shown = modeName() + ", " + last;
            if (found.isEmpty()) {
                throw new IOException(
                        "channel="
                                + channel
                                + ": no descriptor of this process shows what the channel"
                                + " shows ("
                                + shown
                                + "), so its descriptor is not known");
            }
            Seen first = found.get(0);
            for (Seen other : found.subList(1, found.size())) {
                int same = Descriptors.sameOpenFile(first.fd(), other.fd());
                if (same != 1) {
                    throw new IOException(
                            "channel="
                                    + channel
                                    + ": "
                                    + found.size()
                                    + " descriptors of this process show"
                                    + " what the channel shows ("
                                    + shown
                                    + "): "
                                    + describe(found)
                                    + "; "
                                    + (same == 0
                                            ? "they are different open files"
                                            : "the kernel refused to compare them (kcmp: "
                                                    + io.jipc.Errno.of(-same)
                                                    + ")")
                                    + ", and jipc does not move the file's position to tell them apart (a process sharing"
                                    + " the file would write there); give the child the file by its path"
                                    + " (Spawn.fd(n, Path, OpenOption...)) instead");
                }
            }
            return first;
        }

        /**
         * Whether {@code dup}, a duplicate of {@code chosen}'s number, is still what was chosen.
         */
        private boolean verify(Seen chosen, int dup) throws IOException {
            long p1 = position();
            long s1 = channel.size();
            Seen now = see(dup);
            long s2 = channel.size();
            long p2 = position();
            Window w = new Window(p1, s1, p2, s2);
            return now != null
                    && now.target().equals(chosen.target())
                    && (now.flags() & ~Unistd.O_CLOEXEC) == (chosen.flags() & ~Unistd.O_CLOEXEC)
                    && (!w.valid() || w.admits(now));
        }

        private String modeName() {
            return accessMode == Unistd.O_RDWR
                    ? "read and write"
                    : accessMode == Unistd.O_WRONLY ? "write only" : "read only";
        }

        private static String describe(List<Seen> found) {
            StringBuilder b = new StringBuilder();
            for (Seen d : found) {
                b.append(b.isEmpty() ? "" : ", ")
                        .append("fd ")
                        .append(d.fd())
                        .append(' ')
                        .append(d.target());
            }
            return b.toString();
        }

        /** The descriptors of this process that may be a file's with the channel's access mode. */
        private List<Seen> look() throws IOException {
            List<Seen> seen = new ArrayList<>();
            for (int fd : numbers()) {
                Seen d = see(fd);
                if (d != null) {
                    seen.add(d);
                }
            }
            return seen;
        }

        /** What {@code fd} shows, or null if it is not a candidate (or closed meanwhile). */
        private Seen see(int fd) {
            String target;
            try {
                target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            } catch (IOException gone) {
                return null;
            }
            if (target.startsWith("socket:")
                    || target.startsWith("pipe:")
                    || target.startsWith("anon_inode:")) {
                return null;
            }
            long pos = -1;
            int flags = -1;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                    if (line.startsWith("pos:")) {
                        pos = Long.parseLong(line.substring(4).trim());
                    } else if (line.startsWith("flags:")) {
                        flags = Integer.parseInt(line.substring(6).trim(), 8);
                    }
                }
            } catch (IOException | NumberFormatException gone) {
                return null;
            }
            if (pos < 0
                    || flags < 0
                    || (flags & Descriptors.O_PATH) != 0
                    || (flags & Unistd.O_ACCMODE) != accessMode) {
                return null;
            }
            long size = Mman.fileSize(fd);
            return size < 0 ? null : new Seen(fd, target, pos, flags, size);
        }
    }

    /** The numbers open in /proc/self/fd now. */
    private static List<Integer> numbers() throws IOException {
        List<Integer> fds = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            s.forEach(e -> fds.add(Integer.parseInt(e.getFileName().toString())));
        }
        return fds;
    }
}
