package io.jipc.sysv;

import io.jipc.IpcKey;

import java.time.Instant;

/**
 * What the status of every System V object has: its identifier, its {@code struct ipc_perm} and the
 * time of its last change (see {@man sysvipc(7)}). Each type's own record adds the rest of its
 * {@code *id_ds} struct.
 */
public sealed interface SysvStatus
        permits MessageQueueStatus, SemaphoreSetStatus, SharedMemoryStatus {

    /**
     * The identifier (msqid, semid or shmid), as {@code ipcs} prints it.
     *
     * @return the id
     */
    int id();

    /**
     * Owner, creator, mode and key ({@code struct ipc_perm}).
     *
     * @return the permissions
     */
    IpcPermissions permissions();

    /**
     * The time of creation or of the last {@code IPC_SET} (for a semaphore set also of the last
     * {@code SETVAL}/{@code SETALL}).
     *
     * @return the change time
     */
    Instant lastChange();

    /**
     * The key the object was created with ({@link IpcKey#PRIVATE} for a private object, and for a
     * segment removed while still attached).
     *
     * @return the key
     */
    default IpcKey key() {
        return permissions().key();
    }
}
