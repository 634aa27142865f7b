package io.jipc.sysv;

import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.NotFoundException;
import io.jipc.internal.Errors;
import io.jipc.internal.SysvInfo;
import io.jipc.internal.linux.Native;
import io.jipc.internal.linux.Structs;
import io.jipc.internal.linux.SysV;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Every System V object of this IPC namespace, whoever owns it: what {@code ipcs} lists, with the
 * counters of each kind, which recorded processes are dead and which objects are orphans (see
 * {@link SysvObject}); {@link #remove(SysvKind, int)} is {@code ipcrm} by id.
 *
 * <p>The listing walks the kernel's tables with {@code MSG_STAT_ANY}, {@code SEM_STAT_ANY} and
 * {@code SHM_STAT_ANY} (Linux 4.17 or later), which need no read permission on the objects, so it
 * shows what {@code /proc/sysvipc/*} shows plus {@code msg_qbytes}. Semaphore values and
 * per-semaphore pids ({@code GETALL}, {@code GETPID}) do need read permission and are left empty
 * without it. The result is a snapshot: objects may change or vanish right after it.
 */
public final class SysvObjects {
    private SysvObjects() {}

    /**
     * Every message queue, semaphore set and segment, ordered by kind then id.
     *
     * @return the snapshot
     * @throws IpcException if the kernel refuses to report its tables
     */
    public static List<SysvObject> list() throws IpcException {
        return list(EnumSet.allOf(SysvKind.class));
    }

    /**
     * The objects of the given kinds, ordered by kind then id.
     *
     * @param kinds the kinds to list
     * @return the snapshot
     * @throws IpcException if the kernel refuses to report its tables
     */
    public static List<SysvObject> list(Set<SysvKind> kinds) throws IpcException {
        List<SysvObject> all = new ArrayList<>();
        java.util.Map<Integer, Boolean> seen = new java.util.HashMap<>();
        IntPredicate alive = pid -> seen.computeIfAbsent(pid, SysvObjects::isAlive);
        for (SysvKind k : EnumSet.copyOf(kinds.isEmpty() ? EnumSet.allOf(SysvKind.class) : kinds)) {
            List<SysvObject> some =
                    switch (k) {
                        case MSG -> queues(alive);
                        case SEM -> semaphoreSets(alive);
                        case SHM -> segments(alive);
                    };
            some.sort((a, b) -> Integer.compare(a.id(), b.id()));
            all.addAll(some);
        }
        return List.copyOf(all);
    }

    /**
     * Whether a pid names a process that exists now (a zombie counts as existing), like {@code
     * kill(pid, 0)} without the permission check.
     *
     * @param pid the pid; 0 and negative values name no process
     * @return true if the process exists
     */
    public static boolean isAlive(int pid) {
        return pid > 0 && ProcessHandle.of(pid).isPresent();
    }

    /**
     * Removes an object by kind and id ({@code IPC_RMID}, like {@code ipcrm -q/-s/-m ID}). A
     * segment that is still attached is only marked for removal and goes at the last detach.
     *
     * @param kind the kind
     * @param id the id
     * @throws NotFoundException if no object of that kind has the id (never created, or removed
     *     meanwhile)
     * @throws io.jipc.PermissionDeniedException if the caller is neither the owner nor the creator
     *     and lacks {@code CAP_SYS_ADMIN}
     * @throws IpcException for any other failure
     */
    public static void remove(SysvKind kind, int id) throws IpcException {
        if (id < 0) {
            throw new IllegalArgumentException("id=" + id + " (identifiers are not negative)");
        }
        int r =
                switch (kind) {
                    case MSG -> SysV.msgctl(id, SysV.IPC_RMID, MemorySegment.NULL);
                    case SEM -> SysV.semctl(id, 0, SysV.IPC_RMID, 0);
                    case SHM -> SysV.shmctl(id, SysV.IPC_RMID, MemorySegment.NULL);
                };
        if (r < 0) {
            String call = kind.shortName() + "ctl(IPC_RMID)";
            String object = kind.shortName() + "id " + id;
            Errno e = Errno.of(-r);
            throw switch (e) {
                case EINVAL, EIDRM ->
                        new NotFoundException(
                                call,
                                object,
                                e,
                                "no "
                                        + noun(kind)
                                        + " has this id (removed meanwhile, or never created)");
                case EPERM, EACCES ->
                        Errors.failure(
                                r,
                                call,
                                object,
                                "only its owner, its creator or a process with CAP_SYS_ADMIN may remove it");
                default -> Errors.failure(r, call, object, null);
            };
        }
    }

    /**
     * System-wide use, like {@code ipcs -u}.
     *
     * @return the usage
     * @throws IpcException if an {@code *_INFO} call fails
     */
    public static SysvUsage usage() throws IpcException {
        Structs.MsgInfo msg = SysvInfo.msg(SysV.MSG_INFO).info();
        Structs.SemInfo sem = SysvInfo.sem(SysV.SEM_INFO).info();
        Structs.ShmUsage shm = SysvInfo.shmUsage().info();
        return new SysvUsage(
                (int) msg.msgpool(),
                msg.msgmap(),
                msg.msgtql(),
                sem.semusz(),
                Integer.toUnsignedLong(sem.semaem()),
                shm.used_ids(),
                shm.shm_tot(),
                shm.shm_rss(),
                shm.shm_swp());
    }

    // ---- the walks ----------------------------------------------------------------------------

    private static List<SysvObject> queues(IntPredicate alive) throws IpcException {
        List<SysvObject> out = new ArrayList<>();
        int max = SysvInfo.msg(SysV.MSG_INFO).result();
        MemorySegment buf = Native.scratch(Structs.MSQID_DS.byteSize());
        for (int index = 0; index <= max; index++) {
            int id = SysV.msgctl(index, SysV.MSG_STAT_ANY, buf.fill((byte) 0));
            if (id < 0) {
                continue; // a free slot, or one that emptied meanwhile
            }
            MessageQueueStatus st = MessageQueueStatus.of(id, Structs.msqidDs(buf));
            out.add(new ListedQueue(st, dead(alive, st.lastSendPid(), st.lastReceivePid())));
        }
        return out;
    }

    private static List<SysvObject> semaphoreSets(IntPredicate alive) throws IpcException {
        List<SysvObject> out = new ArrayList<>();
        int max = SysvInfo.sem(SysV.SEM_INFO).result();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Structs.SEMID_DS);
            for (int index = 0; index <= max; index++) {
                int id = SysV.semctl(index, 0, SysV.SEM_STAT_ANY, buf.fill((byte) 0));
                if (id < 0) {
                    continue;
                }
                SemaphoreSetStatus st = SemaphoreSetStatus.of(id, Structs.semidDs(buf));
                int n = st.size();
                List<Integer> values = new ArrayList<>();
                List<Integer> pids = new ArrayList<>();
                MemorySegment all =
                        arena.allocate(Structs.ushortsBytes(Math.max(n, 1)), Short.BYTES);
                if (SysV.semctl(id, 0, SysV.GETALL, all) >= 0) {
                    int[] got = Structs.ushorts(all, n);
                    for (int i = 0; i < n; i++) {
                        values.add(got[i]);
                        pids.add(Math.max(SysV.semctl(id, i, SysV.GETPID, 0), 0));
                    }
                }
                out.add(
                        new ListedSemaphoreSet(
                                st,
                                values,
                                pids,
                                dead(alive, pids.stream().mapToInt(Integer::intValue).toArray())));
            }
        }
        return out;
    }

    private static List<SysvObject> segments(IntPredicate alive) throws IpcException {
        List<SysvObject> out = new ArrayList<>();
        int max = SysvInfo.shmUsage().result();
        MemorySegment buf = Native.scratch(Structs.SHMID_DS.byteSize());
        for (int index = 0; index <= max; index++) {
            int id = SysV.shmctl(index, SysV.SHM_STAT_ANY, buf.fill((byte) 0));
            if (id < 0) {
                continue;
            }
            SharedMemoryStatus st = SharedMemoryStatus.of(id, Structs.shmidDs(buf));
            out.add(new ListedSegment(st, dead(alive, st.creatorPid(), st.lastPid())));
        }
        return out;
    }

    // ---- helpers ------------------------------------------------------------------------------

    static List<Integer> nonZero(int... pids) {
        Set<Integer> s = new LinkedHashSet<>();
        for (int p : pids) {
            if (p > 0) {
                s.add(p);
            }
        }
        return List.copyOf(s);
    }

    private static Set<Integer> dead(IntPredicate alive, int... pids) {
        Set<Integer> s = new LinkedHashSet<>();
        Arrays.stream(pids).filter(p -> p > 0 && !alive.test(p)).forEach(s::add);
        return s;
    }

    private static String noun(SysvKind kind) {
        return switch (kind) {
            case MSG -> "message queue";
            case SEM -> "semaphore set";
            case SHM -> "shared memory segment";
        };
    }
}
