package io.jipc.poll;

/** When a {@link Poller} reports a registered descriptor ({@man epoll(7)}). */
public enum Trigger {
    /**
     * On every poll while the descriptor is ready (the default, like {@man poll(2)} and the JDK's
     * {@code Selector}): data left unread is reported again.
     */
    LEVEL,
    /**
     * Once per change ({@code EPOLLET}): data that arrives is reported by one poll, and not again
     * until more arrives. Read (or write) until the call would block before polling again, or data
     * left unread is never reported.
     */
    EDGE
}
