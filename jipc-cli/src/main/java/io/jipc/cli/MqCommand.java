package io.jipc.cli;

import io.jipc.Limit;
import io.jipc.struct.CStruct;
import io.jipc.struct.Packing;
import io.jipc.struct.StructParseException;
import io.jipc.sysv.IpcPermissions;
import io.jipc.sysv.Message;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.MessageQueueStatus;
import io.jipc.sysv.Oversize;
import io.jipc.sysv.Select;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code jipc mq}: System V message queues from the shell (msgget(2), msgop(2), msgctl(2)), the
 * tool {@code ipcs}/{@code ipcrm} never had for sending and receiving messages.
 */
@Command(
        name = "mq",
        mixinStandardHelpOptions = true,
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
final class MqCommand extends Subcommand {
    @Override
    ExitCode execute() {
        throw usage("a subcommand is required (create, send, recv, peek, stat, rm)");
    }

    static MessageQueue queue(ObjectSelector sel) throws IOException {
        return sel.open(MessageQueue::open, MessageQueue::ofId);
    }

    /**
     * Parses {@code --struct}: a C member list laid out as gcc lays out the members that follow
     * {@code long mtype} (native alignment and byte order; on x86_64 no member needs more alignment
     * than the long, so the body starts the struct).
     */
    static CStruct struct(Subcommand cmd, String decl, RecvOptions.Format format) {
        if (decl == null) {
            return null;
        }
        if (format != RecvOptions.Format.json && format != RecvOptions.Format.text) {
            throw cmd.usage("--struct decodes bodies for --format json or text, not " + format);
        }
        try {
            return CStruct.parse(decl, Packing.NATIVE, ByteOrder.nativeOrder());
        } catch (StructParseException e) {
            throw cmd.usage("--struct: " + e.getMessage());
        }
    }

    /**
     * Prints one message in a format, decoding the body with {@code struct} when given; a body too
     * short for the struct is printed undecoded (hexadecimal) with a warning.
     *
     * @return false if the body did not fit {@code struct} (it was printed undecoded)
     */
    static boolean print(Subcommand cmd, Message m, RecvOptions.Format format, CStruct struct)
            throws IOException {
        return print(cmd, "type", m.type(), m.body(), format, struct);
    }

    /**
     * Prints one message whose {@code label} (its System V type, or its POSIX priority) is {@code
     * tag}; see {@link #print(Subcommand, Message, RecvOptions.Format, CStruct)}.
     */
    static boolean print(
            Subcommand cmd,
            String label,
            long tag,
            byte[] body,
            RecvOptions.Format format,
            CStruct struct)
            throws IOException {
        Output out = cmd.out();
        boolean fits = struct == null || body.length >= struct.size();
        int rest = struct == null || !fits ? 0 : body.length - (int) struct.size();
        if (!fits) {
            cmd.warn(
                    "message of "
                            + label
                            + " "
                            + tag
                            + " has "
                            + body.length
                            + " bytes, fewer than the "
                            + struct.size()
                            + " of --struct \""
                            + struct.declaration()
                            + "\"; printed undecoded, in hexadecimal");
        } else if (rest > 0) {
            cmd.warn(
                    "message of "
                            + label
                            + " "
                            + tag
                            + " has "
                            + body.length
                            + " bytes, "
                            + rest
                            + " more than the "
                            + struct.size()
                            + " of --struct \""
                            + struct.declaration()
                            + "\"; "
                            + (format == RecvOptions.Format.json
                                    ? "every byte is in \"hex\""
                                    : "the rest is printed in hexadecimal after the fields"));
        }
        switch (format) {
            case hex -> out.println(tag + " " + HexFormat.of().formatHex(body));
            case text -> {
                if (!fits) {
                    out.println(tag + " " + HexFormat.of().formatHex(body));
                } else if (struct != null) {
                    List<String> pairs = new ArrayList<>();
                    struct.decode(body).forEach((k, v) -> pairs.add(k + "=" + Json.write(v)));
                    if (rest > 0) {
                        pairs.add(
                                "(+"
                                        + rest
                                        + " bytes: "
                                        + HexFormat.of()
                                                .formatHex(body, body.length - rest, body.length)
                                        + ")");
                    }
                    out.println(tag + "\t" + String.join(" ", pairs));
                } else {
                    out.print(
                            tag + "\t" + text(cmd, label + " " + tag, body, "--format hex or raw"));
                }
            }
            case raw -> {
                if (out.terminal() && !Text.isText(body)) {
                    cmd.warn(
                            "not writing the "
                                    + body.length
                                    + " binary bytes of the message of "
                                    + label
                                    + " "
                                    + tag
                                    + " to a terminal: printed escaped (\\xNN); redirect the output for the bytes");
                    out.println(Text.escape(body, 0, body.length));
                } else {
                    out.bytes(body);
                }
            }
            case json -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put(label, tag);
                o.put("size", body.length);
                o.put("hex", HexFormat.of().formatHex(body));
                if (struct != null && fits) {
                    o.put("fields", struct.decode(body));
                } else if (struct == null) {
                    utf8(body).ifPresent(t -> o.put("text", t));
                }
                out.println(Json.write(o));
            }
            default -> throw new IllegalStateException(format.toString());
        }
        out.check();
        return fits;
    }

    /**
     * A body as a line of text: as it is if it is text (a newline added if it has none), else
     * escaped, with a warning naming the formats that show the bytes.
     */
    static String text(Subcommand cmd, Message m, String alternatives) {
        return text(cmd, "type " + m.type(), m.body(), alternatives);
    }

    /**
     * {@link #text(Subcommand, Message, String)} for a message named {@code what} ("type 5",
     * "priority 3").
     */
    static String text(Subcommand cmd, String what, byte[] body, String alternatives) {
        if (Text.isText(body)) {
            String s = new String(body, StandardCharsets.UTF_8);
            return s.endsWith("\n") ? s : s + "\n";
        }
        cmd.warn(
                "the body of the message of "
                        + what
                        + " ("
                        + body.length
                        + " bytes) is not UTF-8 text; printed with \\xNN escapes (use "
                        + alternatives
                        + " for the bytes)");
        return Text.escape(body, 0, body.length) + "\n";
    }

    private static Optional<String> utf8(byte[] body) {
        try {
            return Optional.of(
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(body))
                            .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** {@code jipc mq create}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create the queue for a key (or open it if it exists) and print its msqid.",
                "--key 0 (IPC_PRIVATE) always creates a new queue."
            })
    static final class Create extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Mixin ModeOption mode;

        @Option(
                names = "--exclusive",
                description = "Fail if a queue with this key exists (IPC_EXCL).")
        boolean exclusive;

        @Override
        ExitCode execute() throws Exception {
            var key = sel.keyToCreate(spec);
            MessageQueue q =
                    key.isPrivate()
                            ? MessageQueue.createPrivate(mode.bits())
                            : exclusive
                                    ? MessageQueue.createExclusive(key, mode.bits())
                                    : MessageQueue.create(key, mode.bits());
            out().println(q.id());
            return ExitCode.OK;
        }
    }

    /** {@code jipc mq send}. */
    @Command(
            name = "send",
            mixinStandardHelpOptions = true,
            description = {
                "Send one message: exactly the bytes of --text, --hex, --file or standard input "
                        + "(read when none of them is given); no newline is added or removed.",
                "A body longer than msgmax is refused before anything is sent; no more than msgmax + 1 bytes "
                        + "of a file or standard input are read."
            })
    static final class Send extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(
                names = "--type",
                required = true,
                paramLabel = "T",
                description = "The message type, > 0.")
        long type;

        @ArgGroup(exclusive = true)
        BodyOptions body;

        @Option(
                names = "--nowait",
                description = "Exit 3 instead of waiting when the queue is full (IPC_NOWAIT).")
        boolean nowait;

        @Override
        ExitCode execute() throws Exception {
            if (type <= 0) {
                throw usage("--type must be > 0 (got " + type + ")");
            }
            long max = Limit.MSGMAX.value();
            byte[] bytes =
                    BodyOptions.read(
                            body,
                            io().in(),
                            max,
                            "msgmax = " + max + " bytes (" + Limit.MSGMAX.source() + ")",
                            spec);
            MessageQueue q = queue(sel);
            if (nowait) {
                return q.trySend(type, bytes)
                        ? ExitCode.OK
                        : nothing("the queue is full (msgsnd would block)");
            }
            q.send(type, bytes);
            return ExitCode.OK;
        }
    }

    /** {@code jipc mq recv}. */
    @Command(
            name = "recv",
            mixinStandardHelpOptions = true,
            description = {
                "Receive messages and print them (--format text, hex, raw or json).",
                "text prints TYPE<TAB>body, and a body that is not UTF-8 text with \\xNN escapes (saying so on stderr). "
                        + "hex prints TYPE HEX (lower case, no spaces). raw writes only the bodies (escaped, never "
                        + "binary, on a terminal). json prints one object per line: type, size, hex, and text when the "
                        + "body is UTF-8.",
                "--type T takes type T (T > 0), the lowest type <= |T| (T < 0) or any (0); with --except, any "
                        + "type but T.",
                "No message is taken that cannot be delivered: before each receive, recv checks that standard "
                        + "output can still be read, and stops (exit 141) when its reader is gone, also while waiting. "
                        + "If a write fails after a message was taken, recv stops at once and names the lost message's "
                        + "type and size (exit 1).",
                "With --nowait, exits 3 when the queue runs out before COUNT messages (those received are "
                        + "printed); with --timeout, when no message came in time."
            })
    static final class Recv extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(
                names = "--type",
                paramLabel = "T",
                defaultValue = "0",
                description = "msgtyp as C passes it (default 0: any).")
        long type;

        @Option(names = "--except", description = "Any type but T (MSG_EXCEPT; needs T > 0).")
        boolean except;

        @Option(
                names = "--noerror",
                description = "Truncate a body longer than --max (MSG_NOERROR) instead of failing.")
        boolean noerror;

        @Option(
                names = "--max",
                paramLabel = "BYTES",
                description = "The longest body accepted (default: msgmax).")
        Integer max;

        @Mixin RecvOptions recv;

        @Option(
                names = "--struct",
                paramLabel = "DECL",
                description =
                        "Decode each body as these C members, e.g. \"char name[32]; int math; int chinese;\" "
                                + "(laid out as after a long mtype; json: a fields object; text: name=value pairs). A body "
                                + "shorter than the struct is printed undecoded in hexadecimal with a warning, and recv "
                                + "stops there with exit 1; the bytes of a longer body after the struct follow the fields "
                                + "in hexadecimal, \"(+N bytes: HEX)\", with a warning (json: the whole body is in \"hex\").")
        String structDecl;

        @Override
        ExitCode execute() throws Exception {
            recv.validate(this);
            CStruct struct = struct(this, structDecl, recv.format);
            if (except && type <= 0) {
                throw usage("--except needs --type T with T > 0");
            }
            if (max != null && max < 0) {
                throw usage("--max must be >= 0 (got " + max + ")");
            }
            int maxBytes =
                    max != null ? max : (int) Math.min(Limit.MSGMAX.value(), Integer.MAX_VALUE - 8);
            Select select = new Select(type, except);
            Oversize oversize = noerror ? Oversize.TRUNCATE : Oversize.FAIL;
            MessageQueue q = queue(sel);
            return recv.loop(
                    this,
                    wait ->
                            wait
                                    ? q.receive(select, maxBytes, oversize)
                                    : q.tryReceive(select, maxBytes, oversize).orElse(null),
                    m -> print(this, m, recv.format, struct),
                    m ->
                            "the message of type "
                                    + m.type()
                                    + " ("
                                    + m.body().length
                                    + " bytes) was taken off the queue",
                    false);
        }
    }

    /** {@code jipc mq peek}. */
    @Command(
            name = "peek",
            mixinStandardHelpOptions = true,
            description =
                    "Print the message at INDEX (0 = oldest) without removing it (MSG_COPY); exit 3 if there is none.")
    static final class Peek extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(
                names = "--index",
                required = true,
                paramLabel = "N",
                description = "The message's position, from 0.")
        long index;

        @Option(
                names = "--format",
                paramLabel = "FMT",
                defaultValue = "text",
                description = "text, hex, raw or json (default ${DEFAULT-VALUE}).")
        RecvOptions.Format format;

        @Option(
                names = "--struct",
                paramLabel = "DECL",
                description = "Decode the body as these C members (see recv).")
        String structDecl;

        @Override
        ExitCode execute() throws Exception {
            CStruct struct = struct(this, structDecl, format);
            if (index < 0) {
                throw usage("--index must be >= 0 (got " + index + ")");
            }
            Optional<Message> m = queue(sel).peek(index);
            if (m.isEmpty()) {
                return nothing("no message at index " + index);
            }
            return print(this, m.get(), format, struct) ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    /** {@code jipc mq stat}. */
    @Command(
            name = "stat",
            mixinStandardHelpOptions = true,
            description =
                    "Show the queue's msqid_ds: key, owner, mode, messages, bytes, pids and times.")
    static final class Stat extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Override
        ExitCode execute() throws Exception {
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
            Output out = out();
            if (json) {
                out.println(Json.write(o));
            } else {
                o.forEach((k, v) -> out.printf("%-17s %s%n", k, v == null ? "never" : v));
            }
            return ExitCode.OK;
        }

        private static String time(Instant t) {
            return t.equals(Instant.EPOCH) ? null : t.toString();
        }
    }

    /** {@code jipc mq rm}. */
    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description =
                    "Remove the queue and its messages (IPC_RMID); blocked receivers and senders fail.")
    static final class Rm extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Override
        ExitCode execute() throws Exception {
            queue(sel).remove();
            return ExitCode.OK;
        }
    }
}
