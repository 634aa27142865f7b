package io.jipc.socket;

import io.jipc.IpcException;

/**
 * A received message, or the descriptors sent with it, did not fit ({@code MSG_TRUNC}, {@code
 * MSG_CTRUNC} in {@man recvmsg(2)}). The kernel has already discarded what did not fit: the buffer
 * holds the first {@link #received()} bytes of a message of {@link #messageLength()} bytes, and
 * every descriptor that did arrive with it has been closed (none leaks, none is half-delivered).
 */
public final class TruncatedMessageException extends IpcException {
    private static final long serialVersionUID = 1L;

    /** The real length of the message. */
    private final int messageLength;

    /** How many bytes were stored in the buffer. */
    private final int received;

    /** Whether the descriptors sent with the message did not fit ({@code MSG_CTRUNC}). */
    private final boolean controlTruncated;

    TruncatedMessageException(
            String object, int messageLength, int received, boolean controlTruncated) {
        super(
                "recvmsg",
                object,
                null,
                controlTruncated
                        ? "the descriptors sent with the message did not fit (MSG_CTRUNC): the kernel closed the rest; "
                                + "those received were closed too; ask for more descriptors"
                        : "message of "
                                + messageLength
                                + " bytes did not fit in "
                                + received
                                + " bytes (MSG_TRUNC): the rest is lost; receive into a larger buffer");
        this.messageLength = messageLength;
        this.received = received;
        this.controlTruncated = controlTruncated;
    }

    /**
     * The real length of the message.
     *
     * @return its length in bytes
     */
    public int messageLength() {
        return messageLength;
    }

    /**
     * How many bytes were stored in the buffer.
     *
     * @return the bytes stored
     */
    public int received() {
        return received;
    }

    /**
     * Whether the descriptors (control data) were cut, rather than only the bytes.
     *
     * @return true for {@code MSG_CTRUNC}
     */
    public boolean controlTruncated() {
        return controlTruncated;
    }
}
