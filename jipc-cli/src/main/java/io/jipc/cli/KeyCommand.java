package io.jipc.cli;

import io.jipc.IpcKey;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** {@code jipc key PATH PROJ}: prints the key C's {@code ftok(PATH, PROJ)} gives. */
@Command(
        name = "key",
        mixinStandardHelpOptions = true,
        description =
                "Print the System V key ftok(3) gives for PATH and PROJ, as printf(\"0x%%08x\\n\") does. "
                        + "PATH must exist; an empty PATH fails, as C's ftok(\"\") does (ENOENT).")
final class KeyCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "An existing file.")
    Path path;

    @Parameters(
            index = "1",
            paramLabel = "PROJ",
            converter = Converters.Proj.class,
            description =
                    "Project id: 1..255 (decimal or 0x..), or one non-digit character (g = 103).")
    int proj;

    @Override
    ExitCode execute() throws Exception {
        out().println(IpcKey.ftok(path, proj));
        return ExitCode.OK;
    }
}
