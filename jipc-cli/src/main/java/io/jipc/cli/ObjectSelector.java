package io.jipc.cli;

import io.jipc.IpcKey;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How every subcommand names a System V object: {@code --key K}, {@code --id N}, or {@code --path P
 * --proj C} (the key {@code ftok(P, C)} gives). Use as {@code @ArgGroup(exclusive = true,
 * multiplicity = "1") ObjectSelector sel;}, then {@code sel.open(MessageQueue::open,
 * MessageQueue::ofId)} to open the object, or {@code sel.keyToCreate(spec)} in a subcommand that
 * creates.
 */
final class ObjectSelector {
    @Option(
            names = "--key",
            paramLabel = "KEY",
            converter = Converters.Key.class,
            description = "The key: 0x hexadecimal (as ipcs prints it) or decimal.")
    IpcKey key;

    @Option(
            names = "--id",
            paramLabel = "ID",
            converter = Converters.Id.class,
            description = "The identifier (msqid, semid, shmid).")
    Integer id;

    @ArgGroup(exclusive = false)
    Ftok ftok;

    /** {@code --path P --proj C}: both are required together. */
    static final class Ftok {
        @Option(
                names = "--path",
                required = true,
                paramLabel = "PATH",
                description = "File for ftok(3).")
        Path path;

        @Option(
                names = "--proj",
                required = true,
                paramLabel = "PROJ",
                converter = Converters.Proj.class,
                description = "Project id for ftok(3): 1..255 or one non-digit character.")
        int proj;
    }

    /** What the options name: an object by key or by identifier. */
    sealed interface Target permits ByKey, ById {}

    /**
     * An object named by its key.
     *
     * @param key the key
     */
    record ByKey(IpcKey key) implements Target {}

    /**
     * An object named by its identifier.
     *
     * @param id the identifier
     */
    record ById(int id) implements Target {}

    /**
     * Opens an object by its key.
     *
     * @param <T> the object's type
     */
    @FunctionalInterface
    interface ByKeyOpener<T> {
        /**
         * Opens it.
         *
         * @param key the key
         * @return the object
         * @throws IOException if it cannot be opened
         */
        T open(IpcKey key) throws IOException;
    }

    /**
     * Opens an object by its identifier.
     *
     * @param <T> the object's type
     */
    @FunctionalInterface
    interface ByIdOpener<T> {
        /**
         * Opens it.
         *
         * @param id the identifier
         * @return the object
         * @throws IOException if it cannot be opened
         */
        T open(int id) throws IOException;
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
            return new ById(id);
        }
        return new ByKey(IpcKey.ftok(ftok.path, ftok.proj));
    }

    /**
     * Opens the object named, e.g. {@code sel.open(MessageQueue::open, MessageQueue::ofId)}.
     *
     * @param <T> the object's type
     * @param byKey how to open it by key
     * @param byId how to open it by identifier
     * @return the object
     * @throws IOException if the ftok path cannot be examined or the object cannot be opened
     */
    <T> T open(ByKeyOpener<T> byKey, ByIdOpener<T> byId) throws IOException {
        return switch (resolve()) {
            case ByKey k -> byKey.open(k.key());
            case ById i -> byId.open(i.id());
        };
    }

    /**
     * The key of an object to create: {@code --id} is a usage error there.
     *
     * @param spec the creating subcommand's spec
     * @return the key ({@link IpcKey#PRIVATE} for {@code --key 0})
     * @throws IOException if the ftok path cannot be examined
     * @throws CommandLine.ParameterException for {@code --id}
     */
    IpcKey keyToCreate(CommandLine.Model.CommandSpec spec) throws IOException {
        if (resolve() instanceof ByKey(IpcKey k)) {
            return k;
        }
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "creating needs --key (0 for a private object) or --path/--proj, not --id");
    }
}
