package io.jipc.pipe;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.InterruptedCallException;
import io.jipc.IpcException;
import io.jipc.NotFoundException;
import io.jipc.PermissionDeniedException;
import io.jipc.internal.Errors;
import io.jipc.internal.Modes;
import io.jipc.internal.linux.Blocking;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A named pipe (FIFO, {@man fifo(7)}): a pipe with a name in the file system, so that unrelated
 * processes (C programs, {@code cat}, {@code echo > path}) can open it.
 *
 * <p>Two lifetimes: the ends returned by {@code open...} are this process's descriptors ({@code
 * close()}); the name stays until {@link #remove()} ({@man unlink(2)}), whoever made it.
 *
 * <p><b>Opening orders.</b> As in C, {@link #openReader()} blocks until some process opens the FIFO
 * for writing, and {@link #openWriter()} until some process opens it for reading; either side may
 * come first. {@link #openReaderNonBlocking()} returns at once; {@link #openWriterNonBlocking()}
 * returns at once too, or fails with ENXIO ("no reader") when no process has it open for reading. A
 * blocked open ends on {@link Thread#interrupt()} with {@link InterruptedCallException} (no
 * descriptor is left open, the interrupt status stays set), can be bounded by a timeout ({@link
 * #openReader(Duration)}, {@link #openWriter(Duration)}), and does not pin a virtual thread's
 * carrier; removing the name does not end it (the open waits on the FIFO itself).
 *
 * <p><b>jipc or the JDK?</b> Once made, a FIFO is a file: {@code Files.newInputStream(path)} or
 * {@code FileChannel.open(path)} open it too and block the same way. Use this class when you need
 * what the JDK lacks: non-blocking open (and the "no reader" answer), non-blocking reads and
 * writes, the capacity, handing the end to a child at a chosen descriptor number ({@link Spawn}),
 * or a known {@code PIPE_BUF} atomicity per write (a JDK stream may split or merge writes when
 * buffered). Creating the FIFO needs this class either way: the JDK cannot call mkfifo.
 */
public final class Fifo {
    private final Path path;

    private Fifo(Path path) {
        this.path = path;
    }

    /**
     * Creates a FIFO at {@code path} with exactly {@code mode} as permissions ({@man mkfifo(3)},
     * then a chmod so that the umask does not apply, as {@code mkfifo -m} does).
     *
     * @param path where
     * @param mode permission bits, e.g. {@code 0600}
     * @return the FIFO
     * @throws AlreadyExistsException EEXIST if something exists at {@code path} (the message says
     *     whether it is a FIFO or another kind of file)
     * @throws NotFoundException ENOENT if the parent directory does not exist
     * @throws PermissionDeniedException EACCES/EPERM if the directory may not be written
     * @throws IOException on other failures
     */
    public static Fifo create(Path path, int mode) throws IOException {
        Modes.check(mode);
        String p = path.toString();
        int r = Unistd.mkfifo(p, mode);
        if (r < 0) {
            String detail;
            if (Errors.is(r, Errno.EEXIST)) {
                detail =
                        isFifo(path)
                                ? "a FIFO already exists there"
                                : "exists and is not a FIFO (it is a " + kind(path) + ")";
            } else if (Errors.is(r, Errno.ENOENT)) {
                detail = "the parent directory does not exist";
            } else if (Errors.is(r, Errno.EACCES) || Errors.is(r, Errno.EPERM)) {
                detail = "the directory may not be written by this user";
            } else {
                detail = null;
            }
            throw Errors.failure(r, "mkfifo", p, detail);
        }
        Files.setPosixFilePermissions(path, permissions(mode));
        return new Fifo(path);
    }

    /**
     * An existing FIFO.
     *
     * @param path where
     * @return the FIFO
     * @throws NotFoundException ENOENT if nothing is there
     * @throws IOException if what is there is not a FIFO
     */
    public static Fifo of(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NotFoundException(
                    "stat", path.toString(), Errno.ENOENT, "no FIFO at this path");
        }
        if (!isFifo(path)) {
            throw new IOException(path + " is not a FIFO (it is a " + kind(path) + ")");
        }
        return new Fifo(path);
    }

    /**
     * The path.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * Opens for reading, blocking until a writer opens it ({@code open(path, O_RDONLY|O_CLOEXEC)}).
     * The wait ends on {@link Thread#interrupt()} and does not pin a virtual thread's carrier.
     *
     * @return the read end, in blocking mode
     * @throws InterruptedCallException if the thread was interrupted while waiting
     * @throws IOException if open fails
     */
    public ReadEnd openReader() throws IOException {
        return new ReadEnd(open(Unistd.O_RDONLY, -1), name("read end"));
    }

    /**
     * Opens for writing, blocking until a reader opens it ({@code open(path, O_WRONLY|O_CLOEXEC)}).
     * The wait ends on {@link Thread#interrupt()} and does not pin a virtual thread's carrier.
     *
     * @return the write end, in blocking mode
     * @throws InterruptedCallException if the thread was interrupted while waiting
     * @throws IOException if open fails
     */
    public WriteEnd openWriter() throws IOException {
        return new WriteEnd(open(Unistd.O_WRONLY, -1), name("write end"));
    }

    /**
     * Opens for reading, waiting at most {@code timeout} for a writer. The timeout is enforced by
     * cancelling the kernel wait ({@man open(2)} has none); signals neither shorten nor lengthen
     * it.
     *
     * @param timeout the longest wait, zero or positive
     * @return the read end, in blocking mode, or empty if no writer came in time
     * @throws InterruptedCallException if the thread was interrupted while waiting
     * @throws IOException if open fails
     */
    public Optional<ReadEnd> openReader(Duration timeout) throws IOException {
        int fd = open(Unistd.O_RDONLY, Blocking.timeoutNanos(timeout));
        return fd < 0 ? Optional.empty() : Optional.of(new ReadEnd(fd, name("read end")));
    }

    /**
     * Opens for writing, waiting at most {@code timeout} for a reader (see {@link
     * #openReader(Duration)}).
     *
     * @param timeout the longest wait, zero or positive
     * @return the write end, in blocking mode, or empty if no reader came in time
     * @throws InterruptedCallException if the thread was interrupted while waiting
     * @throws IOException if open fails
     */
    public Optional<WriteEnd> openWriter(Duration timeout) throws IOException {
        int fd = open(Unistd.O_WRONLY, Blocking.timeoutNanos(timeout));
        return fd < 0 ? Optional.empty() : Optional.of(new WriteEnd(fd, name("write end")));
    }

    /**
     * Opens for reading without waiting for a writer ({@code O_NONBLOCK}). The end stays in
     * non-blocking mode; a read returns -1 (end-of-file) while no process has the FIFO open for
     * writing, and 0 while writers have it open but wrote nothing.
     *
     * @return the read end, in non-blocking mode
     * @throws IOException if open fails
     */
    public ReadEnd openReaderNonBlocking() throws IOException {
        return new ReadEnd(open(Unistd.O_RDONLY | Unistd.O_NONBLOCK), name("read end"));
    }

    /**
     * Opens for writing without waiting ({@code O_NONBLOCK}); succeeds only if some process has the
     * FIFO open for reading. The end stays in non-blocking mode (see {@link
     * PipeEnd#configureBlocking(boolean)}).
     *
     * @return the write end, in non-blocking mode
     * @throws IpcException ENXIO ("no reader") when no process has the FIFO open for reading
     * @throws IOException if open fails otherwise
     */
    public WriteEnd openWriterNonBlocking() throws IOException {
        return new WriteEnd(open(Unistd.O_WRONLY | Unistd.O_NONBLOCK), name("write end"));
    }

    /**
     * Removes the name ({@man unlink(2)}); ends already open keep working.
     *
     * @throws NotFoundException ENOENT if it is already gone
     * @throws PermissionDeniedException EACCES if the directory may not be written
     * @throws IOException if unlink fails otherwise
     */
    public void remove() throws IOException {
        Errors.unlink(path, false, "FIFO");
    }

    @Override
    public String toString() {
        return "FIFO " + path;
    }

    private String name(String end) {
        return "FIFO " + path + " " + end;
    }

    /** The timeout of {@link #open(int, long)} that makes one plain open (with O_NONBLOCK). */
    private static final long PLAIN_OPEN = -2;

    private int open(int flags) throws IOException {
        return open(flags, PLAIN_OPEN);
    }

    /**
     * Opens with {@code flags | O_CLOEXEC}; timeoutNanos {@link #PLAIN_OPEN}: a plain open
     * (O_NONBLOCK), -1: a blocking open without limit, else at most that long. Returns -1 on
     * timeout.
     */
    private int open(int flags, long timeoutNanos) throws IOException {
        String p = path.toString();
        int fd =
                timeoutNanos == PLAIN_OPEN
                        ? Unistd.open(p, flags | Unistd.O_CLOEXEC, 0)
                        : Unistd.openBlocking(p, flags | Unistd.O_CLOEXEC, timeoutNanos);
        if (fd >= 0) {
            return fd;
        }
        if (Errors.is(fd, Errno.ETIMEDOUT)) {
            return -1;
        }
        if (Errors.is(fd, Errno.EINTR)) {
            throw new InterruptedCallException("open", p, "waiting for the FIFO's other end");
        }
        if (Errors.is(fd, Errno.ENXIO)) {
            throw new IpcException(
                    "open(O_WRONLY|O_NONBLOCK)",
                    p,
                    Errno.ENXIO,
                    "no reader: no process has the FIFO open for reading");
        }
        throw Errors.failure(
                fd,
                "open",
                p,
                Errors.is(fd, Errno.ENOENT)
                        ? "no FIFO at this path"
                        : Errors.is(fd, Errno.EACCES) ? "the FIFO's mode denies this user" : null);
    }

    private static boolean isFifo(Path path) {
        return kind(path).equals("FIFO");
    }

    /** "FIFO", "regular file", "directory", ... (following symbolic links). */
    private static String kind(Path path) {
        try {
            Object type = Files.getAttribute(path, "unix:mode");
            int fmt = ((Integer) type) & 0170000;
            return switch (fmt) {
                case 0010000 -> "FIFO";
                case 0100000 -> "regular file";
                case 0040000 -> "directory";
                case 0120000 -> "symbolic link";
                case 0140000 -> "socket";
                case 0020000 -> "character device";
                case 0060000 -> "block device";
                default -> "file of mode 0" + Integer.toOctalString(fmt);
            };
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown kind";
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_EXECUTE,
        };
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }
}
