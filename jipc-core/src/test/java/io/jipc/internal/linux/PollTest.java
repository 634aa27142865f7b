package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipc.testkit.Gcc;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Poll}: its constants and {@code struct pollfd} offsets against gcc, and what poll(2)
 * reports for a pipe.
 */
class PollTest {
    @Test
    void constants_and_pollfd_match_the_c_headers() {
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("POLLIN", (long) Poll.POLLIN);
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

    @Test
    void a_pipe_is_writable_then_readable_then_hung_up_and_a_number_not_open_is_invalid() {
        int[] p = Unistd.pipe2(Unistd.O_CLOEXEC);
        try {
            assertEquals(0, Poll.poll(p[0], Poll.POLLIN, 0), "empty");
            assertEquals(Poll.POLLOUT, Poll.poll(p[1], Poll.POLLOUT, 0), "room to write");
            assertEquals(Poll.POLLOUT, Signals.pollNow(p[1], Poll.POLLOUT));
            MemorySegment b = Native.scratch(1);
            assertEquals(1, Unistd.write(p[1], b, 1));
            assertEquals(Poll.POLLIN, Poll.poll(p[0], Poll.POLLIN, 0));
        } finally {
            Unistd.close(p[1]);
        }
        try {
            assertEquals(
                    Poll.POLLIN | Poll.POLLHUP,
                    Poll.poll(p[0], Poll.POLLIN, 0),
                    "data left, writers gone");
        } finally {
            Unistd.close(p[0]);
        }
        assertEquals(
                Poll.POLLNVAL, Poll.poll(1 << 20, Poll.POLLIN, 0), "a number that is not open");
    }
}
