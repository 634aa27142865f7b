package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The cancel signal and its handler, checked against gcc and the process's signal state. */
class BlockingTest {

    @Test
    void sigaction_layout_matches_gcc() {
        Path peer = Gcc.compileResource("c/blocking_peer.c");
        String out =
                Processes.run(Duration.ofSeconds(30), peer.toString(), "layout")
                        .assertExit(0)
                        .stdout()
                        .trim();
        String mine =
                Signals.SIGACTION.byteSize()
                        + " "
                        + Structs.offset(Signals.SIGACTION, "sa_handler")
                        + " "
                        + Structs.offset(Signals.SIGACTION, "sa_mask")
                        + " "
                        + Structs.offset(Signals.SIGACTION, "sa_flags")
                        + " "
                        + Structs.offset(Signals.SIGACTION, "sa_restorer");
        assertEquals(out, mine, "size, sa_handler, sa_mask, sa_flags, sa_restorer");
    }

    @Test
    void the_cancel_signal_is_a_free_realtime_signal_handled_by_getpid_without_sa_restart()
            throws Exception {
        int sig = Blocking.SIGNAL;
        assertTrue(sig >= Signals.sigrtmin() && sig <= Signals.sigrtmax() - 3, "signal " + sig);
        assertNotEquals(32, sig);
        assertNotEquals(33, sig);
        assertNotEquals(Signals.sigrtmax() - 2, sig, "the JDK's NIO signal");
        assertEquals(Signals.noOpHandlerAddress(), Signals.handlerOf(sig));
        long caught = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigCgt:")) {
                caught = Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        assertTrue((caught & (1L << (sig - 1))) != 0, "SigCgt has signal " + sig);
        // sa_flags: no SA_RESTART (0x10000000)
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var old = arena.allocate(Signals.SIGACTION);
            assertEquals(0, Signals.sigaction(sig, java.lang.foreign.MemorySegment.NULL, old));
            int flags =
                    old.get(
                            java.lang.foreign.ValueLayout.JAVA_INT,
                            Structs.offset(Signals.SIGACTION, "sa_flags"));
            assertEquals(0, flags & 0x10000000, "SA_RESTART must not be set");
        }
    }

    @Test
    void a_signal_to_a_thread_that_is_not_blocked_is_handled_and_changes_nothing()
            throws Exception {
        int tid = Signals.gettid();
        long bit = 1L << (Blocking.SIGNAL - 1);
        Path status = Path.of("/proc/self/task/" + tid + "/status");
        try (io.jipc.pipe.Pipe p = io.jipc.pipe.Pipe.open()) {
            p.sink().write(java.nio.ByteBuffer.wrap(new byte[] {7}));
            for (int i = 0; i < 100; i++) {
                assertEquals(
                        0,
                        Signals.tgkill((int) ProcessHandle.current().pid(), tid, Blocking.SIGNAL));
            }
            // tgkill to oneself delivers before it returns: the no-op handler ran, nothing is
            // pending
            assertEquals(
                    0, pending(status, "SigPnd:") & bit, "the cancel signal is not left pending");
            assertEquals(0, pending(Path.of("/proc/self/status"), "ShdPnd:") & bit);
            // and a call that does not block still does its work afterwards
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4);
            assertEquals(1, p.source().read(b, java.time.Duration.ofSeconds(10)));
            assertEquals(7, b.get(0));
        }
        assertTrue(
                Thread.currentThread().isAlive() && !Thread.currentThread().isInterrupted(),
                "no interrupt is made of a stray cancel signal");
    }

    private static long pending(Path status, String field) throws java.io.IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field)) {
                return Long.parseUnsignedLong(line.substring(field.length()).trim(), 16);
            }
        }
        throw new AssertionError(field + " missing in " + status);
    }
}
