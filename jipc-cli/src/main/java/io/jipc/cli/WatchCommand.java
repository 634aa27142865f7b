package io.jipc.cli;

import io.jipc.sysv.SysvObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code jipc watch [KIND] [--key K | --id N] [--owner U] [--interval 1s] [--count N] [--plain]}:
 * follows queue depth, semaphore values and attach counts. On a terminal it redraws the screen like
 * {@code top}; otherwise (or with {@code --plain}) it prints one line per tick. Ctrl-C ends it
 * (exit 130); so does the reader of a pipe going away (exit 141, at once, not at the next tick).
 */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Refresh queue depth, semaphore values and attach counts every interval: a full-screen "
                    + "table on a terminal, one line per tick in a pipe (or with --plain). Ctrl-C quits; so does "
                    + "the reader of the pipe going away (jipc watch | head -1 ends at once)."
        },
        footer = {
            "",
            "Exit codes: 0 done (--count reached, or the watched object was removed), 2 usage, "
                    + "3 nothing matches at the start, 130 interrupted (Ctrl-C), 141 the reader of standard output went away."
        })
final class WatchCommand extends Subcommand {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Mixin SysvFilter filter;

    @Mixin WatchOptions watch;

    @Override
    ExitCode execute() throws Exception {
        filter.validate(spec);
        watch.validate(this);
        Output out = out();
        boolean screen = watch.screen(out);
        for (long tick = 0; watch.more(tick); tick++) {
            if (tick > 0 && out.awaitReaderGone(watch.interval)) {
                return ExitCode.BROKEN_PIPE;
            }
            List<SysvObject> objects = filter.list();
            String clock = LocalTime.now().format(CLOCK);
            if (filter.selective() && objects.isEmpty()) {
                if (tick == 0) {
                    return nothing("nothing matches " + filter.describe());
                }
                out.println(clock + " gone: " + filter.describe() + " was removed");
                return ExitCode.OK;
            }
            if (screen) {
                StringWriter page = new StringWriter();
                PrintWriter p = new PrintWriter(page);
                p.println(
                        "jipc watch  every " + watch.every() + "  " + clock + "  (Ctrl-C to quit)");
                p.println();
                SysvView.tables(p, objects, filter.kinds());
                p.flush();
                WatchOptions.redraw(out, tick, page.toString());
            } else {
                out.println(
                        clock
                                + " "
                                + (objects.isEmpty()
                                        ? "(no objects)"
                                        : objects.stream()
                                                .map(
                                                        o ->
                                                                SysvView.name(o)
                                                                        + " "
                                                                        + SysvView.counters(o)
                                                                        + (o.orphan()
                                                                                ? " orphan"
                                                                                : ""))
                                                .collect(Collectors.joining(" | "))));
            }
            out.check();
        }
        return ExitCode.OK;
    }
}
