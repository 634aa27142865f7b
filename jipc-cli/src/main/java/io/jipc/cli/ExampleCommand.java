package io.jipc.cli;

import io.jipc.examples.Example;
import io.jipc.examples.Examples;
import io.jipc.examples.UsageError;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code jipc example NAME [ARGS...]}: runs one of the seed's classic programs. */
@Command(
        name = "example",
        mixinStandardHelpOptions = true,
        description =
                "Run one of the seed's classic IPC programs (each has a C twin). Without NAME, list them. "
                        + "'jipc example NAME --help' shows the example's arguments.")
final class ExampleCommand extends Subcommand {
    private static final Pattern QUOTED = Pattern.compile("For input string: \"(.*)\"");
    private static final Pattern ARGS = Pattern.compile("\\[[^\\]]*\\]\\s*$");

    @Option(names = "--source", description = "Print the example's C twin instead of running it.")
    boolean source;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "NAME",
            description = "The example to run.")
    String exampleName;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the example.")
    List<String> args = new ArrayList<>();

    @Override
    ExitCode execute() throws Exception {
        Output out = out();
        if (exampleName == null) {
            Examples.all()
                    .values()
                    .forEach(e -> out.printf("%-20s %s%n", e.name(), e.description()));
            return ExitCode.OK;
        }
        Example e =
                Examples.named(exampleName)
                        .orElseThrow(
                                () ->
                                        usage(
                                                "no example named '"
                                                        + exampleName
                                                        + "' (run 'jipc example' to list them)"));
        if (source) {
            try (InputStream in = Example.class.getResourceAsStream("c/" + e.cTwin())) {
                if (in == null) {
                    throw new IllegalStateException(
                            "the C twin " + e.cTwin() + " is missing from the jar");
                }
                out.print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            return ExitCode.OK;
        }
        if (!args.isEmpty() && (args.getFirst().equals("--help") || args.getFirst().equals("-h"))) {
            out.println("jipc example " + e.name() + ": " + e.description());
            out.println(
                    "C twin: "
                            + e.cTwin()
                            + " (print it with 'jipc example --source "
                            + e.name()
                            + "')");
            return ExitCode.OK;
        }
        out.check();
        try {
            int code = e.run(args.toArray(String[]::new));
            return switch (code) {
                case 0 -> ExitCode.OK;
                case 2 -> ExitCode.USAGE;
                case 3 -> ExitCode.NOTHING;
                default -> ExitCode.FAILED;
            };
        } catch (UsageError bad) {
            throw usage(bad.reason() + "; the arguments of " + e.name() + " are " + bad.synopsis());
        } catch (NumberFormatException bad) {
            Matcher q = QUOTED.matcher(String.valueOf(bad.getMessage()));
            throw usage(
                    (q.find()
                                    ? "'" + q.group(1) + "' is not a number"
                                    : "an argument is not a number")
                            + "; the arguments of "
                            + e.name()
                            + " are "
                            + usageOf(e));
        } catch (ArrayIndexOutOfBoundsException missing) {
            throw usage("missing arguments; the arguments of " + e.name() + " are " + usageOf(e));
        }
    }

    private static String usageOf(Example e) {
        Matcher a = ARGS.matcher(e.description());
        return a.find() ? a.group().strip() : "described by 'jipc example " + e.name() + " --help'";
    }
}
