/**
 * The readiness family, waiting for several descriptors at once ({@man epoll(7)}): a {@link
 * io.jipc.poll.Poller} watches any jipc {@link io.jipc.Descriptor} (pipe and FIFO ends, Unix-domain
 * sockets, listening sockets, and every other fd-backed type of the library) for {@link
 * io.jipc.poll.Readiness} to read, write, accept or hang-up, and reports which are ready, so that
 * one thread serves many descriptors.
 *
 * <pre>{@code
 * try (Poller poller = Poller.open()) {
 *     poller.register(fifoReader, EnumSet.of(Readiness.READ));
 *     poller.register(server, EnumSet.of(Readiness.ACCEPT));
 *     while (running) {
 *         for (Poller.Key k : poller.poll(Duration.ofSeconds(1))) {
 *             if (k.isReady(Readiness.ACCEPT)) { UnixSocket c = server.accept(); ... }
 *             if (k.isReady(Readiness.READ)) { ... read without blocking ... }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Traps that apply here too (signals and interrupted calls, virtual threads) and what jipc does
 * about them: <a href="../doc-files/TRAPS.html">the traps</a>.
 */
package io.jipc.poll;
