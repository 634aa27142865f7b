package io.jipc.cli;

import java.io.IOException;

/**
 * Standard output no longer takes what a command writes: its reader went away (a pipe whose reader
 * exited, a closed descriptor) or the device failed the write ({@code /dev/full}).
 */
final class OutputFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Whether the reader went away (SIGPIPE-like) rather than the device failing. */
    private final boolean readerGone;

    /**
     * Describes a failed write.
     *
     * @param cause what the write threw
     * @param readerGone whether the reader went away
     */
    OutputFailedException(IOException cause, boolean readerGone) {
        super(
                "cannot write to standard output: "
                        + (readerGone
                                ? "its reader is gone (broken pipe)"
                                : cause.getMessage() != null
                                        ? cause.getMessage()
                                        : cause.getClass().getSimpleName()),
                cause);
        this.readerGone = readerGone;
    }

    /**
     * Whether the reader went away (a broken pipe or a closed descriptor), as opposed to a device
     * that fails writes.
     *
     * @return true if the reader is gone
     */
    boolean readerGone() {
        return readerGone;
    }
}
