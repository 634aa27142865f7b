/**
 * What every family of jipc shares: {@link io.jipc.IpcKey} (System V keys, exactly C's {@man
 * ftok(3)}), the failures ({@link io.jipc.IpcException} and its subclasses by meaning, each naming
 * the C call, the object and the {@link io.jipc.Errno}), the kernel's IPC limits read live ({@link
 * io.jipc.Limit}), what this process may do ({@link io.jipc.Capabilities}) and {@link
 * io.jipc.Descriptor}, the file descriptor behind every fd-backed object.
 *
 * <p>The families live in the sub-packages: {@link io.jipc.sysv} (System V queues, semaphores,
 * shared memory), {@link io.jipc.pipe} (pipes, FIFOs, children that inherit descriptors), {@link
 * io.jipc.socket} (Unix-domain sockets beyond the JDK) and {@link io.jipc.struct} (C struct
 * layouts). Run with {@code --enable-native-access=io.jipc} (module path) or {@code
 * --enable-native-access=ALL-UNNAMED} (class path).
 *
 * <p>What bites people who use Unix IPC, and what jipc does about it: <a
 * href="doc-files/TRAPS.html">the traps</a>.
 */
package io.jipc;
