package io.jipc.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The headers of sendmsg(2) and recvmsg(2), written into a thread's scratch memory with the offsets
 * of {@link Structs#MSGHDR}, {@link Structs#IOVEC}, {@link Structs#SOCKADDR_UN} and {@link
 * Structs#CMSGHDR} (checked against gcc): one {@code struct msghdr}, its one {@code struct iovec},
 * room for the peer's {@code struct sockaddr_un} and {@code SCM_RIGHTS} control messages (cmsg(3)).
 *
 * <pre>
 *   0               struct msghdr
 *   {@link #PLAIN_DATA} - 16   struct iovec
 *   plain form:  {@link #PLAIN_DATA}        the data of a heap buffer
 *   full form:   {@link #PLAIN_DATA}        struct sockaddr_un (the peer's name)
 *                CONTROL                    control messages ({@link #rightsSpace})
 *                {@link #dataOffset}(space) the data of a heap buffer
 * </pre>
 *
 * The plain form (no name, no control) is the send/receive hot path: it writes a handful of words
 * and allocates nothing.
 */
public final class Msghdr {
    private Msghdr() {}

    private static final long MSG_NAME = Structs.offset(Structs.MSGHDR, "msg_name");
    private static final long MSG_NAMELEN = Structs.offset(Structs.MSGHDR, "msg_namelen");
    private static final long MSG_IOV = Structs.offset(Structs.MSGHDR, "msg_iov");
    private static final long MSG_IOVLEN = Structs.offset(Structs.MSGHDR, "msg_iovlen");
    private static final long MSG_CONTROL = Structs.offset(Structs.MSGHDR, "msg_control");
    private static final long MSG_CONTROLLEN = Structs.offset(Structs.MSGHDR, "msg_controllen");
    private static final long MSG_FLAGS = Structs.offset(Structs.MSGHDR, "msg_flags");
    private static final long IOV_BASE = Structs.offset(Structs.IOVEC, "iov_base");
    private static final long IOV_LEN = Structs.offset(Structs.IOVEC, "iov_len");
    private static final long CMSG_LEN = Structs.offset(Structs.CMSGHDR, "cmsg_len");
    private static final long CMSG_LEVEL = Structs.offset(Structs.CMSGHDR, "cmsg_level");
    private static final long CMSG_TYPE = Structs.offset(Structs.CMSGHDR, "cmsg_type");

    /** {@code CMSG_LEN(0)}: where a control message's data starts ({@code CMSG_DATA}). */
    private static final long CMSG_DATA = Structs.CMSGHDR.byteSize();

    private static final long HEADER = 0;
    private static final long HEADER_BYTES = Structs.MSGHDR.byteSize();
    private static final long IOV = HEADER + HEADER_BYTES;

    /** Where the plain form puts a heap buffer's data (after the msghdr and the iovec). */
    public static final long PLAIN_DATA = IOV + Structs.IOVEC.byteSize();

    private static final long NAME = PLAIN_DATA;

    /** Room the full form gives the peer's name: {@code sizeof(struct sockaddr_un)}. */
    public static final int NAME_CAPACITY = (int) Structs.SOCKADDR_UN.byteSize();

    private static final long CONTROL = align(NAME + NAME_CAPACITY);

    /** Most descriptors one message may carry on Linux ({@code SCM_MAX_FD}). */
    public static final int MAX_RIGHTS = 253;

    /**
     * Writes the plain form at the start of {@code s}: a msghdr without name or control whose one
     * iovec is {@code (data, length)}.
     *
     * @param s this thread's scratch, at least {@link #PLAIN_DATA} bytes
     * @param data the address of the bytes to send or of the room to receive into
     * @param length their count
     * @return the msghdr, to pass to sendmsg/recvmsg: {@code s} itself, whose start is the header
     *     (no slice, so the hot path allocates nothing)
     */
    public static MemorySegment plain(MemorySegment s, long data, long length) {
        s.set(JAVA_LONG, HEADER + MSG_NAME, 0L);
        s.set(JAVA_INT, HEADER + MSG_NAMELEN, 0);
        s.set(JAVA_LONG, HEADER + MSG_IOV, s.address() + IOV);
        s.set(JAVA_LONG, HEADER + MSG_IOVLEN, 1L);
        s.set(JAVA_LONG, HEADER + MSG_CONTROL, 0L);
        s.set(JAVA_LONG, HEADER + MSG_CONTROLLEN, 0L);
        s.set(JAVA_INT, HEADER + MSG_FLAGS, 0);
        s.set(JAVA_LONG, IOV + IOV_BASE, data);
        s.set(JAVA_LONG, IOV + IOV_LEN, length);
        return s; // HEADER == 0
    }

    /**
     * The control space for {@code n} descriptors: {@code CMSG_SPACE(n * sizeof(int))}, 0 for none.
     *
     * @param n 0 .. {@link #MAX_RIGHTS}
     * @return the bytes
     */
    public static long rightsSpace(int n) {
        return n == 0 ? 0 : CMSG_DATA + align(JAVA_INT.byteSize() * n);
    }

    /**
     * Where the full form puts a heap buffer's data, after {@code controlSpace} bytes of control.
     *
     * @param controlSpace the control space ({@link #rightsSpace}), or 0
     * @return the offset in the scratch
     */
    public static long dataOffset(long controlSpace) {
        return CONTROL + controlSpace;
    }

    /**
     * The full form's room for the peer's {@code struct sockaddr_un}: where a destination is
     * encoded before {@link #full}, and where recvmsg leaves the sender's address.
     *
     * @param s the scratch
     * @return the slice of {@link #NAME_CAPACITY} bytes
     */
    public static MemorySegment name(MemorySegment s) {
        return s.asSlice(NAME, NAME_CAPACITY);
    }

    /**
     * Writes the full form: a msghdr whose one iovec is {@code (data, length)}, naming the address
     * in {@link #name} when {@code nameLength > 0}, with {@code controlSpace} zeroed bytes of
     * control when {@code controlSpace > 0}.
     *
     * @param s the scratch, at least {@link #dataOffset dataOffset(controlSpace)} bytes
     * @param data the address of the bytes to send or of the room to receive into
     * @param length their count
     * @param nameLength the encoded destination's length for sendmsg, {@link #NAME_CAPACITY} for
     *     recvmsg to learn the sender, or 0 for no name
     * @param controlSpace the control space, or 0
     * @return the msghdr
     */
    public static MemorySegment full(
            MemorySegment s, long data, long length, int nameLength, long controlSpace) {
        s.asSlice(0, NAME).fill((byte) 0);
        s.set(JAVA_LONG, IOV + IOV_BASE, data);
        s.set(JAVA_LONG, IOV + IOV_LEN, length);
        s.set(JAVA_LONG, HEADER + MSG_IOV, s.address() + IOV);
        s.set(JAVA_LONG, HEADER + MSG_IOVLEN, 1L);
        if (nameLength > 0) {
            s.set(JAVA_LONG, HEADER + MSG_NAME, s.address() + NAME);
            s.set(JAVA_INT, HEADER + MSG_NAMELEN, nameLength);
        }
        if (controlSpace > 0) {
            s.asSlice(CONTROL, controlSpace).fill((byte) 0);
            s.set(JAVA_LONG, HEADER + MSG_CONTROL, s.address() + CONTROL);
            s.set(JAVA_LONG, HEADER + MSG_CONTROLLEN, controlSpace);
        }
        return s.asSlice(HEADER, HEADER_BYTES);
    }

    /**
     * Writes one {@code SCM_RIGHTS} control message carrying {@code fds} into the full form's
     * control space (which {@link #full} made {@link #rightsSpace rightsSpace(fds.length)} long).
     *
     * @param s the scratch
     * @param fds the descriptors to pass
     */
    public static void putRights(MemorySegment s, int[] fds) {
        s.set(JAVA_LONG, CONTROL + CMSG_LEN, CMSG_DATA + JAVA_INT.byteSize() * fds.length);
        s.set(JAVA_INT, CONTROL + CMSG_LEVEL, Sockets.SOL_SOCKET);
        s.set(JAVA_INT, CONTROL + CMSG_TYPE, Sockets.SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) {
            s.set(JAVA_INT, CONTROL + CMSG_DATA + JAVA_INT.byteSize() * i, fds[i]);
        }
    }

    /**
     * The descriptors of every {@code SCM_RIGHTS} control message recvmsg left in the full form.
     *
     * @param s the scratch
     * @return the descriptors, in order (now owned by the caller; an empty result is a shared
     *     array: do not write to it)
     */
    public static int[] rights(MemorySegment s) {
        long controlLen = s.get(JAVA_LONG, HEADER + MSG_CONTROLLEN);
        int count = 0;
        for (long at = 0; at + CMSG_DATA <= controlLen; ) {
            long len = s.get(JAVA_LONG, CONTROL + at + CMSG_LEN);
            if (len < CMSG_DATA) {
                break;
            }
            if (isRights(s, at)) {
                count += (int) ((len - CMSG_DATA) / JAVA_INT.byteSize());
            }
            at += align(len);
        }
        if (count == 0) {
            return NO_RIGHTS;
        }
        int[] got = new int[count];
        int n = 0;
        for (long at = 0; n < count; ) {
            long len = s.get(JAVA_LONG, CONTROL + at + CMSG_LEN);
            if (isRights(s, at)) {
                for (long i = 0; i < (len - CMSG_DATA) / JAVA_INT.byteSize(); i++) {
                    got[n++] = s.get(JAVA_INT, CONTROL + at + CMSG_DATA + JAVA_INT.byteSize() * i);
                }
            }
            at += align(len);
        }
        return got;
    }

    private static final int[] NO_RIGHTS = new int[0];

    private static boolean isRights(MemorySegment s, long at) {
        return s.get(JAVA_INT, CONTROL + at + CMSG_LEVEL) == Sockets.SOL_SOCKET
                && s.get(JAVA_INT, CONTROL + at + CMSG_TYPE) == Sockets.SCM_RIGHTS;
    }

    /**
     * The {@code msg_flags} recvmsg set ({@code MSG_TRUNC}, {@code MSG_CTRUNC}).
     *
     * @param msghdr the msghdr returned by {@link #plain} or {@link #full}
     * @return the flags
     */
    public static int flags(MemorySegment msghdr) {
        return msghdr.get(JAVA_INT, MSG_FLAGS);
    }

    /**
     * The length of the sender's address recvmsg left in {@link #name} ({@code msg_namelen}).
     *
     * @param msghdr the msghdr returned by {@link #full}
     * @return the length in bytes
     */
    public static int nameLength(MemorySegment msghdr) {
        return msghdr.get(JAVA_INT, MSG_NAMELEN);
    }

    /** {@code CMSG_ALIGN}: rounds up to a multiple of 8 ({@code sizeof(size_t)}). */
    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
