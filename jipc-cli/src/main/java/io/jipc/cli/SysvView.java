package io.jipc.cli;

import io.jipc.sysv.IpcPermissions;
import io.jipc.sysv.ListedQueue;
import io.jipc.sysv.ListedSegment;
import io.jipc.sysv.ListedSemaphoreSet;
import io.jipc.sysv.SysvKind;
import io.jipc.sysv.SysvObject;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How {@code jipc ls}, {@code rm} and {@code watch} show System V objects: user names, the {@code
 * --json} fields, the human tables and one-line summaries.
 */
final class SysvView {
    private SysvView() {}

    /** Marks a pid whose process no longer exists. */
    static final String DEAD = "*";

    private static Map<Integer, String> users;

    /**
     * The user name of a uid, from /etc/passwd (like ipcs), or the number when it has none.
     *
     * @param uid the uid
     * @return the name
     */
    static synchronized String user(int uid) {
        if (users == null) {
            users = new HashMap<>();
            try {
                for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                    String[] f = line.split(":");
                    if (f.length > 2) {
                        try {
                            users.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                        } catch (NumberFormatException ignored) {
                            // a malformed line names nobody
                        }
                    }
                }
            } catch (IOException ignored) {
                // no passwd file: numbers only
            }
        }
        return users.getOrDefault(uid, Integer.toString(uid));
    }

    /**
     * The uid a user name or number stands for: a number 0..4294967294 is taken as it is (a uid
     * need not have a name); a name must be in /etc/passwd.
     *
     * @param owner the name or number
     * @return the uid, or empty if there is no such user
     */
    static synchronized java.util.Optional<Integer> uidOf(String owner) {
        if (owner.matches("\\d{1,10}")) {
            long n = Long.parseLong(owner);
            return n < 0xffffffffL ? java.util.Optional.of((int) n) : java.util.Optional.empty();
        }
        user(0); // loads the table
        return users.entrySet().stream()
                .filter(e -> e.getValue().equals(owner))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /**
     * The {@code --json} object of one listed object (field names are documented in the README).
     *
     * @param o the object
     * @return an ordered map
     */
    static Map<String, Object> json(SysvObject o) {
        IpcPermissions p = o.permissions();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", o.kind().shortName());
        m.put("key", p.key().toString());
        m.put("id", o.id());
        m.put("owner", user(p.uid()));
        m.put("creator", user(p.cuid()));
        m.put("uid", p.uid());
        m.put("gid", p.gid());
        m.put("cuid", p.cuid());
        m.put("cgid", p.cgid());
        m.put("mode", p.modeOctal());
        switch (o) {
            case ListedQueue q -> {
                m.put("messages", q.status().messages());
                m.put("bytes", q.status().bytes());
                m.put("max_bytes", q.status().maxBytes());
                m.put("last_send_pid", q.status().lastSendPid());
                m.put("last_receive_pid", q.status().lastReceivePid());
                m.put("last_send", time(q.status().lastSend()));
                m.put("last_receive", time(q.status().lastReceive()));
            }
            case ListedSemaphoreSet s -> {
                m.put("nsems", s.status().size());
                boolean readable = s.values().size() == s.status().size();
                m.put("values", readable ? s.values() : null);
                m.put("pids", readable ? s.lastPids() : null);
                m.put("last_op", time(s.status().lastOperation()));
            }
            case ListedSegment g -> {
                m.put("size", g.status().size());
                m.put("attach_count", g.status().attachCount());
                m.put("creator_pid", g.status().creatorPid());
                m.put("last_pid", g.status().lastPid());
                m.put("last_attach", time(g.status().lastAttach()));
                m.put("last_detach", time(g.status().lastDetach()));
                m.put("removal_pending", g.status().removalPending());
                m.put("locked", g.status().locked());
            }
        }
        m.put("last_change", time(o.lastChange()));
        m.put("dead_pids", List.copyOf(o.deadPids()).stream().sorted().toList());
        m.put("orphan", o.orphan());
        return m;
    }

    private static String time(Instant t) {
        return t.equals(Instant.EPOCH) ? null : t.toString();
    }

    /**
     * A pid with the dead marker, or {@code -} for none.
     *
     * @param o the object
     * @param pid the pid
     * @return the text
     */
    static String pid(SysvObject o, int pid) {
        return pid <= 0 ? "-" : pid + (o.deadPids().contains(pid) ? DEAD : "");
    }

    /**
     * What the NOTE column says: orphan, removed while attached, locked.
     *
     * @param o the object
     * @return the note, possibly empty
     */
    static String note(SysvObject o) {
        List<String> notes = new ArrayList<>();
        if (o.orphan()) {
            notes.add("orphan");
        }
        if (o instanceof ListedSegment g) {
            if (g.status().removalPending()) {
                notes.add("removed (destroyed at last detach)");
            }
            if (g.status().locked()) {
                notes.add("locked");
            }
        }
        return String.join(", ", notes);
    }

    /**
     * A short name of an object for rm's and watch's lines, e.g. {@code shm 0x0000162e id 32769}.
     *
     * @param o the object
     * @return the text
     */
    static String name(SysvObject o) {
        return o.kind().shortName() + " " + o.key() + " id " + o.id();
    }

    /**
     * The counters that {@code watch} follows, e.g. {@code messages=2 bytes=20}.
     *
     * @param o the object
     * @return the text
     */
    static String counters(SysvObject o) {
        return switch (o) {
            case ListedQueue q ->
                    "messages="
                            + q.status().messages()
                            + " bytes="
                            + q.status().bytes()
                            + "/"
                            + q.status().maxBytes();
            case ListedSemaphoreSet s ->
                    "values="
                            + (s.values().size() == s.status().size()
                                    ? s.values().stream()
                                            .map(String::valueOf)
                                            .collect(Collectors.joining(","))
                                    : "?");
            case ListedSegment g ->
                    "nattch=" + g.status().attachCount() + " size=" + g.status().size();
        };
    }

    /**
     * Prints the tables of the given kinds, like {@code ipcs}, one section per kind.
     *
     * @param out where to print
     * @param objects the objects
     * @param kinds the sections to print (a section with no object says so)
     */
    static void tables(PrintWriter out, List<SysvObject> objects, Set<SysvKind> kinds) {
        boolean first = true;
        boolean anyDead = false;
        for (SysvKind k : kinds) {
            List<SysvObject> some = objects.stream().filter(o -> o.kind() == k).toList();
            if (!first) {
                out.println();
            }
            first = false;
            List<String[]> rows = new ArrayList<>();
            switch (k) {
                case MSG -> {
                    out.println("Message queues");
                    rows.add(
                            new String[] {
                                "KEY",
                                "MSQID",
                                "OWNER",
                                "PERMS",
                                "MESSAGES",
                                "BYTES",
                                "MAX-BYTES",
                                "LSPID",
                                "LRPID",
                                "NOTE"
                            });
                    for (SysvObject o : some) {
                        ListedQueue q = (ListedQueue) o;
                        rows.add(
                                new String[] {
                                    q.key().toString(),
                                    "" + q.id(),
                                    user(q.permissions().uid()),
                                    q.permissions().modeOctal(),
                                    "" + q.status().messages(),
                                    "" + q.status().bytes(),
                                    "" + q.status().maxBytes(),
                                    pid(q, q.status().lastSendPid()),
                                    pid(q, q.status().lastReceivePid()),
                                    note(q)
                                });
                    }
                }
                case SEM -> {
                    out.println("Semaphore sets");
                    rows.add(
                            new String[] {
                                "KEY", "SEMID", "OWNER", "PERMS", "NSEMS", "VALUES", "PIDS", "NOTE"
                            });
                    for (SysvObject o : some) {
                        ListedSemaphoreSet s = (ListedSemaphoreSet) o;
                        boolean readable = s.values().size() == s.status().size();
                        rows.add(
                                new String[] {
                                    s.key().toString(),
                                    "" + s.id(),
                                    user(s.permissions().uid()),
                                    s.permissions().modeOctal(),
                                    "" + s.status().size(),
                                    readable
                                            ? abbreviate(
                                                    s.values().stream()
                                                            .map(String::valueOf)
                                                            .toList())
                                            : "?",
                                    readable
                                            ? abbreviate(
                                                    s.lastPids().stream()
                                                            .map(p -> pid(s, p))
                                                            .toList())
                                            : "?",
                                    note(s)
                                });
                    }
                }
                case SHM -> {
                    out.println("Shared memory segments");
                    rows.add(
                            new String[] {
                                "KEY", "SHMID", "OWNER", "PERMS", "BYTES", "NATTCH", "CPID", "LPID",
                                "NOTE"
                            });
                    for (SysvObject o : some) {
                        ListedSegment g = (ListedSegment) o;
                        rows.add(
                                new String[] {
                                    g.key().toString(),
                                    "" + g.id(),
                                    user(g.permissions().uid()),
                                    g.permissions().modeOctal(),
                                    "" + g.status().size(),
                                    "" + g.status().attachCount(),
                                    pid(g, g.status().creatorPid()),
                                    pid(g, g.status().lastPid()),
                                    note(g)
                                });
                    }
                }
            }
            if (some.isEmpty()) {
                out.println("(none)");
            } else {
                print(out, rows);
            }
            anyDead |= some.stream().anyMatch(o -> !o.deadPids().isEmpty());
        }
        if (anyDead) {
            out.println();
            out.println(
                    DEAD
                            + " the process no longer exists; orphan: every recorded process is dead"
                            + " (and, for a segment, nothing is attached)");
        }
    }

    private static String abbreviate(List<String> items) {
        int shown = Math.min(items.size(), 8);
        String s = String.join(",", items.subList(0, shown));
        return items.size() > shown ? s + ",... (" + items.size() + ")" : s;
    }

    static void print(PrintWriter out, List<String[]> rows) {
        int[] width = new int[rows.getFirst().length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(r[i]);
                if (i < r.length - 1) {
                    b.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
