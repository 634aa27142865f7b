package io.jipc.pipe;

import io.jipc.Descriptor;
import io.jipc.Errno;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.JdkChannels;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.PosixSpawn;
import java.io.File;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Starts a child process (any executable) that inherits chosen descriptors at chosen numbers
 * and nothing else ({@man posix_spawn(3)}). What {@link ProcessBuilder} cannot do: give a pipe end, a
 * socket or a listening socket as fd 3, or keep the JVM's other descriptors out of the child.
 *
 * <pre>{@code
 * try (Pipe in = Pipe.open(); Pipe out = Pipe.open()) {
 *     Child c = Spawn.of("sort").stdin(in.source()).stdout(out.sink()).start();
 *     in.source().close(); out.sink().close();          // the child has its own copies
 *     in.sink().write(ByteBuffer.wrap("b\na\n".getBytes()));
 *     in.sink().close();                                // sort sees end-of-file
 *     byte[] sorted = out.source().inputStream().readAllBytes();
 *     c.waitFor();
 * }
 * }</pre>
 *
 * <p>The child gets:
 * <ul>
 *   <li>the descriptors given with {@link #fd(int, Descriptor)} (or {@link #stdin}, {@link #stdout},
 *       {@link #stderr}) at those numbers: any jipc {@link Descriptor} (pipe and FIFO ends,
 *       {@code UnixSocket}, {@code UnixServerSocket}, {@code RawDescriptor}, ...), the socket of a
 *       JDK {@link NetworkChannel} ({@link #fd(int, NetworkChannel)}) or the file of a JDK
 *       {@link FileChannel} ({@link #fd(int, FileChannel)}); 0, 1 and 2 not given are the JVM's
 *       own stdin, stdout and stderr unless {@link #inheritStdio(boolean) inheritStdio(false)};</li>
 *   <li>no other descriptor: all others are closed in the child (file actions {@code adddup2},
 *       {@code addclose} and {@code addclosefrom_np});</li>
 *   <li>an empty signal mask and every signal at its default disposition
 *       ({@code POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF}; Java threads block some signals);
 *       glibc keeps its two reserved real-time signals (32, 33) ignored, as in the JDK's own
 *       children;</li>
 *   <li>the JVM's environment and working directory unless {@link #environment()} or
 *       {@link #directory(Path)} change them.</li>
 * </ul>
 * A program name without {@code /} is looked up in the {@code PATH} of the child's environment,
 * before the spawn, so that "not found" is a {@link NoSuchFileException} naming the program; a
 * relative path with {@code /} is taken relative to the child's working directory.
 *
 * <p>The ends given stay open in this process: close your copy of an end the child now holds
 * (typically the child's read end after start, so that only the child reads, and the child's
 * write end, so that end-of-file comes when the child exits).
 *
 * <h2>In the child</h2>
 * A child JVM takes what it inherited as the type it is: {@code ReadEnd.inherited(3)},
 * {@code WriteEnd.inherited(4)}, {@code UnixSocket.inherited(5)},
 * {@code UnixServerSocket.inherited(6)}, or {@code new RawDescriptor(7)} for anything else (each
 * checks the descriptor and marks it close-on-exec). A listening socket, Unix-domain or TCP, given
 * as fd 0 is what {@link System#inheritedChannel()} returns there, as a JDK
 * {@code ServerSocketChannel} (the inetd convention). A C child just uses the numbers.
 */
public final class Spawn {
    private final List<String> command;
    private final TreeMap<Integer, Channel> fds = new TreeMap<>();
    private Map<String, String> environment;
    private Path directory;
    private boolean inheritStdio = true;

    private Spawn(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command=[] is empty");
        }
        for (String s : command) {
            Objects.requireNonNull(s, "command element");
        }
        this.command = List.copyOf(command);
    }

    /**
     * A child running {@code program} with {@code args}.
     *
     * @param program a path, or a name looked up in {@code PATH}
     * @param args the arguments (not including {@code argv[0]}, which is {@code program})
     * @return the builder
     */
    public static Spawn of(String program, String... args) {
        List<String> c = new ArrayList<>();
        c.add(program);
        c.addAll(List.of(args));
        return new Spawn(c);
    }

    /**
     * A child running {@code command.get(0)} with the rest as arguments.
     *
     * @param command the program and its arguments
     * @return the builder
     */
    public static Spawn of(List<String> command) {
        return new Spawn(command);
    }

    /**
     * Gives the child {@code end} as descriptor {@code target}: a pipe or FIFO end, a socket, a
     * listening socket, any {@link Descriptor} of jipc. The same descriptor may be given at several
     * numbers.
     *
     * @param target the number in the child (0 stdin, 1 stdout, 2 stderr, 3 ...), not given before
     * @param end an open descriptor of this process
     * @return this builder
     * @throws IllegalArgumentException if {@code target} is negative or was given already, or
     *     {@code end} is closed
     */
    public Spawn fd(int target, Descriptor end) {
        return give(target, Objects.requireNonNull(end, "end"), end.isOpen());
    }

    /**
     * Gives the child the socket of a JDK channel as descriptor {@code target}: a
     * {@link java.nio.channels.SocketChannel}, {@link java.nio.channels.ServerSocketChannel} or
     * {@link java.nio.channels.DatagramChannel}, TCP, UDP or Unix-domain. A child JVM given a
     * listening channel as fd 0 gets it back from {@link System#inheritedChannel()} (the inetd
     * convention); a C child simply calls {@code accept(0, ...)}.
     *
     * <p>The JDK has no public way to name a channel's descriptor; {@link #start()} finds it
     * without reflection or JDK internals by setting an option of the channel and finding the
     * socket that shows it in {@code /proc/self/fd}, then restores the option: {@code SO_REUSEADDR}
     * (flipped and restored exactly) where the channel has it, else {@code SO_RCVBUF} (Unix-domain
     * channels; the size is restored, which changes nothing for them). Do not change that option
     * from another thread during {@code start()}.
     *
     * <p>The blocking mode ({@code O_NONBLOCK}) belongs to the socket, so the child shares it: a
     * channel in non-blocking mode, or one that a virtual thread used (the JDK then makes its socket
     * non-blocking), reaches the child non-blocking.
     *
     * @param target the number in the child, not given before
     * @param channel an open channel of this process
     * @return this builder
     * @throws IllegalArgumentException if {@code target} is negative or was given already, or
     *     {@code channel} is closed
     */
    public Spawn fd(int target, NetworkChannel channel) {
        return give(target, Objects.requireNonNull(channel, "channel"), channel.isOpen());
    }

    /**
     * Gives the child the file of a JDK {@link FileChannel} as descriptor {@code target}, e.g. a log
     * file as stdout. The child shares the file's position (one open file description).
     *
     * <p>{@link #start()} finds the channel's descriptor through its public API: it moves the
     * channel's position to a random offset, finds the descriptor whose position
     * ({@code /proc/self/fdinfo}) is that offset, and moves it back. So the channel must not be
     * read or written from another thread during {@code start()}, and only files that keep a
     * position can be given: a {@code FileChannel} of a FIFO, a terminal or {@code /dev/null} is
     * refused at {@code start()} with an exception saying so (give a FIFO as a jipc
     * {@link Fifo} end).
     *
     * @param target the number in the child, not given before
     * @param channel an open channel of this process
     * @return this builder
     * @throws IllegalArgumentException if {@code target} is negative or was given already, or
     *     {@code channel} is closed
     */
    public Spawn fd(int target, FileChannel channel) {
        return give(target, Objects.requireNonNull(channel, "channel"), channel.isOpen());
    }

    private Spawn give(int target, Channel what, boolean open) {
        if (target < 0 || target > 1 << 16) {
            throw new IllegalArgumentException("target=" + target + " must be 0.." + (1 << 16));
        }
        Channel before = fds.get(target);
        if (before != null) {
            throw new IllegalArgumentException("target=" + target + " is given already (" + before + ")");
        }
        if (!open) {
            throw new IllegalArgumentException("target=" + target + ": " + what + " is closed");
        }
        fds.put(target, what);
        return this;
    }

    /**
     * Gives {@code end} as the child's stdin (fd 0).
     *
     * @param end a read end, or any descriptor the child reads from
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, Descriptor)}
     */
    public Spawn stdin(Descriptor end) {
        return fd(0, end);
    }

    /**
     * Gives a JDK channel's socket as the child's stdin (fd 0), e.g. a listening
     * {@link java.nio.channels.ServerSocketChannel} for an inetd-style child; see
     * {@link #fd(int, NetworkChannel)}.
     *
     * @param channel the channel
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, NetworkChannel)}
     */
    public Spawn stdin(NetworkChannel channel) {
        return fd(0, channel);
    }

    /**
     * Gives a file as the child's stdin (fd 0); see {@link #fd(int, FileChannel)}.
     *
     * @param channel the channel
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, FileChannel)}
     */
    public Spawn stdin(FileChannel channel) {
        return fd(0, channel);
    }

    /**
     * Gives {@code end} as the child's stdout (fd 1).
     *
     * @param end a write end, or any descriptor the child writes to
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, Descriptor)}
     */
    public Spawn stdout(Descriptor end) {
        return fd(1, end);
    }

    /**
     * Gives a JDK channel's socket as the child's stdout (fd 1); see {@link #fd(int, NetworkChannel)}.
     *
     * @param channel the channel
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, NetworkChannel)}
     */
    public Spawn stdout(NetworkChannel channel) {
        return fd(1, channel);
    }

    /**
     * Gives a file as the child's stdout (fd 1); see {@link #fd(int, FileChannel)}.
     *
     * @param channel the channel
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, FileChannel)}
     */
    public Spawn stdout(FileChannel channel) {
        return fd(1, channel);
    }

    /**
     * Gives {@code end} as the child's stderr (fd 2).
     *
     * @param end a write end, or any descriptor the child writes to
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, Descriptor)}
     */
    public Spawn stderr(Descriptor end) {
        return fd(2, end);
    }

    /**
     * Gives a JDK channel's socket as the child's stderr (fd 2); see {@link #fd(int, NetworkChannel)}.
     *
     * @param channel the channel
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, NetworkChannel)}
     */
    public Spawn stderr(NetworkChannel channel) {
        return fd(2, channel);
    }

    /**
     * Gives a file as the child's stderr (fd 2); see {@link #fd(int, FileChannel)}.
     *
     * @param channel the channel
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, FileChannel)}
     */
    public Spawn stderr(FileChannel channel) {
        return fd(2, channel);
    }

    /**
     * Whether fds 0, 1 and 2 that were not given explicitly are the JVM's own (the default) or
     * closed in the child.
     *
     * @param inherit true to inherit them
     * @return this builder
     */
    public Spawn inheritStdio(boolean inherit) {
        this.inheritStdio = inherit;
        return this;
    }

    /**
     * The child's environment, a modifiable copy of the JVM's ({@link System#getenv()}) made on
     * first call.
     *
     * @return the map to change
     */
    public Map<String, String> environment() {
        if (environment == null) {
            environment = new HashMap<>(System.getenv());
        }
        return environment;
    }

    /**
     * The child's working directory (default: the JVM's).
     *
     * @param dir the directory
     * @return this builder
     */
    public Spawn directory(Path dir) {
        this.directory = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /**
     * Starts the child ({@man posix_spawn(3)}); returns once it runs the new program. Nothing is left
     * open in this process by a failed start.
     *
     * @return the child
     * @throws NoSuchFileException if the program does not exist (or is not on {@code PATH})
     * @throws AccessDeniedException if it may not be executed
     * @throws IllegalArgumentException if a given descriptor or channel was closed after it was
     *     given, or is a {@link FileChannel} of a file that keeps no position
     * @throws IOException if the descriptor of a JDK channel cannot be found, or posix_spawn fails
     *     otherwise
     */
    public Child start() throws IOException {
        Map<String, String> env = environment != null ? environment : System.getenv();
        String program = resolve(command.get(0), env);
        List<String> envp = new ArrayList<>();
        env.forEach((k, v) -> envp.add(k + "=" + v));
        List<PosixSpawn.FdMapping> mappings = new ArrayList<>();
        List<Descriptor> acquired = new ArrayList<>();
        Map<Channel, OwnedFd> duplicates = new IdentityHashMap<>();
        try {
            for (Map.Entry<Integer, Channel> e : fds.entrySet()) {
                int source = source(e.getKey(), e.getValue(), acquired, duplicates);
                mappings.add(new PosixSpawn.FdMapping(source, e.getKey()));
            }
            if (inheritStdio) {
                for (int n = 0; n <= 2; n++) {
                    if (!fds.containsKey(n)) {
                        mappings.add(new PosixSpawn.FdMapping(n, n));
                    }
                }
            }
            int pid = PosixSpawn.spawn(program, command, envp,
                    directory == null ? null : directory.toString(), mappings);
            if (Errors.is(pid, Errno.ENOENT)) {
                throw new NoSuchFileException(program, null, directory != null
                        ? "posix_spawn: the program or the directory " + directory + " does not exist"
                        : "posix_spawn: no such program");
            }
            if (Errors.is(pid, Errno.EACCES)) {
                throw new AccessDeniedException(program, null, "posix_spawn: may not be executed");
            }
            if (pid < 0) {
                throw Errors.failure(pid, "posix_spawn", program, null);
            }
            return new Child(pid, String.join(" ", command));
        } finally {
            for (Descriptor end : acquired) {
                Fds.release(end);
            }
            for (OwnedFd dup : duplicates.values()) {
                dup.release();
                dup.close();
            }
        }
    }

    /** This process's number for what is given at {@code target}, held until the spawn is done. */
    private static int source(int target, Channel given, List<Descriptor> acquired, Map<Channel, OwnedFd> duplicates)
            throws IOException {
        try {
            if (given instanceof Descriptor d) {
                int n = Fds.acquire(d);
                acquired.add(d);
                return n;
            }
            OwnedFd dup = duplicates.get(given);
            if (dup == null) {
                dup = given instanceof FileChannel f ? JdkChannels.duplicate(f) : JdkChannels.duplicate((NetworkChannel) given);
                int n = dup.acquire(); // cannot fail: the duplicate is new; released with it
                duplicates.put(given, dup);
                return n;
            }
            return dup.number();
        } catch (ClosedChannelException closed) {
            throw new IllegalArgumentException("target=" + target + ": " + given + " was closed before start()", closed);
        }
    }

    private static String resolve(String program, Map<String, String> env) throws NoSuchFileException {
        if (program.contains("/")) {
            return program;
        }
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new NoSuchFileException(program, null, "not found on PATH=" + path);
    }
}
