package io.jipc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Properties;

/**
 * The {@code jipc} command: what {@code ipcs}, {@code ipcrm}, {@code ipcmk} and {@code mkfifo} do,
 * and what no shell tool does (send and receive queue messages, semop, read and write segments).
 *
 * <p>Exit codes, for every subcommand ({@link ExitCode}): 0 success; 1 the operation failed (one
 * line on stderr says why); 2 usage or validation error (one line, naming the option); 3 would
 * block, timed out, or nothing there (so shell loops can poll); 141 standard output's reader went
 * away (as a process killed by SIGPIPE). No stack trace is printed unless {@code --verbose} is
 * given.
 */
@Command(
        name = "jipc",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description =
                "Unix IPC from the shell: System V queues, semaphores, shared memory, pipes, FIFOs.",
        subcommands = {
            KeyCommand.class,
            MqCommand.class,
            SemCommand.class,
            ShmCommand.class,
            PmqCommand.class,
            PsemCommand.class,
            PshmCommand.class,
            FifoCommand.class,
            ChannelCommand.class,
            LsCommand.class,
            RmCommand.class,
            WatchCommand.class,
            ExampleCommand.class,
            DoctorCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class,
        },
        footer = {
            "",
            "Exit codes: 0 ok, 1 failed, 2 usage, 3 would block / timed out / nothing there, "
                    + "141 the reader of standard output went away."
        })
public final class Main implements Runnable {
    /** The streams of this run, which every subcommand reaches through {@link Subcommand#io()}. */
    final Io io;

    /** Whether a failure of standard output was reported already. */
    private boolean outputFailed;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Whether failures print a stack trace; inherited by every subcommand. */
    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Print stack traces of failures.")
    boolean verbose;

    /** Creates the root command over the process's standard streams. */
    public Main() {
        this(Io.system());
    }

    private Main(Io io) {
        this.io = io;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, Io.system()));
    }

    /**
     * Runs the command line with the given streams, without exiting (for tests and embedding).
     *
     * @param args the arguments
     * @param in standard input
     * @param out standard output (bytes: raw bodies are written as they are)
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, OutputStream out, OutputStream err) {
        return run(args, Io.of(in, out, err));
    }

    private static int run(String[] args, Io io) {
        Main main = new Main(io);
        CommandLine cl = new CommandLine(main);
        cl.setOut(io.out());
        cl.setErr(io.err());
        // Everything after the example's NAME belongs to the example, options included.
        cl.getSubcommands().get("example").setStopAtPositional(true);
        cl.setExecutionExceptionHandler(
                (ex, line, parsed) -> {
                    boolean verbose = false;
                    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                        verbose |= p.matchedOption("--verbose") != null;
                    }
                    return failure(ex, line, verbose).code();
                });
        cl.setParameterExceptionHandler(
                (ex, arguments) -> usage(ex.getCommandLine(), ex.getMessage()).code());
        int code = cl.execute(args);
        if (!main.outputFailed && !io.out().failureWasReported()) {
            try {
                io.out().check();
            } catch (OutputFailedException e) {
                CommandLine.ParseResult deepest = cl.getParseResult();
                while (deepest != null && deepest.subcommand() != null) {
                    deepest = deepest.subcommand();
                }
                String name = deepest != null ? deepest.commandSpec().qualifiedName() : "jipc";
                code = outputFailure(e, name, main).code();
            }
        }
        io.err().flush();
        return code;
    }

    /** One line for a usage error, naming where help is: exit 2. */
    private static ExitCode usage(CommandLine line, String message) {
        String name = line.getCommandSpec().qualifiedName();
        line.getErr().println(name + ": " + oneLine(message) + " (see '" + name + " --help')");
        line.getErr().flush();
        return ExitCode.USAGE;
    }

    /** One line for a failure: exit 2 for a bad value caught before any call, 1 otherwise. */
    private static ExitCode failure(Exception ex, CommandLine line, boolean verbose) {
        Main root = (Main) line.getCommandSpec().root().userObject();
        if (verbose) {
            ex.printStackTrace(line.getErr());
        }
        if (ex instanceof OutputFailedException o) {
            return outputFailure(o, line.getCommandSpec().qualifiedName(), root);
        }
        if (ex instanceof CommandLine.ParameterException
                || ex instanceof IllegalArgumentException
                || ex instanceof IndexOutOfBoundsException) {
            // Misuse detected before any call (a value the library refuses): a usage error.
            return usage(line, Failures.describe(ex));
        }
        line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + Failures.describe(ex));
        line.getErr().flush();
        return ExitCode.FAILED;
    }

    /** Standard output failed: silent 141 when its reader went away, else one line and 1. */
    private static ExitCode outputFailure(OutputFailedException e, String name, Main main) {
        Io io = main.io;
        main.outputFailed = true;
        if (e.readerGone()) {
            return ExitCode.BROKEN_PIPE;
        }
        io.err().println(name + ": " + e.getMessage());
        io.err().flush();
        return ExitCode.FAILED;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"jipc " + version(), "Java " + Runtime.version()};
        }

        static String version() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return p.getProperty("version", "unknown");
        }
    }
}
