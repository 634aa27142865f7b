package io.jipc.posix;

import io.jipc.IpcException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Owner, mode and size of the file behind a POSIX object, by path ({@code /dev/shm/NAME}, a file of
 * the mqueue file system, or {@code /proc/self/fd/N}, which {@man stat(2)} follows to the object
 * itself even when it has no reachable path).
 *
 * @param uid the owner
 * @param gid the group
 * @param mode the permission bits
 * @param size the size in bytes
 */
record FileAttrs(int uid, int gid, int mode, long size) {

    /** Reads them ({@man stat(2)}, following links). */
    static FileAttrs of(Path p, String object) throws IpcException {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode,size");
            return new FileAttrs(
                    (Integer) a.get("uid"),
                    (Integer) a.get("gid"),
                    (Integer) a.get("mode") & 0777,
                    (Long) a.get("size"));
        } catch (NoSuchFileException e) {
            throw new io.jipc.NotFoundException(
                    "stat", object, io.jipc.Errno.ENOENT, "it no longer exists");
        } catch (IOException e) {
            throw new IpcException("stat", object, null, e.toString());
        }
    }

    /** The mode as the JDK's permission set. */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                perms.add(bits[i]);
            }
        }
        return perms;
    }

    /** Sets owner and group ({@code -1} keeps one) and, if not negative, the mode of a path. */
    static void set(Path p, String object, int uid, int gid, int mode) throws IpcException {
        try {
            if (uid != PosixNames.KEEP) {
                Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            }
            if (gid != PosixNames.KEEP) {
                Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
            if (mode >= 0) {
                Files.setPosixFilePermissions(p, permissions(mode));
            }
        } catch (NoSuchFileException e) {
            throw new io.jipc.NotFoundException(
                    "chown/chmod", object, io.jipc.Errno.ENOENT, "it no longer exists");
        } catch (java.nio.file.FileSystemException e) {
            if (e instanceof java.nio.file.AccessDeniedException
                    || String.valueOf(e.getReason()).contains("not permitted")) {
                throw new io.jipc.PermissionDeniedException(
                        "chown/chmod",
                        object,
                        io.jipc.Errno.EPERM,
                        "only the owner (for the mode) or a privileged process (for the owner) may change it");
            }
            throw new IpcException("chown/chmod", object, null, e.toString());
        } catch (IOException e) {
            throw new IpcException("chown/chmod", object, null, e.toString());
        }
    }
}
