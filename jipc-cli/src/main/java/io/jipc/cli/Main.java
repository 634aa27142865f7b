package io.jipc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code jipc} command: what {@code ipcs}, {@code ipcrm}, {@code ipcmk} and {@code mkfifo}
 * do, and what no shell tool does (send and receive queue messages, semop, read and write
 * segments).
 *
 * <p>Exit codes, for every subcommand: {@value #OK} success; {@value #FAILED} the operation failed
 * (one line on stderr says why); {@value #USAGE} usage error; {@value #NOTHING} would block,
 * timed out, or nothing there (so shell loops can poll). No stack trace is printed unless
 * {@code --verbose} is given.
 */
@Command(name = "jipc",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Unix IPC from the shell: System V queues, semaphores, shared memory, pipes, FIFOs.",
        subcommands = {
            KeyCommand.class,
            MqCommand.class,
            SemCommand.class,
            ShmCommand.class,
            FifoCommand.class,
            LsCommand.class,
            RmCommand.class,
            WatchCommand.class,
            ExampleCommand.class,
            DoctorCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class,
        },
        footer = {"", "Exit codes: 0 ok, 1 failed, 2 usage, 3 would block / timed out / nothing there."})
public final class Main implements Runnable {
    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: the operation failed. */
    public static final int FAILED = 1;
    /** Exit code: usage error. */
    public static final int USAGE = 2;
    /** Exit code: would block, timed out, or nothing there. */
    public static final int NOTHING = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Whether failures print a stack trace; inherited by every subcommand. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print stack traces of failures.")
    boolean verbose;

    /** Creates the root command (picocli instantiates it). */
    public Main() {
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
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line with the given output streams, without exiting (for tests and
     * embedding).
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        // Everything after the example's NAME belongs to the example, options included.
        cl.getSubcommands().get("example").setStopAtPositional(true);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            boolean verbose = parsed.matchedOption("--verbose") != null
                    || parsed.subcommands().stream().anyMatch(p -> p.matchedOption("--verbose") != null);
            if (verbose) {
                ex.printStackTrace(line.getErr());
            }
            line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + Failures.describe(ex));
            line.getErr().flush();
            return ex instanceof CommandLine.ParameterException ? USAGE : FAILED;
        });
        cl.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine line = ex.getCommandLine();
            line.getErr().println("jipc: " + ex.getMessage());
            line.getErr().println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for usage.");
            line.getErr().flush();
            return USAGE;
        });
        return cl.execute(args);
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
