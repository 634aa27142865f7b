package io.jipc.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.jipc.IpcKey;
import io.jipc.sysv.IpcPermissions;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The C structs of the System V IPC calls, as glibc 2.36 declares them on x86_64, with C field
 * names (reserved members included) so that a test can compare every offset and size with what
 * gcc prints for the same struct.
 *
 * <p>Field paths use dots for nested members: {@code "msg_perm.uid"}.
 */
public final class Structs {
    private Structs() {
    }

    /** {@code struct ipc_perm} (sys/ipc.h, bits/ipc-perm.h): 48 bytes. */
    public static final StructLayout IPC_PERM = MemoryLayout.structLayout(
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
            JAVA_LONG.withName("__glibc_reserved2")).withName("ipc_perm");

    /** {@code struct msqid_ds} (sys/msg.h): 120 bytes. */
    public static final StructLayout MSQID_DS = MemoryLayout.structLayout(
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
            JAVA_LONG.withName("__glibc_reserved5")).withName("msqid_ds");

    /** {@code struct semid_ds} (sys/sem.h, x86 variant with the time high words): 104 bytes. */
    public static final StructLayout SEMID_DS = MemoryLayout.structLayout(
            IPC_PERM.withName("sem_perm"),
            JAVA_LONG.withName("sem_otime"),
            JAVA_LONG.withName("__sem_otime_high"),
            JAVA_LONG.withName("sem_ctime"),
            JAVA_LONG.withName("__sem_ctime_high"),
            JAVA_LONG.withName("sem_nsems"),
            JAVA_LONG.withName("__glibc_reserved3"),
            JAVA_LONG.withName("__glibc_reserved4")).withName("semid_ds");

    /** {@code struct shmid_ds} (sys/shm.h): 112 bytes. */
    public static final StructLayout SHMID_DS = MemoryLayout.structLayout(
            IPC_PERM.withName("shm_perm"),
            JAVA_LONG.withName("shm_segsz"),
            JAVA_LONG.withName("shm_atime"),
            JAVA_LONG.withName("shm_dtime"),
            JAVA_LONG.withName("shm_ctime"),
            JAVA_INT.withName("shm_cpid"),
            JAVA_INT.withName("shm_lpid"),
            JAVA_LONG.withName("shm_nattch"),
            JAVA_LONG.withName("__glibc_reserved5"),
            JAVA_LONG.withName("__glibc_reserved6")).withName("shmid_ds");

    /** {@code struct sembuf} (sys/sem.h): 6 bytes, 2-byte aligned. */
    public static final StructLayout SEMBUF = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sem_num"),
            JAVA_SHORT.withName("sem_op"),
            JAVA_SHORT.withName("sem_flg")).withName("sembuf");

    /** {@code struct msginfo} (sys/msg.h, returned by IPC_INFO/MSG_INFO): 32 bytes. */
    public static final StructLayout MSGINFO = MemoryLayout.structLayout(
            JAVA_INT.withName("msgpool"),
            JAVA_INT.withName("msgmap"),
            JAVA_INT.withName("msgmax"),
            JAVA_INT.withName("msgmnb"),
            JAVA_INT.withName("msgmni"),
            JAVA_INT.withName("msgssz"),
            JAVA_INT.withName("msgtql"),
            JAVA_SHORT.withName("msgseg"),
            MemoryLayout.paddingLayout(2)).withName("msginfo");

    /** {@code struct seminfo} (sys/sem.h, returned by IPC_INFO/SEM_INFO): 40 bytes. */
    public static final StructLayout SEMINFO = MemoryLayout.structLayout(
            JAVA_INT.withName("semmap"),
            JAVA_INT.withName("semmni"),
            JAVA_INT.withName("semmns"),
            JAVA_INT.withName("semmnu"),
            JAVA_INT.withName("semmsl"),
            JAVA_INT.withName("semopm"),
            JAVA_INT.withName("semume"),
            JAVA_INT.withName("semusz"),
            JAVA_INT.withName("semvmx"),
            JAVA_INT.withName("semaem")).withName("seminfo");

    /** {@code struct shminfo} (sys/shm.h, returned by IPC_INFO): 72 bytes. */
    public static final StructLayout SHMINFO = MemoryLayout.structLayout(
            JAVA_LONG.withName("shmmax"),
            JAVA_LONG.withName("shmmin"),
            JAVA_LONG.withName("shmmni"),
            JAVA_LONG.withName("shmseg"),
            JAVA_LONG.withName("shmall"),
            JAVA_LONG.withName("__glibc_reserved1"),
            JAVA_LONG.withName("__glibc_reserved2"),
            JAVA_LONG.withName("__glibc_reserved3"),
            JAVA_LONG.withName("__glibc_reserved4")).withName("shminfo");

    /** {@code struct shm_info} (sys/shm.h, returned by SHM_INFO): 48 bytes. */
    public static final StructLayout SHM_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("used_ids"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("shm_tot"),
            JAVA_LONG.withName("shm_rss"),
            JAVA_LONG.withName("shm_swp"),
            JAVA_LONG.withName("swap_attempts"),
            JAVA_LONG.withName("swap_successes")).withName("shm_info");

    /** {@code struct sockaddr_un} (sys/un.h): 110 bytes. */
    public static final StructLayout SOCKADDR_UN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(108, ValueLayout.JAVA_BYTE).withName("sun_path")).withName("sockaddr_un");

    /** {@code struct iovec} (sys/uio.h): 16 bytes; pointers as 64-bit integers. */
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("iov_base"),
            JAVA_LONG.withName("iov_len")).withName("iovec");

    /** {@code struct msghdr} (sys/socket.h): 56 bytes; pointers as 64-bit integers. */
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            JAVA_LONG.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4)).withName("msghdr");

    /** {@code struct cmsghdr} (sys/socket.h): 16 bytes, followed by the data (CMSG_DATA). */
    public static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"),
            JAVA_INT.withName("cmsg_level"),
            JAVA_INT.withName("cmsg_type")).withName("cmsghdr");

    /** {@code struct ucred} (sys/socket.h, _GNU_SOURCE): 12 bytes. */
    public static final StructLayout UCRED = MemoryLayout.structLayout(
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("uid"),
            JAVA_INT.withName("gid")).withName("ucred");

    /**
     * {@code struct msgbuf} (sys/msg.h, _GNU_SOURCE): the type, then the body ({@code mtext} is
     * declared {@code char[1]}; a real message has its body's length there): 16 bytes.
     */
    public static final StructLayout MSGBUF = MemoryLayout.structLayout(
            JAVA_LONG.withName("mtype"),
            MemoryLayout.sequenceLayout(1, ValueLayout.JAVA_BYTE).withName("mtext"),
            MemoryLayout.paddingLayout(7)).withName("msgbuf");

    /** {@code struct timespec} (time.h): 16 bytes. */
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec")).withName("timespec");

    /** {@code struct timeval} (sys/time.h): 16 bytes. */
    public static final StructLayout TIMEVAL = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_usec")).withName("timeval");

    /** {@code struct pollfd} (poll.h): 8 bytes. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"),
            JAVA_SHORT.withName("events"),
            JAVA_SHORT.withName("revents")).withName("pollfd");

    /** {@code struct mq_attr} (mqueue.h, bits/types/struct_mq_attr.h): 64 bytes. */
    public static final StructLayout MQ_ATTR = MemoryLayout.structLayout(
            JAVA_LONG.withName("mq_flags"),
            JAVA_LONG.withName("mq_maxmsg"),
            JAVA_LONG.withName("mq_msgsize"),
            JAVA_LONG.withName("mq_curmsgs"),
            MemoryLayout.sequenceLayout(4, JAVA_LONG).withName("__pad")).withName("mq_attr");

    /**
     * {@code struct sigevent} (bits/types/sigevent_t.h) with the members mq_notify's netlink form
     * uses ({@code sigev_value} is a {@code union sigval}; the rest is a union of 48 bytes):
     * 64 bytes.
     */
    public static final StructLayout SIGEVENT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigev_value"),
            JAVA_INT.withName("sigev_signo"),
            JAVA_INT.withName("sigev_notify"),
            MemoryLayout.paddingLayout(48)).withName("sigevent");

    /** {@code struct rlimit} (sys/resource.h): 16 bytes. */
    public static final StructLayout RLIMIT = MemoryLayout.structLayout(
            JAVA_LONG.withName("rlim_cur"),
            JAVA_LONG.withName("rlim_max")).withName("rlimit");

    /**
     * Every struct above by its C name ({@code "msqid_ds"}, ...), for the layout test.
     *
     * @return an ordered, unmodifiable map
     */
    public static Map<String, StructLayout> all() {
        Map<String, StructLayout> m = new LinkedHashMap<>();
        for (StructLayout l : new StructLayout[] {IPC_PERM, MSQID_DS, SEMID_DS, SHMID_DS, SEMBUF,
                MSGINFO, SEMINFO, SHMINFO, SHM_INFO, SOCKADDR_UN, IOVEC, MSGHDR, CMSGHDR, UCRED, MSGBUF,
                TIMESPEC, TIMEVAL, POLLFD, MQ_ATTR, SIGEVENT, RLIMIT}) {
            m.put(l.name().orElseThrow(), l);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The byte offset of a member.
     *
     * @param layout the struct
     * @param path the member, dots separating nested names ({@code "msg_perm.mode"})
     * @return the offset in bytes
     */
    public static long offset(StructLayout layout, String path) {
        MemoryLayout.PathElement[] elements = Arrays.stream(path.split("\\."))
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

    /**
     * Decodes a {@code struct ipc_perm} embedded in another struct.
     *
     * @param s memory holding the outer struct at offset 0
     * @param layout the outer struct ({@link #MSQID_DS}, {@link #SEMID_DS}, {@link #SHMID_DS})
     * @param member the name of its {@code ipc_perm} member ({@code "msg_perm"}, ...)
     * @return the permissions
     */
    public static IpcPermissions ipcPerm(MemorySegment s, StructLayout layout, String member) {
        MemorySegment p = s.asSlice(offset(layout, member), IPC_PERM.byteSize());
        return new IpcPermissions(IpcKey.of(i32(p, IPC_PERM, "__key")), i32(p, IPC_PERM, "uid"),
                i32(p, IPC_PERM, "gid"), i32(p, IPC_PERM, "cuid"), i32(p, IPC_PERM, "cgid"),
                i32(p, IPC_PERM, "mode"), Short.toUnsignedInt(p.get(JAVA_SHORT, offset(IPC_PERM, "__seq"))));
    }

    /**
     * Reads a 32-bit member.
     *
     * @param s memory holding the struct at offset 0
     * @param layout the struct
     * @param path the member
     * @return its value
     */
    public static int i32(MemorySegment s, StructLayout layout, String path) {
        return s.get(ValueLayout.JAVA_INT, offset(layout, path));
    }

    /**
     * Reads a 64-bit member.
     *
     * @param s memory holding the struct at offset 0
     * @param layout the struct
     * @param path the member
     * @return its value
     */
    public static long i64(MemorySegment s, StructLayout layout, String path) {
        return s.get(ValueLayout.JAVA_LONG, offset(layout, path));
    }

    /**
     * Writes a 32-bit member.
     *
     * @param s memory holding the struct at offset 0
     * @param layout the struct
     * @param path the member
     * @param value the value
     */
    public static void i32(MemorySegment s, StructLayout layout, String path, int value) {
        s.set(ValueLayout.JAVA_INT, offset(layout, path), value);
    }

    /**
     * Writes a 64-bit member.
     *
     * @param s memory holding the struct at offset 0
     * @param layout the struct
     * @param path the member
     * @param value the value
     */
    public static void i64(MemorySegment s, StructLayout layout, String path, long value) {
        s.set(ValueLayout.JAVA_LONG, offset(layout, path), value);
    }
}
