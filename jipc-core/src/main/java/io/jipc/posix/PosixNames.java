package io.jipc.posix;

import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.PosixFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The rule every POSIX IPC name follows ({@man mq_overview(7)}, {@man sem_overview(7)}, {@man
 * shm_overview(7)}): one leading slash, then 1 to 255 bytes without another slash or a NUL, and not
 * {@code "."} or {@code ".."}. Checked before any call so that a bad name is an {@link
 * IllegalArgumentException} saying what is wrong, not an EINVAL or EACCES from the kernel.
 */
final class PosixNames {
    /** Longest name after the slash ({@code NAME_MAX}). */
    static final int NAME_MAX = 255;

    /** An owner or group of -1 leaves it as it is ({@man fchown(2)}). */
    static final int KEEP = -1;

    private PosixNames() {}

    /**
     * Checks a name.
     *
     * @param name the name, e.g. {@code "/jobs"}
     * @param maxBytes the most bytes after the slash (semaphores lose 4 to the {@code "sem."}
     *     prefix)
     * @return {@code name}
     * @throws IllegalArgumentException if it breaks the rule
     */
    static String check(String name, int maxBytes) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.charAt(0) != '/') {
            throw new IllegalArgumentException(
                    "name=" + name + " (a POSIX IPC name starts with '/', e.g. /jobs)");
        }
        String rest = name.substring(1);
        if (rest.isEmpty() || rest.equals(".") || rest.equals("..")) {
            throw new IllegalArgumentException(
                    "name="
                            + name
                            + " (a name needs at least one character after the '/'"
                            + " and is not /. or /..)");
        }
        if (rest.indexOf('/') >= 0) {
            throw new IllegalArgumentException(
                    "name="
                            + name
                            + " (only the leading '/' is allowed: a second '/' at"
                            + " index "
                            + name.indexOf('/', 1)
                            + ")");
        }
        if (rest.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "name=" + name.replace("\0", "\\0") + " (contains a NUL character)");
        }
        int bytes = rest.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(
                    "name="
                            + name
                            + " ("
                            + bytes
                            + " bytes after the '/', at most "
                            + maxBytes
                            + ")");
        }
        return name;
    }

    /**
     * Changes owner and group ({@code fchown}, unless both are -1) and mode ({@code fchmod}, unless
     * negative) of an open object.
     *
     * @param owned its descriptor
     * @param object its name, for messages
     * @param uid the new owner, or -1
     * @param gid the new group, or -1
     * @param mode the new permission bits, or -1
     * @throws IpcException if the kernel refuses
     * @throws java.nio.channels.ClosedChannelException if the descriptor is closed
     */
    static void change(OwnedFd owned, String object, int uid, int gid, int mode)
            throws IOException {
        int fd = owned.acquire();
        try {
            change(fd, object, uid, gid, mode);
        } finally {
            owned.release();
        }
    }

    private static void change(int fd, String object, int uid, int gid, int mode)
            throws IpcException {
        if (uid != KEEP || gid != KEEP) {
            int r = PosixFiles.fchown(fd, uid, gid);
            if (r < 0) {
                throw Errors.failure(
                        r, "fchown", object, "only a privileged process may give an object away");
            }
        }
        if (mode >= 0) {
            int r = PosixFiles.fchmod(fd, mode);
            if (r < 0) {
                throw Errors.failure(
                        r,
                        "fchmod",
                        object,
                        "only the owner or a privileged process may change the mode");
            }
        }
    }
}
