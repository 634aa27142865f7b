package io.jipc.internal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * {@code struct sockaddr_un} (unix(7)) with the offsets of {@link Structs#SOCKADDR_UN} (checked
 * against gcc): a path ({@code sun_path} NUL-terminated), a Linux abstract name (a NUL, then
 * exactly the name's bytes, not padded) or unnamed (only {@code sun_family}).
 */
public final class SockaddrUn {
    private SockaddrUn() {}

    private static final long SUN_FAMILY = Structs.offset(Structs.SOCKADDR_UN, "sun_family");
    private static final long SUN_PATH = Structs.offset(Structs.SOCKADDR_UN, "sun_path");

    /** {@code sizeof(struct sockaddr_un)}: what connect/bind/getsockname need room for. */
    public static final int BYTES = (int) Structs.SOCKADDR_UN.byteSize();

    /** Where {@link #getsockname} puts the {@code socklen_t} after the address. */
    private static final long LENGTH_AT = (BYTES + 3) & ~3L;

    /** Bytes of native memory {@link #getsockname} needs: the address and its length. */
    public static final int NAME_BUFFER = (int) LENGTH_AT + Integer.BYTES;

    /**
     * A decoded address.
     *
     * @param bytes the path's bytes (up to its first NUL) or the abstract name's bytes (after its
     *     leading NUL)
     * @param isAbstract whether it is an abstract name
     */
    public record Name(byte[] bytes, boolean isAbstract) {}

    /**
     * Writes an address into {@code s} (zeroing all of it first).
     *
     * @param s native memory, at least {@link #BYTES} bytes
     * @param name the path's bytes (without NUL) or the abstract name's bytes (without the leading
     *     NUL), or {@code null} for an unnamed address; at most 107 bytes
     * @param isAbstract whether {@code name} is an abstract name
     * @return the address length to pass with it ({@code socklen_t})
     */
    public static int encode(MemorySegment s, byte[] name, boolean isAbstract) {
        s.asSlice(0, BYTES).fill((byte) 0);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, SUN_FAMILY, (short) Sockets.AF_UNIX);
        if (name == null) {
            return (int) SUN_PATH;
        }
        long at = SUN_PATH + (isAbstract ? 1 : 0);
        MemorySegment.copy(name, 0, s, ValueLayout.JAVA_BYTE, at, name.length);
        return (int) at + name.length + (isAbstract ? 0 : 1);
    }

    /**
     * Reads an address of {@code len} bytes the kernel wrote.
     *
     * @param s native memory holding it
     * @param len its length ({@code socklen_t} the kernel returned)
     * @return the name, or {@code null} for an unnamed address
     */
    public static Name decode(MemorySegment s, int len) {
        if (len <= SUN_PATH) {
            return null;
        }
        byte[] b = new byte[(int) (len - SUN_PATH)];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, SUN_PATH, b, 0, b.length);
        if (b[0] == 0) {
            return new Name(Arrays.copyOfRange(b, 1, b.length), true);
        }
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new Name(Arrays.copyOf(b, n), false);
    }

    /**
     * {@code getsockname(2)}, or {@code getpeername(2)} when {@code peer}, into {@code buf}; read
     * the address with {@link #decode decode(buf, result)}.
     *
     * @param fd the socket
     * @param peer the peer's address rather than this socket's
     * @param buf native memory of at least {@link #NAME_BUFFER} bytes
     * @return the address length, or -errno
     */
    public static int getsockname(int fd, boolean peer, MemorySegment buf) {
        return Sockets.getsockname(
                fd, peer, buf.asSlice(0, BYTES), buf.asSlice(LENGTH_AT, Integer.BYTES));
    }
}
