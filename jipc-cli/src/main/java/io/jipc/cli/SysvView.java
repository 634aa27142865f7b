package io.jipc.cli;

import io.jipc.IpcKey;
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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * How {@code jipc ls}, {@code rm} and {@code watch} show System V objects: user names, the
 * {@code --json} fields, the human tables and one-line summaries.
 */
final class SysvView {
    private SysvView() {
    }

    /** Marks a pid whose process no longer exists. */
    static final String DEAD = "*";

    /** {@code msg}, {@code sem} or {@code shm} on the command line. */
    static final class Kind implements CommandLine.ITypeConverter<SysvKind> {
        @Override
        public SysvKind convert(String value) {
            try {
                return SysvKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a kind (use msg, sem or shm)");
            }
        }
    }

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
     * Whether {@code owner} (a user name or a uid) names the object's owner.
     *
     * @param o the object
     * @param owner the name or number
     * @return true if it matches
     */
    static boolean ownedBy(SysvObject o, String owner) {
        int uid = o.permissions().uid();
        return owner.equals(Integer.toString(uid)) || owner.equals(user(uid));
    }

    /**
     * Filters a listing.
     *
     * @param all the listing
     * @param kind the kind, or null for all
     * @param key the key, or null for any
     * @param id the id, or null for any
     * @param owner the owner, or null for any
     * @return the objects that match every given criterion
     */
    static List<SysvObject> select(List<SysvObject> all, SysvKind kind, IpcKey key, Integer id, String owner) {
        return all.stream()
                .filter(o -> kind == null || o.kind() == kind)
                .filter(o -> key == null || o.key().equals(key))
                .filter(o -> id == null || o.id() == id)
                .filter(o -> owner == null || ownedBy(o, owner))
                .toList();
    }

    static Set<SysvKind> kinds(SysvKind kind) {
        return kind == null ? EnumSet.allOf(SysvKind.class) : EnumSet.of(kind);
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
            case ListedQueue q -> "messages=" + q.status().messages() + " bytes=" + q.status().bytes() + "/" + q.status().maxBytes();
            case ListedSemaphoreSet s -> "values=" + (s.values().size() == s.status().size()
                    ? s.values().stream().map(String::valueOf).collect(Collectors.joining(",")) : "?");
            case ListedSegment g -> "nattch=" + g.status().attachCount() + " size=" + g.status().size();
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
                    rows.add(new String[] {"KEY", "MSQID", "OWNER", "PERMS", "MESSAGES", "BYTES", "MAX-BYTES",
                        "LSPID", "LRPID", "NOTE"});
                    for (SysvObject o : some) {
                        ListedQueue q = (ListedQueue) o;
                        rows.add(new String[] {q.key().toString(), "" + q.id(), user(q.permissions().uid()),
                            q.permissions().modeOctal(), "" + q.status().messages(), "" + q.status().bytes(), "" + q.status().maxBytes(),
                            pid(q, q.status().lastSendPid()), pid(q, q.status().lastReceivePid()), note(q)});
                    }
                }
                case SEM -> {
                    out.println("Semaphore sets");
                    rows.add(new String[] {"KEY", "SEMID", "OWNER", "PERMS", "NSEMS", "VALUES", "PIDS", "NOTE"});
                    for (SysvObject o : some) {
                        ListedSemaphoreSet s = (ListedSemaphoreSet) o;
                        boolean readable = s.values().size() == s.status().size();
                        rows.add(new String[] {s.key().toString(), "" + s.id(), user(s.permissions().uid()),
                            s.permissions().modeOctal(), "" + s.status().size(),
                            readable ? abbreviate(s.values().stream().map(String::valueOf).toList()) : "?",
                            readable ? abbreviate(s.lastPids().stream().map(p -> pid(s, p)).toList()) : "?",
                            note(s)});
                    }
                }
                case SHM -> {
                    out.println("Shared memory segments");
                    rows.add(new String[] {"KEY", "SHMID", "OWNER", "PERMS", "BYTES", "NATTCH", "CPID", "LPID",
                        "NOTE"});
                    for (SysvObject o : some) {
                        ListedSegment g = (ListedSegment) o;
                        rows.add(new String[] {g.key().toString(), "" + g.id(), user(g.permissions().uid()),
                            g.permissions().modeOctal(), "" + g.status().size(), "" + g.status().attachCount(),
                            pid(g, g.status().creatorPid()), pid(g, g.status().lastPid()), note(g)});
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
            out.println(DEAD + " the process no longer exists; orphan: every recorded process is dead"
                    + " (and, for a segment, nothing is attached)");
        }
    }

    private static String abbreviate(List<String> items) {
        int shown = Math.min(items.size(), 8);
        String s = String.join(",", items.subList(0, shown));
        return items.size() > shown ? s + ",... (" + items.size() + ")" : s;
    }

    private static void print(PrintWriter out, List<String[]> rows) {
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
