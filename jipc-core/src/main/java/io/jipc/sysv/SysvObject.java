package io.jipc.sysv;

import io.jipc.IpcKey;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One System V object as {@link SysvObjects#list()} saw it: a snapshot, not a handle. The kernel
 * may change or remove the object right after the listing.
 *
 * <p><b>Dead pids and orphans.</b> The kernel records some process ids with each object (the last
 * sender and receiver of a queue, the last process to operate on each semaphore, the creator and
 * the last attacher/detacher of a segment; 0 means none). At listing time each recorded pid is
 * checked with {@link ProcessHandle#of(long)} (like {@code kill(pid, 0)}); those that no longer
 * exist are in {@link #deadPids()}. An object is an {@linkplain #orphan() orphan} when at least one
 * pid was recorded, every recorded pid is dead, and (for a segment) nothing is attached: no process
 * that ever used it is left to use or remove it. An object no process ever touched records no pid
 * and is never called an orphan. Pids can be reused, so a dead pid can look alive again; the check
 * is a hint for an operator, not a proof.
 */
public sealed interface SysvObject permits ListedQueue, ListedSemaphoreSet, ListedSegment {

    /**
     * The kind of object.
     *
     * @return msg, sem or shm
     */
    SysvKind kind();

    /**
     * The object's status, as {@code IPC_STAT} would report it at listing time.
     *
     * @return the status
     */
    SysvStatus status();

    /**
     * The recorded pids that no longer name a live process at listing time.
     *
     * @return the dead pids (never 0)
     */
    Set<Integer> deadPids();

    /**
     * Every non-zero pid the kernel recorded for the object, without duplicates.
     *
     * @return the recorded pids
     */
    List<Integer> pids();

    /**
     * The identifier (msqid, semid or shmid).
     *
     * @return {@code status().id()}
     */
    default int id() {
        return status().id();
    }

    /**
     * Owner, creator, mode and key ({@code struct ipc_perm}).
     *
     * @return {@code status().permissions()}
     */
    default IpcPermissions permissions() {
        return status().permissions();
    }

    /**
     * The time of creation or of the last {@code IPC_SET}.
     *
     * @return {@code status().lastChange()}
     */
    default Instant lastChange() {
        return status().lastChange();
    }

    /**
     * The key the object was created with ({@link IpcKey#PRIVATE} for a private object, and for a
     * segment removed while still attached).
     *
     * @return {@code status().key()}
     */
    default IpcKey key() {
        return status().key();
    }

    /**
     * Whether no process that ever used the object is alive: at least one pid recorded, every
     * recorded pid dead, and for a segment no attachment left. See the interface comment.
     *
     * @return true for an orphan
     */
    default boolean orphan() {
        return !pids().isEmpty() && deadPids().containsAll(pids());
    }
}
