package io.jipc.cli;

import io.jipc.channel.Channel;
import io.jipc.channel.ChannelKind;
import io.jipc.channel.ChannelReader;
import io.jipc.channel.ChannelStatus;
import io.jipc.channel.ChannelWriter;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jipc channel}: jipc's shared-memory message channels from the shell (io.jipc.channel,
 * docs/channel-format.md), in the vocabulary of {@code jipc mq}: create, send, recv, stat, watch,
 * rm. NAME is a file name under /dev/shm, as {@code jipc_channel_open(name)} in C takes it (a NAME
 * with a '/' is a path).
 */
@Command(
        name = "channel",
        mixinStandardHelpOptions = true,
        description =
                "Shared-memory message channels (Java and C): create, send, receive, show, watch, remove.",
        subcommands = {
            ChannelCommand.Create.class,
            ChannelCommand.Send.class,
            ChannelCommand.Recv.class,
            ChannelCommand.Stat.class,
            ChannelCommand.Watch.class,
            ChannelCommand.Rm.class,
        },
        footer = {
            "",
            "NAME is a file name under /dev/shm (the same name C's jipc_channel_open takes); a NAME with a "
                    + "'/' is a path."
        })
final class ChannelCommand extends Subcommand {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Override
    ExitCode execute() {
        throw usage("a subcommand is required (create, send, recv, stat, watch, rm)");
    }

    /** The channel's file: /dev/shm/NAME, or NAME itself if it has a '/'. */
    static Path path(String name) {
        return name.indexOf('/') >= 0 ? Path.of(name) : Channel.path(name);
    }

    /** The kinds, as the options spell them. */
    enum Kind {
        spsc(ChannelKind.SPSC),
        mpsc(ChannelKind.MPSC);

        final ChannelKind kind;

        Kind(ChannelKind kind) {
            this.kind = kind;
        }
    }

    /** {@code jipc channel create}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create the channel /dev/shm/NAME, or open it if it exists (then it keeps its own kind "
                        + "and capacity).",
                "The longest message is a quarter of the capacity less 16 bytes."
            })
    static final class Create extends Subcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The channel's name.")
        String name;

        @Option(
                names = "--capacity",
                paramLabel = "BYTES",
                converter = Converters.Size.class,
                defaultValue = "1m",
                description =
                        "The ring's size: a power of two from 1k to 1g (default: ${DEFAULT-VALUE}).")
        long capacity;

        @Option(
                names = "--kind",
                paramLabel = "KIND",
                defaultValue = "spsc",
                description =
                        "spsc (one writer at a time) or mpsc (many writers) (default: ${DEFAULT-VALUE}).")
        Kind kind;

        @Mixin ModeOption mode;

        @Option(names = "--exclusive", description = "Fail if the file exists.")
        boolean exclusive;

        @Override
        ExitCode execute() throws Exception {
            if (capacity < 1024 || capacity > 1L << 30 || Long.bitCount(capacity) != 1) {
                throw usage(
                        "--capacity must be a power of two from 1k to 1g (got " + capacity + ")");
            }
            Path p = path(name);
            try (Channel ch =
                    exclusive
                            ? Channel.createExclusive(p, mode.bits(), capacity, kind.kind)
                            : Channel.create(p, mode.bits(), capacity, kind.kind)) {
                if (ch.kind() != kind.kind || ch.capacity() != capacity) {
                    warn(
                            p
                                    + " exists: kept as it is ("
                                    + ch.kind()
                                    + ", capacity "
                                    + ch.capacity()
                                    + ")");
                }
            }
            return ExitCode.OK;
        }
    }

    /** {@code jipc channel send}. */
    @Command(
            name = "send",
            mixinStandardHelpOptions = true,
            description = {
                "Send one message: exactly the bytes of --text, --hex, --file or standard input (read "
                        + "when none of them is given); no newline is added or removed.",
                "A message has 1 to max-message bytes (see stat); a longer one is refused before anything is sent. "
                        + "Waits for room unless --nowait (exit 3 when full) or --timeout (exit 3 when it runs out). "
                        + "An SPSC channel takes one writer at a time: exit 1 while another lives."
            })
    static final class Send extends Subcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The channel's name.")
        String name;

        @ArgGroup(exclusive = true)
        BodyOptions body;

        @Mixin SendOptions wait;

        @Override
        ExitCode execute() throws Exception {
            wait.validate(this);
            try (Channel ch = Channel.open(path(name))) {
                byte[] bytes =
                        BodyOptions.read(
                                body,
                                io().in(),
                                ch.maxMessage(),
                                "the longest message of this channel, "
                                        + ch.maxMessage()
                                        + " bytes",
                                spec);
                if (bytes.length == 0) {
                    throw usage(
                            "the message is empty (a channel message has 1 to "
                                    + ch.maxMessage()
                                    + " bytes)");
                }
                try (ChannelWriter w = ch.writer()) {
                    return wait.send(
                            this,
                            "the channel is full",
                            () -> w.offer(ByteBuffer.wrap(bytes)),
                            t -> w.send(ByteBuffer.wrap(bytes), t),
                            () -> w.send(ByteBuffer.wrap(bytes)));
                }
            }
        }
    }

    /** {@code jipc channel recv}. */
    @Command(
            name = "recv",
            mixinStandardHelpOptions = true,
            description = {
                "Receive messages and print them (--format text, hex, raw or json).",
                "text prints each message as a line (a message that is not UTF-8 text with \\xNN escapes, saying so "
                        + "on stderr). hex prints one message per line in lower-case hexadecimal without spaces. raw "
                        + "writes only the bytes (escaped, never binary, on a terminal). json prints one object per "
                        + "line: size, hex, and text when the message is UTF-8.",
                "recv takes the channel's one reader role for its run (exit 1 while another live process reads). "
                        + "Before each message it checks that standard output can still be read, and stops (exit 141) "
                        + "when its reader is gone, also while waiting, so that no message is taken that cannot be "
                        + "delivered.",
                "With --nowait, exits 3 when the channel runs out before COUNT messages (those received are "
                        + "printed); with --timeout, when no message came in time."
            })
    static final class Recv extends Subcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The channel's name.")
        String name;

        @Mixin RecvOptions recv;

        @Override
        ExitCode execute() throws Exception {
            recv.validate(this);
            try (Channel ch = Channel.open(path(name));
                    ChannelReader r = ch.reader()) {
                ByteBuffer buf = ByteBuffer.allocate(ch.maxMessage());
                return recv.loop(
                        this,
                        wait -> {
                            buf.clear();
                            int n =
                                    !wait
                                            ? r.tryReceive(buf)
                                            : recv.timeout != null
                                                    ? r.receive(buf, recv.timeout)
                                                    : r.receive(buf);
                            return n < 0 ? null : Arrays.copyOf(buf.array(), n);
                        },
                        this::print,
                        m -> "a message of " + m.length + " bytes was taken off the channel",
                        true);
            }
        }

        private boolean print(byte[] m) throws IOException {
            Output out = out();
            switch (recv.format) {
                case hex -> out.println(HexFormat.of().formatHex(m));
                case text -> {
                    if (Text.isText(m)) {
                        String s = new String(m, StandardCharsets.UTF_8);
                        out.print(s.endsWith("\n") ? s : s + "\n");
                    } else {
                        warn(
                                "a message of "
                                        + m.length
                                        + " bytes is not UTF-8 text; printed with \\xNN escapes "
                                        + "(use --format hex or raw for the bytes)");
                        out.println(Text.escape(m, 0, m.length));
                    }
                }
                case raw -> {
                    if (out.terminal() && !Text.isText(m)) {
                        warn(
                                "not writing the "
                                        + m.length
                                        + " binary bytes of a message to a terminal: printed "
                                        + "escaped (\\xNN); redirect the output for the bytes");
                        out.println(Text.escape(m, 0, m.length));
                    } else {
                        out.bytes(m);
                    }
                }
                case json -> {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("size", m.length);
                    o.put("hex", HexFormat.of().formatHex(m));
                    if (Text.isText(m)) {
                        o.put("text", new String(m, StandardCharsets.UTF_8));
                    }
                    out.println(Json.write(o));
                }
                default -> throw new IllegalStateException(recv.format.toString());
            }
            out.check();
            return true;
        }
    }

    /** The fields of {@code stat --json}, in order. */
    static Map<String, Object> fields(Channel ch, ChannelStatus s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", ch.name());
        o.put("kind", s.kind().toString().toLowerCase(java.util.Locale.ROOT));
        o.put("capacity", s.capacity());
        o.put("max_message", s.maxMessage());
        o.put("head", s.head());
        o.put("tail", s.tail());
        o.put("used", s.used());
        o.put("messages", s.messages());
        o.put("reader_pid", s.reader() == 0 ? null : s.reader());
        o.put("reader_alive", s.reader() != 0 && s.readerAlive());
        o.put("reader_waiting", s.readerWaiting());
        o.put("writers_waiting", s.writersWaiting());
        o.put("abandoned", s.abandoned());
        List<Map<String, Object>> ws = new ArrayList<>();
        for (ChannelStatus.Writer w : s.writers()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("slot", w.slot());
            e.put("pid", w.pid());
            e.put("alive", w.alive());
            ws.add(e);
        }
        o.put("writers", ws);
        return o;
    }

    /** {@code jipc channel stat}. */
    @Command(
            name = "stat",
            mixinStandardHelpOptions = true,
            description = {
                "Show the channel: kind, capacity, max message, head and tail positions, bytes used, "
                        + "messages waiting (the lag), whether the reader or writers sleep, the reader and the "
                        + "writers with their pids and liveness, and the claims of dead writers skipped so far.",
                "--json prints one object: name, kind, capacity, max_message, head, tail, used, messages, reader_pid "
                        + "(null if none), reader_alive, reader_waiting, writers_waiting, abandoned, writers (slot, "
                        + "pid, alive)."
            })
    static final class Stat extends Subcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The channel's name.")
        String name;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Override
        ExitCode execute() throws Exception {
            try (Channel ch = Channel.open(path(name))) {
                Map<String, Object> o = fields(ch, ch.status());
                Output out = out();
                if (json) {
                    out.println(Json.write(o));
                    return ExitCode.OK;
                }
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> writers = (List<Map<String, Object>>) o.remove("writers");
                o.forEach((k, v) -> out.printf("%-16s %s%n", k, v == null ? "none" : v));
                out.printf("%-16s %s%n", "writers", writers.isEmpty() ? "none" : "");
                for (Map<String, Object> w : writers) {
                    out.printf(
                            "  slot %-4s pid %-8s %s%n",
                            w.get("slot"),
                            w.get("pid"),
                            (boolean) w.get("alive") ? "alive" : "dead");
                }
                return ExitCode.OK;
            }
        }
    }

    /** {@code jipc channel watch}. */
    @Command(
            name = "watch",
            mixinStandardHelpOptions = true,
            description = {
                "Refresh the channel's figures every interval: bytes used, messages waiting, bytes in and "
                        + "out per second, the reader and the writers. A full screen on a terminal, one line per tick in "
                        + "a pipe (or with --plain). Ctrl-C quits; so does the reader of the pipe going away."
            },
            footer = {
                "",
                "Exit codes: 0 done (--count reached, or the channel was removed), 1 no such channel, "
                        + "2 usage, 130 interrupted (Ctrl-C), 141 the reader of standard output went away."
            })
    static final class Watch extends Subcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The channel's name.")
        String name;

        @Mixin WatchOptions watch;

        @Override
        ExitCode execute() throws Exception {
            watch.validate(this);
            Path p = path(name);
            Output out = out();
            boolean screen = watch.screen(out);
            try (Channel ch = Channel.open(p)) {
                ChannelStatus last = null;
                long lastAt = 0;
                for (long tick = 0; watch.more(tick); tick++) {
                    if (tick > 0 && out.awaitReaderGone(watch.interval)) {
                        return ExitCode.BROKEN_PIPE;
                    }
                    String clock = LocalTime.now().format(CLOCK);
                    if (!Files.exists(p)) {
                        out.println(clock + " gone: " + p + " was removed");
                        return ExitCode.OK;
                    }
                    ChannelStatus s = ch.status();
                    long now = System.nanoTime();
                    double secs = last == null ? 0 : (now - lastAt) / 1e9;
                    String in = last == null ? "-" : rate((s.tail() - last.tail()) / secs);
                    String outRate = last == null ? "-" : rate((s.head() - last.head()) / secs);
                    last = s;
                    lastAt = now;
                    long dead = s.writers().stream().filter(w -> !w.alive()).count();
                    String reader =
                            s.reader() == 0
                                    ? "none"
                                    : s.reader()
                                            + (s.readerAlive() ? "" : " (dead)")
                                            + (s.readerWaiting() ? " sleeping" : "");
                    if (screen) {
                        StringWriter page = new StringWriter();
                        PrintWriter pw = new PrintWriter(page);
                        pw.println(
                                "jipc channel watch "
                                        + p
                                        + "  every "
                                        + watch.every()
                                        + "  "
                                        + clock
                                        + "  (Ctrl-C to quit)");
                        pw.println();
                        pw.printf(
                                "%-10s %s, capacity %d, max message %d%n",
                                "channel", s.kind(), s.capacity(), s.maxMessage());
                        pw.printf(
                                "%-10s %d bytes (%.1f%%), %d messages waiting%n",
                                "used", s.used(), 100.0 * s.used() / s.capacity(), s.messages());
                        pw.printf("%-10s head %d, tail %d%n", "positions", s.head(), s.tail());
                        pw.printf("%-10s in %s, out %s%n", "rate", in, outRate);
                        pw.printf("%-10s %s%n", "reader", reader);
                        pw.printf(
                                "%-10s %d (%d dead)%s%n",
                                "writers",
                                s.writers().size(),
                                dead,
                                s.writersWaiting() ? ", waiting for room" : "");
                        for (ChannelStatus.Writer w : s.writers()) {
                            pw.printf(
                                    "  slot %-4d pid %-8d %s%n",
                                    w.slot(), w.pid(), w.alive() ? "alive" : "dead");
                        }
                        pw.printf(
                                "%-10s %d claims of dead writers skipped%n",
                                "abandoned", s.abandoned());
                        pw.flush();
                        WatchOptions.redraw(out, tick, page.toString());
                    } else {
                        out.println(
                                clock
                                        + " used "
                                        + s.used()
                                        + "/"
                                        + s.capacity()
                                        + " messages "
                                        + s.messages()
                                        + " in "
                                        + in
                                        + " out "
                                        + outRate
                                        + " reader "
                                        + reader
                                        + " writers "
                                        + s.writers().size()
                                        + (dead > 0 ? " (" + dead + " dead)" : "")
                                        + (s.writersWaiting() ? " waiting" : "")
                                        + " abandoned "
                                        + s.abandoned());
                    }
                    out.check();
                }
            }
            return ExitCode.OK;
        }

        private static String rate(double bytesPerSecond) {
            if (bytesPerSecond >= 1 << 20) {
                return String.format(
                        java.util.Locale.ROOT, "%.1f MiB/s", bytesPerSecond / (1 << 20));
            }
            if (bytesPerSecond >= 1 << 10) {
                return String.format(
                        java.util.Locale.ROOT, "%.1f KiB/s", bytesPerSecond / (1 << 10));
            }
            return String.format(java.util.Locale.ROOT, "%.0f B/s", bytesPerSecond);
        }
    }

    /** {@code jipc channel rm}. */
    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = {
                "Remove the channel's file (processes that have it open keep it until they close it). "
                        + "A file that is not a channel is left alone (exit 1)."
            })
    static final class Rm extends Subcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The channel's name.")
        String name;

        @Override
        ExitCode execute() throws Exception {
            try (Channel ch = Channel.open(path(name))) {
                ch.remove();
            }
            return ExitCode.OK;
        }
    }
}
