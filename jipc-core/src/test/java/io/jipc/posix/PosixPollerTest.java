package io.jipc.posix;

import static io.jipc.posix.PosixTestNames.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.poll.Poller;
import io.jipc.poll.Readiness;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * POSIX queues and eventfds are descriptors that jipc's {@link Poller} watches: readiness on a
 * descriptor, the alternative to {@code mq_notify} (level-triggered, nothing to re-arm).
 */
@ExtendWith(PosixTestNames.class)
class PosixPollerTest {
    @Test
    void a_poller_reports_a_queue_readable_when_c_sends_and_an_eventfd_when_it_counts()
            throws Exception {
        String n = name("q");
        PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 1, 8);
        try (Poller poller = Poller.open();
                EventFd e = EventFd.create(0)) {
            Poller.Key qk = poller.register(q, EnumSet.of(Readiness.READ, Readiness.WRITE));
            Poller.Key ek = poller.register(e, EnumSet.of(Readiness.READ));
            assertEquals(
                    List.of(qk),
                    poller.poll(Duration.ofMillis(50)),
                    "an empty queue is writable only");
            assertEquals(Set.of(Readiness.WRITE), qk.ready());
            qk.interest(EnumSet.of(Readiness.READ));
            assertEquals(List.of(), poller.poll(Duration.ofMillis(50)));
            Processes.run(
                            Duration.ofSeconds(30),
                            Gcc.compileResource("c/posix_peer.c").toString(),
                            "mq-send",
                            n,
                            "4",
                            "01")
                    .assertExit(0);
            assertEquals(List.of(qk), poller.poll(Duration.ofSeconds(10)));
            assertEquals(Set.of(Readiness.READ), qk.ready());
            assertEquals(
                    List.of(qk), poller.poll(Duration.ZERO), "level-triggered: still readable");
            assertEquals(new PosixMessage(4, new byte[] {1}), q.tryReceive().orElseThrow());
            e.add(2);
            assertEquals(List.of(ek), poller.poll(Duration.ofSeconds(10)));
            assertEquals(2, e.take());
            q.close();
            assertTrue(!qk.isValid(), "closing the queue removed it from the poller");
            assertEquals(Set.of(ek), poller.keys());
        } finally {
            q.close();
            PosixMessageQueue.unlink(n);
        }
    }
}
