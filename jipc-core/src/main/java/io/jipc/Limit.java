package io.jipc;

import io.jipc.internal.SysvInfo;
import io.jipc.internal.linux.PosixFiles;
import io.jipc.internal.linux.SysV;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The kernel limits that bound System V IPC, POSIX message queues and pipes, read at run time
 * (never cached), with where each one is set. Used in error messages ({@link
 * LimitExceededException}) and by {@code jipc doctor}.
 *
 * <p>Most limits are sysctls under {@code /proc/sys} that root may change; {@link #SEMVMX} is
 * compiled into the kernel and only reported by {@code semctl(IPC_INFO)}. See {@man proc(5)}, {@man
 * msgget(2)}, {@man semget(2)}, {@man shmget(2)}, {@man pipe(7)}, {@man mq_overview(7)}.
 */
public enum Limit {
    /** Largest message body in bytes (msgsnd fails with EINVAL beyond it). */
    MSGMAX("msgmax", "/proc/sys/kernel/msgmax", -1),
    /** Default maximum number of bytes on one queue ({@code msg_qbytes} of a new queue). */
    MSGMNB("msgmnb", "/proc/sys/kernel/msgmnb", -1),
    /** Maximum number of message queues on the system. */
    MSGMNI("msgmni", "/proc/sys/kernel/msgmni", -1),
    /** Maximum number of semaphores in one set. */
    SEMMSL("semmsl", "/proc/sys/kernel/sem", 0),
    /** Maximum number of semaphores on the system. */
    SEMMNS("semmns", "/proc/sys/kernel/sem", 1),
    /** Maximum number of operations in one semop call. */
    SEMOPM("semopm", "/proc/sys/kernel/sem", 2),
    /** Maximum number of semaphore sets on the system. */
    SEMMNI("semmni", "/proc/sys/kernel/sem", 3),
    /** Largest value a semaphore may hold (compiled into the kernel). */
    SEMVMX("semvmx", null, -1),
    /** Largest shared memory segment in bytes. */
    SHMMAX("shmmax", "/proc/sys/kernel/shmmax", -1),
    /** Total shared memory on the system, in pages. */
    SHMALL("shmall", "/proc/sys/kernel/shmall", -1),
    /** Maximum number of shared memory segments on the system. */
    SHMMNI("shmmni", "/proc/sys/kernel/shmmni", -1),
    /** Largest capacity an unprivileged process may give a pipe (F_SETPIPE_SZ), in bytes. */
    PIPE_MAX_SIZE("pipe-max-size", "/proc/sys/fs/pipe-max-size", -1),
    /**
     * Most messages on one POSIX message queue ({@code mq_maxmsg}) a process without {@code
     * CAP_SYS_RESOURCE} may ask for (mq_open fails with EINVAL beyond it); per IPC namespace. See
     * {@man mq_overview(7)}.
     */
    MQ_MSG_MAX("msg_max", "/proc/sys/fs/mqueue/msg_max", -1),
    /** Largest {@code mq_msgsize} of a POSIX message queue without {@code CAP_SYS_RESOURCE}. */
    MQ_MSGSIZE_MAX("msgsize_max", "/proc/sys/fs/mqueue/msgsize_max", -1),
    /** Most POSIX message queues in the IPC namespace (mq_open fails with ENOSPC beyond it). */
    MQ_QUEUES_MAX("queues_max", "/proc/sys/fs/mqueue/queues_max", -1),
    /**
     * Bytes the POSIX message queues of one real user may take ({@code RLIMIT_MSGQUEUE}, the soft
     * limit of this process; mq_open fails with EMFILE beyond it). A queue counts about {@code
     * mq_maxmsg * (mq_msgsize + 64)} bytes; see {@man getrlimit(2)}. "Unlimited" reads as {@code
     * Long.MAX_VALUE}.
     */
    RLIMIT_MSGQUEUE("RLIMIT_MSGQUEUE", null, -1);

    private static final String[] ORDINALS = {"1st", "2nd", "3rd", "4th"};

    private final String cName;
    private final String file;
    private final int field;

    Limit(String cName, String file, int field) {
        this.cName = cName;
        this.file = file;
        this.field = field;
    }

    /**
     * The kernel's name for the limit, e.g. {@code "msgmax"}.
     *
     * @return the name
     */
    public String cName() {
        return cName;
    }

    /**
     * Where the limit is set, e.g. {@code "/proc/sys/kernel/msgmax"} or {@code
     * "/proc/sys/kernel/sem (3rd field)"}.
     *
     * @return a human-readable location
     */
    public String source() {
        if (this == RLIMIT_MSGQUEUE) {
            return "RLIMIT_MSGQUEUE of the process (ulimit -q; setrlimit, or LimitMSGQUEUE= in systemd)";
        }
        if (file == null) {
            return "the kernel (SEMVMX, compiled in; reported by semctl IPC_INFO)";
        }
        return field < 0 ? file : file + " (" + ORDINALS[field] + " field)";
    }

    /**
     * The limit's current value, clamped to {@code Long.MAX_VALUE}: the kernel's "unlimited"
     * defaults of {@code shmmax} and {@code shmall} are unsigned 64-bit numbers above it (see
     * {@link #exactValue()}).
     *
     * @return the value
     * @throws UncheckedIOException if the file cannot be read
     */
    public long value() {
        return clamp(exactValue());
    }

    /**
     * The limit's current value exactly as the kernel holds it (an unsigned number): read from its
     * {@code /proc} file, or from {@code IPC_INFO} for {@link #SEMVMX}.
     *
     * @return the value
     * @throws UncheckedIOException if the file cannot be read
     */
    public BigInteger exactValue() {
        if (this == RLIMIT_MSGQUEUE) {
            long[] lim = PosixFiles.getrlimit(PosixFiles.RLIMIT_MSGQUEUE);
            if (lim.length == 1) {
                throw new IllegalStateException(
                        "getrlimit(RLIMIT_MSGQUEUE) failed: " + Errno.of((int) -lim[0]));
            }
            return new BigInteger(Long.toUnsignedString(lim[0]));
        }
        if (file == null) {
            return BigInteger.valueOf(ipcInfo().orElseThrow());
        }
        try {
            // Not Files.readString: it trusts st_size, which some /proc files report wrongly
            // (1 byte for a 31-byte /proc/sys/kernel/sem was seen), and returns a truncated value.
            String text = String.join(" ", Files.readAllLines(Path.of(file))).trim();
            String[] parts = text.split("\\s+");
            return new BigInteger(parts[Math.max(field, 0)]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * The value the kernel reports through {@code msgctl}/{@code semctl}/{@code shmctl} with {@code
     * IPC_INFO}, which should equal {@link #value()} (the int fields of {@code msginfo} and {@code
     * seminfo} are capped at {@code INT_MAX}; {@code shminfo}'s unsigned values are clamped to
     * {@code Long.MAX_VALUE} like {@link #value()}).
     *
     * @return the value, or empty for the limits that have no IPC_INFO ({@link #PIPE_MAX_SIZE} and
     *     those of POSIX message queues)
     */
    public OptionalLong ipcInfo() {
        try {
            return switch (this) {
                case MSGMAX -> OptionalLong.of(SysvInfo.msg(SysV.IPC_INFO).info().msgmax());
                case MSGMNB -> OptionalLong.of(SysvInfo.msg(SysV.IPC_INFO).info().msgmnb());
                case MSGMNI -> OptionalLong.of(SysvInfo.msg(SysV.IPC_INFO).info().msgmni());
                case SEMMSL -> OptionalLong.of(SysvInfo.sem(SysV.IPC_INFO).info().semmsl());
                case SEMMNS -> OptionalLong.of(SysvInfo.sem(SysV.IPC_INFO).info().semmns());
                case SEMOPM -> OptionalLong.of(SysvInfo.sem(SysV.IPC_INFO).info().semopm());
                case SEMMNI -> OptionalLong.of(SysvInfo.sem(SysV.IPC_INFO).info().semmni());
                case SEMVMX -> OptionalLong.of(SysvInfo.sem(SysV.IPC_INFO).info().semvmx());
                case SHMMAX ->
                        OptionalLong.of(
                                SysvInfo.clampUnsigned(SysvInfo.shmLimits().info().shmmax()));
                case SHMALL ->
                        OptionalLong.of(
                                SysvInfo.clampUnsigned(SysvInfo.shmLimits().info().shmall()));
                case SHMMNI ->
                        OptionalLong.of(
                                SysvInfo.clampUnsigned(SysvInfo.shmLimits().info().shmmni()));
                case PIPE_MAX_SIZE, MQ_MSG_MAX, MQ_MSGSIZE_MAX, MQ_QUEUES_MAX, RLIMIT_MSGQUEUE ->
                        OptionalLong.empty();
            };
        } catch (IpcException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static long clamp(BigInteger v) {
        return v.bitLength() < 64 ? v.longValue() : Long.MAX_VALUE;
    }
}
