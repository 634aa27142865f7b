package io.jipc.cli;

import io.jipc.IpcKey;
import io.jipc.sysv.SysvKind;
import io.jipc.sysv.SysvObject;
import io.jipc.sysv.SysvObjects;
import java.io.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jipc watch [KIND] [--key K | --id N] [--interval 1s] [--count N] [--plain]}: follows queue
 * depth, semaphore values and attach counts. On a terminal it redraws the screen like {@code top};
 * otherwise (or with {@code --plain}) it prints one line per tick. Ctrl-C ends it (exit 130).
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Refresh queue depth, semaphore values and attach counts every interval:",
            "a full-screen table on a terminal, one line per tick in a pipe (or with",
            "--plain). Ctrl-C quits."},
        footer = {"", "Exit codes: 0 done (--count reached, or the watched object was removed),",
            "3 nothing matches at the start, 130 interrupted (Ctrl-C)."})
final class WatchCommand implements Callable<Integer> {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "KIND", converter = SysvView.Kind.class,
            description = "msg, sem or shm (default: all three).")
    SysvKind kind;

    @Option(names = "--key", paramLabel = "KEY", converter = Converters.Key.class,
            description = "Only the objects with this key.")
    IpcKey key;

    @Option(names = "--id", paramLabel = "ID", description = "Only the objects with this id.")
    Integer id;

    @Option(names = "--owner", paramLabel = "USER", description = "Only objects owned by this user (name or uid).")
    String owner;

    @Option(names = "--interval", paramLabel = "TIME", defaultValue = "1s", converter = Interval.class,
            description = "Time between refreshes: 500ms, 2s, 1m, or seconds (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N refreshes (default: until Ctrl-C).")
    Long count;

    @Option(names = "--plain", description = "One line per tick even on a terminal.")
    boolean plain;

    @Override
    public Integer call() throws Exception {
        if (count != null && count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "count=" + count + " (at least 1)");
        }
        PrintWriter out = spec.commandLine().getOut();
        Console console = System.console();
        boolean screen = !plain && console != null && console.isTerminal();
        boolean selective = key != null || id != null;
        for (long tick = 0; count == null || tick < count; tick++) {
            if (tick > 0) {
                Thread.sleep(interval);
            }
            List<SysvObject> objects = SysvView.select(SysvObjects.list(SysvView.kinds(kind)), kind, key, id, owner);
            String clock = LocalTime.now().format(CLOCK);
            if (selective && objects.isEmpty()) {
                if (tick == 0) {
                    spec.commandLine().getErr().println(spec.qualifiedName() + ": nothing matches "
                            + (kind == null ? "" : kind.shortName() + " ") + (key != null ? "key " + key : "id " + id));
                    return Main.NOTHING;
                }
                out.println(clock + " gone: " + (key != null ? "key " + key : "id " + id) + " was removed");
                return Main.OK;
            }
            if (screen) {
                // Home, then overwrite each line and clear its rest, then clear below: no flicker.
                StringWriter page = new StringWriter();
                PrintWriter p = new PrintWriter(page);
                p.println("jipc watch  every " + text(interval) + "  " + clock + "  (Ctrl-C to quit)");
                p.println();
                SysvView.tables(p, objects, SysvView.kinds(kind));
                p.flush();
                out.print(tick == 0 ? "\033[H\033[2J" : "\033[H");
                page.toString().lines().forEach(l -> out.print(l + "\033[K\n"));
                out.print("\033[J");
            } else {
                out.println(clock + " " + (objects.isEmpty() ? "(no objects)" : objects.stream()
                        .map(o -> SysvView.name(o) + " " + SysvView.counters(o)
                                + (o.orphan() ? " orphan" : ""))
                        .collect(Collectors.joining(" | "))));
            }
            out.flush();
        }
        return Main.OK;
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, or a number of seconds (fractions allowed). */
    static final class Interval implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration d;
                if (value.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
                } else if (value.endsWith("m")) {
                    d = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
                } else {
                    String s = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
                    d = Duration.ofNanos(Math.round(Double.parseDouble(s) * 1e9));
                }
                if (d.toMillis() < 10) {
                    throw new CommandLine.TypeConversionException("interval " + value + " is too short (at least 10ms)");
                }
                return d;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an interval (e.g. 500ms, 2s, 1m)");
            }
        }
    }
}
