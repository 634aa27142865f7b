package io.jipc.testkit;

import io.jipc.internal.linux.SysV;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the test suite knows about where it runs and what it made.
 *
 * <p><b>Sealed or not.</b> The build starts the test JVMs through {@code tools/sealed-jdk/bin/java},
 * which runs them in an IPC namespace of their own (and a mount namespace with private
 * {@code /dev/shm} and {@code /dev/mqueue} as root) and says so in {@code JIPC_TEST_SEALED}:
 * {@code ipc+mount}, {@code ipc}, or {@code none} when the machine allows neither. In a sealed
 * namespace every object is the suite's. Outside one (the fallback, or a test started from an
 * IDE), the suite's objects are those with a key {@link TestKeys} handed out, or whose recorded
 * pids (last sender/receiver, creator/last attacher, last semop) are this JVM or a process the
 * test kit started; nothing else is ever reported as leaked or removed.
 */
public final class Suite {
    private static final Set<Long> PIDS = ConcurrentHashMap.newKeySet();
    private static final Set<Integer> KEYS = ConcurrentHashMap.newKeySet();
    private static volatile boolean announced;

    static {
        PIDS.add(ProcessHandle.current().pid());
    }

    private Suite() {
    }

    /**
     * How the test JVM is sealed: {@code ipc+mount}, {@code ipc}, or {@code none}.
     *
     * @return the mode
     */
    public static String sealing() {
        String s = System.getenv("JIPC_TEST_SEALED");
        return s == null || s.isBlank() ? "none" : s;
    }

    /**
     * Whether the test JVM runs in an IPC namespace of its own (every object there is the suite's).
     *
     * @return true if sealed
     */
    public static boolean sealed() {
        return sealing().startsWith("ipc");
    }

    /**
     * A uid a test may give an object to with IPC_SET: {@code wanted} (e.g. nobody's 65534), or
     * this user's own where the test JVM runs in a user namespace ({@code JIPC_TEST_SEALED=ipc},
     * the unprivileged seal), which maps no other id (the kernel says EINVAL for any other).
     *
     * @param wanted the uid the test would like
     * @return a uid IPC_SET accepts here
     */
    public static int assignableUid(int wanted) {
        return sealing().equals("ipc") ? io.jipc.Capabilities.effectiveUid() : wanted;
    }

    /**
     * A gid a test may give an object to with IPC_SET; see {@link #assignableUid}.
     *
     * @param wanted the gid the test would like
     * @return a gid IPC_SET accepts here
     */
    public static int assignableGid(int wanted) {
        if (!sealing().equals("ipc")) {
            return wanted;
        }
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).intValue();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Says once, on stderr, when the suite is not sealed. */
    static void announce() {
        if (!announced) {
            announced = true;
            if (!sealed()) {
                System.err.println("jipc tests: not in a private IPC namespace (JIPC_TEST_SEALED=" + sealing()
                        + "): the leak guard reports and removes only the suite's own objects");
            }
        }
    }

    static void started(long pid) {
        PIDS.add(pid);
    }

    static void issued(int key) {
        KEYS.add(key);
    }

    /**
     * Whether an object of the snapshot ({@code "msg 0x67001234 id=32769"}) is the suite's: always
     * when sealed; otherwise by key or recorded pid (see the class comment).
     *
     * @param entry the snapshot entry
     * @return true if the suite made it
     */
    public static boolean made(String entry) {
        if (sealed()) {
            return true;
        }
        String[] f = entry.split(" ");
        int key = (int) Long.parseLong(f[1].substring(2), 16);
        int id = Integer.parseInt(f[2].substring(3));
        if (key != 0 && KEYS.contains(key)) {
            return true;
        }
        for (long pid : pids(f[0], id)) {
            if (PIDS.contains(pid)) {
                return true;
            }
        }
        return false;
    }

    /** The pids the kernel recorded for an object. */
    private static Set<Long> pids(String kind, int id) {
        Set<Long> pids = new HashSet<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/sysvipc", kind));
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] c = line.trim().split("\\s+");
                if (c.length < 7 || Integer.parseInt(c[1]) != id) {
                    continue;
                }
                switch (kind) {
                    case "msg" -> { // key msqid perms cbytes qnum lspid lrpid ...
                        pids.add(Long.parseLong(c[5]));
                        pids.add(Long.parseLong(c[6]));
                    }
                    case "shm" -> { // key shmid perms size cpid lpid ...
                        pids.add(Long.parseLong(c[4]));
                        pids.add(Long.parseLong(c[5]));
                    }
                    default -> { // key semid perms nsems ...: the last semop pid of each semaphore
                        int nsems = Integer.parseInt(c[3]);
                        for (int i = 0; i < nsems; i++) {
                            int pid = SysV.semctl(id, i, SysV.GETPID, 0);
                            if (pid > 0) {
                                pids.add((long) pid);
                            }
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile, or not readable: no pids
        }
        pids.remove(0L);
        return pids;
    }
}
