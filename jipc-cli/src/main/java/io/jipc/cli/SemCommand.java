package io.jipc.cli;

import io.jipc.IpcKey;
import io.jipc.sysv.IpcPermissions;
import io.jipc.sysv.SemOp;
import io.jipc.sysv.SemaphoreSet;
import io.jipc.sysv.SemaphoreSetStatus;
import io.jipc.sysv.SemaphoreState;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code jipc sem}: System V semaphore sets from the shell (create, get, set, op, stat, rm), what
 * {@code ipcmk -S}, {@code ipcs -s -i} and {@code ipcrm -s} do, plus {@code semop}, which no shell
 * tool does.
 */
@Command(
        name = "sem",
        mixinStandardHelpOptions = true,
        description = "System V semaphore sets: create, get, set, op (one atomic semop), stat, rm.",
        subcommands = {
            SemCommand.Create.class,
            SemCommand.Get.class,
            SemCommand.Set.class,
            SemCommand.Op.class,
            SemCommand.Stat.class,
            SemCommand.Rm.class,
        })
final class SemCommand extends Subcommand {
    @Override
    ExitCode execute() {
        throw usage("a subcommand is required (create, get, set, op, stat, rm)");
    }

    static SemaphoreSet open(ObjectSelector sel) throws IOException {
        return sel.open(SemaphoreSet::open, SemaphoreSet::ofId);
    }

    /** Refuses a negative semaphore value given with {@code option} (exit 2, naming the option). */
    static void checkValues(Subcommand cmd, String option, int... values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                throw cmd.usage(
                        option
                                + " must be >= 0 (got "
                                + values[i]
                                + (values.length > 1 ? " for semaphore " + i : "")
                                + ")");
            }
        }
    }

    /** Refuses an index the set does not have (exit 2, naming the option). */
    static void checkIndex(Subcommand cmd, String option, int index, SemaphoreSet s) {
        if (index < 0 || index >= s.size()) {
            throw cmd.usage(
                    option
                            + " "
                            + index
                            + ", but semid "
                            + s.id()
                            + " has "
                            + s.size()
                            + " semaphore(s) (0.."
                            + (s.size() - 1)
                            + ")");
        }
    }

    /** {@code jipc sem create}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create a semaphore set (or open it if the key has one, unless --exclusive) and print its semid.",
                "The initial values are set exactly once, race-free: an opener that loses the race waits until the "
                        + "creator has set them (the sem_otime recipe). --key 0 (IPC_PRIVATE) always creates a new set."
            })
    static final class Create extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(
                names = "--nsems",
                required = true,
                paramLabel = "N",
                description = "Number of semaphores.")
        int nsems;

        @Option(
                names = "--values",
                paramLabel = "V0,V1,...",
                split = ",",
                description = "Initial values, one per semaphore (default: all 0).")
        int[] values = new int[0];

        @Mixin ModeOption mode;

        @Option(
                names = "--exclusive",
                description = "Fail if the key already has a set (IPC_EXCL).")
        boolean exclusive;

        @Override
        ExitCode execute() throws Exception {
            IpcKey key = sel.keyToCreate(spec);
            if (nsems < 1) {
                throw usage("--nsems must be >= 1 (got " + nsems + ")");
            }
            if (values.length != 0 && values.length != nsems) {
                throw usage(
                        "--values has "
                                + values.length
                                + " value(s) for --nsems "
                                + nsems
                                + " (give one per semaphore, or none for zeros)");
            }
            checkValues(this, "--values", values);
            SemaphoreSet s =
                    key.isPrivate()
                            ? SemaphoreSet.createPrivate(mode.bits(), nsems, values)
                            : exclusive
                                    ? SemaphoreSet.createExclusive(key, mode.bits(), nsems, values)
                                    : SemaphoreSet.create(key, mode.bits(), nsems, values);
            out().println(s.id());
            return ExitCode.OK;
        }
    }

    /** {@code jipc sem get}. */
    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description =
                    "Print every value, space-separated (GETALL), or one with --index (GETVAL).")
    static final class Get extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(
                names = "--index",
                paramLabel = "I",
                description = "Print only this semaphore's value.")
        Integer index;

        @Override
        ExitCode execute() throws Exception {
            SemaphoreSet s = open(sel);
            PrintWriter out = out();
            if (index != null) {
                checkIndex(this, "--index", index, s);
                out.println(s.get(index));
            } else {
                out.println(
                        java.util.Arrays.stream(s.getAll())
                                .mapToObj(Integer::toString)
                                .collect(Collectors.joining(" ")));
            }
            return ExitCode.OK;
        }
    }

    /** {@code jipc sem set}. */
    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = {
                "Set one value (--index I --value V, SETVAL) or all of them (--values, SETALL).",
                "Waiters this satisfies wake up. The kernel clears every process's SEM_UNDO adjustment "
                        + "of the semaphores set."
            })
    static final class Set extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @ArgGroup(exclusive = true, multiplicity = "1")
        What what;

        /** Either one value or all. */
        static final class What {
            @ArgGroup(exclusive = false)
            One one;

            @Option(
                    names = "--values",
                    paramLabel = "V0,V1,...",
                    split = ",",
                    required = true,
                    description = "Every value, one per semaphore.")
            int[] values;
        }

        /** {@code --index I --value V}. */
        static final class One {
            @Option(
                    names = "--index",
                    paramLabel = "I",
                    required = true,
                    description = "The semaphore.")
            int index;

            @Option(
                    names = "--value",
                    paramLabel = "V",
                    required = true,
                    description = "Its new value.")
            int value;
        }

        @Override
        ExitCode execute() throws Exception {
            checkValues(
                    this,
                    what.one != null ? "--value" : "--values",
                    what.one != null ? new int[] {what.one.value} : what.values);
            SemaphoreSet s = open(sel);
            if (what.one != null) {
                checkIndex(this, "--index", what.one.index, s);
                s.set(what.one.index, what.one.value);
            } else {
                if (what.values.length != s.size()) {
                    throw usage(
                            "--values has "
                                    + what.values.length
                                    + " value(s), but semid "
                                    + s.id()
                                    + " has "
                                    + s.size()
                                    + " semaphore(s)");
                }
                s.setAll(what.values);
            }
            return ExitCode.OK;
        }
    }

    /** {@code jipc sem op}. */
    @Command(
            name = "op",
            mixinStandardHelpOptions = true,
            description = {
                "Apply operations as one atomic semop: all of them, or none while waiting.",
                "OPS is INDEX:DELTA,...: -N waits until the value is >= N and takes N, +N adds N, 0 waits for zero.",
                "Exit 3 if --nowait and it would block, or if --timeout ran out (nothing was done then).",
                "Note: --undo (SEM_UNDO) is undone by the kernel as soon as this jipc process exits, i.e. "
                        + "right after the command: it is for testing, not for holding a lock from the shell."
            })
    static final class Op extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(
                names = "--ops",
                required = true,
                paramLabel = "OPS",
                converter = Ops.class,
                description = "Operations, e.g. \"0:-1,1:+1,2:0\".")
        List<SemOp> ops;

        @Option(
                names = "--undo",
                description = "SEM_UNDO on every operation (undone when jipc exits).")
        boolean undo;

        @Option(names = "--nowait", description = "IPC_NOWAIT: exit 3 instead of waiting.")
        boolean nowait;

        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                converter = Converters.Duration.class,
                description =
                        "Wait at most this long (semtimedop; "
                                + Converters.Duration.GRAMMAR
                                + "); exit 3 when it runs out.")
        Duration timeout;

        @Override
        ExitCode execute() throws Exception {
            SemaphoreSet s = open(sel);
            for (SemOp o : ops) {
                checkIndex(this, "--ops index", o.index(), s);
            }
            SemOp[] all = ops.stream().map(o -> undo ? o.undo() : o).toArray(SemOp[]::new);
            boolean done = nowait ? s.tryOp(all) : timeout != null ? s.op(timeout, all) : s.op(all);
            if (!done) {
                return nothing(
                        (nowait
                                        ? "would block"
                                        : "timed out after " + Converters.Duration.text(timeout))
                                + "; nothing was done");
            }
            return ExitCode.OK;
        }
    }

    /** {@code jipc sem stat}. */
    @Command(
            name = "stat",
            mixinStandardHelpOptions = true,
            description = {
                "Show the set's status (IPC_STAT) and, per semaphore, its value, the number of "
                        + "waiters for an increase (ncnt) and for zero (zcnt), and the last pid.",
                "JSON fields: semid, key, owner_uid, owner_gid, creator_uid, creator_gid, mode (octal text), "
                        + "nsems, otime, ctime (ISO-8601 or null), semaphores: [{index, value, ncnt, zcnt, pid}]."
            })
    static final class Stat extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        ExitCode execute() throws Exception {
            SemaphoreSet s = open(sel);
            SemaphoreSetStatus st = s.status();
            List<SemaphoreState> sems = s.states();
            IpcPermissions p = st.permissions();
            PrintWriter out = out();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("semid", st.id());
                m.put("key", p.key().toString());
                m.put("owner_uid", p.uid());
                m.put("owner_gid", p.gid());
                m.put("creator_uid", p.cuid());
                m.put("creator_gid", p.cgid());
                m.put("mode", p.modeOctal());
                m.put("nsems", st.size());
                m.put("otime", st.initialised() ? st.lastOperation().toString() : null);
                m.put("ctime", st.lastChange().toString());
                List<Object> list = new ArrayList<>();
                for (SemaphoreState x : sems) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("index", x.index());
                    one.put("value", x.value());
                    one.put("ncnt", x.waitingForIncrease());
                    one.put("zcnt", x.waitingForZero());
                    one.put("pid", x.lastPid());
                    list.add(one);
                }
                m.put("semaphores", list);
                out.println(Json.write(m));
                return ExitCode.OK;
            }
            out.printf(
                    "semid %d  key %s  mode %s  owner %d:%d  creator %d:%d  nsems %d%n",
                    st.id(),
                    p.key(),
                    p.modeOctal(),
                    p.uid(),
                    p.gid(),
                    p.cuid(),
                    p.cgid(),
                    st.size());
            out.printf(
                    "otime %s  ctime %s%n",
                    st.initialised() ? st.lastOperation().toString() : "never", st.lastChange());
            out.printf("%6s %6s %6s %6s %8s%n", "index", "value", "ncnt", "zcnt", "pid");
            for (SemaphoreState x : sems) {
                out.printf(
                        "%6d %6d %6d %6d %8d%n",
                        x.index(),
                        x.value(),
                        x.waitingForIncrease(),
                        x.waitingForZero(),
                        x.lastPid());
            }
            return ExitCode.OK;
        }
    }

    /** {@code jipc sem rm}. */
    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description =
                    "Remove the set (IPC_RMID); every waiter in every process wakes with an 'identifier removed' error.")
    static final class Rm extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Override
        ExitCode execute() throws Exception {
            open(sel).remove();
            return ExitCode.OK;
        }
    }

    /** {@code INDEX:DELTA,...}, e.g. {@code 0:-1,1:+1,2:0}. */
    static final class Ops implements CommandLine.ITypeConverter<List<SemOp>> {
        private static final Pattern ONE = Pattern.compile("\\s*(\\d+)\\s*:\\s*([+-]?\\d+)\\s*");

        @Override
        public List<SemOp> convert(String value) {
            List<SemOp> list = new ArrayList<>();
            for (String part : value.split(",", -1)) {
                Matcher m = ONE.matcher(part);
                if (!m.matches()) {
                    throw new TypeConversionException(
                            Converters.quoted(part)
                                    + " is not an operation (INDEX:DELTA, e.g. 0:-1, 1:+1, 2:0)");
                }
                long index = bounded(m.group(1));
                long delta = bounded(m.group(2));
                if (index > 65535) {
                    throw new TypeConversionException(
                            Converters.quoted(part)
                                    + ": INDEX "
                                    + m.group(1)
                                    + " is not a semaphore number (0..65535, sem_num is an unsigned short)");
                }
                if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                    throw new TypeConversionException(
                            Converters.quoted(part)
                                    + ": DELTA "
                                    + m.group(2)
                                    + " is outside -32768..32767 (sem_op is a C short; no semaphore exceeds semvmx = 32767)");
                }
                list.add(SemOp.of((int) index, (int) delta));
            }
            return list;
        }

        /** A signed decimal number; any with more than 9 digits (after leading zeros) as +-10^9. */
        private static long bounded(String number) {
            boolean negative = number.startsWith("-");
            String digits = number.replaceFirst("^[+-]", "").replaceFirst("^0+(?=\\d)", "");
            long v = digits.length() > 9 ? 1_000_000_000L : Long.parseLong(digits);
            return negative ? -v : v;
        }
    }
}
