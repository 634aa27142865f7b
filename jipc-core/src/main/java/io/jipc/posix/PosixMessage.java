package io.jipc.posix;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A message received from a {@link PosixMessageQueue}: its priority and its body, exactly the bytes
 * the sender passed to {@code mq_send}.
 *
 * @param priority the priority, 0 to {@link PosixMessageQueue#MAX_PRIORITY}
 * @param body the body (this record's own array)
 */
public record PosixMessage(int priority, byte[] body) {
    /**
     * Checks the fields.
     *
     * @param priority the priority
     * @param body the body
     */
    public PosixMessage {
        Objects.requireNonNull(body, "body");
        if (priority < 0 || priority > PosixMessageQueue.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority=" + priority);
        }
    }

    /**
     * Equal if priority and body bytes are equal.
     *
     * @param o the other object
     * @return true if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PosixMessage m && m.priority == priority && Arrays.equals(m.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * priority + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "PosixMessage[priority="
                + priority
                + ", body="
                + HexFormat.of().formatHex(body)
                + "]";
    }
}
