package io.jipc.channel;

import io.jipc.RawDescriptor;
import io.jipc.sysv.SharedMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A Java peer in a child JVM, the twin of channel_peer.c:
 *
 * <pre>
 *   write TARGET WRITERS COUNT MAXLEN     WRITERS (comma-separated ids) write COUNT messages each, one thread each
 *   read TARGET COUNT                     receive COUNT messages, verify, print per-writer counts
 *   forever TARGET WRITER MAXLEN          write until killed
 *   claim TARGET WRITER BEFORE STAGE MAXLEN  write BEFORE messages, then claim one and stop
 *                                         (STAGE claim: nothing written; half; full: not committed)
 * </pre>
 *
 * TARGET: name:NAME, fd:N (inherited) or shm:ID.
 */
public final class ChannelChild {
    private ChannelChild() {}

    static Channel open(String target) throws Exception {
        if (target.startsWith("name:")) {
            return Channel.open(Channel.path(target.substring(5)));
        }
        if (target.startsWith("fd:")) {
            try (RawDescriptor d = new RawDescriptor(Integer.parseInt(target.substring(3)))) {
                return Channel.open(d);
            }
        }
        if (target.startsWith("shm:")) {
            return Channel.open(SharedMemory.ofId(Integer.parseInt(target.substring(4))));
        }
        throw new IllegalArgumentException(target);
    }

    /**
     * Runs a mode.
     *
     * @param args the mode and its arguments
     * @throws Exception on failure (the test shows the output)
     */
    public static void main(String[] args) throws Exception {
        try (Channel ch = open(args[1])) {
            switch (args[0]) {
                case "write" ->
                        write(ch, args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]));
                case "read" -> read(ch, Long.parseLong(args[2]));
                case "forever" -> {
                    try (ChannelWriter w = ch.writer()) {
                        System.out.println("writing");
                        System.out.flush();
                        send(
                                w,
                                Integer.parseInt(args[2]),
                                Long.MAX_VALUE,
                                Integer.parseInt(args[3]));
                    }
                }
                case "claim" ->
                        claim(
                                ch,
                                Integer.parseInt(args[2]),
                                Long.parseLong(args[3]),
                                args[4],
                                Integer.parseInt(args[5]));
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }

    static void send(ChannelWriter w, int writer, long count, int maxLength) throws Exception {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(w.channel().maxMessage());
            java.nio.ByteBuffer buf = b.asByteBuffer();
            for (long seq = 0; seq < count; seq++) {
                int len = TestMessages.lengthOf(writer, seq, maxLength);
                TestMessages.encode(b, writer, seq, len);
                buf.clear().limit(len);
                w.send(buf);
            }
        }
    }

    private static void write(Channel ch, String ids, long count, int maxLength) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String id : ids.split(",")) {
            int writer = Integer.parseInt(id);
            ChannelWriter w = ch.writer();
            threads.add(
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try (w) {
                                            send(w, writer, count, maxLength);
                                        } catch (Throwable e) {
                                            failures.add(e);
                                        }
                                    }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("writer failed", failures.get(0));
        }
        System.out.println("sent " + count * threads.size());
    }

    private static void read(Channel ch, long count) throws Exception {
        TestMessages.Tally tally = new TestMessages.Tally();
        try (ChannelReader r = ch.reader()) {
            while (tally.total < count) {
                r.poll(tally::accept, 1024);
                if (tally.total < count) {
                    LockSupport.parkNanos(10_000);
                }
            }
        }
        for (int w = 0; w < tally.next.length; w++) {
            if (tally.next[w] > 0) {
                System.out.println("writer " + w + " " + tally.next[w]);
            }
        }
    }

    private static void claim(Channel ch, int writer, long before, String stage, int maxLength)
            throws Exception {
        ChannelWriter w = ch.writer();
        send(w, writer, before, maxLength);
        int len = TestMessages.lengthOf(writer, before, maxLength);
        Claim c = w.claim(len);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(len);
            TestMessages.encode(m, writer, before, len);
            long n =
                    switch (stage) {
                        case "claim" -> 0;
                        case "half" -> len / 2;
                        case "full" -> len;
                        default -> throw new IllegalArgumentException(stage);
                    };
            MemorySegment.copy(m, 0, c.segment(), 0, n);
        }
        System.out.println(
                "stopped " + stage + " " + Path.of("/proc/self").toRealPath().getFileName());
        System.out.flush();
        while (true) {
            LockSupport.park();
        }
    }
}
