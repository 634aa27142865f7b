package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipc.testkit.Gcc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Poll}: its constants and {@code struct pollfd} offsets against gcc. */
class PollTest {
    @Test
    void constants_and_pollfd_match_the_c_headers() {
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("POLLOUT", (long) Poll.POLLOUT);
        java.put("POLLERR", (long) Poll.POLLERR);
        java.put("POLLHUP", (long) Poll.POLLHUP);
        java.put("POLLNVAL", (long) Poll.POLLNVAL);
        java.put("offsetof(struct pollfd, fd)", Poll.POLLFD_FD);
        java.put("offsetof(struct pollfd, events)", Poll.POLLFD_EVENTS);
        java.put("offsetof(struct pollfd, revents)", Poll.POLLFD_REVENTS);
        java.put("sizeof(struct pollfd)", Poll.POLLFD_BYTES);
        assertEquals(java, Gcc.values("poll_constants", List.of("poll.h"), java.keySet()));
    }
}
