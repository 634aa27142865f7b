package io.jipc.channel;

import io.jipc.IpcException;

/**
 * A region that is not a channel of a format this library reads, or a channel whose memory was
 * corrupted: bad magic, an unknown version or kind, a capacity that is not a power of two, a region
 * smaller than its header says, a record length out of range. Nothing is read past such a finding,
 * and the JVM never faults on it (every access is bounded to the mapping).
 */
public class ChannelFormatException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; its message reads {@code channel(object): detail}.
     *
     * @param object the region, e.g. {@code /dev/shm/prices}
     * @param detail what is wrong
     */
    public ChannelFormatException(String object, String detail) {
        super("channel", object, null, detail);
    }
}
