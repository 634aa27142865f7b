package io.jipc.channel;

import java.lang.foreign.MemorySegment;

/** Receives the messages of {@link ChannelReader#poll(MessageHandler, int)}, without a copy. */
@FunctionalInterface
public interface MessageHandler {
    /**
     * One message.
     *
     * @param message the message's bytes: a read-only slice of the shared memory, valid only until
     *     this method returns (writers reuse the space afterwards); copy what must outlive the call
     */
    void onMessage(MemorySegment message);
}
