package io.jipc.channel;

/** How many writers a channel takes at once; chosen at creation, stored in the region. */
public enum ChannelKind {
    /**
     * Single producer, single consumer: one writer at a time (a second one is refused while the
     * first lives), which advances the tail with a plain store (no compare-and-set).
     */
    SPSC(Format.KIND_SPSC),
    /**
     * Multiple producers, single consumer: any number of writers, in any processes, up to the size
     * of the writer table, claim space with a compare-and-set on the tail.
     */
    MPSC(Format.KIND_MPSC);

    final int code;

    ChannelKind(int code) {
        this.code = code;
    }

    static ChannelKind of(int code) {
        for (ChannelKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
