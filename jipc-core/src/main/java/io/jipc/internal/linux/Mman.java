package io.jipc.internal.linux;

import static io.jipc.internal.linux.Errnos.EINTR;
import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_LONG;
import static io.jipc.internal.linux.Native.C_POINTER;
import static io.jipc.internal.linux.Native.C_SIZE_T;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls for mapped memory and file sizes: {@code mmap}, {@code munmap}, {@code ftruncate},
 * {@code fstat} (sys/mman.h, unistd.h, sys/stat.h) and the constants they take (x86_64 values).
 *
 * <p>Same conventions as {@link Unistd}: the C result on success, the negated errno on failure.
 * None of these calls blocks for long; none is linked {@code critical} (mmap and ftruncate may take
 * page-table locks or allocate, which is not constant time).
 */
@SuppressWarnings("restricted")
public final class Mman {
    private Mman() {}

    /** mmap: pages may be read ({@code PROT_READ}). */
    public static final int PROT_READ = 1;

    /** mmap: pages may be written ({@code PROT_WRITE}). */
    public static final int PROT_WRITE = 2;

    /** mmap: changes are shared with every mapping of the file ({@code MAP_SHARED}). */
    public static final int MAP_SHARED = 1;

    /** mmap: pre-fault the pages ({@code MAP_POPULATE}). */
    public static final int MAP_POPULATE = 0x8000;

    /** Offset of {@code st_size} in {@code struct stat} (x86_64). */
    static final long STAT_SIZE_OFFSET = 48;

    /** Size of {@code struct stat} (x86_64). */
    static final long STAT_BYTES = 144;

    private static final class mmap {
        static final MethodHandle H =
                Native.downcallErrno(
                        "mmap",
                        FunctionDescriptor.of(
                                C_POINTER, C_POINTER, C_SIZE_T, C_INT, C_INT, C_INT, C_LONG));
    }

    /**
     * {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);}
     * (mmap(2)), letting the kernel choose the address.
     *
     * @param length the bytes to map
     * @param prot {@code PROT_READ}, {@code PROT_WRITE}
     * @param flags {@code MAP_SHARED}, {@code MAP_POPULATE}
     * @param fd the descriptor
     * @param offset the file offset (a multiple of the page size)
     * @return the address (positive), or -errno
     */
    public static long mmap(long length, int prot, int flags, int fd, long offset) {
        MemorySegment st = Native.errnoState();
        try {
            MemorySegment p =
                    (MemorySegment)
                            mmap.H.invokeExact(
                                    st, MemorySegment.NULL, length, prot, flags, fd, offset);
            return p.address() == -1L ? -Native.errno(st) : p.address();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class munmap {
        static final MethodHandle H =
                Native.downcallErrno("munmap", FunctionDescriptor.of(C_INT, C_POINTER, C_SIZE_T));
    }

    /**
     * {@code int munmap(void *addr, size_t length);} (mmap(2)).
     *
     * @param address an address returned by {@link #mmap}
     * @param length the length mapped there
     * @return 0, or -errno
     */
    public static int munmap(long address, long length) {
        MemorySegment st = Native.errnoState();
        try {
            int r = (int) munmap.H.invokeExact(st, MemorySegment.ofAddress(address), length);
            return r == 0 ? 0 : -Native.errno(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * The memory of a mapping as a segment of exactly {@code length} bytes whose lifetime is {@code
     * arena}'s: closing the arena unmaps it (munmap), after which every access through the segment
     * is an {@code IllegalStateException} instead of a fault.
     *
     * @param address an address returned by {@link #mmap}
     * @param length the length mapped there
     * @param arena the arena that owns the mapping
     * @return the segment
     */
    public static MemorySegment segment(long address, long length, Arena arena) {
        return MemorySegment.ofAddress(address)
                .reinterpret(length, arena, s -> munmap(s.address(), length));
    }

    private static final class ftruncate {
        static final MethodHandle H =
                Native.downcallErrno("ftruncate", FunctionDescriptor.of(C_INT, C_INT, C_LONG));
    }

    /**
     * {@code int ftruncate(int fd, off_t length);} (ftruncate(2)). Retries EINTR.
     *
     * @param fd the descriptor, open for writing
     * @param length the new size
     * @return 0, or -errno
     */
    public static int ftruncate(int fd, long length) {
        MemorySegment st = Native.errnoState();
        try {
            int r;
            do {
                r = (int) ftruncate.H.invokeExact(st, fd, length);
                r = r == 0 ? 0 : -Native.errno(st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class fstat {
        static final MethodHandle H =
                Native.downcallErrno("fstat", FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    }

    /**
     * The size of the file open on {@code fd}: {@code st_size} of fstat(2).
     *
     * @param fd the descriptor
     * @return the size in bytes, or -errno
     */
    public static long fileSize(int fd) {
        MemorySegment st = Native.errnoState();
        MemorySegment buf = Native.scratch(STAT_BYTES);
        try {
            int r = (int) fstat.H.invokeExact(st, fd, buf);
            return r == 0 ? buf.get(ValueLayout.JAVA_LONG, STAT_SIZE_OFFSET) : -Native.errno(st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
