/**
 * System V IPC: message queues, semaphore sets and shared memory segments, named by
 * {@link io.jipc.IpcKey}s and interoperable with C programs using msgget(2), semget(2), shmget(2).
 *
 * <p>System V objects outlive every process: they exist until removed ({@code remove()}, or
 * {@code ipcrm}) or until the system reboots. {@code close()} only releases what this process
 * holds.
 */
package io.jipc.sysv;
