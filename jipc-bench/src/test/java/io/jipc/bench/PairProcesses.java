package io.jipc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The processes of a pair that this JVM (the harness) runs, seen through {@code /proc}: which they
 * are, what they have opened, how their threads are pinned.
 */
final class PairProcesses {
    private PairProcesses() {}

    /** A run of a pair in a thread of this JVM, and when it ended. */
    record Running(CompletableFuture<Protocol.Run> result, long[] endedAt) {
        /** The failure it ended with (fails if it did not end in {@code max}, or succeeded). */
        Throwable failure(Duration max) {
            try {
                result.get(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the pair did not end within " + max);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            throw new AssertionError("the pair succeeded");
        }
    }

    /** What a test runs: one pair, as the harness does. */
    interface Pair {
        Protocol.Run run() throws Exception;
    }

    /** Starts a pair in a new platform thread. */
    static Running start(Pair pair) {
        CompletableFuture<Protocol.Run> f = new CompletableFuture<>();
        long[] ended = {0};
        Thread.ofPlatform()
                .daemon()
                .name("pair")
                .start(
                        () -> {
                            try {
                                Protocol.Run r = pair.run();
                                ended[0] = System.nanoTime();
                                f.complete(r);
                            } catch (Throwable e) {
                                ended[0] = System.nanoTime();
                                f.completeExceptionally(e);
                            }
                        });
        return new Running(f, ended);
    }

    /** The command line of a process, words joined by spaces ("" if it is gone). */
    static String cmdline(long pid) {
        try {
            return new String(
                            Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")),
                            StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** A descendant of this JVM whose command line contains every word given. */
    static Optional<Long> find(String... words) {
        return ProcessHandle.current()
                .descendants()
                .map(ProcessHandle::pid)
                .filter(
                        pid -> {
                            String c = cmdline(pid);
                            return Stream.of(words).allMatch(c::contains);
                        })
                .findFirst();
    }

    /** Polls {@code poll} every 20 ms until it gives a value (at most {@code max}). */
    static <T> T await(String what, Duration max, Supplier<Optional<T>> poll) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            Optional<T> v = poll.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + max + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Whether a process maps a file whose path contains {@code part} (/proc/PID/maps). */
    static boolean maps(long pid, String part) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/maps")).contains(part);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a process holds a descriptor whose link contains {@code part} (/proc/PID/fd). */
    static boolean holds(long pid, String part) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.anyMatch(
                    fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().contains(part);
                        } catch (IOException e) {
                            return false;
                        }
                    });
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Whether process {@code pid} was the last to receive from some System V queue ({@code lrpid}
     * in /proc/sysvipc/msg: the process id, or the thread id of a receiver that was waiting when
     * the message came).
     */
    static boolean receivedFromSysvQueue(long pid) {
        try {
            List<String> ids = new ArrayList<>(List.of("" + pid));
            tasks(pid).forEach(t -> ids.add("" + t.tid()));
            for (String line : Files.readAllLines(Path.of("/proc/sysvipc/msg"))) {
                // key msqid perms cbytes qnum lspid lrpid ...
                String[] w = line.trim().split("\\s+");
                if (w.length > 6 && ids.contains(w[6])) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One thread of a process: its id, name ({@code comm}) and allowed CPUs. */
    record Task(long tid, String comm, String cpus) {}

    /** The threads of a process and the CPUs each may run on (Cpus_allowed_list). */
    static List<Task> tasks(long pid) {
        List<Task> out = new ArrayList<>();
        try (Stream<Path> ts = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : ts.toList()) {
                try {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    String cpus =
                            Files.readAllLines(t.resolve("status")).stream()
                                    .filter(l -> l.startsWith("Cpus_allowed_list:"))
                                    .map(l -> l.split(":")[1].strip())
                                    .findFirst()
                                    .orElse("?");
                    out.add(new Task(Long.parseLong(t.getFileName().toString()), comm, cpus));
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return out;
    }

    /**
     * The allowed CPUs of a JVM's main thread, the one that runs {@code main} and measures: named
     * {@code java} like the launcher's primordial thread (whose id is the pid), not the same.
     */
    static Optional<String> mainThreadCpus(long pid) {
        return tasks(pid).stream()
                .filter(t -> t.comm().equals("java") && t.tid() != pid)
                .map(Task::cpus)
                .findFirst();
    }
}
