package io.jipc.cli;

import io.jipc.Limit;
import io.jipc.sysv.SysvObject;
import io.jipc.sysv.SysvObjects;
import io.jipc.sysv.SysvUsage;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jipc ls [msg|sem|shm] [--key K] [--id N] [--owner USER] [--json] [--limits] [--posix]}:
 * every System V object of the IPC namespace, like {@code ipcs}, with dead pids and orphans marked,
 * then the POSIX queues, shared memory objects and named semaphores; {@code --limits} is {@code
 * ipcs -l} and {@code ipcs -u} together.
 */
@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        description = {
            "List every System V queue, semaphore set and segment, whoever owns it (like ipcs), then the "
                    + "POSIX message queues, shared memory objects and named semaphores. "
                    + "Pids whose process is dead are marked *; an orphan is an object whose recorded processes are "
                    + "all dead (and, for a segment, not attached).",
            "--limits shows the kernel limits and current usage (ipcs -l, ipcs -u)."
        },
        footer = {
            "",
            "--json fields: kind, key, id, owner, creator, uid, gid, cuid, cgid, mode;",
            "  msg: messages, bytes, max_bytes, last_send_pid, last_receive_pid,",
            "       last_send, last_receive;",
            "  sem: nsems, values, pids (null without read permission), last_op;",
            "  shm: size, attach_count, creator_pid, last_pid, last_attach, last_detach,",
            "       removal_pending, locked;",
            "  then last_change, dead_pids, orphan. Times: ISO-8601 UTC, or null if never.",
            "POSIX objects: kind (pmq, pshm, psem), name, owner, uid, gid, mode;",
            "  pmq: max_messages, message_size, messages, bytes, notify_pid;",
            "  pshm: size; psem: value (null where this user may not open the object).",
            "Exit code 3 when nothing matches."
        })
final class LsCommand extends Subcommand {
    @Mixin SysvFilter filter;

    @Option(names = "--json", description = "Print one JSON array of objects.")
    boolean json;

    @Option(
            names = "--limits",
            description = "Show the kernel limits and the current usage instead.")
    boolean limits;

    @Option(
            names = "--posix",
            description =
                    "Only the POSIX objects: message queues (through the mqueue file "
                            + "system), shared memory objects and named semaphores (/dev/shm). Without KIND, --key and --id they "
                            + "are listed after the System V objects.")
    boolean posix;

    @Override
    ExitCode execute() throws Exception {
        filter.validate(spec);
        PrintWriter out = out();
        if (limits) {
            limits(out);
            return ExitCode.OK;
        }
        if (posix && (filter.kind() != null || filter.selective())) {
            throw usage("--posix lists POSIX objects, which have no KIND, --key or --id");
        }
        List<SysvObject> objects = posix ? List.of() : filter.list();
        boolean withPosix = posix || (filter.kind() == null && !filter.selective());
        PosixListing p = withPosix ? PosixListing.of(filter) : PosixListing.NONE;
        if (json) {
            List<Object> all = new ArrayList<>(objects.stream().map(SysvView::json).toList());
            all.addAll(p.json());
            if (withPosix && p.queues() == null) {
                warn("POSIX message queues not listed: " + p.whyNoQueues());
            }
            out.println(Json.write(all));
        } else {
            if (!posix) {
                SysvView.tables(out, objects, filter.kinds());
            }
            if (withPosix) {
                if (!posix) {
                    out.println();
                }
                PosixView.tables(out, p.queues(), p.whyNoQueues(), p.shm(), p.sems());
            }
        }
        return objects.isEmpty() && p.isEmpty() ? ExitCode.NOTHING : ExitCode.OK;
    }

    private void limits(PrintWriter out) throws Exception {
        SysvUsage u = SysvObjects.usage();
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("queues", u.queues());
        usage.put("messages", u.messages());
        usage.put("message_bytes", u.messageBytes());
        usage.put("semaphore_sets", u.semaphoreSets());
        usage.put("semaphores", u.semaphores());
        usage.put("segments", u.segments());
        usage.put("segment_pages", u.segmentPages());
        usage.put("resident_pages", u.residentPages());
        usage.put("swapped_pages", u.swappedPages());
        Map<String, Object> lim = new LinkedHashMap<>();
        for (Limit l : Limit.values()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("value", l.exactValue());
            one.put("source", l.source());
            lim.put(l.cName(), one);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("limits", lim);
            m.put("usage", usage);
            out.println(Json.write(m));
            return;
        }
        out.println("Limits");
        int w = 0;
        for (Limit l : Limit.values()) {
            w = Math.max(w, l.exactValue().toString().length());
        }
        for (Limit l : Limit.values()) {
            out.printf("  %-14s %" + w + "s  %s%n", l.cName(), l.exactValue(), l.source());
        }
        out.println();
        out.println("Usage");
        out.printf(
                "  message queues  %d (%d messages, %d bytes)%n",
                u.queues(), u.messages(), u.messageBytes());
        out.printf("  semaphore sets  %d (%d semaphores)%n", u.semaphoreSets(), u.semaphores());
        out.printf(
                "  segments        %d (%d pages, %d resident, %d swapped)%n",
                u.segments(), u.segmentPages(), u.residentPages(), u.swappedPages());
    }
}
