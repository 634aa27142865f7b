package io.jipc.internal;

import io.jipc.IpcException;
import io.jipc.internal.linux.Native;
import io.jipc.internal.linux.Structs;
import io.jipc.internal.linux.SysV;

import java.lang.foreign.MemorySegment;

/**
 * The system-wide System V figures ({@code IPC_INFO}: limits; {@code MSG_INFO}, {@code SEM_INFO},
 * {@code SHM_INFO}: usage), called and decoded in this one place for {@code io.jipc.Limit}, the
 * three {@code info()} methods and {@code SysvObjects}.
 */
public final class SysvInfo {
    private SysvInfo() {}

    /**
     * What one info call returned.
     *
     * @param info the decoded struct
     * @param result the call's result: the highest used index of the kernel's table (0 also when
     *     the table is empty)
     * @param <T> the struct's record
     */
    public record Reply<T>(T info, int result) {}

    /**
     * {@code msgctl(0, cmd, &msginfo)} (msgctl(2)).
     *
     * @param cmd {@code SysV.IPC_INFO} or {@code SysV.MSG_INFO}
     * @return the struct
     * @throws IpcException if the kernel refuses
     */
    public static Reply<Structs.MsgInfo> msg(int cmd) throws IpcException {
        MemorySegment buf = buffer();
        int r =
                check(
                        SysV.msgctl(0, cmd, buf),
                        cmd == SysV.IPC_INFO ? "msgctl(IPC_INFO)" : "msgctl(MSG_INFO)");
        return new Reply<>(Structs.msginfo(buf), r);
    }

    /**
     * {@code semctl(0, 0, cmd, &seminfo)} (semctl(2)).
     *
     * @param cmd {@code SysV.IPC_INFO} or {@code SysV.SEM_INFO}
     * @return the struct
     * @throws IpcException if the kernel refuses
     */
    public static Reply<Structs.SemInfo> sem(int cmd) throws IpcException {
        MemorySegment buf = buffer();
        int r =
                check(
                        SysV.semctl(0, 0, cmd, buf),
                        cmd == SysV.IPC_INFO ? "semctl(IPC_INFO)" : "semctl(SEM_INFO)");
        return new Reply<>(Structs.seminfo(buf), r);
    }

    /**
     * {@code shmctl(0, IPC_INFO, &shminfo)} (shmctl(2)): the limits.
     *
     * @return the struct
     * @throws IpcException if the kernel refuses
     */
    public static Reply<Structs.ShmInfo> shmLimits() throws IpcException {
        MemorySegment buf = buffer();
        int r = check(SysV.shmctl(0, SysV.IPC_INFO, buf), "shmctl(IPC_INFO)");
        return new Reply<>(Structs.shminfo(buf), r);
    }

    /**
     * {@code shmctl(0, SHM_INFO, &shm_info)} (shmctl(2)): the usage.
     *
     * @return the struct
     * @throws IpcException if the kernel refuses
     */
    public static Reply<Structs.ShmUsage> shmUsage() throws IpcException {
        MemorySegment buf = buffer();
        int r = check(SysV.shmctl(0, SysV.SHM_INFO, buf), "shmctl(SHM_INFO)");
        return new Reply<>(Structs.shm_info(buf), r);
    }

    /**
     * An unsigned 64-bit value (a {@code shminfo} limit) clamped to {@code Long.MAX_VALUE}: the
     * kernel's "unlimited" defaults are above it.
     *
     * @param value the value as the kernel holds it
     * @return the value, or {@code Long.MAX_VALUE} if it is above that
     */
    public static long clampUnsigned(long value) {
        return value < 0 ? Long.MAX_VALUE : value;
    }

    private static MemorySegment buffer() {
        return Native.scratch(Structs.INFO_BYTES).fill((byte) 0);
    }

    private static int check(int r, String call) throws IpcException {
        if (r < 0) {
            throw Errors.failure(r, call, "the system", null);
        }
        return r;
    }
}
