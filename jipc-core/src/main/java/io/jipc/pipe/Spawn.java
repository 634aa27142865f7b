package io.jipc.pipe;

import io.jipc.Descriptor;
import io.jipc.Errno;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.linux.PosixSpawn;
import java.io.File;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Starts a child process (any executable) that inherits chosen descriptors at chosen numbers
 * and nothing else (posix_spawn(3)). What {@link ProcessBuilder} cannot do: give a pipe end as
 * fd 3, or keep the JVM's other descriptors out of the child.
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
 *       {@link #stderr}) at those numbers; 0, 1 and 2 not given are the JVM's own stdin, stdout and
 *       stderr unless {@link #inheritStdio(boolean) inheritStdio(false)};</li>
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
 */
public final class Spawn {
    private final List<String> command;
    private final TreeMap<Integer, Descriptor> fds = new TreeMap<>();
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
     * Gives the child {@code end} as descriptor {@code target} (replacing an earlier choice for
     * that number): a pipe or FIFO end, a socket, a listening socket, any {@link Descriptor}.
     *
     * @param target the number in the child (0 stdin, 1 stdout, 2 stderr, 3 ...)
     * @param end an open descriptor of this process
     * @return this builder
     */
    public Spawn fd(int target, Descriptor end) {
        if (target < 0 || target > 1 << 16) {
            throw new IllegalArgumentException("target=" + target);
        }
        fds.put(target, Objects.requireNonNull(end, "end"));
        return this;
    }

    /**
     * Gives {@code end} as the child's stdin (fd 0).
     *
     * @param end a read end, or any descriptor the child reads from
     * @return this builder
     */
    public Spawn stdin(Descriptor end) {
        return fd(0, end);
    }

    /**
     * Gives {@code end} as the child's stdout (fd 1).
     *
     * @param end a write end, or any descriptor the child writes to
     * @return this builder
     */
    public Spawn stdout(Descriptor end) {
        return fd(1, end);
    }

    /**
     * Gives {@code end} as the child's stderr (fd 2).
     *
     * @param end a write end, or any descriptor the child writes to
     * @return this builder
     */
    public Spawn stderr(Descriptor end) {
        return fd(2, end);
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
     * Starts the child (posix_spawn(3)); returns once it runs the new program.
     *
     * @return the child
     * @throws NoSuchFileException if the program does not exist (or is not on {@code PATH})
     * @throws AccessDeniedException if it may not be executed
     * @throws java.nio.channels.ClosedChannelException if a given end is closed
     * @throws IOException if posix_spawn fails otherwise
     */
    public Child start() throws IOException {
        Map<String, String> env = environment != null ? environment : System.getenv();
        String program = resolve(command.get(0), env);
        List<String> envp = new ArrayList<>();
        env.forEach((k, v) -> envp.add(k + "=" + v));
        List<PosixSpawn.FdMapping> mappings = new ArrayList<>();
        List<Descriptor> acquired = new ArrayList<>();
        try {
            for (Map.Entry<Integer, Descriptor> e : fds.entrySet()) {
                int source = Fds.acquire(e.getValue());
                acquired.add(e.getValue());
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
