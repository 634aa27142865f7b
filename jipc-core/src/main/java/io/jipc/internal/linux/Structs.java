package io.jipc.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every C struct jipc hands to the kernel (System V IPC, sockets, time, poll), as glibc 2.36
 * declares them on x86_64, with C field names (reserved members included) so that a test can
 * compare every offset and size with what gcc prints for the same struct.
 *
 * <p>Code reads and writes members through offsets taken from these layouts once, as {@code static
 * final} constants (jextract's style), and through the typed helpers below; the public packages
 * never see an offset.
 */
public final class Structs {
    private Structs() {}

    /** {@code struct ipc_perm} (sys/ipc.h, bits/ipc-perm.h): 48 bytes. */
    public static final StructLayout IPC_PERM =
            MemoryLayout.structLayout(
                            JAVA_INT.withName("__key"),
                            JAVA_INT.withName("uid"),
                            JAVA_INT.withName("gid"),
                            JAVA_INT.withName("cuid"),
                            JAVA_INT.withName("cgid"),
                            JAVA_INT.withName("mode"),
                            JAVA_SHORT.withName("__seq"),
                            JAVA_SHORT.withName("__pad2"),
                            MemoryLayout.paddingLayout(4),
                            JAVA_LONG.withName("__glibc_reserved1"),
                            JAVA_LONG.withName("__glibc_reserved2"))
                    .withName("ipc_perm");

    /** {@code struct msqid_ds} (sys/msg.h): 120 bytes. */
    public static final StructLayout MSQID_DS =
            MemoryLayout.structLayout(
                            IPC_PERM.withName("msg_perm"),
                            JAVA_LONG.withName("msg_stime"),
                            JAVA_LONG.withName("msg_rtime"),
                            JAVA_LONG.withName("msg_ctime"),
                            JAVA_LONG.withName("__msg_cbytes"),
                            JAVA_LONG.withName("msg_qnum"),
                            JAVA_LONG.withName("msg_qbytes"),
                            JAVA_INT.withName("msg_lspid"),
                            JAVA_INT.withName("msg_lrpid"),
                            JAVA_LONG.withName("__glibc_reserved4"),
                            JAVA_LONG.withName("__glibc_reserved5"))
                    .withName("msqid_ds");

    /** {@code struct semid_ds} (sys/sem.h, x86 variant with the time high words): 104 bytes. */
    public static final StructLayout SEMID_DS =
            MemoryLayout.structLayout(
                            IPC_PERM.withName("sem_perm"),
                            JAVA_LONG.withName("sem_otime"),
                            JAVA_LONG.withName("__sem_otime_high"),
                            JAVA_LONG.withName("sem_ctime"),
                            JAVA_LONG.withName("__sem_ctime_high"),
                            JAVA_LONG.withName("sem_nsems"),
                            JAVA_LONG.withName("__glibc_reserved3"),
                            JAVA_LONG.withName("__glibc_reserved4"))
                    .withName("semid_ds");

    /** {@code struct shmid_ds} (sys/shm.h): 112 bytes. */
    public static final StructLayout SHMID_DS =
            MemoryLayout.structLayout(
                            IPC_PERM.withName("shm_perm"),
                            JAVA_LONG.withName("shm_segsz"),
                            JAVA_LONG.withName("shm_atime"),
                            JAVA_LONG.withName("shm_dtime"),
                            JAVA_LONG.withName("shm_ctime"),
                            JAVA_INT.withName("shm_cpid"),
                            JAVA_INT.withName("shm_lpid"),
                            JAVA_LONG.withName("shm_nattch"),
                            JAVA_LONG.withName("__glibc_reserved5"),
                            JAVA_LONG.withName("__glibc_reserved6"))
                    .withName("shmid_ds");

    /** {@code struct sembuf} (sys/sem.h): 6 bytes, 2-byte aligned. */
    public static final StructLayout SEMBUF =
            MemoryLayout.structLayout(
                            JAVA_SHORT.withName("sem_num"),
                            JAVA_SHORT.withName("sem_op"),
                            JAVA_SHORT.withName("sem_flg"))
                    .withName("sembuf");

    /** {@code struct msginfo} (sys/msg.h, returned by IPC_INFO/MSG_INFO): 32 bytes. */
    public static final StructLayout MSGINFO =
            MemoryLayout.structLayout(
                            JAVA_INT.withName("msgpool"),
                            JAVA_INT.withName("msgmap"),
                            JAVA_INT.withName("msgmax"),
                            JAVA_INT.withName("msgmnb"),
                            JAVA_INT.withName("msgmni"),
                            JAVA_INT.withName("msgssz"),
                            JAVA_INT.withName("msgtql"),
                            JAVA_SHORT.withName("msgseg"),
                            MemoryLayout.paddingLayout(2))
                    .withName("msginfo");

    /** {@code struct seminfo} (sys/sem.h, returned by IPC_INFO/SEM_INFO): 40 bytes. */
    public static final StructLayout SEMINFO =
            MemoryLayout.structLayout(
                            JAVA_INT.withName("semmap"),
                            JAVA_INT.withName("semmni"),
                            JAVA_INT.withName("semmns"),
                            JAVA_INT.withName("semmnu"),
                            JAVA_INT.withName("semmsl"),
                            JAVA_INT.withName("semopm"),
                            JAVA_INT.withName("semume"),
                            JAVA_INT.withName("semusz"),
                            JAVA_INT.withName("semvmx"),
                            JAVA_INT.withName("semaem"))
                    .withName("seminfo");

    /** {@code struct shminfo} (sys/shm.h, returned by IPC_INFO): 72 bytes. */
    public static final StructLayout SHMINFO =
            MemoryLayout.structLayout(
                            JAVA_LONG.withName("shmmax"),
                            JAVA_LONG.withName("shmmin"),
                            JAVA_LONG.withName("shmmni"),
                            JAVA_LONG.withName("shmseg"),
                            JAVA_LONG.withName("shmall"),
                            JAVA_LONG.withName("__glibc_reserved1"),
                            JAVA_LONG.withName("__glibc_reserved2"),
                            JAVA_LONG.withName("__glibc_reserved3"),
                            JAVA_LONG.withName("__glibc_reserved4"))
                    .withName("shminfo");

    /** {@code struct shm_info} (sys/shm.h, returned by SHM_INFO): 48 bytes. */
    public static final StructLayout SHM_INFO =
            MemoryLayout.structLayout(
                            JAVA_INT.withName("used_ids"),
                            MemoryLayout.paddingLayout(4),
                            JAVA_LONG.withName("shm_tot"),
                            JAVA_LONG.withName("shm_rss"),
                            JAVA_LONG.withName("shm_swp"),
                            JAVA_LONG.withName("swap_attempts"),
                            JAVA_LONG.withName("swap_successes"))
                    .withName("shm_info");

    /** {@code struct sockaddr_un} (sys/un.h): 110 bytes. */
    public static final StructLayout SOCKADDR_UN =
            MemoryLayout.structLayout(
                            JAVA_SHORT.withName("sun_family"),
                            MemoryLayout.sequenceLayout(108, ValueLayout.JAVA_BYTE)
                                    .withName("sun_path"))
                    .withName("sockaddr_un");

    /** {@code struct iovec} (sys/uio.h): 16 bytes; pointers as 64-bit integers. */
    public static final StructLayout IOVEC =
            MemoryLayout.structLayout(JAVA_LONG.withName("iov_base"), JAVA_LONG.withName("iov_len"))
                    .withName("iovec");

    /** {@code struct msghdr} (sys/socket.h): 56 bytes; pointers as 64-bit integers. */
    public static final StructLayout MSGHDR =
            MemoryLayout.structLayout(
                            JAVA_LONG.withName("msg_name"),
                            JAVA_INT.withName("msg_namelen"),
                            MemoryLayout.paddingLayout(4),
                            JAVA_LONG.withName("msg_iov"),
                            JAVA_LONG.withName("msg_iovlen"),
                            JAVA_LONG.withName("msg_control"),
                            JAVA_LONG.withName("msg_controllen"),
                            JAVA_INT.withName("msg_flags"),
                            MemoryLayout.paddingLayout(4))
                    .withName("msghdr");

    /** {@code struct cmsghdr} (sys/socket.h): 16 bytes, followed by the data (CMSG_DATA). */
    public static final StructLayout CMSGHDR =
            MemoryLayout.structLayout(
                            JAVA_LONG.withName("cmsg_len"),
                            JAVA_INT.withName("cmsg_level"),
                            JAVA_INT.withName("cmsg_type"))
                    .withName("cmsghdr");

    /** {@code struct ucred} (sys/socket.h, _GNU_SOURCE): 12 bytes. */
    public static final StructLayout UCRED =
            MemoryLayout.structLayout(
                            JAVA_INT.withName("pid"),
                            JAVA_INT.withName("uid"),
                            JAVA_INT.withName("gid"))
                    .withName("ucred");

    /**
     * {@code struct msgbuf} (sys/msg.h, _GNU_SOURCE): the type, then the body ({@code mtext} is
     * declared {@code char[1]}; a real message has its body's length there): 16 bytes.
     */
    public static final StructLayout MSGBUF =
            MemoryLayout.structLayout(
                            JAVA_LONG.withName("mtype"),
                            MemoryLayout.sequenceLayout(1, ValueLayout.JAVA_BYTE).withName("mtext"),
                            MemoryLayout.paddingLayout(7))
                    .withName("msgbuf");

    /** {@code struct timespec} (time.h): 16 bytes. */
    public static final StructLayout TIMESPEC =
            MemoryLayout.structLayout(JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"))
                    .withName("timespec");

    /** {@code struct timeval} (sys/time.h): 16 bytes. */
    public static final StructLayout TIMEVAL =
            MemoryLayout.structLayout(JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_usec"))
                    .withName("timeval");

    /**
     * {@code struct epoll_event} (sys/epoll.h): packed on x86_64, so {@code data} (a union of 8
     * bytes) is not aligned: 12 bytes, alignment 1.
     */
    public static final StructLayout EPOLL_EVENT =
            MemoryLayout.structLayout(
                            ValueLayout.JAVA_INT_UNALIGNED.withName("events"),
                            ValueLayout.JAVA_LONG_UNALIGNED.withName("data"))
                    .withName("epoll_event");

    /** {@code struct pollfd} (poll.h): 8 bytes. */
    public static final StructLayout POLLFD =
            MemoryLayout.structLayout(
                            JAVA_INT.withName("fd"),
                            JAVA_SHORT.withName("events"),
                            JAVA_SHORT.withName("revents"))
                    .withName("pollfd");

    /** {@code struct mq_attr} (mqueue.h, bits/types/struct_mq_attr.h): 64 bytes. */
    public static final StructLayout MQ_ATTR =
            MemoryLayout.structLayout(
                            JAVA_LONG.withName("mq_flags"),
                            JAVA_LONG.withName("mq_maxmsg"),
                            JAVA_LONG.withName("mq_msgsize"),
                            JAVA_LONG.withName("mq_curmsgs"),
                            MemoryLayout.sequenceLayout(4, JAVA_LONG).withName("__pad"))
                    .withName("mq_attr");

    /**
     * {@code struct sigevent} (bits/types/sigevent_t.h) with the members mq_notify's netlink form
     * uses ({@code sigev_value} is a {@code union sigval}; the rest is a union of 48 bytes): 64
     * bytes.
     */
    public static final StructLayout SIGEVENT =
            MemoryLayout.structLayout(
                            JAVA_LONG.withName("sigev_value"),
                            JAVA_INT.withName("sigev_signo"),
                            JAVA_INT.withName("sigev_notify"),
                            MemoryLayout.paddingLayout(48))
                    .withName("sigevent");

    /** {@code struct rlimit} (sys/resource.h): 16 bytes. */
    public static final StructLayout RLIMIT =
            MemoryLayout.structLayout(
                            JAVA_LONG.withName("rlim_cur"), JAVA_LONG.withName("rlim_max"))
                    .withName("rlimit");

    /**
     * Every struct above by its C name ({@code "msqid_ds"}, ...), for the layout test.
     *
     * @return an ordered, unmodifiable map
     */
    public static Map<String, StructLayout> all() {
        Map<String, StructLayout> m = new LinkedHashMap<>();
        for (StructLayout l :
                new StructLayout[] {
                    IPC_PERM,
                    MSQID_DS,
                    SEMID_DS,
                    SHMID_DS,
                    SEMBUF,
                    MSGINFO,
                    SEMINFO,
                    SHMINFO,
                    SHM_INFO,
                    SOCKADDR_UN,
                    IOVEC,
                    MSGHDR,
                    CMSGHDR,
                    UCRED,
                    MSGBUF,
                    TIMESPEC,
                    TIMEVAL,
                    POLLFD,
                    EPOLL_EVENT,
                    MQ_ATTR,
                    SIGEVENT,
                    RLIMIT
                }) {
            m.put(l.name().orElseThrow(), l);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * The byte offset of a member, for the {@code static final} offset constants of this package
     * (computed once, never per call).
     *
     * @param layout the struct
     * @param path the member, dots separating nested names ({@code "msg_perm.mode"})
     * @return the offset in bytes
     */
    static long offset(StructLayout layout, String path) {
        MemoryLayout.PathElement[] elements =
                Arrays.stream(path.split("\\."))
                        .map(MemoryLayout.PathElement::groupElement)
                        .toArray(MemoryLayout.PathElement[]::new);
        return layout.byteOffset(elements);
    }

    // ---- struct sembuf: the operations of semop(2), packed per call ----------------------------

    private static final long SEM_NUM = offset(SEMBUF, "sem_num");
    private static final long SEM_OP = offset(SEMBUF, "sem_op");
    private static final long SEM_FLG = offset(SEMBUF, "sem_flg");

    /** {@code sizeof(struct sembuf)}: the stride of an array of operations. */
    public static final long SEMBUF_BYTES = SEMBUF.byteSize();

    /**
     * Writes element {@code i} of an array of {@code struct sembuf}.
     *
     * @param ops native memory holding the array
     * @param i the element
     * @param num {@code sem_num}: the semaphore's index
     * @param op {@code sem_op}: the change
     * @param flg {@code sem_flg}: {@code IPC_NOWAIT}, {@code SEM_UNDO}
     */
    public static void sembuf(MemorySegment ops, int i, int num, int op, int flg) {
        long at = i * SEMBUF_BYTES;
        ops.set(JAVA_SHORT, at + SEM_NUM, (short) num);
        ops.set(JAVA_SHORT, at + SEM_OP, (short) op);
        ops.set(JAVA_SHORT, at + SEM_FLG, (short) flg);
    }

    // ---- unsigned short[]: semctl GETALL / SETALL ---------------------------------------------

    /**
     * The bytes of an {@code unsigned short} array of {@code n} values (semctl's {@code array}).
     *
     * @param n the number of values
     * @return the size in bytes
     */
    public static long ushortsBytes(int n) {
        return JAVA_SHORT.byteSize() * n;
    }

    /**
     * Reads an {@code unsigned short} array ({@code GETALL}).
     *
     * @param a native memory holding the array
     * @param n the number of values
     * @return the values, each 0..65535
     */
    public static int[] ushorts(MemorySegment a, int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = Short.toUnsignedInt(a.getAtIndex(JAVA_SHORT, i));
        }
        return values;
    }

    /**
     * Writes one value of an {@code unsigned short} array ({@code SETALL}).
     *
     * @param a native memory holding the array
     * @param i the index
     * @param value the value, 0..65535
     */
    public static void ushort(MemorySegment a, int i, int value) {
        a.setAtIndex(JAVA_SHORT, i, (short) value);
    }

    // ---- struct msgbuf: msgsnd(2) and msgrcv(2) buffers -----------------------------------------

    private static final long MTYPE = offset(MSGBUF, "mtype");

    /** {@code offsetof(struct msgbuf, mtext)}: the bytes before the body. */
    public static final long MTEXT = offset(MSGBUF, "mtext");

    /**
     * The size of a message buffer for a body of {@code length} bytes.
     *
     * @param length the body's length
     * @return {@code offsetof(struct msgbuf, mtext) + length}
     */
    public static long msgbufBytes(long length) {
        return MTEXT + length;
    }

    /**
     * The message type ({@code mtype}) of a message buffer.
     *
     * @param buf the buffer
     * @return the type
     */
    public static long mtype(MemorySegment buf) {
        return buf.get(JAVA_LONG, MTYPE);
    }

    /**
     * Sets the message type ({@code mtype}) of a message buffer.
     *
     * @param buf the buffer
     * @param type the type
     */
    public static void mtype(MemorySegment buf, long type) {
        buf.set(JAVA_LONG, MTYPE, type);
    }

    /**
     * Copies a body into a message buffer ({@code mtext}).
     *
     * @param buf the buffer, at least {@link #msgbufBytes(long) msgbufBytes(length)} bytes
     * @param src the array holding the body
     * @param offset where the body starts in {@code src}
     * @param length the body's length
     */
    public static void mtext(MemorySegment buf, byte[] src, int offset, int length) {
        MemorySegment.copy(src, offset, buf, ValueLayout.JAVA_BYTE, MTEXT, length);
    }

    /**
     * Copies a body into a message buffer ({@code mtext}).
     *
     * @param buf the buffer, at least {@link #msgbufBytes(long) msgbufBytes(length)} bytes
     * @param src the body (heap or native memory)
     * @param length the bytes to copy from the start of {@code src}
     */
    public static void mtext(MemorySegment buf, MemorySegment src, long length) {
        MemorySegment.copy(src, 0, buf, MTEXT, length);
    }

    /**
     * Copies a received body out of a message buffer ({@code mtext}).
     *
     * @param buf the buffer
     * @param dst the array to fill
     * @param offset where in {@code dst}
     * @param length the bytes to copy
     */
    public static void mtextTo(MemorySegment buf, byte[] dst, int offset, int length) {
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, MTEXT, dst, offset, length);
    }

    /**
     * Copies a received body out of a message buffer ({@code mtext}).
     *
     * @param buf the buffer
     * @param dst where to (heap or native memory), from its start
     * @param length the bytes to copy
     */
    public static void mtextTo(MemorySegment buf, MemorySegment dst, long length) {
        MemorySegment.copy(buf, MTEXT, dst, 0, length);
    }

    /**
     * Copies a body into a message buffer through a {@code ByteBuffer} view of that buffer ({@code
     * Native.scratchView()}): no segment made per call.
     *
     * @param view a view of the whole message buffer (position and limit ignored)
     * @param src the body, from its position ({@code src}'s position does not move)
     * @param length the body's length
     */
    public static void mtext(java.nio.ByteBuffer view, java.nio.ByteBuffer src, int length) {
        view.put((int) MTEXT, src, src.position(), length);
    }

    /**
     * Copies a received body out of a message buffer through a {@code ByteBuffer} view of it, into
     * {@code dst} at its position ({@code dst}'s position does not move).
     *
     * @param view a view of the whole message buffer (position and limit ignored)
     * @param dst where to
     * @param length the bytes to copy
     */
    public static void mtextTo(java.nio.ByteBuffer view, java.nio.ByteBuffer dst, int length) {
        dst.put(dst.position(), view, (int) MTEXT, length);
    }

    // ---- struct timespec, struct timeval -----------------------------------------------------

    private static final long TS_SEC = offset(TIMESPEC, "tv_sec");
    private static final long TS_NSEC = offset(TIMESPEC, "tv_nsec");
    private static final long TV_SEC = offset(TIMEVAL, "tv_sec");
    private static final long TV_USEC = offset(TIMEVAL, "tv_usec");

    /**
     * Writes a {@code struct timespec} of {@code nanos} nanoseconds.
     *
     * @param ts native memory for the struct
     * @param nanos the duration, at least 0
     */
    static void timespec(MemorySegment ts, long nanos) {
        ts.set(JAVA_LONG, TS_SEC, nanos / 1_000_000_000L);
        ts.set(JAVA_LONG, TS_NSEC, nanos % 1_000_000_000L);
    }

    /**
     * Writes a {@code struct timeval} of {@code micros} microseconds.
     *
     * @param tv native memory for the struct
     * @param micros the duration, at least 0
     */
    static void timeval(MemorySegment tv, long micros) {
        tv.set(JAVA_LONG, TV_SEC, micros / 1_000_000L);
        tv.set(JAVA_LONG, TV_USEC, micros % 1_000_000L);
    }

    /**
     * Reads a {@code struct timeval} as nanoseconds.
     *
     * @param tv native memory holding the struct
     * @return the duration in nanoseconds
     */
    static long timevalNanos(MemorySegment tv) {
        return tv.get(JAVA_LONG, TV_SEC) * 1_000_000_000L + tv.get(JAVA_LONG, TV_USEC) * 1_000L;
    }

    // ---- System V status and info structs, decoded once into records with C names ---------------

    private static final long IPC_PERM_KEY = offset(IPC_PERM, "__key");
    private static final long IPC_PERM_UID = offset(IPC_PERM, "uid");
    private static final long IPC_PERM_GID = offset(IPC_PERM, "gid");
    private static final long IPC_PERM_CUID = offset(IPC_PERM, "cuid");
    private static final long IPC_PERM_CGID = offset(IPC_PERM, "cgid");
    private static final long IPC_PERM_MODE = offset(IPC_PERM, "mode");
    private static final long IPC_PERM_SEQ = offset(IPC_PERM, "__seq");

    private static final long MSG_PERM = offset(MSQID_DS, "msg_perm");
    private static final long MSG_STIME = offset(MSQID_DS, "msg_stime");
    private static final long MSG_RTIME = offset(MSQID_DS, "msg_rtime");
    private static final long MSG_CTIME = offset(MSQID_DS, "msg_ctime");
    private static final long MSG_CBYTES = offset(MSQID_DS, "__msg_cbytes");
    private static final long MSG_QNUM = offset(MSQID_DS, "msg_qnum");
    private static final long MSG_QBYTES = offset(MSQID_DS, "msg_qbytes");
    private static final long MSG_LSPID = offset(MSQID_DS, "msg_lspid");
    private static final long MSG_LRPID = offset(MSQID_DS, "msg_lrpid");

    private static final long SEM_PERM = offset(SEMID_DS, "sem_perm");
    private static final long SEM_OTIME = offset(SEMID_DS, "sem_otime");
    private static final long SEM_CTIME = offset(SEMID_DS, "sem_ctime");
    private static final long SEM_NSEMS = offset(SEMID_DS, "sem_nsems");

    private static final long SHM_PERM = offset(SHMID_DS, "shm_perm");
    private static final long SHM_SEGSZ = offset(SHMID_DS, "shm_segsz");
    private static final long SHM_ATIME = offset(SHMID_DS, "shm_atime");
    private static final long SHM_DTIME = offset(SHMID_DS, "shm_dtime");
    private static final long SHM_CTIME = offset(SHMID_DS, "shm_ctime");
    private static final long SHM_CPID = offset(SHMID_DS, "shm_cpid");
    private static final long SHM_LPID = offset(SHMID_DS, "shm_lpid");
    private static final long SHM_NATTCH = offset(SHMID_DS, "shm_nattch");

    /**
     * A {@code struct ipc_perm} as read.
     *
     * @param key {@code __key}
     * @param uid {@code uid}
     * @param gid {@code gid}
     * @param cuid {@code cuid}
     * @param cgid {@code cgid}
     * @param mode {@code mode}
     * @param seq {@code __seq}, unsigned
     */
    public record IpcPerm(int key, int uid, int gid, int cuid, int cgid, int mode, int seq) {}

    private static IpcPerm ipcPerm(MemorySegment s, long at) {
        return new IpcPerm(
                s.get(JAVA_INT, at + IPC_PERM_KEY),
                s.get(JAVA_INT, at + IPC_PERM_UID),
                s.get(JAVA_INT, at + IPC_PERM_GID),
                s.get(JAVA_INT, at + IPC_PERM_CUID),
                s.get(JAVA_INT, at + IPC_PERM_CGID),
                s.get(JAVA_INT, at + IPC_PERM_MODE),
                Short.toUnsignedInt(s.get(JAVA_SHORT, at + IPC_PERM_SEQ)));
    }

    private static void ipcPerm(MemorySegment s, long at, int uid, int gid, int mode) {
        s.set(JAVA_INT, at + IPC_PERM_UID, uid);
        s.set(JAVA_INT, at + IPC_PERM_GID, gid);
        s.set(JAVA_INT, at + IPC_PERM_MODE, mode);
    }

    /**
     * A {@code struct msqid_ds} as read (msgctl(2) {@code IPC_STAT}, {@code MSG_STAT_ANY}).
     *
     * @param msg_perm {@code msg_perm}
     * @param msg_stime {@code msg_stime}
     * @param msg_rtime {@code msg_rtime}
     * @param msg_ctime {@code msg_ctime}
     * @param msg_cbytes {@code __msg_cbytes}
     * @param msg_qnum {@code msg_qnum}
     * @param msg_qbytes {@code msg_qbytes}
     * @param msg_lspid {@code msg_lspid}
     * @param msg_lrpid {@code msg_lrpid}
     */
    public record MsqidDs(
            IpcPerm msg_perm,
            long msg_stime,
            long msg_rtime,
            long msg_ctime,
            long msg_cbytes,
            long msg_qnum,
            long msg_qbytes,
            int msg_lspid,
            int msg_lrpid) {}

    /**
     * Decodes a {@code struct msqid_ds}.
     *
     * @param ds memory holding it
     * @return the fields
     */
    public static MsqidDs msqidDs(MemorySegment ds) {
        return new MsqidDs(
                ipcPerm(ds, MSG_PERM),
                ds.get(JAVA_LONG, MSG_STIME),
                ds.get(JAVA_LONG, MSG_RTIME),
                ds.get(JAVA_LONG, MSG_CTIME),
                ds.get(JAVA_LONG, MSG_CBYTES),
                ds.get(JAVA_LONG, MSG_QNUM),
                ds.get(JAVA_LONG, MSG_QBYTES),
                ds.get(JAVA_INT, MSG_LSPID),
                ds.get(JAVA_INT, MSG_LRPID));
    }

    /**
     * Sets the members {@code IPC_SET} reads in a {@code struct msqid_ds} (the rest as read by
     * {@code IPC_STAT}).
     *
     * @param ds memory holding it
     * @param uid {@code msg_perm.uid}
     * @param gid {@code msg_perm.gid}
     * @param mode {@code msg_perm.mode}
     * @param qbytes {@code msg_qbytes}
     */
    public static void msqidDs(MemorySegment ds, int uid, int gid, int mode, long qbytes) {
        ipcPerm(ds, MSG_PERM, uid, gid, mode);
        ds.set(JAVA_LONG, MSG_QBYTES, qbytes);
    }

    /**
     * A {@code struct semid_ds} as read (semctl(2) {@code IPC_STAT}, {@code SEM_STAT_ANY}).
     *
     * @param sem_perm {@code sem_perm}
     * @param sem_otime {@code sem_otime}
     * @param sem_ctime {@code sem_ctime}
     * @param sem_nsems {@code sem_nsems}
     */
    public record SemidDs(IpcPerm sem_perm, long sem_otime, long sem_ctime, long sem_nsems) {}

    /**
     * Decodes a {@code struct semid_ds}.
     *
     * @param ds memory holding it
     * @return the fields
     */
    public static SemidDs semidDs(MemorySegment ds) {
        return new SemidDs(
                ipcPerm(ds, SEM_PERM),
                ds.get(JAVA_LONG, SEM_OTIME),
                ds.get(JAVA_LONG, SEM_CTIME),
                ds.get(JAVA_LONG, SEM_NSEMS));
    }

    /**
     * {@code sem_otime} alone: whether a semop has been made (the initialisation mark).
     *
     * @param ds memory holding a {@code struct semid_ds}
     * @return {@code sem_otime}
     */
    public static long semOtime(MemorySegment ds) {
        return ds.get(JAVA_LONG, SEM_OTIME);
    }

    /**
     * Sets the members {@code IPC_SET} reads in a {@code struct semid_ds}.
     *
     * @param ds memory holding it
     * @param uid {@code sem_perm.uid}
     * @param gid {@code sem_perm.gid}
     * @param mode {@code sem_perm.mode}
     */
    public static void semidDs(MemorySegment ds, int uid, int gid, int mode) {
        ipcPerm(ds, SEM_PERM, uid, gid, mode);
    }

    /**
     * A {@code struct shmid_ds} as read (shmctl(2) {@code IPC_STAT}, {@code SHM_STAT_ANY}).
     *
     * @param shm_perm {@code shm_perm}
     * @param shm_segsz {@code shm_segsz}
     * @param shm_atime {@code shm_atime}
     * @param shm_dtime {@code shm_dtime}
     * @param shm_ctime {@code shm_ctime}
     * @param shm_cpid {@code shm_cpid}
     * @param shm_lpid {@code shm_lpid}
     * @param shm_nattch {@code shm_nattch}
     */
    public record ShmidDs(
            IpcPerm shm_perm,
            long shm_segsz,
            long shm_atime,
            long shm_dtime,
            long shm_ctime,
            int shm_cpid,
            int shm_lpid,
            long shm_nattch) {}

    /**
     * Decodes a {@code struct shmid_ds}.
     *
     * @param ds memory holding it
     * @return the fields
     */
    public static ShmidDs shmidDs(MemorySegment ds) {
        return new ShmidDs(
                ipcPerm(ds, SHM_PERM),
                ds.get(JAVA_LONG, SHM_SEGSZ),
                ds.get(JAVA_LONG, SHM_ATIME),
                ds.get(JAVA_LONG, SHM_DTIME),
                ds.get(JAVA_LONG, SHM_CTIME),
                ds.get(JAVA_INT, SHM_CPID),
                ds.get(JAVA_INT, SHM_LPID),
                ds.get(JAVA_LONG, SHM_NATTCH));
    }

    /**
     * Sets the members {@code IPC_SET} reads in a {@code struct shmid_ds}.
     *
     * @param ds memory holding it
     * @param uid {@code shm_perm.uid}
     * @param gid {@code shm_perm.gid}
     * @param mode {@code shm_perm.mode}
     */
    public static void shmidDs(MemorySegment ds, int uid, int gid, int mode) {
        ipcPerm(ds, SHM_PERM, uid, gid, mode);
    }

    private static final long MSGINFO_MSGPOOL = offset(MSGINFO, "msgpool");
    private static final long MSGINFO_MSGMAP = offset(MSGINFO, "msgmap");
    private static final long MSGINFO_MSGMAX = offset(MSGINFO, "msgmax");
    private static final long MSGINFO_MSGMNB = offset(MSGINFO, "msgmnb");
    private static final long MSGINFO_MSGMNI = offset(MSGINFO, "msgmni");
    private static final long MSGINFO_MSGSSZ = offset(MSGINFO, "msgssz");
    private static final long MSGINFO_MSGTQL = offset(MSGINFO, "msgtql");
    private static final long MSGINFO_MSGSEG = offset(MSGINFO, "msgseg");

    /**
     * A {@code struct msginfo} (msgctl(2) {@code IPC_INFO}: limits; {@code MSG_INFO}: usage in
     * {@code msgpool}, {@code msgmap}, {@code msgtql}), every {@code int} as unsigned.
     *
     * @param msgpool {@code msgpool}
     * @param msgmap {@code msgmap}
     * @param msgmax {@code msgmax}
     * @param msgmnb {@code msgmnb}
     * @param msgmni {@code msgmni}
     * @param msgssz {@code msgssz}
     * @param msgtql {@code msgtql}
     * @param msgseg {@code msgseg} (an {@code unsigned short})
     */
    public record MsgInfo(
            long msgpool,
            long msgmap,
            long msgmax,
            long msgmnb,
            long msgmni,
            long msgssz,
            long msgtql,
            long msgseg) {}

    /**
     * Decodes a {@code struct msginfo}.
     *
     * @param s memory holding it
     * @return the fields
     */
    public static MsgInfo msginfo(MemorySegment s) {
        return new MsgInfo(
                u32(s, MSGINFO_MSGPOOL),
                u32(s, MSGINFO_MSGMAP),
                u32(s, MSGINFO_MSGMAX),
                u32(s, MSGINFO_MSGMNB),
                u32(s, MSGINFO_MSGMNI),
                u32(s, MSGINFO_MSGSSZ),
                u32(s, MSGINFO_MSGTQL),
                Short.toUnsignedInt(s.get(JAVA_SHORT, MSGINFO_MSGSEG)));
    }

    private static final long SEMINFO_SEMMAP = offset(SEMINFO, "semmap");
    private static final long SEMINFO_SEMMNI = offset(SEMINFO, "semmni");
    private static final long SEMINFO_SEMMNS = offset(SEMINFO, "semmns");
    private static final long SEMINFO_SEMMNU = offset(SEMINFO, "semmnu");
    private static final long SEMINFO_SEMMSL = offset(SEMINFO, "semmsl");
    private static final long SEMINFO_SEMOPM = offset(SEMINFO, "semopm");
    private static final long SEMINFO_SEMUME = offset(SEMINFO, "semume");
    private static final long SEMINFO_SEMUSZ = offset(SEMINFO, "semusz");
    private static final long SEMINFO_SEMVMX = offset(SEMINFO, "semvmx");
    private static final long SEMINFO_SEMAEM = offset(SEMINFO, "semaem");

    /**
     * A {@code struct seminfo} (semctl(2) {@code IPC_INFO}: limits; {@code SEM_INFO}: usage in
     * {@code semusz} and {@code semaem}).
     *
     * @param semmap {@code semmap}
     * @param semmni {@code semmni}
     * @param semmns {@code semmns}
     * @param semmnu {@code semmnu}
     * @param semmsl {@code semmsl}
     * @param semopm {@code semopm}
     * @param semume {@code semume}
     * @param semusz {@code semusz}
     * @param semvmx {@code semvmx}
     * @param semaem {@code semaem}
     */
    public record SemInfo(
            int semmap,
            int semmni,
            int semmns,
            int semmnu,
            int semmsl,
            int semopm,
            int semume,
            int semusz,
            int semvmx,
            int semaem) {}

    /**
     * Decodes a {@code struct seminfo}.
     *
     * @param s memory holding it
     * @return the fields
     */
    public static SemInfo seminfo(MemorySegment s) {
        return new SemInfo(
                s.get(JAVA_INT, SEMINFO_SEMMAP),
                s.get(JAVA_INT, SEMINFO_SEMMNI),
                s.get(JAVA_INT, SEMINFO_SEMMNS),
                s.get(JAVA_INT, SEMINFO_SEMMNU),
                s.get(JAVA_INT, SEMINFO_SEMMSL),
                s.get(JAVA_INT, SEMINFO_SEMOPM),
                s.get(JAVA_INT, SEMINFO_SEMUME),
                s.get(JAVA_INT, SEMINFO_SEMUSZ),
                s.get(JAVA_INT, SEMINFO_SEMVMX),
                s.get(JAVA_INT, SEMINFO_SEMAEM));
    }

    private static final long SHMINFO_SHMMAX = offset(SHMINFO, "shmmax");
    private static final long SHMINFO_SHMMIN = offset(SHMINFO, "shmmin");
    private static final long SHMINFO_SHMMNI = offset(SHMINFO, "shmmni");
    private static final long SHMINFO_SHMSEG = offset(SHMINFO, "shmseg");
    private static final long SHMINFO_SHMALL = offset(SHMINFO, "shmall");

    /**
     * A {@code struct shminfo} (shmctl(2) {@code IPC_INFO}), each {@code unsigned long} as read
     * (the kernel's "unlimited" defaults are above {@code Long.MAX_VALUE}: see {@link
     * Long#toUnsignedString}).
     *
     * @param shmmax {@code shmmax}
     * @param shmmin {@code shmmin}
     * @param shmmni {@code shmmni}
     * @param shmseg {@code shmseg}
     * @param shmall {@code shmall}
     */
    public record ShmInfo(long shmmax, long shmmin, long shmmni, long shmseg, long shmall) {}

    /**
     * Decodes a {@code struct shminfo}.
     *
     * @param s memory holding it
     * @return the fields
     */
    public static ShmInfo shminfo(MemorySegment s) {
        return new ShmInfo(
                s.get(JAVA_LONG, SHMINFO_SHMMAX),
                s.get(JAVA_LONG, SHMINFO_SHMMIN),
                s.get(JAVA_LONG, SHMINFO_SHMMNI),
                s.get(JAVA_LONG, SHMINFO_SHMSEG),
                s.get(JAVA_LONG, SHMINFO_SHMALL));
    }

    private static final long SHM_INFO_USED_IDS = offset(SHM_INFO, "used_ids");
    private static final long SHM_INFO_SHM_TOT = offset(SHM_INFO, "shm_tot");
    private static final long SHM_INFO_SHM_RSS = offset(SHM_INFO, "shm_rss");
    private static final long SHM_INFO_SHM_SWP = offset(SHM_INFO, "shm_swp");

    /**
     * A {@code struct shm_info} (shmctl(2) {@code SHM_INFO}).
     *
     * @param used_ids {@code used_ids}
     * @param shm_tot {@code shm_tot}
     * @param shm_rss {@code shm_rss}
     * @param shm_swp {@code shm_swp}
     */
    public record ShmUsage(int used_ids, long shm_tot, long shm_rss, long shm_swp) {}

    /**
     * Decodes a {@code struct shm_info}.
     *
     * @param s memory holding it
     * @return the fields
     */
    public static ShmUsage shm_info(MemorySegment s) {
        return new ShmUsage(
                s.get(JAVA_INT, SHM_INFO_USED_IDS),
                s.get(JAVA_LONG, SHM_INFO_SHM_TOT),
                s.get(JAVA_LONG, SHM_INFO_SHM_RSS),
                s.get(JAVA_LONG, SHM_INFO_SHM_SWP));
    }

    /** The bytes every info call needs: the largest of msginfo, seminfo, shminfo, shm_info. */
    public static final long INFO_BYTES =
            Math.max(
                    Math.max(MSGINFO.byteSize(), SEMINFO.byteSize()),
                    Math.max(SHMINFO.byteSize(), SHM_INFO.byteSize()));

    private static long u32(MemorySegment s, long at) {
        return Integer.toUnsignedLong(s.get(JAVA_INT, at));
    }
}
