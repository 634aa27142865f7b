package io.jipc.cli;

import picocli.CommandLine.Option;

/**
 * {@code -m/--mode MODE}: the permission bits of an object a subcommand creates, in the one octal
 * grammar of {@link Converters.Mode}. Every subcommand that creates takes it: {@code @Mixin
 * ModeOption mode;} then {@code mode.bits()}.
 */
final class ModeOption {
    @Option(
            names = {"-m", "--mode"},
            paramLabel = "MODE",
            converter = Converters.Mode.class,
            defaultValue = "0600",
            description =
                    "Permission bits in octal: 0600, 600 or 0o600 (default: ${DEFAULT-VALUE}).")
    int bits;

    /**
     * The permission bits given (0600 by default).
     *
     * @return the bits
     */
    int bits() {
        return bits;
    }
}
