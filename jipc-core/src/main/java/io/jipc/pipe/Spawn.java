package io.jipc.pipe;

import io.jipc.Descriptor;
import io.jipc.Errno;
import io.jipc.internal.Errors;
import io.jipc.internal.Fds;
import io.jipc.internal.JdkChannels;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.Descriptors;
import io.jipc.internal.linux.PosixSpawn;
import io.jipc.internal.linux.Unistd;

import java.io.File;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Starts a child process (any executable) that inherits chosen descriptors at chosen numbers and
 * nothing else ({@man posix_spawn(3)}). What {@link ProcessBuilder} cannot do: give a pipe end, a
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
 *
 * <ul>
 *   <li>the descriptors given with {@link #fd(int, Descriptor)} (or {@link #stdin}, {@link
 *       #stdout}, {@link #stderr}) at those numbers: any jipc {@link Descriptor} (pipe and FIFO
 *       ends, {@code UnixSocket}, {@code UnixServerSocket}, {@code RawDescriptor}, ...), the socket
 *       of a JDK {@link NetworkChannel} ({@link #fd(int, NetworkChannel)}), the file of a JDK
 *       {@link FileChannel} ({@link #fd(int, FileChannel)}), or a file that jipc opens for the
 *       child ({@link #fd(int, Path, OpenOption...)}, like a shell's {@code >file}); 0, 1 and 2 not
 *       given are the JVM's own stdin, stdout and stderr unless {@link #inheritStdio(boolean)
 *       inheritStdio(false)};
 *   <li>no other descriptor: all others are closed in the child (file actions {@code adddup2},
 *       {@code addclose} and {@code addclosefrom_np});
 *   <li>an empty signal mask and every signal at its default disposition ({@code
 *       POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF}; Java threads block some signals); glibc
 *       keeps its two reserved real-time signals (32, 33) ignored, as in the JDK's own children;
 *   <li>the JVM's environment and working directory unless {@link #environment()} or {@link
 *       #directory(Path)} change them.
 * </ul>
 *
 * A program name without {@code /} is looked up in the {@code PATH} of the child's environment,
 * before the spawn, so that "not found" is a {@link NoSuchFileException} naming the program; a
 * relative path with {@code /} is taken relative to the child's working directory.
 *
 * <p>The ends given stay open in this process: close your copy of an end the child now holds
 * (typically the child's read end after start, so that only the child reads, and the child's write
 * end, so that end-of-file comes when the child exits).
 *
 * <h2>In the child</h2>
 *
 * A child JVM takes what it inherited as the type it is: {@code ReadEnd.inherited(3)}, {@code
 * WriteEnd.inherited(4)}, {@code UnixSocket.inherited(5)}, {@code UnixServerSocket.inherited(6)},
 * or {@code new RawDescriptor(7)} for anything else (each checks the descriptor and marks it
 * close-on-exec). A listening socket, Unix-domain or TCP, given as fd 0 is what {@link
 * System#inheritedChannel()} returns there, as a JDK {@code ServerSocketChannel} (the inetd
 * convention). A C child just uses the numbers.
 */
public final class Spawn {
    private final List<String> command;

    /**
     * By number in the child: a {@link Descriptor}, a JDK {@link NetworkChannel} or {@link
     * FileChannel}, or an {@link OpenFile}.
     */
    private final TreeMap<Integer, Object> fds = new TreeMap<>();

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
     * Gives the child the socket of a JDK channel as descriptor {@code target}: a {@link
     * java.nio.channels.SocketChannel}, {@link java.nio.channels.ServerSocketChannel} or {@link
     * java.nio.channels.DatagramChannel}, TCP, UDP or Unix-domain. A child JVM given a listening
     * channel as fd 0 gets it back from {@link System#inheritedChannel()} (the inetd convention); a
     * C child simply calls {@code accept(0, ...)}.
     *
     * <p>The JDK has no public way to name a channel's descriptor; {@link #start()} finds it
     * without reflection or JDK internals by setting an option of the channel and finding the
     * socket that shows it in {@code /proc/self/fd}, then restores the option: {@code SO_REUSEADDR}
     * (flipped and restored exactly) where the channel has it, else {@code SO_RCVBUF} (Unix-domain
     * channels; the size is restored, which changes nothing for them). Do not change that option
     * from another thread during {@code start()}.
     *
     * <p>The blocking mode ({@code O_NONBLOCK}) belongs to the socket, so the child shares it: a
     * channel in non-blocking mode, or one that a virtual thread used (the JDK then makes its
     * socket non-blocking), reaches the child non-blocking.
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
     * Gives the child the file of a JDK {@link FileChannel} as descriptor {@code target}. The child
     * shares the file's position with the channel (one open file description): what it writes moves
     * the channel's position, and the other way round.
     *
     * <p>{@link #start()} finds the channel's descriptor through its public API without changing
     * anything: it compares what the channel tells (access mode, position, size) with what the
     * kernel shows for each descriptor of this process ({@code /proc/self/fdinfo}, fstat), and
     * tells matching descriptors apart with {@man kcmp(2)}. It refuses (an {@link IOException}
     * saying why) when more than one open file of this process matches, e.g. the same file opened
     * twice and read or written to the same point, or when the kernel refuses kcmp; a {@code
     * FileChannel} of a FIFO or a terminal, which has no position, is refused too (give a FIFO as a
     * jipc {@link Fifo} end). When you only want the child to write to or read from a file, give
     * the path instead ({@link #fd(int, Path, OpenOption...)}): nothing to find, and the child's
     * position is its own.
     *
     * <p>{@code start()} closes the duplicate it made once the child runs; like every close of a
     * descriptor of that file, this drops the record locks this process holds on it ({@man
     * fcntl(2)}), e.g. a {@code FileLock} of a {@code FileChannel}.
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

    /**
     * Gives the child a file that {@link #start()} opens for it as descriptor {@code target}, as a
     * shell's {@code n<file}, {@code n>file} and {@code n>>file} do. Every {@code start()} opens
     * the file anew ({@man open(2)}, close-on-exec) and closes this process's descriptor once the
     * child runs: the child holds the only descriptor of that open file, and its position is its
     * own.
     *
     * <p>The options are those of {@link FileChannel#open(Path, OpenOption...)}, with the same
     * rules: {@code READ} if neither {@code WRITE} nor {@code APPEND} is given; {@code APPEND}
     * writes; not {@code READ} with {@code APPEND}, not {@code APPEND} with {@code
     * TRUNCATE_EXISTING}; {@code CREATE} and {@code CREATE_NEW} only when writing, and {@code
     * TRUNCATE_EXISTING} too; {@code SYNC}, {@code DSYNC}, {@code NOFOLLOW_LINKS}; {@code SPARSE}
     * is ignored. A new file gets mode {@code 0666} less the umask, as with {@code
     * FileChannel.open} and a shell. Opening a FIFO waits until it has a peer (a {@link Fifo} end
     * gives you a bounded wait). A failed open fails {@code start()} as {@code FileChannel.open}
     * would: {@link NoSuchFileException}, {@link FileAlreadyExistsException}, {@link
     * AccessDeniedException}, naming the file.
     *
     * <p>Closing this process's descriptor of the file drops the record locks this process holds on
     * it ({@man fcntl(2)}), e.g. a {@code FileLock} of a {@code FileChannel} of the same file.
     *
     * @param target the number in the child, not given before
     * @param file the file, relative to this process's working directory
     * @param options how to open it
     * @return this builder
     * @throws IllegalArgumentException if {@code target} is negative or was given already, or the
     *     options break a rule above or are not supported ({@code DELETE_ON_CLOSE})
     */
    public Spawn fd(int target, Path file, OpenOption... options) {
        Objects.requireNonNull(file, "file");
        Set<OpenOption> set = new LinkedHashSet<>();
        for (OpenOption o : options) {
            set.add(Objects.requireNonNull(o, "option"));
        }
        return give(
                target,
                new OpenFile(file.toAbsolutePath(), OpenFile.flags(set), Set.copyOf(set)),
                true);
    }

    /**
     * A file that {@link #start()} opens for the child: its path and its flags for {@man open(2)}.
     */
    private record OpenFile(Path path, int flags, Set<OpenOption> options) {
        static int flags(Set<OpenOption> options) {
            boolean read = false;
            boolean write = false;
            boolean append = false;
            boolean truncate = false;
            boolean create = false;
            boolean createNew = false;
            int extra = 0;
            for (OpenOption o : options) {
                if (o == StandardOpenOption.READ) {
                    read = true;
                } else if (o == StandardOpenOption.WRITE) {
                    write = true;
                } else if (o == StandardOpenOption.APPEND) {
                    append = true;
                } else if (o == StandardOpenOption.TRUNCATE_EXISTING) {
                    truncate = true;
                } else if (o == StandardOpenOption.CREATE) {
                    create = true;
                } else if (o == StandardOpenOption.CREATE_NEW) {
                    createNew = true;
                } else if (o == StandardOpenOption.SYNC) {
                    extra |= Descriptors.O_SYNC;
                } else if (o == StandardOpenOption.DSYNC) {
                    extra |= Descriptors.O_DSYNC;
                } else if (o == LinkOption.NOFOLLOW_LINKS) {
                    extra |= Descriptors.O_NOFOLLOW;
                } else if (o != StandardOpenOption.SPARSE) {
                    throw new IllegalArgumentException(
                            "option=" + o + " is not supported for a file given to a child");
                }
            }
            if (!read && !write) {
                if (append) {
                    write = true;
                } else {
                    read = true;
                }
            }
            if (read && append) {
                throw new IllegalArgumentException(
                        "options=" + options + ": READ + APPEND not allowed");
            }
            if (append && truncate) {
                throw new IllegalArgumentException(
                        "options=" + options + ": APPEND + TRUNCATE_EXISTING not allowed");
            }
            int flags =
                    extra
                            | (read && write
                                    ? Unistd.O_RDWR
                                    : write ? Unistd.O_WRONLY : Unistd.O_RDONLY);
            if (write) {
                flags |= (truncate ? Descriptors.O_TRUNC : 0) | (append ? Descriptors.O_APPEND : 0);
                if (createNew) {
                    flags |= Descriptors.O_CREAT | Descriptors.O_EXCL | Descriptors.O_NOFOLLOW;
                } else if (create) {
                    flags |= Descriptors.O_CREAT;
                }
            }
            return flags;
        }

        /** Opens the file (close-on-exec), or fails as FileChannel.open would. */
        OwnedFd open() throws IOException {
            String name = path.toString();
            int fd = Unistd.open(name, flags | Unistd.O_CLOEXEC, 0666);
            if (fd >= 0) {
                return new OwnedFd(fd);
            }
            if (Errors.is(fd, Errno.ENOENT)) {
                throw new NoSuchFileException(
                        name,
                        null,
                        "open: no such file"
                                + ((flags & Descriptors.O_CREAT) == 0
                                                && (flags & Unistd.O_ACCMODE) != Unistd.O_RDONLY
                                        ? " (CREATE creates it)"
                                        : ""));
            }
            if (Errors.is(fd, Errno.EEXIST)) {
                throw new FileAlreadyExistsException(
                        name, null, "open: CREATE_NEW, and the file exists");
            }
            if (Errors.is(fd, Errno.EACCES) || Errors.is(fd, Errno.EPERM)) {
                throw new AccessDeniedException(
                        name, null, "open: " + Errno.of(-fd).name() + " " + options);
            }
            if (Errors.is(fd, Errno.ELOOP) && (flags & Descriptors.O_NOFOLLOW) != 0) {
                throw new FileSystemException(
                        name, null, "open: a symbolic link, and NOFOLLOW_LINKS was given");
            }
            if (Errors.is(fd, Errno.EISDIR)) {
                throw new FileSystemException(
                        name, null, "open: a directory cannot be opened for writing");
            }
            throw Errors.failure(fd, "open", name, null);
        }

        @Override
        public String toString() {
            return "file " + path + " " + options;
        }
    }

    private Spawn give(int target, Object what, boolean open) {
        if (target < 0 || target > 1 << 16) {
            throw new IllegalArgumentException("target=" + target + " must be 0.." + (1 << 16));
        }
        Object before = fds.get(target);
        if (before != null) {
            throw new IllegalArgumentException(
                    "target=" + target + " is given already (" + before + ")");
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
     * Gives a JDK channel's socket as the child's stdin (fd 0), e.g. a listening {@link
     * java.nio.channels.ServerSocketChannel} for an inetd-style child; see {@link #fd(int,
     * NetworkChannel)}.
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
     * Gives a file, opened for reading at {@link #start()}, as the child's stdin (fd 0), like a
     * shell's {@code <file}; see {@link #fd(int, Path, OpenOption...)}.
     *
     * @param file the file
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, Path, OpenOption...)}
     */
    public Spawn stdin(Path file) {
        return fd(0, file, StandardOpenOption.READ);
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
     * Gives a JDK channel's socket as the child's stdout (fd 1); see {@link #fd(int,
     * NetworkChannel)}.
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
     * Gives a file, opened at {@link #start()}, as the child's stdout (fd 1); see {@link #fd(int,
     * Path, OpenOption...)}. Without options it is created or truncated, like a shell's {@code
     * >file} ({@code WRITE, CREATE, TRUNCATE_EXISTING}); {@code CREATE, APPEND} is {@code >>file}.
     *
     * @param file the file
     * @param options how to open it; none for {@code WRITE, CREATE, TRUNCATE_EXISTING}
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, Path, OpenOption...)}
     */
    public Spawn stdout(Path file, OpenOption... options) {
        return fd(1, file, output(options));
    }

    private static OpenOption[] output(OpenOption[] options) {
        return options.length > 0
                ? options
                : new OpenOption[] {
                    StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING
                };
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
     * Gives a JDK channel's socket as the child's stderr (fd 2); see {@link #fd(int,
     * NetworkChannel)}.
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
     * Gives a file, opened at {@link #start()}, as the child's stderr (fd 2); see {@link
     * #stdout(Path, OpenOption...)}. The same file may be given as stdout and stderr: each is
     * opened on its own (use {@code APPEND} for both, as with a shell's {@code >>log 2>>log}, or
     * they overwrite each other).
     *
     * @param file the file
     * @param options how to open it; none for {@code WRITE, CREATE, TRUNCATE_EXISTING}
     * @return this builder
     * @throws IllegalArgumentException as {@link #fd(int, Path, OpenOption...)}
     */
    public Spawn stderr(Path file, OpenOption... options) {
        return fd(2, file, output(options));
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
     * Starts the child ({@man posix_spawn(3)}); returns once it runs the new program. Nothing is
     * left open in this process by a failed start.
     *
     * @return the child
     * @throws NoSuchFileException if the program does not exist (or is not on {@code PATH}), or a
     *     file given by path does not exist (and is not to be created)
     * @throws AccessDeniedException if it may not be executed, or a file given by path may not be
     *     opened as asked
     * @throws FileAlreadyExistsException if a file given by path with {@code CREATE_NEW} exists
     * @throws IllegalArgumentException if a given descriptor or channel was closed after it was
     *     given, or is a {@link FileChannel} of a file that cannot seek (a FIFO, a terminal)
     * @throws IOException if the descriptor of a JDK channel cannot be found or told apart (see
     *     {@link #fd(int, FileChannel)}), a file given by path cannot be opened otherwise, or
     *     posix_spawn fails otherwise
     */
    public Child start() throws IOException {
        Map<String, String> env = environment != null ? environment : System.getenv();
        String program = resolve(command.get(0), env);
        List<String> envp = new ArrayList<>();
        env.forEach((k, v) -> envp.add(k + "=" + v));
        List<PosixSpawn.FdMapping> mappings = new ArrayList<>();
        List<Descriptor> acquired = new ArrayList<>();
        Map<Object, OwnedFd> duplicates = new IdentityHashMap<>();
        try {
            for (Map.Entry<Integer, Object> e : fds.entrySet()) {
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
            int pid =
                    PosixSpawn.spawn(
                            program,
                            command,
                            envp,
                            directory == null ? null : directory.toString(),
                            mappings);
            if (Errors.is(pid, Errno.ENOENT)) {
                throw new NoSuchFileException(
                        program,
                        null,
                        directory != null
                                ? "posix_spawn: the program or the directory "
                                        + directory
                                        + " does not exist"
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
    private static int source(
            int target, Object given, List<Descriptor> acquired, Map<Object, OwnedFd> duplicates)
            throws IOException {
        try {
            if (given instanceof Descriptor d) {
                int n = Fds.acquire(d);
                acquired.add(d);
                return n;
            }
            OwnedFd dup = duplicates.get(given);
            if (dup == null) {
                dup =
                        switch (given) {
                            case FileChannel f -> JdkChannels.duplicate(f);
                            case NetworkChannel c -> JdkChannels.duplicate(c);
                            case OpenFile f -> f.open();
                            default -> throw new IllegalStateException("given=" + given);
                        };
                int n = dup.acquire(); // cannot fail: the descriptor is new; released with it
                duplicates.put(given, dup);
                return n;
            }
            return dup.number();
        } catch (ClosedChannelException closed) {
            throw new IllegalArgumentException(
                    "target=" + target + ": " + given + " was closed before start()", closed);
        }
    }

    private static String resolve(String program, Map<String, String> env)
            throws NoSuchFileException {
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
