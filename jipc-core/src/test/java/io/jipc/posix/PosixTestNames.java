package io.jipc.posix;

import static org.junit.jupiter.api.Assertions.fail;

import io.jipc.internal.linux.Mqueue;
import io.jipc.internal.linux.PosixFiles;
import io.jipc.internal.linux.PosixSem;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unique POSIX names for tests, and a leak guard for them: every name handed out is checked after
 * each test by trying to remove a queue, a semaphore and a shared memory object of that name; one
 * that could be removed was left behind by the test, which then fails (the object is gone anyway).
 * /dev/shm is shared by every IPC namespace, so the names carry the pid.
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
        String n =
                "/jipc-t"
                        + ProcessHandle.current().pid()
                        + "-"
                        + NEXT.incrementAndGet()
                        + "-"
                        + tag;
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
}
