/**
 * The System V family ({@man sysvipc(7)}): message queues ({@man msgget(2)}), semaphore sets ({@man
 * semget(2)}) and shared memory segments ({@man shmget(2)}), named by {@link io.jipc.IpcKey}s and
 * interoperable with C programs that use the same calls, plus the host-wide listing that {@code
 * ipcs} shows ({@link io.jipc.sysv.SysvObjects}).
 *
 * <p>System V objects outlive every process: they exist until removed ({@code remove()}, or {@code
 * ipcrm}) or until the system reboots. {@code close()} only releases what this process holds.
 *
 * <p>Traps of this family (ftok collisions, creation races, leftovers, limits, {@code SEM_UNDO})
 * and what jipc does about them: <a href="../doc-files/TRAPS.html">the traps</a>.
 */
package io.jipc.sysv;
