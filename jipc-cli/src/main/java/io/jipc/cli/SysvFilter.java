package io.jipc.cli;

import io.jipc.IpcException;
import io.jipc.IpcKey;
import io.jipc.sysv.SysvKind;
import io.jipc.sysv.SysvObject;
import io.jipc.sysv.SysvObjects;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code [KIND] [--key K] [--id N] [--owner USER]}: which System V objects a listing command
 * ({@code ls}, {@code watch}, {@code rm}) is about. Use as {@code @Mixin SysvFilter filter;}, call
 * {@link #validate} first (an unknown user is a usage error), then {@link #list()}.
 */
final class SysvFilter {
    @Parameters(
            arity = "0..1",
            paramLabel = "KIND",
            converter = Converters.Kind.class,
            description = "msg, sem or shm (default: all three).")
    SysvKind kind;

    /** {@code --kind K}, the same as KIND (kept for the earlier {@code rm --kind}). */
    @Option(names = "--kind", paramLabel = "KIND", converter = Converters.Kind.class, hidden = true)
    SysvKind kindOption;

    @Option(
            names = "--key",
            paramLabel = "KEY",
            converter = Converters.Key.class,
            description = "Only the objects with this key.")
    IpcKey key;

    @Option(
            names = "--id",
            paramLabel = "ID",
            converter = Converters.Id.class,
            description = "Only the objects with this id.")
    Integer id;

    @Option(
            names = "--owner",
            paramLabel = "USER",
            description = "Only the objects owned by this user (name or uid).")
    String owner;

    private Integer ownerUid;

    /**
     * Checks what no converter can: that KIND is given once and the owner exists.
     *
     * @param spec the command's spec
     * @throws CommandLine.ParameterException on a usage error
     */
    void validate(CommandLine.Model.CommandSpec spec) {
        if (kind != null && kindOption != null && kind != kindOption) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "KIND "
                            + kind.shortName()
                            + " and --kind "
                            + kindOption.shortName()
                            + " disagree");
        }
        if (owner != null) {
            ownerUid =
                    SysvView.uidOf(owner)
                            .orElseThrow(
                                    () ->
                                            new CommandLine.ParameterException(
                                                    spec.commandLine(),
                                                    "--owner "
                                                            + owner
                                                            + ": no such user (give a user name of /etc/passwd or a uid)"));
        }
    }

    /**
     * The kind asked for, or null for all.
     *
     * @return the kind
     */
    SysvKind kind() {
        return kind != null ? kind : kindOption;
    }

    /**
     * The kinds to list.
     *
     * @return one kind, or all three
     */
    Set<SysvKind> kinds() {
        return kind() == null ? EnumSet.allOf(SysvKind.class) : EnumSet.of(kind());
    }

    /**
     * Whether a single object is named (by key or id).
     *
     * @return true for {@code --key} or {@code --id}
     */
    boolean selective() {
        return key != null || id != null;
    }

    /**
     * Whether an object passes the filter.
     *
     * @param o the object
     * @return true if it matches every criterion given
     */
    boolean test(SysvObject o) {
        return (kind() == null || o.kind() == kind())
                && (key == null || o.key().equals(key))
                && (id == null || o.id() == id)
                && (ownerUid == null || o.permissions().uid() == ownerUid);
    }

    /**
     * Whether an owner passes {@code --owner} (for objects that are not System V ones).
     *
     * @param uid the owner's uid
     * @return true without {@code --owner}, or if it names this uid
     */
    boolean ownerMatches(int uid) {
        return ownerUid == null || ownerUid == uid;
    }

    /**
     * The objects of the IPC namespace that pass the filter.
     *
     * @return the objects
     * @throws IpcException if /proc/sysvipc cannot be read
     */
    List<SysvObject> list() throws IpcException {
        return SysvObjects.list(kinds()).stream().filter(this::test).toList();
    }

    /**
     * The criteria in words, for "nothing matches ...", e.g. {@code msg key 0x00001234}.
     *
     * @return the words, or {@code anything} without criteria
     */
    String describe() {
        List<String> w = new ArrayList<>();
        if (kind() != null) {
            w.add(kind().shortName());
        }
        if (key != null) {
            w.add("key " + key);
        }
        if (id != null) {
            w.add("id " + id);
        }
        if (owner != null) {
            w.add("owned by " + owner);
        }
        return w.isEmpty() ? "anything" : String.join(" ", w);
    }
}
