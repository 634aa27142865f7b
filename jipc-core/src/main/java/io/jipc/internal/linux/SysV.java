package io.jipc.internal.linux;

import static io.jipc.internal.linux.Errnos.EAGAIN;
import static io.jipc.internal.linux.Errnos.EINTR;
import static io.jipc.internal.linux.Errnos.ENOMSG;
import static io.jipc.internal.linux.Errnos.ETIMEDOUT;
import static io.jipc.internal.linux.Native.C_INT;
import static io.jipc.internal.linux.Native.C_LONG;
import static io.jipc.internal.linux.Native.C_POINTER;
import static io.jipc.internal.linux.Native.C_SIZE_T;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls for System V IPC: message queues, semaphore sets, shared memory (sys/msg.h, sys/sem.h,
 * sys/shm.h) and the constants they take.
 *
 * <p>Every wrapper returns the C result on success and the <em>negated errno</em> on failure (see
 * {@link Native}). The calls that can block ({@code msgsnd}, {@code msgrcv}, {@code semop}, {@code
 * semtimedop}) retry {@code EINTR}. None is linked {@code critical}, not even the {@code
 * IPC_NOWAIT} forms or {@code semctl} and the status commands: each can sleep in the kernel (memory
 * allocation, the IPC namespace's read-write semaphore, a page fault while copying), and a critical
 * call that sleeps holds up every safepoint of the JVM (see {@link Native}). Their {@code
 * ...Blocking} forms go through {@link Blocking}: interruptible, timed, safe on virtual threads.
 */
public final class SysV {
    private SysV() {}

    /** Create the object if the key has none ({@code IPC_CREAT}). */
    public static final int IPC_CREAT = 0x200;

    /** With {@code IPC_CREAT}: fail if the key already has an object ({@code IPC_EXCL}). */
    public static final int IPC_EXCL = 0x400;

    /** Do not block ({@code IPC_NOWAIT}). */
    public static final int IPC_NOWAIT = 0x800;

    /** The private key ({@code IPC_PRIVATE}). */
    public static final int IPC_PRIVATE = 0;

    /** ctl command: remove ({@code IPC_RMID}). */
    public static final int IPC_RMID = 0;

    /** ctl command: set owner, mode, limits ({@code IPC_SET}). */
    public static final int IPC_SET = 1;

    /** ctl command: read the status struct ({@code IPC_STAT}). */
    public static final int IPC_STAT = 2;

    /** ctl command: system-wide limits ({@code IPC_INFO}). */
    public static final int IPC_INFO = 3;

    /** msgrcv: truncate a message too large for the buffer ({@code MSG_NOERROR}). */
    public static final int MSG_NOERROR = 0x1000;

    /** msgrcv: first message whose type is not msgtyp ({@code MSG_EXCEPT}). */
    public static final int MSG_EXCEPT = 0x2000;

    /** msgrcv: copy the message at index msgtyp without removing it ({@code MSG_COPY}). */
    public static final int MSG_COPY = 0x4000;

    /** msgctl: status by index into the kernel's table ({@code MSG_STAT}). */
    public static final int MSG_STAT = 11;

    /** msgctl: system-wide usage ({@code MSG_INFO}). */
    public static final int MSG_INFO = 12;

    /** msgctl: status by index without read permission checks ({@code MSG_STAT_ANY}). */
    public static final int MSG_STAT_ANY = 13;

    /** semop: undo this operation when the process exits ({@code SEM_UNDO}). */
    public static final int SEM_UNDO = 0x1000;

    /** semctl: pid of the last semop ({@code GETPID}). */
    public static final int GETPID = 11;

    /** semctl: one value ({@code GETVAL}). */
    public static final int GETVAL = 12;

    /** semctl: all values ({@code GETALL}). */
    public static final int GETALL = 13;

    /** semctl: processes waiting for an increase ({@code GETNCNT}). */
    public static final int GETNCNT = 14;

    /** semctl: processes waiting for zero ({@code GETZCNT}). */
    public static final int GETZCNT = 15;

    /** semctl: set one value ({@code SETVAL}). */
    public static final int SETVAL = 16;

    /** semctl: set all values ({@code SETALL}). */
    public static final int SETALL = 17;

    /** semctl: status by index ({@code SEM_STAT}). */
    public static final int SEM_STAT = 18;

    /** semctl: system-wide usage ({@code SEM_INFO}). */
    public static final int SEM_INFO = 19;

    /** semctl: status by index without permission checks ({@code SEM_STAT_ANY}). */
    public static final int SEM_STAT_ANY = 20;

    /** shmat: attach read-only ({@code SHM_RDONLY}). */
    public static final int SHM_RDONLY = 0x1000;

    /** shmget: use huge pages ({@code SHM_HUGETLB}). */
    public static final int SHM_HUGETLB = 0x800;

    /** shmget: do not reserve swap ({@code SHM_NORESERVE}). */
    public static final int SHM_NORESERVE = 0x1000;

    /** shmctl: lock in memory ({@code SHM_LOCK}). */
    public static final int SHM_LOCK = 11;

    /** shmctl: unlock ({@code SHM_UNLOCK}). */
    public static final int SHM_UNLOCK = 12;

    /** shmctl: status by index ({@code SHM_STAT}). */
    public static final int SHM_STAT = 13;

    /** shmctl: system-wide usage ({@code SHM_INFO}). */
    public static final int SHM_INFO = 14;

    /** shmctl: status by index without permission checks ({@code SHM_STAT_ANY}). */
    public static final int SHM_STAT_ANY = 15;

    private static int result(int r, MemorySegment state) {
        return r >= 0 ? r : -Native.errno(state);
    }

    private static long result(long r, MemorySegment state) {
        return r >= 0 ? r : -Native.errno(state);
    }

    // ---- message queues -------------------------------------------------------------------

    private static final class msgget {
        static final MethodHandle H =
                Native.downcallErrno("msgget", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    }

    /**
     * {@code int msgget(key_t key, int msgflg);} (msgget(2)).
     *
     * @param key the key
     * @param msgflg mode bits and {@code IPC_CREAT}/{@code IPC_EXCL}
     * @return the queue id, or -errno
     */
    public static int msgget(int key, int msgflg) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) msgget.H.invokeExact(st, key, msgflg), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class msgsnd {
        static final MethodHandle H =
                Native.downcallErrno(
                        "msgsnd", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_SIZE_T, C_INT));
    }

    /**
     * {@code int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg);} (msgop(2)).
     * Retries EINTR.
     *
     * @param msqid the queue
     * @param msgp native memory: {@code long mtype} then the body
     * @param msgsz the body size (without the type)
     * @param msgflg {@code IPC_NOWAIT} or 0
     * @return 0, or -errno
     */
    public static int msgsnd(int msqid, MemorySegment msgp, long msgsz, int msgflg) {
        MemorySegment st = Native.errnoState();
        try {
            int r;
            do {
                r =
                        (msgflg & IPC_NOWAIT) != 0
                                ? result(
                                        (int) msgsnd.H.invokeExact(st, msqid, msgp, msgsz, msgflg),
                                        st)
                                : result(
                                        (int) msgsnd.H.invokeExact(st, msqid, msgp, msgsz, msgflg),
                                        st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class msgrcv {
        static final MethodHandle H =
                Native.downcallErrno(
                        "msgrcv",
                        FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_SIZE_T, C_LONG, C_INT));
    }

    /**
     * {@code ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg);}
     * (msgop(2)). Retries EINTR.
     *
     * @param msqid the queue
     * @param msgp native memory for {@code long mtype} and up to {@code msgsz} body bytes
     * @param msgsz the body capacity
     * @param msgtyp the type selector (or the index with {@code MSG_COPY})
     * @param msgflg {@code IPC_NOWAIT}, {@code MSG_NOERROR}, {@code MSG_EXCEPT}, {@code MSG_COPY}
     * @return the body length received, or -errno
     */
    public static long msgrcv(int msqid, MemorySegment msgp, long msgsz, long msgtyp, int msgflg) {
        MemorySegment st = Native.errnoState();
        try {
            long r;
            do {
                r =
                        (msgflg & IPC_NOWAIT) != 0
                                ? result(
                                        (long)
                                                msgrcv.H.invokeExact(
                                                        st, msqid, msgp, msgsz, msgtyp, msgflg),
                                        st)
                                : result(
                                        (long)
                                                msgrcv.H.invokeExact(
                                                        st, msqid, msgp, msgsz, msgtyp, msgflg),
                                        st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code msgsnd(2)} as a blocking call through {@link Blocking}. Untimed on a platform thread:
     * the blocking form at once, as C calls it (one system call per message). Otherwise first with
     * {@code IPC_NOWAIT} (no helper thread, no timer in the common case), then, only if the queue
     * is full, the blocking form. Either way the wait ends on {@link Thread#interrupt()} or at the
     * timeout and does not pin a virtual thread's carrier; other signals are retried without
     * changing the deadline.
     *
     * @param msqid the queue
     * @param msgp native memory: {@code long mtype} then the body
     * @param msgsz the body size (without the type)
     * @param timeoutNanos the longest wait, or negative for none
     * @return 0, or -errno: {@code -EINTR} if interrupted, {@code -ETIMEDOUT} if the time ran out
     *     (the message was not sent in either case)
     */
    public static int msgsndBlocking(int msqid, MemorySegment msgp, long msgsz, long timeoutNanos) {
        if (timeoutNanos < 0 && Blocking.direct()) {
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall() && (r = msgsndOnce(w.errno, msqid, msgp, msgsz, 0)) == -EINTR) {
                    // another signal: again, unless an interrupt cancelled the call
                }
            } finally {
                r = w.exit(r);
            }
            return (int) r;
        }
        int r = msgsnd(msqid, msgp, msgsz, IPC_NOWAIT);
        if (r != -EAGAIN || timeoutNanos == 0) {
            return r == -EAGAIN ? -ETIMEDOUT : r;
        }
        return (int)
                Blocking.call(
                        () -> msgsndOnce(Native.errnoState(), msqid, msgp, msgsz, 0),
                        () -> msgsndOnce(Native.errnoState(), msqid, msgp, msgsz, IPC_NOWAIT),
                        timeoutNanos,
                        false);
    }

    private static int msgsndOnce(
            MemorySegment st, int msqid, MemorySegment msgp, long msgsz, int msgflg) {
        try {
            return result((int) msgsnd.H.invokeExact(st, msqid, msgp, msgsz, msgflg), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code msgrcv(2)} as a blocking call through {@link Blocking} (see {@link #msgsndBlocking}):
     * untimed on a platform thread, the blocking form at once; otherwise first with {@code
     * IPC_NOWAIT}, then, only if no message matches, the interruptible, timed, virtual-thread-safe
     * wait.
     *
     * @param msqid the queue
     * @param msgp native memory for {@code long mtype} and up to {@code msgsz} body bytes
     * @param msgsz the body capacity
     * @param msgtyp the type selector
     * @param msgflg {@code MSG_NOERROR}, {@code MSG_EXCEPT} (not {@code IPC_NOWAIT})
     * @param timeoutNanos the longest wait, or negative for none
     * @return the body length received, or -errno: {@code -EINTR} if interrupted, {@code
     *     -ETIMEDOUT} if the time ran out (no message was taken in either case)
     */
    public static long msgrcvBlocking(
            int msqid, MemorySegment msgp, long msgsz, long msgtyp, int msgflg, long timeoutNanos) {
        if (timeoutNanos < 0 && Blocking.direct()) {
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall()
                        && (r = msgrcvOnce(w.errno, msqid, msgp, msgsz, msgtyp, msgflg))
                                == -EINTR) {
                    // another signal: again, unless an interrupt cancelled the call
                }
            } finally {
                r = w.exit(r);
            }
            return r;
        }
        long r = msgrcv(msqid, msgp, msgsz, msgtyp, msgflg | IPC_NOWAIT);
        if (r != -ENOMSG || timeoutNanos == 0) {
            return r == -ENOMSG ? -ETIMEDOUT : r;
        }
        return Blocking.call(
                () -> msgrcvOnce(Native.errnoState(), msqid, msgp, msgsz, msgtyp, msgflg),
                () -> {
                    long n =
                            msgrcvOnce(
                                    Native.errnoState(),
                                    msqid,
                                    msgp,
                                    msgsz,
                                    msgtyp,
                                    msgflg | IPC_NOWAIT);
                    return n == -ENOMSG ? -EAGAIN : n;
                },
                timeoutNanos,
                false);
    }

    private static long msgrcvOnce(
            MemorySegment st, int msqid, MemorySegment msgp, long msgsz, long msgtyp, int msgflg) {
        try {
            return result((long) msgrcv.H.invokeExact(st, msqid, msgp, msgsz, msgtyp, msgflg), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class msgctl {
        static final MethodHandle H =
                Native.downcallErrno(
                        "msgctl", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER));
    }

    /**
     * {@code int msgctl(int msqid, int cmd, struct msqid_ds *buf);} (msgctl(2)).
     *
     * @param msqid the queue (or a table index for MSG_STAT, 0 for IPC_INFO)
     * @param cmd the command
     * @param buf a {@code msqid_ds} or {@code msginfo}, or {@code MemorySegment.NULL}
     * @return the command's result, or -errno
     */
    public static int msgctl(int msqid, int cmd, MemorySegment buf) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) msgctl.H.invokeExact(st, msqid, cmd, buf), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- semaphores -----------------------------------------------------------------------

    private static final class semget {
        static final MethodHandle H =
                Native.downcallErrno("semget", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
    }

    /**
     * {@code int semget(key_t key, int nsems, int semflg);} (semget(2)).
     *
     * @param key the key
     * @param nsems the number of semaphores (0 to open an existing set)
     * @param semflg mode bits and {@code IPC_CREAT}/{@code IPC_EXCL}
     * @return the set id, or -errno
     */
    public static int semget(int key, int nsems, int semflg) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) semget.H.invokeExact(st, key, nsems, semflg), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class semop {
        static final MethodHandle H =
                Native.downcallErrno(
                        "semop", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_SIZE_T));
    }

    /**
     * {@code int semop(int semid, struct sembuf *sops, size_t nsops);} (semop(2)). Retries EINTR.
     *
     * @param semid the set
     * @param sops native memory holding {@code nsops} {@code struct sembuf}
     * @param nsops the number of operations
     * @return 0, or -errno
     */
    public static int semop(int semid, MemorySegment sops, long nsops) {
        MemorySegment st = Native.errnoState();
        try {
            int r;
            do {
                r = result((int) semop.H.invokeExact(st, semid, sops, nsops), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code semop(2)} of operations that all carry {@code IPC_NOWAIT}, so it does not wait for the
     * semaphores (not linked {@code critical}: with {@code SEM_UNDO} it allocates, and it takes
     * sleeping locks; see {@link Native}). Retries EINTR.
     *
     * @param semid the set
     * @param sops native memory holding {@code nsops} {@code struct sembuf}, each with IPC_NOWAIT
     * @param nsops the number of operations
     * @return 0, or -errno ({@code -EAGAIN} if an operation would have waited)
     */
    public static int semopNoWait(int semid, MemorySegment sops, long nsops) {
        MemorySegment st = Native.errnoState();
        try {
            int r;
            do {
                r = result((int) semop.H.invokeExact(st, semid, sops, nsops), st);
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class semtimedop {
        static final MethodHandle H =
                Native.downcallErrno(
                        "semtimedop",
                        FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_SIZE_T, C_POINTER));
    }

    /**
     * {@code int semtimedop(int semid, struct sembuf *sops, size_t nsops, const struct timespec
     * *timeout);} (semop(2)). Retries EINTR with the time that remains, so a signal neither
     * shortens nor lengthens the wait.
     *
     * @param semid the set
     * @param sops native memory holding {@code nsops} {@code struct sembuf}
     * @param nsops the number of operations
     * @param timeoutNanos the longest wait, at least 0
     * @return 0, or -errno ({@code -EAGAIN} when the time ran out)
     */
    public static int semtimedop(int semid, MemorySegment sops, long nsops, long timeoutNanos) {
        MemorySegment st = Native.errnoState();
        MemorySegment ts = Native.timespec();
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            int r;
            long left = timeoutNanos;
            do {
                Structs.timespec(ts, left);
                r = result((int) semtimedop.H.invokeExact(st, semid, sops, nsops, ts), st);
                left = Math.max(0, deadline - System.nanoTime());
            } while (r == -EINTR);
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code semop(2)}, or {@code semtimedop(2)} when {@code timeoutNanos >= 0}, as a blocking call
     * through {@link Blocking}: ends on {@link Thread#interrupt()} and does not pin a virtual
     * thread's carrier. On a platform thread ({@link Blocking#direct()}) call it at once, as C
     * calls semop (the kernel times the wait itself); on a virtual thread call it after the
     * non-blocking form ({@code IPC_NOWAIT} on every operation) said the operations would block.
     * Signals other than the cancel signal are retried with the time that remains.
     *
     * @param semid the set
     * @param sops native memory holding {@code nsops} {@code struct sembuf}, blocking flags
     * @param sopsNoWait the same operations with {@code IPC_NOWAIT} on each (what a virtual thread
     *     without a helper thread retries), or {@code NULL}
     * @param nsops the number of operations
     * @param timeoutNanos the longest wait, or negative for none
     * @return 0, or -errno: {@code -EINTR} if the thread was interrupted, {@code -EAGAIN} if the
     *     time ran out (nothing was done in either case)
     */
    public static int semopBlocking(
            int semid,
            MemorySegment sops,
            MemorySegment sopsNoWait,
            long nsops,
            long timeoutNanos) {
        if (Blocking.direct()) {
            // no clock read for an untimed call (System.nanoTime() costs ~20 ns, C reads none)
            long deadline = timeoutNanos < 0 ? 0L : System.nanoTime() + timeoutNanos;
            Blocking.Wait w = Blocking.enter();
            long r = -EINTR;
            try {
                while (w.mayCall()
                        && (r =
                                        timeoutNanos < 0
                                                ? semopOnce(w.errno, semid, sops, nsops)
                                                : semtimedopOnce(
                                                        w.errno,
                                                        semid,
                                                        sops,
                                                        nsops,
                                                        Math.max(0, deadline - System.nanoTime())))
                                == -EINTR) {
                    // another signal: again (with the time left), unless an interrupt cancelled the
                    // call
                }
            } finally {
                r = w.exit(r);
            }
            return (int) r;
        }
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        Blocking.Attempt blocking =
                timeoutNanos < 0
                        ? () -> semopOnce(Native.errnoState(), semid, sops, nsops)
                        : () ->
                                semtimedopOnce(
                                        Native.errnoState(),
                                        semid,
                                        sops,
                                        nsops,
                                        Math.max(0, deadline - System.nanoTime()));
        Blocking.Attempt nonBlocking =
                sopsNoWait.equals(MemorySegment.NULL)
                        ? null
                        : () -> semopOnce(Native.errnoState(), semid, sopsNoWait, nsops);
        long r = Blocking.call(blocking, nonBlocking, timeoutNanos, true);
        return r == -ETIMEDOUT ? -EAGAIN : (int) r;
    }

    private static int semopOnce(MemorySegment st, int semid, MemorySegment sops, long nsops) {
        try {
            return result((int) semop.H.invokeExact(st, semid, sops, nsops), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static int semtimedopOnce(
            MemorySegment st, int semid, MemorySegment sops, long nsops, long left) {
        MemorySegment ts = Native.timespec();
        Structs.timespec(ts, left);
        try {
            return result((int) semtimedop.H.invokeExact(st, semid, sops, nsops, ts), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class semctl {
        static final MethodHandle INT =
                Native.downcallErrno(
                        "semctl",
                        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_INT),
                        Linker.Option.firstVariadicArg(3));
        static final MethodHandle PTR =
                Native.downcallErrno(
                        "semctl",
                        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER),
                        Linker.Option.firstVariadicArg(3));
    }

    /**
     * {@code int semctl(int semid, int semnum, int cmd, ...);} (semctl(2)) with an {@code int} (or
     * no) fourth argument: GETVAL, SETVAL, GETPID, GETNCNT, GETZCNT, IPC_RMID.
     *
     * @param semid the set
     * @param semnum the semaphore index
     * @param cmd the command
     * @param val the value for SETVAL (ignored otherwise)
     * @return the command's result, or -errno
     */
    public static int semctl(int semid, int semnum, int cmd, int val) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) semctl.INT.invokeExact(st, semid, semnum, cmd, val), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code int semctl(int semid, int semnum, int cmd, ...);} (semctl(2)) with a pointer fourth
     * argument: IPC_STAT, IPC_SET, IPC_INFO, SEM_INFO, SEM_STAT, GETALL, SETALL.
     *
     * @param semid the set
     * @param semnum the semaphore index (ignored by these commands)
     * @param cmd the command
     * @param arg a {@code semid_ds}, {@code seminfo} or {@code unsigned short[]}
     * @return the command's result, or -errno
     */
    public static int semctl(int semid, int semnum, int cmd, MemorySegment arg) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) semctl.PTR.invokeExact(st, semid, semnum, cmd, arg), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- shared memory --------------------------------------------------------------------

    private static final class shmget {
        static final MethodHandle H =
                Native.downcallErrno(
                        "shmget", FunctionDescriptor.of(C_INT, C_INT, C_SIZE_T, C_INT));
    }

    /**
     * {@code int shmget(key_t key, size_t size, int shmflg);} (shmget(2)).
     *
     * @param key the key
     * @param size the size in bytes (0 to open an existing segment)
     * @param shmflg mode bits and {@code IPC_CREAT}/{@code IPC_EXCL}/{@code SHM_HUGETLB}/...
     * @return the segment id, or -errno
     */
    public static int shmget(int key, long size, int shmflg) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) shmget.H.invokeExact(st, key, size, shmflg), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class shmat {
        static final MethodHandle H =
                Native.downcallErrno(
                        "shmat", FunctionDescriptor.of(C_POINTER, C_INT, C_POINTER, C_INT));
    }

    /**
     * {@code void *shmat(int shmid, const void *shmaddr, int shmflg);} (shmop(2)), letting the
     * kernel choose the address.
     *
     * @param shmid the segment
     * @param shmflg {@code SHM_RDONLY} or 0
     * @return the attach address (positive), or -errno
     */
    public static long shmat(int shmid, int shmflg) {
        MemorySegment st = Native.errnoState();
        try {
            MemorySegment p =
                    (MemorySegment) shmat.H.invokeExact(st, shmid, MemorySegment.NULL, shmflg);
            return p.address() == -1L ? -Native.errno(st) : p.address();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class shmdt {
        static final MethodHandle H =
                Native.downcallErrno("shmdt", FunctionDescriptor.of(C_INT, C_POINTER));
    }

    /**
     * {@code int shmdt(const void *shmaddr);} (shmop(2)).
     *
     * @param address an address returned by {@link #shmat}
     * @return 0, or -errno
     */
    public static int shmdt(long address) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) shmdt.H.invokeExact(st, MemorySegment.ofAddress(address)), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * shmget: the huge page size is {@code log2(size) << SHM_HUGE_SHIFT} ({@code SHM_HUGE_SHIFT}).
     */
    public static final int SHM_HUGE_SHIFT = 26;

    /** ipc_perm.mode bit of a segment marked for removal ({@code SHM_DEST}). */
    public static final int SHM_DEST = 01000;

    /** ipc_perm.mode bit of a segment locked in memory ({@code SHM_LOCKED}). */
    public static final int SHM_LOCKED = 02000;

    /**
     * Turns an address {@link #shmat} returned into a segment of {@code size} bytes that lives as
     * long as {@code arena}: closing the arena detaches the memory ({@code shmdt}), so an access
     * after that is an {@code IllegalStateException} of the FFM API, never a fault.
     *
     * @param address the attach address (positive)
     * @param size the segment's size in bytes
     * @param arena the arena whose closing detaches
     * @return the bounded segment
     */
    @SuppressWarnings("restricted")
    public static MemorySegment attached(long address, long size, java.lang.foreign.Arena arena) {
        return MemorySegment.ofAddress(address).reinterpret(size, arena, s -> shmdt(s.address()));
    }

    private static final class shmctl {
        static final MethodHandle H =
                Native.downcallErrno(
                        "shmctl", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER));
    }

    /**
     * {@code int shmctl(int shmid, int cmd, struct shmid_ds *buf);} (shmctl(2)).
     *
     * @param shmid the segment (or a table index for SHM_STAT, 0 for IPC_INFO)
     * @param cmd the command
     * @param buf a {@code shmid_ds}, {@code shminfo} or {@code shm_info}, or {@code
     *     MemorySegment.NULL}
     * @return the command's result, or -errno
     */
    public static int shmctl(int shmid, int cmd, MemorySegment buf) {
        MemorySegment st = Native.errnoState();
        try {
            return result((int) shmctl.H.invokeExact(st, shmid, cmd, buf), st);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
