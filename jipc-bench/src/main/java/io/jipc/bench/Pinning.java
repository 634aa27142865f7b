package io.jipc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Pins the calling thread (only it: the JIT compiler and GC threads stay free) to one CPU with
 * {@code taskset -p -c CPU TID}, its kernel thread id read from {@code /proc/thread-self}.
 */
final class Pinning {
    private Pinning() {
    }

    /**
     * Pins the calling thread.
     *
     * @param cpu the CPU, or negative for no pinning
     * @return closing it lets the thread run on every CPU again
     * @throws IOException if taskset fails
     */
    static AutoCloseable pin(int cpu) throws IOException {
        if (cpu < 0) {
            return () -> { };
        }
        String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        taskset("" + cpu, tid);
        return () -> taskset("0-" + (Runtime.getRuntime().availableProcessors() - 1), tid);
    }

    private static void taskset(String cpus, String tid) throws IOException {
        Process p = new ProcessBuilder("taskset", "-p", "-c", cpus, tid).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("taskset -p -c " + cpus + " " + tid + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pinning", e);
        }
    }
}
