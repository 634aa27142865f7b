package io.jipc;

import java.util.Objects;

/**
 * A kernel limit was hit: a message larger than {@code msgmax}, a full queue, more semaphore
 * operations than {@code semopm}, no identifiers left, a segment above {@code shmmax}... The
 * message quotes the limit's value and where it is set (see {@link Limit#source()}).
 */
public class LimitExceededException extends IpcException {
    private static final long serialVersionUID = 1L;

    /** The limit that was hit. */
    private final Limit limit;

    /** Its value when the call failed. */
    private final long limitValue;

    /**
     * Creates the exception; the message ends with {@code "limit NAME = VALUE (set in SOURCE)"}.
     *
     * @param call the C function
     * @param object the object, e.g. {@code "msqid 32769"}
     * @param errno the errno reported, or {@code null} when detected before the call
     * @param detail what was asked, e.g. {@code "body of 9000 bytes"}
     * @param limit the limit that was hit
     * @param limitValue its value
     */
    public LimitExceededException(
            String call, String object, Errno errno, String detail, Limit limit, long limitValue) {
        super(
                call,
                object,
                errno,
                (detail == null ? "" : detail + ": ")
                        + "limit "
                        + Objects.requireNonNull(limit, "limit").cName()
                        + " = "
                        + limitValue
                        + " (set in "
                        + limit.source()
                        + ")");
        this.limit = limit;
        this.limitValue = limitValue;
    }

    /**
     * The limit that was hit.
     *
     * @return the limit
     */
    public Limit limit() {
        return limit;
    }

    /**
     * The limit's value when the call failed.
     *
     * @return the value
     */
    public long limitValue() {
        return limitValue;
    }
}
