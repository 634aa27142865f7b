package io.jipc.posix;

/**
 * A POSIX shared memory object's state: owner, mode and size of its file {@code /dev/shm/NAME}
 * ({@man fstat(2)}).
 *
 * @param name the name, e.g. {@code "/frames"}
 * @param uid the owner's user id
 * @param gid the owner's group id
 * @param mode the permission bits
 * @param size the size in bytes
 */
public record PosixSharedMemoryStatus(String name, int uid, int gid, int mode, long size) {}
