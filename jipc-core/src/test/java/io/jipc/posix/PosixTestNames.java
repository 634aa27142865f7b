package io.jipc.posix;

import static org.junit.jupiter.api.Assertions.fail;

import io.jipc.internal.linux.Mqueue;
import io.jipc.internal.linux.PosixFiles;
import io.jipc.internal.linux.PosixSem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Unique POSIX names for tests, and a leak guard for them: every name handed out is checked after
 * each test by trying to remove a queue, a semaphore and a shared memory object of that name; one
 * that could be removed was left behind by the test, which then fails (the object is gone
 * anyway). /dev/shm is shared by every IPC namespace, so the names carry the pid.
 */
final class PosixTestNames implements AfterEachCallback {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Set<String> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A fresh name, {@code "/jipc-t<pid>-<n>-<tag>"}.
     *
     * @param tag a word saying what it is for
     * @return the name
     */
    static String name(String tag) {
        String n = "/jipc-t" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet() + "-" + tag;
        HANDED_OUT.add(n);
        return n;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaked = new ArrayList<>();
        for (String n : HANDED_OUT) {
            if (Mqueue.mq_unlink(n) == 0) {
                leaked.add("queue " + n);
            }
            if (PosixSem.sem_unlink(n) == 0) {
                leaked.add("semaphore " + n);
            }
            if (PosixFiles.shm_unlink(n) == 0) {
                leaked.add("shared memory " + n);
            }
        }
        HANDED_OUT.clear();
        if (!leaked.isEmpty()) {
            fail("the test left POSIX objects behind (now removed): " + leaked);
        }
    }

    /**
     * Waits until a thread of this process is in system call {@code nr} with first argument
     * {@code arg0} ({@code /proc/self/task/TID/syscall}): a blocked call, seen from outside.
     *
     * @param nr the x86_64 system call number (243 mq_timedreceive, 242 mq_timedsend, 202 futex,
     *     0 read, 1 write)
     * @param arg0 its first argument
     * @throws InterruptedException if interrupted
     */
    static void awaitBlockedIn(int nr, long arg0) throws InterruptedException {
        String prefix = nr + " 0x" + Long.toHexString(arg0) + " ";
        await("a thread waits in system call " + nr + "(0x" + Long.toHexString(arg0) + ")", () -> {
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                return tasks.anyMatch(t -> {
                    try {
                        return Files.readAllLines(t.resolve("syscall")).get(0).startsWith(prefix);
                    } catch (IOException | RuntimeException gone) {
                        return false;
                    }
                });
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * Polls a condition every millisecond for at most 30 s.
     *
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @throws InterruptedException if interrupted
     */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }
}
