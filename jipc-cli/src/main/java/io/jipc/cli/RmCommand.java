package io.jipc.cli;

import io.jipc.NotFoundException;
import io.jipc.sysv.ListedQueue;
import io.jipc.sysv.ListedSemaphoreSet;
import io.jipc.sysv.SysvKind;
import io.jipc.sysv.SysvObject;
import io.jipc.sysv.SysvObjects;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jipc rm [KIND] (--id N | --key K | --orphans [--with-data] [--keyed]) [--owner U]
 * [--dry-run | --yes]}: removes exactly the objects named (like {@code ipcrm}) and says what it
 * removed; {@code --orphans} removes only what nobody can want any more, by a stated rule.
 */
@Command(
        name = "rm",
        mixinStandardHelpOptions = true,
        description = {
            "Remove System V objects (IPC_RMID) by id or by key, or the orphans, and report each one. "
                    + "An object that vanished meanwhile is reported, not treated as a failure.",
            "--orphans only lists them unless --yes is given. An orphan is an object whose recorded processes "
                    + "are all dead (and, for a segment, with nothing attached). The kernel cannot tell whether "
                    + "anybody still wants it, so --orphans never removes, without a flag saying you know:",
            "  - an object that holds data: a queue with messages, a semaphore set with a non-zero value (a count or "
                    + "a lock state someone may rely on), any segment (--with-data);",
            "  - an object with a key (not IPC_PRIVATE), which a program may open again by that key (--keyed).",
            "Such orphans are listed as kept, with the flag that would include them."
        },
        footer = {
            "",
            "Exit codes: 0 removed (or listed), 1 a removal failed, 2 usage, 3 nothing matched, or no "
                    + "orphan the rule lets go (with or without --yes)."
        })
final class RmCommand extends Subcommand {
    @Mixin SysvFilter filter;

    @Option(names = "--orphans", description = "The orphans, by the rule above.")
    boolean orphans;

    @Option(
            names = "--with-data",
            description =
                    "With --orphans: also queues holding messages, semaphore sets "
                            + "with a non-zero value, and segments.")
    boolean withData;

    @Option(
            names = "--keyed",
            description = "With --orphans: also objects with a key, which may be opened again.")
    boolean keyed;

    @ArgGroup(exclusive = true)
    Act act;

    /** Whether to act. */
    static final class Act {
        @Option(names = "--dry-run", description = "Only list what would be removed.")
        boolean dryRun;

        @Option(names = "--yes", description = "Act (needed with --orphans).")
        boolean yes;
    }

    /**
     * Why the orphan rule keeps an orphan, or null if it may be removed.
     *
     * @param o an orphan
     * @param withData whether data may go
     * @param keyed whether keyed objects may go
     * @return the reason and the flag that would include it, or null
     */
    static String kept(SysvObject o, boolean withData, boolean keyed) {
        List<String> why = new ArrayList<>();
        if (!withData && o instanceof ListedQueue q && q.status().messages() > 0) {
            why.add("holds " + q.status().messages() + " message(s); --with-data");
        }
        if (!withData
                && o instanceof ListedSemaphoreSet s
                && s.values().stream().anyMatch(v -> v != 0)) {
            why.add("holds non-zero semaphore values " + s.values() + "; --with-data");
        }
        if (!withData && o.kind() == SysvKind.SHM) {
            why.add("a segment holds data; --with-data");
        }
        if (!keyed && !o.key().isPrivate()) {
            why.add("key " + o.key() + " may be opened again; --keyed");
        }
        return why.isEmpty() ? null : String.join("; ", why);
    }

    @Override
    ExitCode execute() throws Exception {
        filter.validate(spec);
        PrintWriter out = out();
        PrintWriter err = err();
        if (filter.id == null && filter.key == null && !orphans) {
            throw usage("name what to remove: --id N, --key K or --orphans");
        }
        if (orphans && filter.selective()) {
            throw usage(
                    "--orphans removes every orphan; to remove one object, give --id or --key without it");
        }
        if ((withData || keyed) && !orphans) {
            throw usage(
                    "--with-data and --keyed widen --orphans; --id and --key name objects already");
        }
        if (filter.key != null && filter.key.isPrivate()) {
            throw usage("--key 0 is IPC_PRIVATE, which many objects share; name one by --id");
        }
        List<SysvObject> targets =
                filter.list().stream().filter(o -> !orphans || o.orphan()).toList();
        if (filter.id != null && targets.size() > 1) {
            throw usage(
                    "id "
                            + filter.id
                            + " names a "
                            + String.join(
                                    " and a ",
                                    targets.stream().map(o -> o.kind().shortName()).toList())
                            + "; say which with KIND (msg, sem or shm)");
        }
        if (targets.isEmpty()) {
            return nothing(
                    "nothing matches "
                            + (orphans
                                    ? "orphans"
                                            + (filter.kind() == null
                                                    ? ""
                                                    : " of kind " + filter.kind().shortName())
                                    : filter.describe()));
        }
        List<SysvObject> removable = new ArrayList<>();
        for (SysvObject o : targets) {
            String why = orphans ? kept(o, withData, keyed) : null;
            if (why == null) {
                removable.add(o);
            } else {
                out.println("kept " + SysvView.name(o) + " (orphan, but " + why + ")");
            }
        }
        if (removable.isEmpty()) {
            // Listed or removed alike: the orphans found are all kept (and said so above).
            return nothing("no orphan may be removed by the rule (see --help)");
        }
        boolean doIt = act == null ? !orphans : act.yes;
        if (!doIt) {
            for (SysvObject o : removable) {
                out.println(
                        "would remove "
                                + SysvView.name(o)
                                + " (owner "
                                + SysvView.user(o.permissions().uid())
                                + (o.orphan() ? ", orphan" : "")
                                + ")");
            }
            if (orphans && act == null) {
                out.println(
                        removable.size()
                                + " orphan(s) to remove; run again with --yes to remove them");
            }
            return ExitCode.OK;
        }
        int removed = 0;
        boolean failed = false;
        for (SysvObject o : removable) {
            try {
                SysvObjects.remove(o.kind(), o.id());
                out.println("removed " + SysvView.name(o));
                removed++;
            } catch (NotFoundException e) {
                out.println("already gone " + SysvView.name(o));
            } catch (Exception e) {
                err.println(name() + ": " + SysvView.name(o) + ": " + Failures.describe(e));
                failed = true;
            }
        }
        return failed ? ExitCode.FAILED : removed == 0 ? ExitCode.NOTHING : ExitCode.OK;
    }
}
