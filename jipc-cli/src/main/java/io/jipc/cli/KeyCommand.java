package io.jipc.cli;

import io.jipc.IpcKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jipc key PATH PROJ}: prints the key C's {@code ftok(PATH, PROJ)} gives. */
@Command(name = "key", mixinStandardHelpOptions = true,
        description = "Print the System V key ftok(3) gives for PATH and PROJ, as printf(\"0x%08x\\n\") does.")
final class KeyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "An existing file.")
    Path path;

    @Parameters(index = "1", paramLabel = "PROJ", converter = Converters.Proj.class,
            description = "Project id: 1..255 (decimal or 0x..), or one non-digit character (g = 103).")
    int proj;

    @Override
    public Integer call() throws Exception {
        spec.commandLine().getOut().println(IpcKey.ftok(path, proj));
        return Main.OK;
    }
}
