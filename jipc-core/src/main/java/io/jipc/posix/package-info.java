/**
 * The POSIX family, and the descriptor-backed memory and event objects of Linux, interoperable with
 * C programs that use the same calls on the same names or descriptors: {@link
 * io.jipc.posix.PosixMessageQueue} ({@man mq_overview(7)}), {@link io.jipc.posix.NamedSemaphore}
 * and {@link io.jipc.posix.UnnamedSemaphore} ({@man sem_overview(7)}, glibc's own {@code sem_t}),
 * {@link io.jipc.posix.PosixSharedMemory} ({@man shm_overview(7)}), {@link io.jipc.posix.Memfd}
 * ({@man memfd_create(2)}, with seals) and {@link io.jipc.posix.EventFd} ({@man eventfd(2)}).
 *
 * <p>Same shape as the System V types: {@code open} (existing), {@code create} (create or open,
 * with {@code created()} saying which), {@code createExclusive}; an explicit mode, applied exactly
 * (the umask does not narrow it); {@code close()} releases this process's handle and is idempotent,
 * {@code unlink()} removes the name (the object goes when its last user does). Names are {@code
 * "/"} and 1 to 255 bytes without another {@code '/'}, checked before any call. Failures are {@link
 * io.jipc.IpcException}s by meaning, naming the call, the object and the errno; blocking calls end
 * on {@link java.lang.Thread#interrupt()}, honour timeouts under signals and do not pin
 * virtual-thread carriers. The descriptor-backed types are {@link io.jipc.Descriptor}s: pollable,
 * and passable to children and over Unix sockets.
 *
 * <p>Traps that apply here (small default queue limits, listing queues needs the mqueue mount,
 * {@code mq_notify}'s one-shot rules, no undo for semaphores, a full tmpfs) and what jipc does
 * about them: <a href="../doc-files/TRAPS.html">the traps</a>.
 */
package io.jipc.posix;
