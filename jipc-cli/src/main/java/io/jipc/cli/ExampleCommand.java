package io.jipc.cli;

import io.jipc.examples.Example;
import io.jipc.examples.Examples;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jipc example NAME [ARGS...]}: runs one of the seed's classic programs. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Run one of the seed's classic IPC programs (each has a C twin). Without NAME, list them.")
final class ExampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--source", description = "Print the example's C twin instead of running it.")
    boolean source;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The example to run.")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the example.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (name == null) {
            Examples.all().values().forEach(e -> out.printf("%-20s %s%n", e.name(), e.description()));
            return Main.OK;
        }
        Example e = Examples.named(name).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "no example named '" + name + "' (run 'jipc example' to list them)"));
        if (source) {
            try (InputStream in = Example.class.getResourceAsStream("c/" + e.cTwin())) {
                if (in == null) {
                    throw new IllegalStateException("the C twin " + e.cTwin() + " is missing from the jar");
                }
                out.print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            return Main.OK;
        }
        out.flush();
        return e.run(args.toArray(String[]::new));
    }
}
