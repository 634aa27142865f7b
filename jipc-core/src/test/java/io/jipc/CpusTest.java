package io.jipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.internal.linux.Sched;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Thread affinity through sched_setaffinity(2): per thread, restored on close, checked by the
 * kernel's view.
 */
class CpusTest {

    /**
     * The kernel's own view of a thread's CPUs: Cpus_allowed_list in /proc/self/task/TID/status.
     */
    private static List<Integer> procAllowed(long tid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                List<Integer> cpus = new ArrayList<>();
                for (String part : line.substring(line.indexOf(':') + 1).trim().split(",")) {
                    String[] r = part.split("-");
                    int from = Integer.parseInt(r[0]);
                    int to = r.length > 1 ? Integer.parseInt(r[1]) : from;
                    for (int c = from; c <= to; c++) {
                        cpus.add(c);
                    }
                }
                return cpus;
            }
        }
        throw new IllegalStateException("no Cpus_allowed_list");
    }

    private static long tid() throws Exception {
        return Long.parseLong(
                Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    @Test
    void allowed_is_what_the_kernel_reports_for_this_thread() throws Exception {
        assertEquals(procAllowed(tid()), Cpus.allowed());
    }

    @Test
    void pinning_moves_only_the_calling_thread_and_close_restores() throws Exception {
        List<Integer> all = Cpus.allowed();
        int target = all.get(all.size() - 1);
        AtomicReference<Long> otherTid = new AtomicReference<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Thread other =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try {
                                        otherTid.set(tid());
                                    } catch (Exception e) {
                                        otherTid.set(-1L);
                                    }
                                    release.join();
                                });
        try {
            while (otherTid.get() == null) {
                Thread.onSpinWait();
            }
            try (Cpus.Pinning p = Cpus.pinCurrentThread(target)) {
                assertEquals(List.of(target), p.cpus());
                assertEquals(all, p.previous());
                assertEquals(List.of(target), Cpus.allowed());
                assertEquals(List.of(target), procAllowed(tid()));
                assertEquals(target, Cpus.current(), "the kernel runs a pinned thread on its CPU");
                assertEquals(
                        all, procAllowed(otherTid.get()), "another thread of the JVM stays free");
            }
            assertEquals(all, Cpus.allowed());
        } finally {
            release.complete(null);
            other.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void a_pinning_is_undone_only_by_its_thread_and_close_is_idempotent() throws Exception {
        List<Integer> all = Cpus.allowed();
        Cpus.Pinning p = Cpus.pinCurrentThread(all.get(0));
        try {
            CompletableFuture<Throwable> f = new CompletableFuture<>();
            Thread.ofPlatform()
                    .start(
                            () -> {
                                try {
                                    p.close();
                                    f.complete(null);
                                } catch (Throwable t) {
                                    f.complete(t);
                                }
                            });
            assertTrue(f.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
        } finally {
            p.close();
            p.close();
        }
        assertEquals(all, Cpus.allowed());
    }

    @Test
    void misuse_is_refused_before_any_call() throws Exception {
        assertThrows(IllegalArgumentException.class, Cpus::pinCurrentThread);
        assertThrows(IllegalArgumentException.class, () -> Cpus.pinCurrentThread(-1));
        CompletableFuture<Throwable> f = new CompletableFuture<>();
        Thread.ofVirtual()
                .start(
                        () -> {
                            try {
                                Cpus.pinCurrentThread(0).close();
                                f.complete(null);
                            } catch (Throwable t) {
                                f.complete(t);
                            }
                        });
        Throwable t = f.get(10, TimeUnit.SECONDS);
        assertTrue(t instanceof IllegalStateException, String.valueOf(t));
    }

    @Test
    void a_cpu_number_out_of_range_is_an_illegal_argument_naming_it_and_the_range()
            throws Exception {
        List<Integer> all = Cpus.allowed();
        int possible = Cpus.possible();
        assertTrue(
                possible > all.get(all.size() - 1)
                        && possible >= Runtime.getRuntime().availableProcessors(),
                possible + " possible CPU numbers, allowed " + all);
        // once a native fault (Integer.MAX_VALUE overflowed the mask size) or a silent EINVAL
        for (int cpu :
                new int[] {
                    -1, Integer.MIN_VALUE, possible, 4095, 4096, 100_000, Integer.MAX_VALUE
                }) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class, () -> Cpus.pinCurrentThread(0, cpu));
            assertTrue(
                    e.getMessage().contains("CPU " + cpu + " ")
                            && e.getMessage().contains("0.." + (possible - 1)),
                    e.getMessage());
        }
        assertEquals(all, Cpus.allowed());
        assertEquals(all, procAllowed(tid()));
    }

    @Test
    void a_possible_cpu_this_thread_may_not_use_is_einval_and_changes_nothing() throws Exception {
        List<Integer> all = Cpus.allowed();
        List<Integer> notAllowed = new ArrayList<>();
        for (int c = 0; c < Cpus.possible(); c++) {
            if (!all.contains(c)) {
                notAllowed.add(c); // offline, not present, or outside a cpuset
            }
        }
        for (int absent : notAllowed) {
            IpcException e = assertThrows(IpcException.class, () -> Cpus.pinCurrentThread(absent));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(
                    e.getMessage().contains("sched_setaffinity")
                            && e.getMessage().contains("" + absent),
                    e.getMessage());
        }
        // and every allowed one can be pinned to (the machine may have no CPU of the other kind)
        for (int cpu : all) {
            try (Cpus.Pinning p = Cpus.pinCurrentThread(cpu)) {
                assertEquals(List.of(cpu), procAllowed(tid()), p.toString());
            }
        }
        assertEquals(all, Cpus.allowed());
    }

    /** Child JVM: pins its main thread, then prints each thread's name and CPUs. */
    public static final class PinThenList {
        /**
         * Entry point.
         *
         * @param args the CPU to pin to
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            try (Cpus.Pinning _ = Cpus.pinCurrentThread(Integer.parseInt(args[0]))) {
                // opening a pipe after the pinning used to start OwnedFd's cleaner thread then,
                // pinned
                io.jipc.pipe.Pipe pipe = io.jipc.pipe.Pipe.open();
                pipe.close();
                try (var dir = Files.list(Path.of("/proc/self/task"))) {
                    for (Path task : dir.toList()) {
                        String name = Files.readString(task.resolve("comm")).strip();
                        System.out.println(
                                name
                                        + "\t"
                                        + procAllowed(
                                                Long.parseLong(task.getFileName().toString())));
                    }
                }
            }
        }
    }

    @Test
    void jipc_starts_its_own_threads_before_the_first_pinning_so_they_keep_every_cpu()
            throws Exception {
        List<Integer> all = Cpus.allowed();
        int pin = all.get(all.size() - 1);
        String out =
                io.jipc.testkit.ChildJvm.run(Duration.ofSeconds(60), PinThenList.class, "" + pin)
                        .assertExit(0)
                        .stdout();
        List<String> seen = new ArrayList<>();
        for (String line : out.split("\n")) {
            String name = line.substring(0, line.indexOf('\t'));
            if (name.startsWith("jipc-")
                    || name.startsWith("Cleaner-")) { // jipc's (OwnedFd's cleaner)
                seen.add(name);
                assertEquals(all.toString(), line.substring(line.indexOf('\t') + 1), line);
            }
        }
        assertTrue(
                seen.containsAll(List.of("jipc-timeouts", "jipc-poller"))
                        && seen.stream().anyMatch(n -> n.startsWith("Cleaner-")),
                () -> "jipc's threads: " + seen + "\n" + out);
        assertTrue(out.contains("main\t[" + pin + "]") || out.contains("java\t[" + pin + "]"), out);
    }

    @Test
    void cpu_set_size_matches_glibc() {
        String c =
                """
                #define _GNU_SOURCE
                #include <sched.h>
                #include <stdio.h>
                int main(void) { printf("%zu\\n", sizeof(cpu_set_t)); return 0; }
                """;
        String out =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileSource("cpu_set_size", c).toString())
                        .assertExit(0)
                        .stdout()
                        .trim();
        assertEquals(Long.parseLong(out), Sched.CPU_SETSIZE_BYTES);
    }
}
