package io.jipc.posix;

import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.Mman;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link PosixSharedMemory} object and a {@link Memfd} share: a descriptor of a memory file
 * whose size is {@code ftruncate}d and which is mapped with {@code mmap(MAP_SHARED)}.
 */
final class FdMemory {
    private final OwnedFd fd;
    private final String object;
    private final boolean writable;

    FdMemory(OwnedFd fd, String object, boolean writable) {
        this.fd = fd;
        this.object = object;
        this.writable = writable;
    }

    /** The size now ({@code fstat}). */
    long size() throws IOException {
        int f = fd.acquire();
        try {
            long r = Mman.fileSize(f);
            if (r < 0) {
                throw Errors.failure(r, "fstat", object, null);
            }
            return r;
        } finally {
            fd.release();
        }
    }

    /**
     * The live mappings this process made through jipc, by file ({@code st_dev:st_ino}), whichever
     * {@link PosixSharedMemory} or {@link Memfd} object made them: a shrink below the end of one
     * would make its next access fault. Guarded by itself; a resize or map holds it across its
     * check and its call.
     */
    private static final Map<String, List<Mapping>> MAPPINGS = new HashMap<>();

    /** The file's identity, {@code dev:ino}, through {@code /proc/self/fd} (a memfd too). */
    private String identity(int f) throws IOException {
        try {
            Map<String, Object> a =
                    Files.readAttributes(Path.of("/proc/self/fd/" + f), "unix:dev,ino");
            return a.get("dev") + ":" + a.get("ino");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IpcException(
                    "fstat", object, null, "cannot tell which file the descriptor is: " + e);
        }
    }

    /** The live mappings of a file, dead ones pruned; call holding {@link #MAPPINGS}. */
    private static List<Mapping> live(String id) {
        List<Mapping> l = MAPPINGS.get(id);
        if (l == null) {
            return List.of();
        }
        l.removeIf(m -> !m.isMapped());
        if (l.isEmpty()) {
            MAPPINGS.remove(id);
        }
        return l;
    }

    /**
     * Sets the size ({@code ftruncate}); {@code whenDenied} explains an EPERM. Refuses to shrink
     * the file below the end of a live mapping of it that this process made through jipc: access
     * there would raise {@code SIGBUS}, which a native call (a semaphore operation) does not
     * survive.
     */
    void resize(long size, String whenDenied) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size=" + size + " (not negative)");
        }
        if (!writable) {
            throw new java.nio.channels.NonWritableChannelException();
        }
        int f = fd.acquire();
        try {
            synchronized (MAPPINGS) {
                long now = Mman.fileSize(f);
                if (now < 0) {
                    throw Errors.failure(now, "fstat", object, null);
                }
                if (size < now) {
                    for (Mapping m : live(identity(f))) {
                        if (m.size() > size) {
                            throw new IpcException(
                                    "ftruncate",
                                    object,
                                    null,
                                    "refusing to shrink from "
                                            + now
                                            + " to "
                                            + size
                                            + " bytes: this process maps bytes 0 to "
                                            + m.size()
                                            + " of it ("
                                            + m
                                            + "), and access beyond the new end would fault (SIGBUS);"
                                            + " close the mapping first");
                        }
                    }
                }
                int r = Mman.ftruncate(f, size);
                if (r < 0) {
                    throw Errors.failure(
                            r,
                            "ftruncate",
                            object,
                            Errors.is(r, Errno.EPERM)
                                    ? whenDenied
                                    : Errors.is(r, Errno.EFBIG) || Errors.is(r, Errno.EINVAL)
                                            ? "size " + size + " is too large"
                                            : null);
                }
            }
        } finally {
            fd.release();
        }
    }

    /** Maps the whole object ({@code mmap(MAP_SHARED)}). */
    Mapping map(boolean readOnly, String whenDenied) throws IOException {
        if (!readOnly && !writable) {
            throw new java.nio.channels.NonWritableChannelException();
        }
        int f = fd.acquire();
        try {
            String id = identity(f);
            synchronized (MAPPINGS) {
                Mapping m = map(f, readOnly, whenDenied);
                MAPPINGS.computeIfAbsent(id, k -> new ArrayList<>()).add(m);
                return m;
            }
        } finally {
            fd.release();
        }
    }

    private Mapping map(int f, boolean readOnly, String whenDenied) throws IOException {
        long size = Mman.fileSize(f);
        if (size < 0) {
            throw Errors.failure(size, "fstat", object, null);
        }
        if (size == 0) {
            throw new IpcException(
                    "mmap", object, null, "the object's size is 0: give it a size first");
        }
        int prot = readOnly ? Mman.PROT_READ : Mman.PROT_READ | Mman.PROT_WRITE;
        long address = Mman.mmap(size, prot, Mman.MAP_SHARED, f, 0);
        if (address < 0) {
            throw Errors.failure(
                    address, "mmap", object, Errors.is(address, Errno.EPERM) ? whenDenied : null);
        }
        Arena arena = Arena.ofShared();
        MemorySegment segment;
        try {
            segment = Mman.segment(address, size, arena);
        } catch (RuntimeException | Error e) {
            Mman.munmap(address, size);
            arena.close();
            throw e;
        }
        return new Mapping(arena, segment, readOnly, object);
    }
}
