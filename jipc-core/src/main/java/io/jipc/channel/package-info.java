/**
 * A shared-memory message channel between processes, readable and writable from C with
 * {@code c/include/jipc_channel.h}: a ring of variable-length records in one memory region (a
 * file under {@code /dev/shm}, an anonymous memfd, or a System V segment), with one reader and
 * one (SPSC) or many (MPSC) writers.
 *
 * <p>{@link io.jipc.channel.Channel} creates and opens regions; {@link io.jipc.channel.ChannelWriter}
 * writes ({@code offer}, blocking {@code send}, zero-copy {@code tryClaim}/{@code commit});
 * {@link io.jipc.channel.ChannelReader} reads (zero-copy {@code poll}, blocking {@code receive}).
 * Waiting follows an {@link io.jipc.channel.IdleStrategy}: spin, yield, then a futex wait that
 * costs no CPU and that writers end only when the waiter announced itself. The format is
 * documented in {@code docs/channel-format.md}.
 */
package io.jipc.channel;
