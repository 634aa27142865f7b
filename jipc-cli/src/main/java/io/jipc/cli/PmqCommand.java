package io.jipc.cli;

import io.jipc.posix.Access;
import io.jipc.posix.PosixMessageQueue;
import io.jipc.posix.PosixMessageQueueInfo;
import io.jipc.posix.PosixMessageQueueStatus;
import io.jipc.struct.CStruct;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Optional;

/**
 * {@code jipc pmq}: POSIX message queues from the shell (mq_open(3), mq_send(3), mq_receive(3),
 * mq_getattr(3), mq_unlink(3)), in the vocabulary of {@code jipc mq}.
 */
@Command(
        name = "pmq",
        mixinStandardHelpOptions = true,
        description = "POSIX message queues (mq_overview(7)): create, send, receive, show, remove.",
        subcommands = {
            PmqCommand.Create.class,
            PmqCommand.Send.class,
            PmqCommand.Recv.class,
            PmqCommand.Stat.class,
            PmqCommand.Rm.class,
        },
        footer = {
            "",
            "NAME is /name: one leading slash, then 1 to 255 bytes without another slash.",
            "Queues live in the IPC namespace until removed (pmq rm) and closed by every process; "
                    + "jipc ls lists them where the mqueue file system is mounted."
        })
final class PmqCommand extends Subcommand {
    @Override
    ExitCode execute() {
        throw usage("a subcommand is required (create, send, recv, stat, rm)");
    }

    /**
     * {@code jipc pmq create NAME [-m MODE] [--max-messages N] [--message-size BYTES]
     * [--exclusive]}.
     */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create the queue (or open it if it exists: its attributes then stay as they are).",
                "Without --max-messages or --message-size the system's defaults apply (/proc/sys/fs/mqueue/"
                        + "msg_default and msgsize_default); above msg_max or msgsize_max the creation fails and "
                        + "names the limit. The mode is applied exactly (the umask does not narrow it)."
            })
    static final class Create extends Subcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The queue's name, e.g. /jobs.")
        String name;

        @Mixin ModeOption mode;

        @Option(
                names = "--max-messages",
                paramLabel = "N",
                description = "mq_maxmsg: the most messages it holds.")
        Integer maxMessages;

        @Option(
                names = "--message-size",
                paramLabel = "BYTES",
                converter = Converters.Size.class,
                description = "mq_msgsize: the largest message body.")
        Long messageSize;

        @Option(
                names = "--exclusive",
                description = "Fail if a queue with this name exists (O_EXCL).")
        boolean exclusive;

        @Override
        ExitCode execute() throws Exception {
            if (maxMessages != null && maxMessages < 1) {
                throw usage("--max-messages must be >= 1 (got " + maxMessages + ")");
            }
            if (messageSize != null && (messageSize < 1 || messageSize > Integer.MAX_VALUE)) {
                throw usage(
                        "--message-size must be 1.."
                                + Integer.MAX_VALUE
                                + " (got "
                                + messageSize
                                + ")");
            }
            PosixMessageQueue q;
            if (maxMessages == null && messageSize == null) {
                q =
                        exclusive
                                ? PosixMessageQueue.createExclusive(name, mode.bits())
                                : PosixMessageQueue.create(name, mode.bits());
            } else {
                PosixMessageQueueInfo info = PosixMessageQueue.info();
                int n = maxMessages != null ? maxMessages : (int) info.defaultMessages();
                int size =
                        messageSize != null
                                ? messageSize.intValue()
                                : (int) info.defaultMessageSize();
                q =
                        exclusive
                                ? PosixMessageQueue.createExclusive(name, mode.bits(), n, size)
                                : PosixMessageQueue.create(name, mode.bits(), n, size);
            }
            q.close();
            return ExitCode.OK;
        }
    }

    /**
     * {@code jipc pmq send NAME [--priority P] (--text S | --hex HEX | --file F | stdin) [--nowait]
     * [--timeout D]}.
     */
    @Command(
            name = "send",
            mixinStandardHelpOptions = true,
            description = {
                "Send one message: exactly the bytes of --text, --hex, --file or standard input "
                        + "(read when none of them is given); no newline is added or removed.",
                "A body longer than the queue's message size (mq_msgsize) is refused before anything is sent; no "
                        + "more than that size + 1 bytes of a file or standard input are read."
            })
    static final class Send extends Subcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The queue's name, e.g. /jobs.")
        String name;

        @Option(
                names = "--priority",
                paramLabel = "P",
                defaultValue = "0",
                description =
                        "0 to 32767 (below MQ_PRIO_MAX); higher is received first (default 0).")
        int priority;

        @ArgGroup(exclusive = true)
        BodyOptions body;

        @Mixin SendOptions wait;

        @Override
        ExitCode execute() throws Exception {
            if (priority < 0 || priority > PosixMessageQueue.MAX_PRIORITY) {
                throw usage(
                        "--priority must be 0.."
                                + PosixMessageQueue.MAX_PRIORITY
                                + " (below MQ_PRIO_MAX; got "
                                + priority
                                + ")");
            }
            wait.validate(this);
            try (PosixMessageQueue q = PosixMessageQueue.open(name, Access.WRITE_ONLY)) {
                byte[] bytes =
                        BodyOptions.read(
                                body,
                                io().in(),
                                q.messageSize(),
                                "the message size of "
                                        + name
                                        + " (mq_msgsize = "
                                        + q.messageSize()
                                        + " bytes)",
                                spec);
                return wait.send(
                        this,
                        "the queue is full (mq_send would block)",
                        () -> q.trySend(priority, bytes),
                        t -> q.send(priority, bytes, t),
                        () -> q.send(priority, bytes));
            }
        }
    }

    /**
     * {@code jipc pmq recv NAME [--nowait] [--timeout D] [--count N] [--format F] [--struct DECL]}.
     */
    @Command(
            name = "recv",
            mixinStandardHelpOptions = true,
            description = {
                "Receive messages, highest priority first, and print them (--format text, hex, raw or json).",
                "text prints PRIORITY<TAB>body, and a body that is not UTF-8 text with \\xNN escapes (saying so on "
                        + "stderr). hex prints PRIORITY HEX (lower case, no spaces). raw writes only the bodies (escaped, "
                        + "never binary, on a terminal). json prints one object per line: priority, size, hex, and text "
                        + "when the body is UTF-8.",
                "No message is taken that cannot be delivered: before each receive, recv checks that standard "
                        + "output can still be read, and stops (exit 141) when its reader is gone, also while waiting.",
                "With --nowait, exits 3 when the queue runs out before COUNT messages (those received are "
                        + "printed); with --timeout, when no message came in time."
            })
    static final class Recv extends Subcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The queue's name, e.g. /jobs.")
        String name;

        @Mixin RecvOptions recv;

        @Option(
                names = "--struct",
                paramLabel = "DECL",
                description =
                        "Decode each body as these C members, e.g. \"char name[32]; int math; int chinese;\" "
                                + "(native layout; json: a fields object; text: name=value pairs). A body shorter than the "
                                + "struct is printed undecoded in hexadecimal with a warning, and recv stops there with exit 1.")
        String structDecl;

        @Override
        ExitCode execute() throws Exception {
            recv.validate(this);
            CStruct struct = MqCommand.struct(this, structDecl, recv.format);
            try (PosixMessageQueue q = PosixMessageQueue.open(name, Access.READ_ONLY)) {
                return recv.loop(
                        this,
                        wait ->
                                (!wait
                                                ? q.tryReceive()
                                                : recv.timeout != null
                                                        ? q.receive(recv.timeout)
                                                        : Optional.of(q.receive()))
                                        .orElse(null),
                        m ->
                                MqCommand.print(
                                        this,
                                        "priority",
                                        m.priority(),
                                        m.body(),
                                        recv.format,
                                        struct),
                        m ->
                                "the message of priority "
                                        + m.priority()
                                        + " ("
                                        + m.body().length
                                        + " bytes) was taken off the queue",
                        true);
            }
        }
    }

    /** {@code jipc pmq stat NAME [--json]}. */
    @Command(
            name = "stat",
            mixinStandardHelpOptions = true,
            description =
                    "Print a queue's attributes and state (mq_getattr, and QSIZE and NOTIFY_PID as the mqueue "
                            + "file system shows them).")
    static final class Stat extends Subcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The queue's name, e.g. /jobs.")
        String name;

        @Option(
                names = "--json",
                description = {
                    "One JSON object with the fields name, owner, uid, gid, mode "
                            + "(octal text), max_messages, message_size, messages, bytes, notify_pid (0: nobody registered)."
                })
        boolean json;

        @Override
        ExitCode execute() throws Exception {
            PosixMessageQueueStatus st;
            try (PosixMessageQueue q = PosixMessageQueue.open(name, Access.READ_ONLY)) {
                st = q.status();
            }
            Output out = out();
            if (json) {
                out.println(Json.write(PosixView.json(st)));
                return ExitCode.OK;
            }
            out.printf("name          %s%n", st.name());
            out.printf("mode          %s%n", PosixView.octal(st.mode()));
            out.printf(
                    "owner         %s (uid %d gid %d)%n",
                    SysvView.user(st.uid()), st.uid(), st.gid());
            out.printf("messages      %d of at most %d%n", st.messages(), st.maxMessages());
            out.printf("message size  %d bytes at most%n", st.messageSize());
            out.printf("bytes         %d%n", st.bytes());
            out.printf(
                    "notify pid    %s%n",
                    st.notifyPid() == 0 ? "none" : PosixView.pid(st.notifyPid()));
            return ExitCode.OK;
        }
    }

    /** {@code jipc pmq rm NAME}. */
    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = {
                "Remove a queue's name (mq_unlink). Processes that have it open keep using it; the queue "
                        + "and its messages go with the last one."
            })
    static final class Rm extends Subcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The queue's name, e.g. /jobs.")
        String name;

        @Override
        ExitCode execute() throws Exception {
            PosixMessageQueue.unlink(name);
            return ExitCode.OK;
        }
    }

    /** Creates the command (picocli instantiates it). */
    PmqCommand() {}
}
