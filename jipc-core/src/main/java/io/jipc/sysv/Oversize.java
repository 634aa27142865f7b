package io.jipc.sysv;

/**
 * What a receive does with a message longer than the space offered for its body ({@man msgrcv(2)}).
 */
public enum Oversize {
    /**
     * Leave the message on the queue and fail with {@link io.jipc.LimitExceededException} ({@code
     * E2BIG}): the default, as in C without flags.
     */
    FAIL,
    /**
     * Take the message off the queue and keep only as many bytes as fit, dropping the rest ({@code
     * MSG_NOERROR}). The caller cannot tell afterwards that bytes were dropped.
     */
    TRUNCATE
}
