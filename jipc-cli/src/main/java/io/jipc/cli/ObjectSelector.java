package io.jipc.cli;

import io.jipc.IpcKey;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * How every subcommand names a System V object: {@code --key K}, {@code --id N}, or
 * {@code --path P --proj C} (the key {@code ftok(P, C)} gives). Use as
 * {@code @ArgGroup(exclusive = true, multiplicity = "1") ObjectSelector sel;}.
 */
final class ObjectSelector {
    @Option(names = "--key", paramLabel = "KEY", converter = Converters.Key.class,
            description = "The key: 0x hexadecimal (as ipcs prints it) or decimal.")
    IpcKey key;

    @Option(names = "--id", paramLabel = "ID", description = "The identifier (msqid, semid, shmid).")
    Integer id;

    @ArgGroup(exclusive = false)
    Ftok ftok;

    /** {@code --path P --proj C}: both are required together. */
    static final class Ftok {
        @Option(names = "--path", required = true, paramLabel = "PATH", description = "File for ftok(3).")
        Path path;

        @Option(names = "--proj", required = true, paramLabel = "PROJ", converter = Converters.Proj.class,
                description = "Project id for ftok(3): 1..255 or one non-digit character.")
        int proj;
    }

    /** What the options name: an object by key or by identifier. */
    sealed interface Target permits ByKey, ById {
    }

    /**
     * An object named by its key.
     *
     * @param key the key
     */
    record ByKey(IpcKey key) implements Target {
    }

    /**
     * An object named by its identifier.
     *
     * @param id the identifier
     */
    record ById(int id) implements Target {
    }

    /**
     * Resolves the options (computing {@code ftok} for {@code --path/--proj}).
     *
     * @return the target
     * @throws IOException if the ftok path cannot be examined
     */
    Target resolve() throws IOException {
        if (key != null) {
            return new ByKey(key);
        }
        if (id != null) {
            if (id < 0) {
                throw new IllegalArgumentException("id=" + id + " (identifiers are not negative)");
            }
            return new ById(id);
        }
        return new ByKey(IpcKey.ftok(ftok.path, ftok.proj));
    }
}
