package io.jipc.bench;

import io.jipc.pipe.Child;
import io.jipc.pipe.ExitStatus;

import java.time.Duration;
import java.util.List;

/**
 * When one process of a pair dies (killed, crashed, failed), the survivor must not wait on the
 * mechanism: a POSIX queue or semaphore, unlike a pipe or a removed System V object, never wakes
 * its waiter when the other side is gone. So the side that started the other one watches it (the
 * JVM drivers with {@link Child#onExit()}, {@code bench_peer.c} and {@code bench_mq.py} with
 * SIGCHLD or a thread in {@code waitpid}) and, the moment it ends unsuccessfully, prints one line,
 * {@link #PREFIX} then which side died, its exit status or signal and the mechanism, and exits 1;
 * the started side watches its parent and ends with it. The harness ({@link Harness#external})
 * shows that line, or says the same of the outer process when that one died.
 */
final class PeerDeath {
    /** Marks the line of a survivor reporting the death of its peer (the harness strips it). */
    static final String PREFIX = "jipc-bench-peer-died: ";

    private static boolean reported;

    private final String side;
    private final String mechanism;
    private volatile Child peer;

    /**
     * A watch for one pair.
     *
     * @param side the other side as the report names it, e.g. {@code "the Java pair's peer JVM"}
     * @param mechanism the mechanism's id
     */
    PeerDeath(String side, String mechanism) {
        this.side = side;
        this.mechanism = mechanism;
    }

    /** Watches the started peer: its unsuccessful end is reported at once and ends this JVM. */
    Child watch(Child child) {
        peer = child;
        child.onExit()
                .thenAccept(
                        status -> {
                            if (!status.success()) {
                                report(PREFIX + line(side, child.pid(), status, mechanism));
                            }
                        });
        return child;
    }

    /**
     * This side failed: if the peer died (its death closes pipes and sockets, so this side's error
     * may come first), reports that death instead; otherwise {@code own}. Exits 1.
     */
    void failed(String own) {
        Child c = peer;
        if (c != null) {
            try {
                ExitStatus s = c.waitFor(Duration.ofSeconds(2)).orElse(null);
                if (s != null && !s.success()) {
                    report(PREFIX + line(side, c.pid(), s, mechanism));
                }
            } catch (Exception e) {
                // fall through: report this side's own failure
            }
        }
        report(own);
    }

    /** Prints the first report of this JVM on stderr and exits 1. */
    private static void report(String line) {
        synchronized (PeerDeath.class) {
            if (!reported) {
                reported = true;
                System.err.println(line);
                System.err.flush();
            }
        }
        System.exit(1);
    }

    /**
     * One line on a process that ended: {@code SIDE (pid N) was killed by signal 9 (SIGKILL) during
     * the MECH run}.
     *
     * @param side who it was
     * @param pid its pid
     * @param status how it ended
     * @param mechanism the mechanism's id, or null if unknown
     * @return the line
     */
    static String line(String side, long pid, ExitStatus status, String mechanism) {
        return side
                + " (pid "
                + pid
                + ") "
                + describe(status)
                + (mechanism == null ? " during the run" : " during the " + mechanism + " run");
    }

    /**
     * How a process ended, in words: {@code exited with status 1}, {@code was killed by signal 9
     * (SIGKILL)}.
     *
     * @param status the status
     * @return the words
     */
    static String describe(ExitStatus status) {
        if (status.exited()) {
            return "exited with status " + status.code();
        }
        String name = status.signal() < NAMES.size() ? NAMES.get(status.signal()) : "";
        return "was killed by signal "
                + status.signal()
                + (name.isEmpty() ? "" : " (SIG" + name + ")");
    }

    /** The names of the Linux signals 1-31 on x86-64 and arm64, as kill -l prints them. */
    private static final List<String> NAMES =
            List.of(
                    "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
                    "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP",
                    "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO",
                    "PWR", "SYS");
}
