package io.jipc.posix;

import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.linux.PosixSem;
import io.jipc.internal.linux.Unistd;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every POSIX IPC object on the host, like {@code ipcs} for System V: message queues (through the
 * mqueue file system), shared memory objects and named semaphores (files in {@code /dev/shm}, the
 * semaphores as {@code sem.NAME}).
 *
 * <p>Queues need no mount to be used, but they can only be listed where the mqueue file system is
 * mounted ({@man mq_overview(7)}); a fresh system often has no {@code /dev/mqueue}. {@link
 * #queues()} then fails with a sentence saying how to mount it, rather than returning an empty list
 * as if there were none. The mount shows the queues of the IPC namespace of the process that
 * mounted it. {@code /dev/shm} is shared by every IPC namespace of the mount namespace.
 */
public final class PosixObjects {
    /** Where glibc keeps shared memory objects and named semaphores. */
    public static final Path SHM_DIR = Path.of("/dev/shm");

    /** What to do when the mqueue file system is not mounted. */
    public static final String MOUNT_HINT =
            "the mqueue file system is not mounted; mount it with: mount -t mqueue none /dev/mqueue";

    private PosixObjects() {}

    /**
     * Where the mqueue file system is mounted, from {@code /proc/self/mountinfo} ({@code
     * /dev/mqueue} preferred).
     *
     * @return the mount point, or empty if it is not mounted
     */
    public static Optional<Path> mqueueMount() {
        List<Path> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE
                // SUPEROPTIONS
                String[] f = line.split(" ");
                int dash = List.of(f).indexOf("-");
                if (dash > 0 && dash + 1 < f.length && f[dash + 1].equals("mqueue")) {
                    found.add(Path.of(f[4].replace("\\040", " ")));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return found.stream()
                .filter(p -> p.equals(Path.of("/dev/mqueue")))
                .findFirst()
                .or(() -> found.stream().findFirst());
    }

    /**
     * Every message queue, sorted by name. A queue this user may not read shows its owner and mode,
     * and -1 for what only an open descriptor tells ({@code maxMessages}, {@code messageSize},
     * {@code messages}, {@code bytes}, {@code notifyPid}).
     *
     * @return the queues' status
     * @throws IpcException if the mqueue file system is not mounted (the message says how to mount
     *     it), or cannot be read
     */
    public static List<PosixMessageQueueStatus> queues() throws IpcException {
        Path mount =
                mqueueMount()
                        .orElseThrow(
                                () ->
                                        new IpcException(
                                                "listing POSIX message queues",
                                                "/dev/mqueue",
                                                null,
                                                MOUNT_HINT));
        List<PosixMessageQueueStatus> out = new ArrayList<>();
        for (Path p : files(mount)) {
            String name = "/" + p.getFileName();
            try {
                int fd =
                        Unistd.open(
                                p.toString(),
                                Unistd.O_RDONLY | Unistd.O_CLOEXEC | Unistd.O_NONBLOCK,
                                0);
                if (fd >= 0) {
                    try {
                        out.add(PosixMessageQueue.status(fd, name, p));
                    } finally {
                        Unistd.close(fd);
                    }
                } else {
                    FileAttrs a = FileAttrs.of(p, name);
                    out.add(
                            new PosixMessageQueueStatus(
                                    name, a.uid(), a.gid(), a.mode(), -1, -1, -1, -1, -1));
                }
            } catch (io.jipc.NotFoundException gone) {
                // removed while listing
            }
        }
        return out;
    }

    /**
     * Every shared memory object: the regular files of {@code /dev/shm} but the semaphores' {@code
     * sem.*}, sorted by name.
     *
     * @return their status
     * @throws IpcException if {@code /dev/shm} cannot be read
     */
    public static List<PosixSharedMemoryStatus> sharedMemory() throws IpcException {
        List<PosixSharedMemoryStatus> out = new ArrayList<>();
        for (Path p : files(SHM_DIR)) {
            String file = p.getFileName().toString();
            if (file.startsWith("sem.")) {
                continue;
            }
            try {
                FileAttrs a = FileAttrs.of(p, "/" + file);
                out.add(
                        new PosixSharedMemoryStatus(
                                "/" + file, a.uid(), a.gid(), a.mode(), a.size()));
            } catch (io.jipc.NotFoundException gone) {
                // removed while listing
            }
        }
        return out;
    }

    /**
     * Every named semaphore ({@code /dev/shm/sem.NAME}), sorted by name, with its value where this
     * user may open it (-1 otherwise).
     *
     * @return their status
     * @throws IpcException if {@code /dev/shm} cannot be read
     */
    public static List<NamedSemaphoreStatus> semaphores() throws IpcException {
        List<NamedSemaphoreStatus> out = new ArrayList<>();
        for (Path p : files(SHM_DIR)) {
            String file = p.getFileName().toString();
            if (!file.startsWith("sem.") || file.length() == 4) {
                continue;
            }
            String name = "/" + file.substring(4);
            try {
                FileAttrs a = FileAttrs.of(p, name);
                int value = -1;
                long sem = a.size() == PosixSem.SEM_T_SIZE ? PosixSem.sem_open(name, 0, 0, 0) : -1;
                if (sem > 0) {
                    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                        int v = PosixSem.sem_getvalue(PosixSem.opened(sem, arena));
                        value = v >= 0 ? v : -1;
                    }
                }
                out.add(new NamedSemaphoreStatus(name, a.uid(), a.gid(), a.mode(), value));
            } catch (io.jipc.NotFoundException gone) {
                // removed while listing
            }
        }
        return out;
    }

    /** The regular files of a directory, sorted. */
    private static List<Path> files(Path dir) throws IpcException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            throw Errors.failure(Errno.ENOENT, "opendir", dir.toString(), null);
        } catch (IOException e) {
            throw new IpcException("opendir", dir.toString(), null, e.toString());
        }
        out.sort(Comparator.comparing(Path::toString));
        return out;
    }
}
