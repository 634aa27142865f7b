package io.jipc.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** One-line descriptions of failures for stderr. */
final class Failures {
    private Failures() {}

    /**
     * A single line naming what failed and why.
     *
     * @param t the failure
     * @return the line
     */
    static String describe(Throwable t) {
        Throwable e =
                t instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : t;
        String line;
        if (e instanceof NoSuchFileException f) {
            line =
                    "no such file: "
                            + (f.getFile().isEmpty() ? "\"\"" : Converters.shown(f.getFile()))
                            + (f.getReason() != null ? " (" + f.getReason() + ")" : "");
        } else if (e instanceof AccessDeniedException f) {
            line = "permission denied: " + Converters.shown(f.getFile());
        } else if (e instanceof FileAlreadyExistsException f) {
            line = "already exists: " + Converters.shown(f.getFile());
        } else if (e instanceof FileSystemException f) {
            line =
                    Converters.shown(f.getFile())
                            + ": "
                            + (f.getReason() != null
                                    ? f.getReason()
                                    : f.getClass().getSimpleName());
        } else if (e.getMessage() != null) {
            line = e.getMessage();
        } else {
            line = e.getClass().getName();
        }
        // A message that quotes a path with a newline (the library's "mkfifo(/tmp/a\nb): ...").
        return Converters.oneLine(line.strip());
    }
}
