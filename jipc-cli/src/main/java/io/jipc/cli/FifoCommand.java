package io.jipc.cli;

import io.jipc.pipe.Fifo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code jipc fifo create|rm PATH}: named pipes from the shell, like mkfifo(1). */
@Command(
        name = "fifo",
        mixinStandardHelpOptions = true,
        description = "Create or remove a named pipe (FIFO), like mkfifo(1) and rm.",
        subcommands = {FifoCommand.Create.class, FifoCommand.Remove.class})
final class FifoCommand extends Subcommand {
    @Override
    ExitCode execute() {
        throw usage("missing subcommand: create or rm");
    }

    /** {@code jipc fifo create PATH [-m 0600] [--json]}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Create a FIFO at PATH with exactly MODE as permissions (the umask does not apply).")
    static final class Create extends Subcommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "Where to create the FIFO.")
        Path path;

        @Mixin ModeOption mode;

        @Option(
                names = "--json",
                description = "Print {\"path\": ..., \"mode\": ...} instead of a sentence.")
        boolean json;

        @Override
        ExitCode execute() throws IOException {
            Fifo.create(path, mode.bits());
            String octal = String.format("%04o", mode.bits());
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", path.toAbsolutePath().toString());
                m.put("mode", octal);
                out().println(Json.write(m));
            } else {
                out().println("created FIFO " + Converters.shown(path) + " (mode " + octal + ")");
            }
            return ExitCode.OK;
        }
    }

    /** {@code jipc fifo rm PATH}. */
    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description =
                    "Remove the FIFO at PATH. Refuses anything that is not a FIFO, and a symbolic link "
                            + "even if it points to a FIFO (remove the link with rm(1), or name the FIFO itself).")
    static final class Remove extends Subcommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "The FIFO to remove.")
        Path path;

        @Override
        ExitCode execute() throws IOException {
            if (Files.isSymbolicLink(path)) {
                throw new IOException(
                        Converters.shown(path)
                                + " is a symbolic link (to "
                                + Converters.shown(Files.readSymbolicLink(path))
                                + "), not a FIFO; nothing removed (name the FIFO itself, or remove the link with rm)");
            }
            Fifo.of(path).remove();
            out().println("removed FIFO " + Converters.shown(path));
            return ExitCode.OK;
        }
    }
}
