package io.jipc.sysv;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A message taken from (or copied off) a {@link MessageQueue}: the C {@code long mtype} and exactly
 * the body bytes the kernel returned, no header added or removed.
 *
 * <p>The body array is the one the receive filled, not a copy; it belongs to the caller. Equality
 * compares the type and the body's contents.
 *
 * @param type the message type, always greater than 0
 * @param body the body, exactly as received (possibly empty)
 */
public record Message(long type, byte[] body) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code body} is null
     */
    public Message {
        Objects.requireNonNull(body, "body");
    }

    /**
     * The body's length in bytes.
     *
     * @return {@code body().length}
     */
    public int size() {
        return body.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.type == type && Arrays.equals(m.body, body);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(type) * 31 + Arrays.hashCode(body);
    }

    /**
     * The type, size and (up to 64 bytes of) the body in hexadecimal.
     *
     * @return e.g. {@code "Message[type=5, size=3, body=68690a]"}
     */
    @Override
    public String toString() {
        String hex = HexFormat.of().formatHex(body, 0, Math.min(body.length, 64));
        return "Message[type="
                + type
                + ", size="
                + body.length
                + ", body="
                + hex
                + (body.length > 64 ? "..." : "")
                + "]";
    }
}
