package io.jipc.cli;

import io.jipc.IpcKey;
import io.jipc.NotFoundException;
import io.jipc.sysv.SysvKind;
import io.jipc.sysv.SysvObject;
import io.jipc.sysv.SysvObjects;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jipc rm (--id N [--kind K] | --key K [--kind K] | --orphans) [--dry-run | --yes]}: removes
 * exactly the objects named (like {@code ipcrm}) and says what it removed.
 */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Remove System V objects (IPC_RMID) by id, by key, or every orphan, and",
            "report each one. --orphans only lists them unless --yes is given. An object",
            "that vanished meanwhile is reported, not treated as a failure."},
        footer = {"", "Exit codes: 0 removed (or listed), 1 a removal failed, 2 usage, 3 nothing matched."})
final class RmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    /** What to remove. */
    static final class What {
        @Option(names = "--id", paramLabel = "ID", description = "The object with this id.")
        Integer id;

        @Option(names = "--key", paramLabel = "KEY", converter = Converters.Key.class,
                description = "The objects with this key (one per kind at most).")
        IpcKey key;

        @Option(names = "--orphans", description = "Every orphan: all recorded pids dead, nothing attached.")
        boolean orphans;
    }

    @Option(names = "--kind", paramLabel = "KIND", converter = SysvView.Kind.class,
            description = "msg, sem or shm: only objects of this kind.")
    SysvKind kind;

    @ArgGroup(exclusive = true)
    Mode mode;

    /** Whether to act. */
    static final class Mode {
        @Option(names = "--dry-run", description = "Only list what would be removed.")
        boolean dryRun;

        @Option(names = "--yes", description = "Act (needed with --orphans).")
        boolean yes;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (what.id != null && what.id < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "id=" + what.id + " (identifiers are not negative)");
        }
        if (what.key != null && what.key.isPrivate()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--key 0 is IPC_PRIVATE, which many objects share; name one by --id");
        }
        List<SysvObject> targets = SysvObjects.list(SysvView.kinds(kind)).stream()
                .filter(o -> what.id == null || o.id() == what.id)
                .filter(o -> what.key == null || o.key().equals(what.key))
                .filter(o -> !what.orphans || o.orphan())
                .toList();
        if (what.id != null && targets.size() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "id " + what.id + " names a "
                    + String.join(" and a ", targets.stream().map(o -> o.kind().shortName()).toList())
                    + "; say which with --kind");
        }
        if (targets.isEmpty()) {
            err.println(spec.qualifiedName() + ": nothing matches " + describe());
            return Main.NOTHING;
        }
        boolean act = mode == null ? !what.orphans : mode.yes;
        if (!act) {
            for (SysvObject o : targets) {
                out.println("would remove " + SysvView.name(o) + " (owner " + SysvView.user(o.permissions().uid())
                        + (o.orphan() ? ", orphan" : "") + ")");
            }
            if (what.orphans && (mode == null || !mode.dryRun)) {
                out.println(targets.size() + " orphan(s); run again with --yes to remove them");
            }
            return Main.OK;
        }
        int removed = 0;
        boolean failed = false;
        for (SysvObject o : targets) {
            try {
                SysvObjects.remove(o.kind(), o.id());
                out.println("removed " + SysvView.name(o));
                removed++;
            } catch (NotFoundException e) {
                out.println("already gone " + SysvView.name(o));
            } catch (Exception e) {
                err.println(spec.qualifiedName() + ": " + SysvView.name(o) + ": " + Failures.describe(e));
                failed = true;
            }
        }
        return failed ? Main.FAILED : removed == 0 ? Main.NOTHING : Main.OK;
    }

    private String describe() {
        String k = kind == null ? "" : kind.shortName() + " ";
        if (what.id != null) {
            return k + "id " + what.id;
        }
        if (what.key != null) {
            return k + "key " + what.key;
        }
        return (kind == null ? "" : kind.shortName() + " ") + "orphans";
    }
}
