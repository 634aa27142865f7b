package io.jipc.sysv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.IpcKey;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;
import io.jipc.testkit.TestKeys;
import io.jipc.testkit.Unprivileged;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** SharedMemory between real processes: C peers (shm_peer.c) and child JVMs (ShmChild). */
class SharedMemoryProcessesTest {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long N = 1_000_000;
    private static Path peer;

    @BeforeAll
    static void compile() {
        peer = Gcc.compileResource("c/shm_peer.c");
    }

    private static Processes.Result c(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(peer.toString());
        cmd.addAll(List.of(args));
        try (Processes.Child child = Processes.start(cmd)) {
            return child.await(WAIT).assertExit(0);
        }
    }

    @Test
    void java_and_c_exchange_bytes_both_ways_at_arbitrary_offsets() throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, 3 * 4096 + 7);
        try (Attachment a = shm.attach()) {
            MemorySegment s = a.segment();
            byte[] fromJava =
                    "Java -> C, across a page boundary \u00e9".getBytes(StandardCharsets.UTF_8);
            long jOff = 4096 - 13;
            MemorySegment.copy(fromJava, 0, s, ValueLayout.JAVA_BYTE, jOff, fromJava.length);
            String seen =
                    c(
                                    "read",
                                    String.valueOf(shm.id()),
                                    String.valueOf(jOff),
                                    String.valueOf(fromJava.length))
                            .stdout()
                            .trim();
            assertEquals(HexFormat.of().formatHex(fromJava), seen);

            byte[] fromC = {0, 1, (byte) 0xff, 0x7f, (byte) 0x80, 'C', '!'};
            long cOff = shm.size() - fromC.length; // the very last bytes
            c(
                    "write",
                    String.valueOf(shm.id()),
                    String.valueOf(cOff),
                    HexFormat.of().formatHex(fromC));
            byte[] got = s.asSlice(cOff, fromC.length).toArray(ValueLayout.JAVA_BYTE);
            assertEquals(HexFormat.of().formatHex(fromC), HexFormat.of().formatHex(got));
            long odd = 9_999;
            c("write", String.valueOf(shm.id()), String.valueOf(odd), "deadbeef");
            assertEquals(
                    0xefbeaddeL & 0xffffffffL,
                    Integer.toUnsignedLong(s.get(ValueLayout.JAVA_INT_UNALIGNED, odd)),
                    "little-endian int written by C at an odd offset");
        } finally {
            shm.remove();
        }
    }

    @Test
    void a_segment_outlives_the_process_that_created_it() throws Exception {
        IpcKey key = IpcKey.of(TestKeys.unused());
        String out =
                c("create", "0x" + Integer.toHexString(key.value()), "1000", "left by a C process")
                        .stdout()
                        .trim();
        SharedMemory shm = SharedMemory.open(key);
        try {
            assertEquals(Integer.parseInt(out), shm.id());
            assertEquals(1000, shm.size());
            SharedMemoryStatus st = shm.status();
            assertEquals(0, st.attachCount(), "its creator has exited");
            assertTrue(ProcessHandle.of(st.creatorPid()).isEmpty(), "the creator pid is gone");
            try (Attachment a = shm.attachReadOnly()) {
                assertEquals("left by a C process", a.segment().getString(0));
            }
        } finally {
            shm.remove();
        }
    }

    @Test
    void a_child_jvm_and_a_c_program_incrementing_one_counter_N_times_each_give_2N()
            throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, 4096);
        try (Attachment a = shm.attach();
                Processes.Child jvm =
                        ChildJvm.start(
                                ShmChild.class,
                                "count",
                                String.valueOf(shm.id()),
                                String.valueOf(N),
                                "add");
                Processes.Child cp =
                        Processes.start(
                                List.of(
                                        peer.toString(),
                                        "count",
                                        String.valueOf(shm.id()),
                                        String.valueOf(N)))) {
            MemorySegment s = a.segment();
            awaitReady(s, 2, jvm, cp);
            LONG.setRelease(s, 16L, 1L); // go: pairs with the peers' acquire loads
            jvm.await(WAIT).assertExit(0);
            cp.await(WAIT).assertExit(0);
            assertEquals(2 * N, (long) LONG.getVolatile(s, 0L));
        } finally {
            shm.remove();
        }
    }

    @Test
    void two_jvms_one_with_getAndAdd_one_with_compareAndSet_give_2N() throws Exception {
        SharedMemory shm = SharedMemory.createPrivate(0600, 4096);
        try (Attachment a = shm.attach();
                Processes.Child jvm =
                        ChildJvm.start(
                                ShmChild.class,
                                "count",
                                String.valueOf(shm.id()),
                                String.valueOf(N),
                                "cas")) {
            MemorySegment s = a.segment();
            CompletableFuture<Void> here =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    ShmChild.countOn(s, N, false);
                                } catch (InterruptedException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            awaitReady(s, 2, jvm);
            LONG.setRelease(s, 16L, 1L);
            jvm.await(WAIT).assertExit(0);
            here.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(2 * N, (long) LONG.getVolatile(s, 0L));
        } finally {
            shm.remove();
        }
    }

    @Test
    void an_unprivileged_process_is_denied_by_mode_with_PermissionDeniedException()
            throws Exception {
        Unprivileged.assumeAvailable();
        IpcKey closed = IpcKey.of(TestKeys.unused());
        IpcKey readable = IpcKey.of(TestKeys.unused());
        SharedMemory c = SharedMemory.createExclusive(closed, 0600, 4096);
        SharedMemory r = SharedMemory.createExclusive(readable, 0644, 4096);
        try {
            try (Attachment a = r.attach()) {
                a.segment().setString(0, "readable by all");
            }
            List<String> cmd =
                    Unprivileged.java(
                            ShmChild.class, "perm", closed.toString(), readable.toString());
            String out;
            try (Processes.Child child = Processes.start(cmd)) {
                out = child.await(WAIT).assertExit(0).stdout();
            }
            assertTrue(
                    out.contains(
                            "open-0600: PermissionDeniedException shmget(key "
                                    + closed
                                    + "): EACCES"),
                    out);
            assertTrue(
                    out.contains(
                            "attach-0644: PermissionDeniedException shmat(shmid "
                                    + r.id()
                                    + "): EACCES"),
                    out);
            assertTrue(out.contains("read-0644: readable by all"), out);
            assertTrue(
                    out.contains(
                            "remove-0644: PermissionDeniedException shmctl(IPC_RMID)(shmid "
                                    + r.id()
                                    + "): EPERM"),
                    out);
        } finally {
            c.remove();
            r.remove();
        }
    }

    @Test
    void shmmax_and_shmall_failures_quote_the_limit() throws Exception {
        // A private IPC namespace of its own: the lowered limits never touch the host's.
        org.junit.jupiter.api.Assumptions.assumeTrue(
                io.jipc.Capabilities.effectiveUid() == 0,
                "lowering shmmax and shmall in a private IPC namespace needs root (unshare --ipc, /proc/sys writes)");
        List<String> java = ChildJvm.command(ShmChild.class, "limits");
        String script =
                "echo 4096 > /proc/sys/kernel/shmmax && echo 2 > /proc/sys/kernel/shmall && exec \"$@\"";
        List<String> cmd = new ArrayList<>(List.of("unshare", "--ipc", "sh", "-c", script, "sh"));
        cmd.addAll(java);
        String out;
        try (Processes.Child child = Processes.start(cmd)) {
            out = child.await(WAIT).assertExit(0).stdout();
        }
        assertTrue(
                out.contains("shmmax: LimitExceededException shmget(IPC_PRIVATE): EINVAL")
                        && out.contains(
                                "segment of 8192 bytes is above the largest segment: limit shmmax = 4096 (set in "
                                        + "/proc/sys/kernel/shmmax)"),
                out);
        assertTrue(
                out.contains("shmall: LimitExceededException shmget(IPC_PRIVATE): ENOSPC")
                        && out.contains("limit shmall = 2 (set in /proc/sys/kernel/shmall)"),
                out);
    }

    private static void awaitReady(MemorySegment s, long peers, Processes.Child... children)
            throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while ((long) LONG.getAcquire(s, 8L) < peers) {
            for (Processes.Child c : children) {
                if (!c.process().isAlive()) {
                    throw new AssertionError("a peer exited before the start: " + c.describe());
                }
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("peers not ready within " + WAIT);
            }
            Thread.sleep(1);
        }
    }
}
