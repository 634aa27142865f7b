package io.jipc.channel;

import java.lang.foreign.MemorySegment;

/**
 * Room for one message reserved in a channel by {@link ChannelWriter#tryClaim(int)} or {@link
 * ChannelWriter#claim(int)}: write the message into {@link #segment()}, then {@link #commit()} to
 * publish it or {@link #abort()} to drop it. Until then the reader waits at this message (later
 * messages of other writers wait behind it), so fill it promptly.
 *
 * <p>Each writer has one {@code Claim} object, reused by its next claim: do not keep it after
 * {@code commit()} or {@code abort()}.
 */
public final class Claim {
    private final ChannelWriter writer;
    MemorySegment segment;

    Claim(ChannelWriter writer) {
        this.writer = writer;
    }

    /**
     * The claimed bytes, in the shared memory: exactly the claimed length.
     *
     * @return the segment to write the message into
     * @throws IllegalStateException once committed or aborted
     */
    public MemorySegment segment() {
        MemorySegment s = segment;
        if (s == null) {
            throw new IllegalStateException("no open claim (committed or aborted already)");
        }
        return s;
    }

    /**
     * Publishes the message (one release store of its length) and wakes a sleeping reader.
     *
     * @throws IllegalStateException if committed or aborted already
     */
    public void commit() {
        writer.commit(this);
    }

    /**
     * Drops the message: the space becomes a padding record the reader skips.
     *
     * @throws IllegalStateException if committed or aborted already
     */
    public void abort() {
        writer.abort(this);
    }
}
