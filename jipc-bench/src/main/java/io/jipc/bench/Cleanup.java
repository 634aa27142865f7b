package io.jipc.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything a run created (queues, semaphore sets, segments, FIFOs, socket files, temp dirs,
 * children), undone in reverse order when the run ends or, through one shutdown hook, when the JVM
 * exits early (Ctrl-C, an error).
 */
final class Cleanup {
    /** An undo action. */
    interface Undo {
        /**
         * Undoes; failures are ignored.
         *
         * @throws Exception whatever the undo throws
         */
        void run() throws Exception;
    }

    private static final Deque<Undo> PENDING = new ArrayDeque<>();
    private static boolean hooked;

    private Cleanup() {}

    /** Registers an undo action; the returned handle runs it now (once) and deregisters it. */
    static synchronized AutoCloseable add(Undo undo) {
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::runAll, "jipc-bench-cleanup"));
        }
        PENDING.push(undo);
        return () -> {
            boolean mine;
            synchronized (Cleanup.class) {
                mine = PENDING.remove(undo);
            }
            if (mine) {
                quietly(undo);
            }
        };
    }

    /** Runs every pending undo action. */
    static void runAll() {
        while (true) {
            Undo u;
            synchronized (Cleanup.class) {
                u = PENDING.poll();
            }
            if (u == null) {
                return;
            }
            quietly(u);
        }
    }

    static void quietly(Undo u) {
        try {
            u.run();
        } catch (Exception | Error e) {
            // best effort: the object may be gone already
        }
    }
}
