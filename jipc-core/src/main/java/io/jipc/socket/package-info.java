/**
 * The Unix-domain socket family ({@man unix(7)}), what the JDK lacks: {@code socketpair} of every
 * type, datagram and sequenced-packet sockets, Linux abstract names, descriptor passing ({@code
 * SCM_RIGHTS}), peer credentials with the pid ({@code SO_PEERCRED}, for JDK {@code SocketChannel}s
 * too), socket files created with an exact mode, and the safe reclaim of a stale socket file.
 *
 * <pre>{@code
 * try (UnixSocket.Pair p = UnixSocket.pair(SocketType.SEQPACKET)) {
 *     p.first().send(ByteBuffer.wrap("hello".getBytes()));
 *     ByteBuffer b = ByteBuffer.allocate(64);
 *     int n = p.second().receive(b);                       // 5: one whole message
 * }
 * try (UnixServerSocket srv = UnixServerSocket.bindReclaimingStale(SocketType.SEQPACKET,
 *         UnixAddress.of(Path.of("/run/me/sock")), 0660)) {  // exact mode, no umask race
 *     UnixSocket c = srv.accept();
 *     PeerCredentials who = c.peerCredentials();            // pid, uid, gid
 *     c.sendWithDescriptors(ByteBuffer.wrap(new byte[] {1}), pipe.source());
 * }
 * }</pre>
 *
 * <p>Traps of this family (stale socket files, the umask) and what jipc does about them: <a
 * href="../doc-files/TRAPS.html">the traps</a>.
 */
package io.jipc.socket;
