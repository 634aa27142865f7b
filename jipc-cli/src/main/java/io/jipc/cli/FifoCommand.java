package io.jipc.cli;

import io.jipc.pipe.Fifo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jipc fifo create|rm PATH}: named pipes from the shell, like mkfifo(1). */
@Command(name = "fifo", mixinStandardHelpOptions = true,
        description = "Create or remove a named pipe (FIFO), like mkfifo(1) and rm.",
        subcommands = {FifoCommand.Create.class, FifoCommand.Remove.class})
final class FifoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: create or rm");
    }

    /** Octal permission bits: {@code 0600}, {@code 600}, {@code 0o600}. */
    static final class Mode implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String digits = value.startsWith("0o") ? value.substring(2) : value;
            if (!digits.matches("[0-7]{1,4}") || Integer.parseInt(digits, 8) > 0777) {
                throw new CommandLine.TypeConversionException("mode=" + value + " is not octal permission bits 0000..0777");
            }
            return Integer.parseInt(digits, 8);
        }
    }

    /** {@code jipc fifo create PATH [--mode 0600] [--json]}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a FIFO at PATH with exactly MODE as permissions (the umask does not apply).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PATH", description = "Where to create the FIFO.")
        Path path;

        @Option(names = {"-m", "--mode"}, converter = Mode.class, defaultValue = "0600",
                description = "Permission bits in octal (default: ${DEFAULT-VALUE}).")
        int mode;

        @Option(names = "--json", description = "Print {\"path\": ..., \"mode\": ...} instead of a sentence.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            Fifo.create(path, mode);
            String octal = String.format("%04o", mode);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", path.toAbsolutePath().toString());
                m.put("mode", octal);
                spec.commandLine().getOut().println(Json.write(m));
            } else {
                spec.commandLine().getOut().println("created FIFO " + path + " (mode " + octal + ")");
            }
            return Main.OK;
        }
    }

    /** {@code jipc fifo rm PATH}. */
    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Remove the FIFO at PATH (refuses anything that is not a FIFO).")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PATH", description = "The FIFO to remove.")
        Path path;

        @Override
        public Integer call() throws IOException {
            Fifo.of(path).remove();
            spec.commandLine().getOut().println("removed FIFO " + path);
            return Main.OK;
        }
    }
}
