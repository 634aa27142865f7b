package io.jipc.posix;

/**
 * A named semaphore's state: owner and mode of its file {@code /dev/shm/sem.NAME}, and its value
 * ({@man sem_getvalue(3)}).
 *
 * @param name the name, e.g. {@code "/counter-lock"}
 * @param uid the owner's user id
 * @param gid the owner's group id
 * @param mode the permission bits
 * @param value the value; -1 if unknown (a listing by a user who may not open it)
 */
public record NamedSemaphoreStatus(String name, int uid, int gid, int mode, int value) {}
