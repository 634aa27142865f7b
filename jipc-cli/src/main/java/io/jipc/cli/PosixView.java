package io.jipc.cli;

import io.jipc.posix.NamedSemaphoreStatus;
import io.jipc.posix.PosixMessageQueueStatus;
import io.jipc.posix.PosixSharedMemoryStatus;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code jipc ls} and the {@code pmq}/{@code psem}/{@code pshm} commands show POSIX objects:
 * the {@code --json} fields and the human tables.
 */
final class PosixView {
    private PosixView() {}

    /**
     * Permission bits as octal text, {@code "0640"}.
     *
     * @param mode the bits
     * @return the text
     */
    static String octal(int mode) {
        return String.format("0%03o", mode);
    }

    /**
     * A pid with {@link SysvView#DEAD} if its process is gone.
     *
     * @param pid the pid
     * @return the text
     */
    static String pid(int pid) {
        return pid + (ProcessHandle.of(pid).isPresent() ? "" : SysvView.DEAD);
    }

    private static Long known(long v) {
        return v < 0 ? null : v;
    }

    /**
     * The JSON object of a queue: kind {@code pmq}, name, owner, uid, gid, mode, max_messages,
     * message_size, messages, bytes, notify_pid (null where this user may not read the queue).
     *
     * @param st the status
     * @return an ordered map
     */
    static Map<String, Object> json(PosixMessageQueueStatus st) {
        Map<String, Object> m = common("pmq", st.name(), st.uid(), st.gid(), st.mode());
        m.put("max_messages", known(st.maxMessages()));
        m.put("message_size", known(st.messageSize()));
        m.put("messages", known(st.messages()));
        m.put("bytes", known(st.bytes()));
        m.put("notify_pid", known(st.notifyPid()));
        return m;
    }

    /**
     * The JSON object of a shared memory object: kind {@code pshm}, name, owner, uid, gid, mode,
     * size.
     *
     * @param st the status
     * @return an ordered map
     */
    static Map<String, Object> json(PosixSharedMemoryStatus st) {
        Map<String, Object> m = common("pshm", st.name(), st.uid(), st.gid(), st.mode());
        m.put("size", st.size());
        return m;
    }

    /**
     * The JSON object of a named semaphore: kind {@code psem}, name, owner, uid, gid, mode, value
     * (null where this user may not open it).
     *
     * @param st the status
     * @return an ordered map
     */
    static Map<String, Object> json(NamedSemaphoreStatus st) {
        Map<String, Object> m = common("psem", st.name(), st.uid(), st.gid(), st.mode());
        m.put("value", known(st.value()));
        return m;
    }

    private static Map<String, Object> common(
            String kind, String name, int uid, int gid, int mode) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("name", name);
        m.put("owner", SysvView.user(uid));
        m.put("uid", uid);
        m.put("gid", gid);
        m.put("mode", octal(mode));
        return m;
    }

    private static String num(long v) {
        return v < 0 ? "?" : Long.toString(v);
    }

    /**
     * Prints the POSIX sections of {@code jipc ls}: queues (or why they cannot be listed), shared
     * memory objects, named semaphores.
     *
     * @param out where to print
     * @param queues the queues, or null if they cannot be listed
     * @param whyNoQueues why, when {@code queues} is null
     * @param shm the shared memory objects
     * @param sems the semaphores
     */
    static void tables(
            PrintWriter out,
            List<PosixMessageQueueStatus> queues,
            String whyNoQueues,
            List<PosixSharedMemoryStatus> shm,
            List<NamedSemaphoreStatus> sems) {
        out.println("POSIX message queues");
        if (queues == null) {
            out.println("(not listed: " + whyNoQueues + ")");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(
                    new String[] {
                        "NAME",
                        "OWNER",
                        "PERMS",
                        "MESSAGES",
                        "MAX-MESSAGES",
                        "MESSAGE-SIZE",
                        "QSIZE",
                        "NOTIFY-PID"
                    });
            for (PosixMessageQueueStatus q : queues) {
                rows.add(
                        new String[] {
                            q.name(),
                            SysvView.user(q.uid()),
                            octal(q.mode()),
                            num(q.messages()),
                            num(q.maxMessages()),
                            num(q.messageSize()),
                            num(q.bytes()),
                            q.notifyPid() < 0 ? "?" : q.notifyPid() == 0 ? "-" : pid(q.notifyPid())
                        });
            }
            table(out, rows);
        }
        out.println();
        out.println("POSIX shared memory (/dev/shm)");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "OWNER", "PERMS", "BYTES"});
        for (PosixSharedMemoryStatus s : shm) {
            rows.add(
                    new String[] {
                        s.name(), SysvView.user(s.uid()), octal(s.mode()), Long.toString(s.size())
                    });
        }
        table(out, rows);
        out.println();
        out.println("POSIX named semaphores (/dev/shm/sem.*)");
        rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "OWNER", "PERMS", "VALUE"});
        for (NamedSemaphoreStatus s : sems) {
            rows.add(
                    new String[] {
                        s.name(), SysvView.user(s.uid()), octal(s.mode()), num(s.value())
                    });
        }
        table(out, rows);
    }

    private static void table(PrintWriter out, List<String[]> rows) {
        if (rows.size() == 1) {
            out.println("(none)");
        } else {
            SysvView.print(out, rows);
        }
    }
}
