package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.CConstants;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link Epoll}: constants and {@code struct epoll_event} against gcc, and one round trip. */
class EpollTest {
    @Test
    void constants_and_the_event_struct_match_the_c_headers() {
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("EPOLL_CLOEXEC", (long) Epoll.EPOLL_CLOEXEC);
        java.put("EPOLL_CTL_ADD", (long) Epoll.EPOLL_CTL_ADD);
        java.put("EPOLL_CTL_DEL", (long) Epoll.EPOLL_CTL_DEL);
        java.put("EPOLL_CTL_MOD", (long) Epoll.EPOLL_CTL_MOD);
        java.put("EPOLLIN", (long) Epoll.EPOLLIN);
        java.put("EPOLLOUT", (long) Epoll.EPOLLOUT);
        java.put("EPOLLERR", (long) Epoll.EPOLLERR);
        java.put("EPOLLHUP", (long) Epoll.EPOLLHUP);
        java.put("EPOLLRDHUP", (long) Epoll.EPOLLRDHUP);
        java.put("(int) EPOLLET", (long) Epoll.EPOLLET);
        java.put("EFD_CLOEXEC", (long) Epoll.EFD_CLOEXEC);
        java.put("EFD_NONBLOCK", (long) Epoll.EFD_NONBLOCK);
        java.put("sizeof(struct epoll_event)", (long) Epoll.EVENT_BYTES);
        java.put("offsetof(struct epoll_event, events)", (long) Epoll.EVENT_EVENTS);
        java.put("offsetof(struct epoll_event, data)", (long) Epoll.EVENT_DATA);
        CConstants.assertSameAsGcc(
                "epoll_constants",
                """
                #include <stddef.h>
                #include <sys/epoll.h>
                #include <sys/eventfd.h>
                """,
                java);
    }

    @Test
    void an_eventfd_added_to_is_reported_with_its_data_and_taken_back_to_zero() {
        int ep = Epoll.epoll_create1(Epoll.EPOLL_CLOEXEC);
        int ev = Epoll.eventfd(0, Epoll.EFD_CLOEXEC | Epoll.EFD_NONBLOCK);
        assertTrue(ep >= 0 && ev >= 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(Epoll.EVENT_BYTES * 4L, 8);
            assertEquals(
                    0,
                    Epoll.epoll_ctl(ep, Epoll.EPOLL_CTL_ADD, ev, Epoll.EPOLLIN, 0x1234_5678_9abcL));
            assertEquals(0, Epoll.epollWaitBlocking(ep, events, 4, 0));
            assertEquals(8, Epoll.eventfdAdd(ev, 3));
            assertEquals(8, Epoll.eventfdAdd(ev, 4));
            assertEquals(1, Epoll.epollWaitBlocking(ep, events, 4, 1_000_000_000L));
            assertEquals(Epoll.EPOLLIN, Epoll.eventMask(events, 0));
            assertEquals(0x1234_5678_9abcL, Epoll.eventData(events, 0));
            assertEquals(7, Epoll.eventfdTake(ev));
            assertEquals(-11, Epoll.eventfdTake(ev), "EAGAIN once taken");
            assertEquals(0, Epoll.epollWaitBlocking(ep, events, 4, 1_000_000L), "timed out");
            assertEquals(
                    -17, Epoll.epoll_ctl(ep, Epoll.EPOLL_CTL_ADD, ev, Epoll.EPOLLIN, 0), "EEXIST");
        } finally {
            Unistd.close(ev);
            Unistd.close(ep);
        }
    }
}
