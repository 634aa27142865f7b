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
 * <p><b>Sealed or not.</b> The build starts the test JVMs through {@code
 * tools/sealed-jdk/bin/java}, which runs them in an IPC namespace of their own (and a mount
 * namespace with private {@code /dev/shm} and {@code /dev/mqueue} as root) and says so in {@code
 * JIPC_TEST_SEALED}: {@code ipc+mount}, {@code ipc}, or {@code none} when the machine allows
 * neither; the variable alone is not believed: the JVM's IPC namespace must also differ from the
 * one it was started from (see {@link #notOwnIpcNamespace()}), so that an IDE run that copied it
 * stays unsealed. In a sealed namespace every object is the suite's. Outside one (the fallback, or
 * a test started from an IDE), the suite's objects are those with a key {@link TestKeys} handed
 * out, or whose recorded pids (last sender/receiver, creator/last attacher, last semop) are this
 * JVM or a process the test kit started; nothing else is ever reported as leaked or removed.
 */
public final class Suite {
    private static final Set<Long> PIDS = ConcurrentHashMap.newKeySet();
    private static final Set<Integer> KEYS = ConcurrentHashMap.newKeySet();
    private static volatile boolean announced;

    static {
        PIDS.add(ProcessHandle.current().pid());
    }

    private Suite() {}

    /**
     * How the test JVM is sealed: {@code ipc+mount}, {@code ipc}, or {@code none}.
     *
     * @return the mode
     */
    public static String sealing() {
        return SEALING;
    }

    /** JIPC_TEST_SEALED, believed only when this JVM's IPC namespace is not its starter's. */
    private static final String SEALING = decideSealing();

    /** Why a JIPC_TEST_SEALED of ipc... was not believed, or null. */
    private static volatile String disbelieved;

    private static String decideSealing() {
        String s = System.getenv("JIPC_TEST_SEALED");
        if (s == null || s.isBlank()) {
            return "none";
        }
        if (!s.startsWith("ipc")) {
            return s;
        }
        String why = notOwnIpcNamespace();
        if (why != null) {
            disbelieved = "JIPC_TEST_SEALED=" + s + " is set, but " + why;
            return "none";
        }
        return s;
    }

    /**
     * Why this JVM's IPC namespace is not known to be one of its own, or null if it is: it must
     * differ from every namespace it can compare with, and from at least one. Those are the
     * namespace of the process that started it (Surefire's shell; an IDE run that copied the
     * variable has the IDE there), of pid 1, and the one {@code tools/sealed-jdk/bin/java} recorded
     * before unsharing ({@code JIPC_TEST_HOST_IPC}: in a user namespace of its own the JVM may not
     * read the others' links).
     */
    static String notOwnIpcNamespace() {
        String mine = ipcNamespace(ProcessHandle.current().pid());
        if (mine == null) {
            return "/proc/self/ns/ipc cannot be read";
        }
        java.util.Map<String, String> outside = new java.util.LinkedHashMap<>();
        ProcessHandle.current()
                .parent()
                .ifPresent(p -> outside.put("its parent, pid " + p.pid(), ipcNamespace(p.pid())));
        outside.put("pid 1", ipcNamespace(1));
        String recorded = System.getenv("JIPC_TEST_HOST_IPC");
        outside.put("JIPC_TEST_HOST_IPC", recorded == null || recorded.isBlank() ? null : recorded);
        boolean compared = false;
        for (java.util.Map.Entry<String, String> e : outside.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (e.getValue().equals(mine)) {
                return "this JVM shares the IPC namespace " + mine + " of " + e.getKey();
            }
            compared = true;
        }
        return compared
                ? null
                : "no other IPC namespace could be read to compare " + mine + " with";
    }

    /** The IPC namespace of a process ({@code ipc:[4026531839]}), or null if it cannot be read. */
    private static String ipcNamespace(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "ipc"))
                    .toString();
        } catch (IOException | SecurityException e) {
            return null;
        }
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
                System.err.println(
                        "jipc tests: not in a private IPC namespace ("
                                + (disbelieved != null
                                        ? disbelieved
                                        : "JIPC_TEST_SEALED=" + sealing())
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
