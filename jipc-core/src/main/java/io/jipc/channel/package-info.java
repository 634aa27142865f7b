/**
 * The shared-memory family, message passing without a system call per message: a channel is a ring
 * of variable-length records in one memory region ({@man shm_overview(7)}: a file under {@code
 * /dev/shm}, an anonymous {@man memfd_create(2)} file, or a System V segment), with one reader and
 * one (SPSC) or many (MPSC) writers in any processes, Java or C ({@code c/include/jipc_channel.h}
 * implements the same format, {@code docs/channel-format.md} describes it).
 *
 * <p>{@link io.jipc.channel.Channel} creates and opens regions; {@link
 * io.jipc.channel.ChannelWriter} writes ({@code offer}, blocking {@code send}, zero-copy {@code
 * tryClaim}/{@code commit}); {@link io.jipc.channel.ChannelReader} reads (zero-copy {@code poll},
 * blocking {@code receive}). Waiting follows an {@link io.jipc.channel.IdleStrategy}: spin, yield,
 * then a {@man futex(2)} wait that costs no CPU and that writers end only when the waiter announced
 * itself.
 *
 * <pre>{@code
 * try (Channel ch = Channel.create(Channel.path("prices"), 0600, 1 << 20, ChannelKind.MPSC);
 *      ChannelWriter w = ch.writer()) {
 *     w.send(ByteBuffer.wrap(bytes));
 * }
 * }</pre>
 *
 * <p>A writer killed in the middle of a message never shows a torn message: the reader finds its
 * pid gone from the channel's writer table and skips its claim. Every process of a channel must see
 * the others in {@code /proc} (one pid namespace). Traps that apply here too (signals, virtual
 * threads, cleanup of {@code /dev/shm}) and what jipc does about them: <a
 * href="../doc-files/TRAPS.html">the traps</a>.
 */
package io.jipc.channel;
