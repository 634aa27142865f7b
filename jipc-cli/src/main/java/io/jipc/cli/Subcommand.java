package io.jipc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What every {@code jipc} subcommand extends: it implements {@link #execute()} and returns an
 * {@link ExitCode}; it prints through {@link #out()} (binary-safe, failures not swallowed) and
 * {@link #err()}; it rejects a bad option value with {@link #usage(String)} (exit 2) and reports
 * "would block / nothing there" with {@link #nothing(String)} (exit 3). Anything else it throws
 * becomes one line on stderr and exit 1 (see {@link Main}). docs/CONVENTIONS.md, section 4, says
 * how to write one.
 */
abstract class Subcommand implements Callable<Integer> {
    /** Injected by picocli. */
    @Spec CommandSpec spec;

    /**
     * Does the work.
     *
     * @return the exit code
     * @throws Exception a failure: {@link Main} prints one line for it
     */
    abstract ExitCode execute() throws Exception;

    @Override
    public final Integer call() throws Exception {
        return execute().code();
    }

    /**
     * The streams of this run.
     *
     * @return the streams
     */
    final Io io() {
        if (spec.root().userObject() instanceof Main m) {
            return m.io;
        }
        throw new IllegalStateException("jipc subcommands run under Main");
    }

    /**
     * Standard output.
     *
     * @return the output
     */
    final Output out() {
        return io().out();
    }

    /**
     * Standard error.
     *
     * @return the writer
     */
    final PrintWriter err() {
        return io().err();
    }

    /**
     * The command's full name, e.g. {@code jipc mq recv}: the prefix of every line on stderr.
     *
     * @return the name
     */
    final String name() {
        return spec.qualifiedName();
    }

    /**
     * A usage error to throw: exit 2, one line naming the problem and pointing to --help.
     *
     * @param message what is wrong, naming the option, e.g. {@code --count must be >= 1 (got 0)}
     * @return the exception
     */
    final CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * Says on stderr that there was nothing to do (would block, timed out, nothing there).
     *
     * @param why the reason
     * @return {@link ExitCode#NOTHING}
     */
    final ExitCode nothing(String why) {
        err().println(name() + ": " + why);
        return ExitCode.NOTHING;
    }

    /**
     * Prints a warning line on stderr ({@code jipc CMD: warning: ...}).
     *
     * @param what the warning
     */
    final void warn(String what) {
        err().println(name() + ": warning: " + what);
    }
}
