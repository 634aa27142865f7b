package io.jipc.posix;

import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.internal.Errors;
import io.jipc.internal.OwnedFd;
import io.jipc.internal.linux.Mman;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What a {@link PosixSharedMemory} object and a {@link Memfd} share: a descriptor of a memory
 * file whose size is {@code ftruncate}d and which is mapped with {@code mmap(MAP_SHARED)}.
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

    /** Sets the size ({@code ftruncate}); {@code seals} explains an EPERM. */
    void resize(long size, String whenDenied) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size=" + size + " (not negative)");
        }
        if (!writable) {
            throw new java.nio.channels.NonWritableChannelException();
        }
        int f = fd.acquire();
        try {
            int r = Mman.ftruncate(f, size);
            if (r < 0) {
                throw Errors.failure(r, "ftruncate", object, Errors.is(r, Errno.EPERM) ? whenDenied
                        : Errors.is(r, Errno.EFBIG) || Errors.is(r, Errno.EINVAL)
                        ? "size " + size + " is too large" : null);
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
            long size = Mman.fileSize(f);
            if (size < 0) {
                throw Errors.failure(size, "fstat", object, null);
            }
            if (size == 0) {
                throw new IpcException("mmap", object, null, "the object's size is 0: give it a size first");
            }
            int prot = readOnly ? Mman.PROT_READ : Mman.PROT_READ | Mman.PROT_WRITE;
            long address = Mman.mmap(size, prot, Mman.MAP_SHARED, f, 0);
            if (address < 0) {
                throw Errors.failure(address, "mmap", object, Errors.is(address, Errno.EPERM)
                        ? whenDenied : null);
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
        } finally {
            fd.release();
        }
    }

}
