package io.jipc.cli;

import io.jipc.IpcException;
import io.jipc.Limit;
import io.jipc.sysv.IpcPermissions;
import io.jipc.struct.CStruct;
import io.jipc.struct.Packing;
import io.jipc.struct.StructParseException;
import io.jipc.sysv.Message;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.MessageQueueStatus;
import io.jipc.sysv.Oversize;
import io.jipc.sysv.Select;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jipc mq}: System V message queues from the shell (msgget(2), msgop(2), msgctl(2)), the
 * tool {@code ipcs}/{@code ipcrm} never had for sending and receiving messages.
 */
@Command(name = "mq", mixinStandardHelpOptions = true,
        description = "System V message queues: create, send, receive, peek, show, remove.",
        subcommands = {
            MqCommand.Create.class,
            MqCommand.Send.class,
            MqCommand.Recv.class,
            MqCommand.Peek.class,
            MqCommand.Stat.class,
            MqCommand.Rm.class,
        },
        footer = {"", "Name the queue with --key K, --id N or --path P --proj C (ftok)."})
final class MqCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (create, send, recv, peek, stat, rm)");
    }

    /** Where {@code --format raw} writes bodies: bytes, not characters (replaced by tests). */
    static OutputStream rawOut = System.out;

    static MessageQueue queue(ObjectSelector sel) throws IOException {
        return switch (sel.resolve()) {
            case ObjectSelector.ByKey k -> MessageQueue.open(k.key());
            case ObjectSelector.ById i -> MessageQueue.ofId(i.id());
        };
    }

    /** An octal mode such as {@code 0600} or {@code 640} (always octal, as chmod reads it). */
    static final class Mode implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int m = Integer.parseInt(value, 8);
                if (m >= 0 && m <= 0777) {
                    return m;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a mode (octal permission bits 0..0777, e.g. 0600)");
        }
    }

    /** The output formats of {@code recv} and {@code peek}. */
    enum Format { text, hex, raw, json }

    /**
     * Parses {@code --struct}: a C member list laid out as gcc lays out the members that follow
     * {@code long mtype} (native alignment and byte order; on x86_64 no member needs more
     * alignment than the long, so the body starts the struct).
     */
    static CStruct struct(CommandSpec spec, String decl, Format format) {
        if (decl == null) {
            return null;
        }
        if (format != Format.json && format != Format.text) {
            throw new ParameterException(spec.commandLine(), "--struct decodes bodies for --format json or text, not " + format);
        }
        try {
            return CStruct.parse(decl, Packing.NATIVE, ByteOrder.nativeOrder());
        } catch (StructParseException e) {
            throw new ParameterException(spec.commandLine(), "--struct: " + e.getMessage());
        }
    }

    /** The body decoded into the struct's fields, or a failure that names both sizes. */
    private static Map<String, Object> fields(CStruct struct, Message m) {
        if (m.body().length < struct.size()) {
            throw new IllegalArgumentException("message of type " + m.type() + " has " + m.body().length
                    + " bytes, fewer than the " + struct.size() + " of --struct \"" + struct.declaration() + "\"");
        }
        return struct.decode(m.body());
    }

    /** Prints one message in a format. */
    static void print(CommandSpec spec, Message m, Format format) throws IOException {
        print(spec, m, format, null);
    }

    /** Prints one message in a format, decoding the body with {@code struct} when given. */
    static void print(CommandSpec spec, Message m, Format format, CStruct struct) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        byte[] body = m.body();
        switch (format) {
            case hex -> out.println(m.type() + " " + HexFormat.of().formatHex(body));
            case text -> {
                if (struct != null) {
                    List<String> pairs = new ArrayList<>();
                    fields(struct, m).forEach((k, v) -> pairs.add(k + "=" + Json.write(v)));
                    out.println(m.type() + "\t" + String.join(" ", pairs));
                    break;
                }
                String s = new String(body, StandardCharsets.UTF_8);
                out.print(m.type() + "\t" + s);
                if (!s.endsWith("\n")) {
                    out.println();
                }
            }
            case raw -> {
                out.flush();
                rawOut.write(body);
                rawOut.flush();
            }
            case json -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("type", m.type());
                o.put("size", body.length);
                o.put("hex", HexFormat.of().formatHex(body));
                if (struct != null) {
                    o.put("fields", fields(struct, m));
                } else {
                    utf8(body).ifPresent(t -> o.put("text", t));
                }
                out.println(Json.write(o));
            }
            default -> throw new IllegalStateException(format.toString());
        }
        out.flush();
    }

    private static Optional<String> utf8(byte[] body) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static int nothing(CommandSpec spec, String why) {
        spec.commandLine().getErr().println("jipc mq " + spec.name() + ": " + why);
        spec.commandLine().getErr().flush();
        return Main.NOTHING;
    }

    /** {@code jipc mq create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create the queue for a key (or open it if it exists) and print its msqid.",
                "--key 0 (IPC_PRIVATE) always creates a new queue."})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(names = "--mode", paramLabel = "MODE", converter = Mode.class, defaultValue = "0600",
                description = "Permission bits in octal (default ${DEFAULT-VALUE}).")
        int mode;

        @Option(names = "--exclusive", description = "Fail if a queue with this key exists (IPC_EXCL).")
        boolean exclusive;

        @Override
        public Integer call() throws Exception {
            if (!(sel.resolve() instanceof ObjectSelector.ByKey k)) {
                throw new ParameterException(spec.commandLine(), "create needs --key or --path/--proj, not --id");
            }
            MessageQueue q = k.key().isPrivate() ? MessageQueue.createPrivate(mode)
                    : exclusive ? MessageQueue.createExclusive(k.key(), mode) : MessageQueue.create(k.key(), mode);
            spec.commandLine().getOut().println(q.id());
            return Main.OK;
        }
    }

    /** {@code jipc mq send}. */
    @Command(name = "send", mixinStandardHelpOptions = true,
            description = {"Send one message: exactly the bytes of --text, --hex, --file or standard input.",
                "Standard input is read when none of them is given; no newline is added or removed."})
    static final class Send implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(names = "--type", required = true, paramLabel = "T", description = "The message type, > 0.")
        long type;

        @ArgGroup(exclusive = true)
        Body body;

        /** Where the body comes from. */
        static final class Body {
            @Option(names = "--text", paramLabel = "S", description = "The body as UTF-8 text.")
            String text;

            @Option(names = "--hex", paramLabel = "HEX", description = "The body in hexadecimal (e.g. 68690a).")
            String hex;

            @Option(names = "--file", paramLabel = "F", description = "The body is this file's content.")
            Path file;
        }

        @Option(names = "--nowait", description = "Exit 3 instead of waiting when the queue is full (IPC_NOWAIT).")
        boolean nowait;

        @Override
        public Integer call() throws Exception {
            if (type <= 0) {
                throw new ParameterException(spec.commandLine(), "--type must be > 0 (got " + type + ")");
            }
            byte[] bytes;
            if (body == null) {
                bytes = System.in.readAllBytes();
            } else if (body.text != null) {
                bytes = body.text.getBytes(StandardCharsets.UTF_8);
            } else if (body.hex != null) {
                try {
                    bytes = HexFormat.of().parseHex(body.hex.replaceAll("\\s", ""));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--hex '" + body.hex
                            + "' is not hexadecimal bytes (two digits per byte, e.g. 68690a)");
                }
            } else {
                bytes = Files.readAllBytes(body.file);
            }
            MessageQueue q = queue(sel);
            if (nowait) {
                return q.trySend(type, bytes) ? Main.OK : nothing(spec, "the queue is full (msgsnd would block)");
            }
            q.send(type, bytes);
            return Main.OK;
        }
    }

    /** {@code jipc mq recv}. */
    @Command(name = "recv", mixinStandardHelpOptions = true,
            description = {"Receive messages and print them (--format text, hex, raw or json).",
                "text prints TYPE<TAB>body, hex prints TYPE HEX (lower case, no spaces),",
                "raw writes only the bodies, json one object per line (type, size, hex, and text when",
                "the body is UTF-8). --type T takes type T (T > 0), the lowest type <= |T| (T < 0) or",
                "any (0); with --except, any type but T. With --nowait, exits 3 when the queue runs out",
                "before COUNT messages (those received are printed)."})
    static final class Recv implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(names = "--type", paramLabel = "T", defaultValue = "0", description = "msgtyp as C passes it (default 0: any).")
        long type;

        @Option(names = "--except", description = "Any type but T (MSG_EXCEPT; needs T > 0).")
        boolean except;

        @Option(names = "--noerror", description = "Truncate a body longer than --max (MSG_NOERROR) instead of failing.")
        boolean noerror;

        @Option(names = "--max", paramLabel = "BYTES", description = "The longest body accepted (default: msgmax).")
        Integer max;

        @Option(names = "--nowait", description = "Do not wait for a message (IPC_NOWAIT); exit 3 if there is none.")
        boolean nowait;

        @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Receive N messages (default 1).")
        int count;

        @Option(names = "--format", paramLabel = "FMT", defaultValue = "text",
                description = "text, hex, raw or json (default ${DEFAULT-VALUE}).")
        Format format;

        @Option(names = "--struct", paramLabel = "DECL",
                description = "Decode each body as these C members, e.g. \"char name[32]; int math; int chinese;\" "
                        + "(laid out as after a long mtype; json: a fields object; text: name=value pairs).")
        String structDecl;

        @Override
        public Integer call() throws Exception {
            CStruct struct = struct(spec, structDecl, format);
            if (except && type <= 0) {
                throw new ParameterException(spec.commandLine(), "--except needs --type T with T > 0");
            }
            if (count < 1) {
                throw new ParameterException(spec.commandLine(), "--count must be >= 1 (got " + count + ")");
            }
            if (max != null && max < 0) {
                throw new ParameterException(spec.commandLine(), "--max must be >= 0 (got " + max + ")");
            }
            int maxBytes = max != null ? max : (int) Math.min(Limit.MSGMAX.value(), Integer.MAX_VALUE - 8);
            Select select = new Select(type, except);
            Oversize oversize = noerror ? Oversize.TRUNCATE : Oversize.FAIL;
            MessageQueue q = queue(sel);
            for (int i = 0; i < count; i++) {
                Message m;
                if (nowait) {
                    Optional<Message> o = q.tryReceive(select, maxBytes, oversize);
                    if (o.isEmpty()) {
                        return nothing(spec, i == 0 ? "no message" : "no more messages after " + i);
                    }
                    m = o.get();
                } else {
                    m = q.receive(select, maxBytes, oversize);
                }
                print(spec, m, format, struct);
            }
            return Main.OK;
        }
    }

    /** {@code jipc mq peek}. */
    @Command(name = "peek", mixinStandardHelpOptions = true,
            description = "Print the message at INDEX (0 = oldest) without removing it (MSG_COPY); exit 3 if there is none.")
    static final class Peek implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(names = "--index", required = true, paramLabel = "N", description = "The message's position, from 0.")
        long index;

        @Option(names = "--format", paramLabel = "FMT", defaultValue = "text",
                description = "text, hex, raw or json (default ${DEFAULT-VALUE}).")
        Format format;

        @Option(names = "--struct", paramLabel = "DECL", description = "Decode the body as these C members (see recv).")
        String structDecl;

        @Override
        public Integer call() throws Exception {
            CStruct struct = struct(spec, structDecl, format);
            if (index < 0) {
                throw new ParameterException(spec.commandLine(), "--index must be >= 0 (got " + index + ")");
            }
            Optional<Message> m = queue(sel).peek(index);
            if (m.isEmpty()) {
                return nothing(spec, "no message at index " + index);
            }
            print(spec, m.get(), format, struct);
            return Main.OK;
        }
    }

    /** {@code jipc mq stat}. */
    @Command(name = "stat", mixinStandardHelpOptions = true,
            description = "Show the queue's msqid_ds: key, owner, mode, messages, bytes, pids and times.")
    static final class Stat implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            MessageQueueStatus s = queue(sel).status();
            IpcPermissions p = s.permissions();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("msqid", s.id());
            o.put("key", p.key().toString());
            o.put("mode", p.modeOctal());
            o.put("uid", p.uid());
            o.put("gid", p.gid());
            o.put("cuid", p.cuid());
            o.put("cgid", p.cgid());
            o.put("messages", s.messages());
            o.put("bytes", s.bytes());
            o.put("max_bytes", s.maxBytes());
            o.put("last_send_pid", s.lastSendPid());
            o.put("last_receive_pid", s.lastReceivePid());
            o.put("last_send", time(s.lastSend()));
            o.put("last_receive", time(s.lastReceive()));
            o.put("last_change", time(s.lastChange()));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(o));
            } else {
                o.forEach((k, v) -> out.printf("%-17s %s%n", k, v == null ? "never" : v));
            }
            return Main.OK;
        }

        private static String time(Instant t) {
            return t.equals(Instant.EPOCH) ? null : t.toString();
        }
    }

    /** {@code jipc mq rm}. */
    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Remove the queue and its messages (IPC_RMID); blocked receivers and senders fail.")
    static final class Rm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Override
        public Integer call() throws IpcException, IOException {
            queue(sel).remove();
            return Main.OK;
        }
    }
}
