package io.jipc.bench;

import io.jipc.Limit;
import io.jipc.posix.Access;
import io.jipc.posix.NamedSemaphore;
import io.jipc.posix.PosixMessageQueue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The POSIX mechanisms of {@code jipc bench}, like their System V counterparts: {@link
 * Mechanism#POSIX_MQ} is a queue per direction ({@code mq_send}/{@code mq_receive}; a sender waits
 * while its queue is full, which is the flow control of the one-way runs), and {@link
 * Mechanism#POSIX_SEM} three named semaphores: one per direction for the ping-pong, and a credit
 * semaphore for the one-way runs ({@link Link#CREDITS} posts in flight). The harness makes the
 * objects (for both pairs) and removes them; each side opens them by name, as the C pair ({@code
 * bench_peer.c}, its POSIX block) does.
 */
final class PosixLinks {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private PosixLinks() {}

    /** Whether a mechanism is one of these. */
    static boolean handles(Mechanism m) {
        return m == Mechanism.POSIX_MQ || m == Mechanism.POSIX_SEM;
    }

    /**
     * Creates the objects of one run, registers their removal in {@code undo}, and returns their
     * names (the arguments both peers take).
     *
     * @param m the mechanism
     * @param undo the run's undo list
     * @return the names: there and back for a queue; to the child, to the parent and the credits
     *     for semaphores
     * @throws IOException if an object cannot be created
     */
    static List<String> create(Mechanism m, List<AutoCloseable> undo) throws IOException {
        String base = "/jipc-bench-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
        List<String> names = new ArrayList<>();
        if (m == Mechanism.POSIX_MQ) {
            int depth = (int) Math.min(10, Limit.MQ_MSG_MAX.value());
            for (String dir : List.of("there", "back")) {
                String name = base + "-" + dir;
                PosixMessageQueue.createExclusive(name, 0600, depth, Link.BIG).close();
                undo.add(Cleanup.add(() -> PosixMessageQueue.unlink(name)));
                names.add(name);
            }
        } else {
            int[] values = {0, 0, Link.CREDITS};
            for (int i = 0; i < values.length; i++) {
                String name = base + "-" + i;
                NamedSemaphore.createExclusive(name, 0600, values[i]).close();
                undo.add(Cleanup.add(() -> NamedSemaphore.unlink(name)));
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Opens one side of a link.
     *
     * @param m the mechanism
     * @param names the names {@link #create} returned
     * @param parent true for the parent's side
     * @return the link
     * @throws IOException if an object cannot be opened
     */
    static Link open(Mechanism m, List<String> names, boolean parent) throws IOException {
        return m == Mechanism.POSIX_MQ ? new MqLink(names, parent) : new SemLink(names, parent);
    }

    /** A queue per direction; bodies go from and into {@link Link#buf} (direct: no copy). */
    static final class MqLink extends Link {
        private final PosixMessageQueue out;
        private final PosixMessageQueue in;

        MqLink(List<String> names, boolean parent) throws IOException {
            out = PosixMessageQueue.open(names.get(parent ? 0 : 1), Access.WRITE_ONLY);
            in = PosixMessageQueue.open(names.get(parent ? 1 : 0), Access.READ_ONLY);
        }

        @Override
        void send(int n) throws IOException {
            out.send(0, buf.clear().limit(n));
        }

        @Override
        int receive(int n) throws IOException {
            buf.clear();
            in.receiveInto(buf);
            return buf.position();
        }

        @Override
        public void close() throws IOException {
            try (out;
                    in) {
                super.close();
            }
        }
    }

    /**
     * Semaphore 0 to the child, 1 to the parent (ping-pong, no payload); the one-way runs take a
     * credit (semaphore 2) before each post to the child, which gives it back.
     */
    static final class SemLink extends Link {
        private final NamedSemaphore post;
        private final NamedSemaphore take;
        private final NamedSemaphore toChild;
        private final NamedSemaphore credits;

        SemLink(List<String> names, boolean parent) throws IOException {
            toChild = NamedSemaphore.open(names.get(0));
            NamedSemaphore toParent = NamedSemaphore.open(names.get(1));
            credits = NamedSemaphore.open(names.get(2));
            post = parent ? toChild : toParent;
            take = parent ? toParent : toChild;
        }

        @Override
        void send(int n) throws IOException {
            post.release();
        }

        @Override
        int receive(int n) throws IOException {
            take.acquire();
            return n;
        }

        @Override
        void sendData(int n, long i) throws IOException {
            credits.acquire();
            toChild.release();
        }

        @Override
        int receiveData(int n, long i) throws IOException {
            toChild.acquire();
            credits.release();
            return n;
        }

        @Override
        public void close() throws IOException {
            try (post;
                    take;
                    credits) {
                super.close();
            }
        }
    }
}
