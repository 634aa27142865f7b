package io.jipc.cli;

/**
 * The exit codes of every {@code jipc} subcommand. A subcommand returns one from {@link
 * Subcommand#execute()}; failures thrown from it are mapped by {@link Main} ({@link #USAGE} for a
 * bad option value, {@link #FAILED} for everything else).
 */
enum ExitCode {
    /** 0: done. */
    OK(0),
    /** 1: the operation failed; one line on stderr says why. */
    FAILED(1),
    /** 2: a usage or validation error; one line on stderr names the option and points to --help. */
    USAGE(2),
    /** 3: would block, timed out, or nothing there (so that shell loops can poll). */
    NOTHING(3),
    /** 130: ended by Ctrl-C (SIGINT), as a shell reports a process killed by it. */
    INTERRUPTED(130),
    /**
     * 141: standard output's reader went away (e.g. {@code jipc watch | head -1}); what a shell
     * reports for a process killed by SIGPIPE. Nothing is printed.
     */
    BROKEN_PIPE(141);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /**
     * The number the process exits with.
     *
     * @return the code
     */
    int code() {
        return code;
    }
}
