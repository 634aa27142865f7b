package io.jipc.cli;

import io.jipc.IpcKey;
import io.jipc.sysv.Attachment;
import io.jipc.sysv.IpcPermissions;
import io.jipc.sysv.SharedMemory;
import io.jipc.sysv.SharedMemoryStatus;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code jipc shm create|write|read|stat|rm}: System V shared memory segments from the shell (what
 * {@code ipcmk -M}, {@code ipcs -m -i} and {@code ipcrm -m} do, plus reading and writing the
 * bytes).
 */
@Command(
        name = "shm",
        mixinStandardHelpOptions = true,
        description = "System V shared memory: create, write, read, stat, remove segments.",
        subcommands = {
            ShmCommand.Create.class,
            ShmCommand.Write.class,
            ShmCommand.Read.class,
            ShmCommand.Stat.class,
            ShmCommand.Rm.class,
        })
final class ShmCommand extends Subcommand {
    @Override
    ExitCode execute() {
        throw usage("a subcommand is required: create, write, read, stat or rm");
    }

    static SharedMemory open(ObjectSelector sel) throws IOException {
        return sel.open(SharedMemory::open, SharedMemory::ofId);
    }

    /**
     * Refuses (exit 2, one line naming the options) an {@code --offset} past the end of an object
     * of {@code size} bytes, or an {@code --offset} and {@code --length} that go past it; the Size
     * converter has refused negative numbers already.
     *
     * @param cmd the command
     * @param object the object, as the message names it ({@code shmid 3})
     * @param size its size in bytes
     * @param offset {@code --offset}
     * @param length {@code --length}, or null when none was given (to the end)
     */
    static void checkRange(Subcommand cmd, String object, long size, long offset, Long length) {
        if (offset > size) {
            throw cmd.usage(
                    "--offset "
                            + offset
                            + " is past the end of "
                            + object
                            + ", whose size is "
                            + size
                            + " bytes");
        }
        if (length != null && length > size - offset) {
            throw cmd.usage(
                    "--offset "
                            + offset
                            + " and --length "
                            + length
                            + " go past the end of "
                            + object
                            + ", whose size is "
                            + size
                            + " bytes");
        }
        long len = length != null ? length : size - offset;
        if (len > Integer.MAX_VALUE - 8) {
            throw cmd.usage(
                    "the "
                            + len
                            + " bytes from --offset "
                            + offset
                            + " are more than one read can print; "
                            + "give a smaller --length");
        }
    }

    /** {@code jipc shm create SEL --size N [--mode 0600] [--exclusive]}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create a segment (or open the key's existing one) and print its shmid.",
                "--key 0 (IPC_PRIVATE) always creates a new segment."
            })
    static final class Create extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(
                names = "--size",
                required = true,
                paramLabel = "N",
                converter = Converters.Size.class,
                description = "Size in bytes; k, m, g suffixes multiply by 1024, 1024^2, 1024^3.")
        long size;

        @Mixin ModeOption mode;

        @Option(
                names = "--exclusive",
                description = "Fail if the key already has a segment (IPC_EXCL).")
        boolean exclusive;

        @Override
        ExitCode execute() throws Exception {
            IpcKey key = sel.keyToCreate(spec);
            if (size < 1) {
                throw usage("--size must be >= 1 (got " + size + ")");
            }
            SharedMemory shm =
                    key.isPrivate()
                            ? SharedMemory.createPrivate(mode.bits(), size)
                            : exclusive
                                    ? SharedMemory.createExclusive(key, mode.bits(), size)
                                    : SharedMemory.create(key, mode.bits(), size);
            out().println(shm.id());
            return ExitCode.OK;
        }
    }

    /** {@code jipc shm write SEL [--offset O] (--text S | --hex HEX | --file F | stdin)}. */
    @Command(
            name = "write",
            mixinStandardHelpOptions = true,
            description = {
                "Copy bytes into a segment at an offset: --text, --hex, --file, or standard input.",
                "Bytes that do not fit between the offset and the end of the segment are refused before anything "
                        + "is written; no more than that room + 1 bytes of a file or standard input are read."
            })
    static final class Write extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Mixin WriteAtOptions at;

        @Override
        ExitCode execute() throws Exception {
            SharedMemory shm = open(sel);
            byte[] bytes = at.body(this, "shmid " + shm.id(), shm.size());
            try (Attachment a = shm.attach()) {
                MemorySegment.copy(
                        bytes, 0, a.segment(), ValueLayout.JAVA_BYTE, at.offset, bytes.length);
            }
            return ExitCode.OK;
        }
    }

    /** The output formats of {@code jipc shm read}. */
    enum Format {
        /** The bytes as they are. */
        raw,
        /** Lower-case hexadecimal without spaces, then a newline. */
        hex,
        /** UTF-8 text up to the first NUL, then a newline. */
        text
    }

    /**
     * Prints bytes read from shared memory in a format ({@code jipc shm read}, {@code jipc pshm
     * read}).
     */
    static void print(Subcommand cmd, byte[] bytes, Format format) throws OutputFailedException {
        Output out = cmd.out();
        switch (format) {
            case hex -> out.println(HexFormat.of().formatHex(bytes));
            case text -> {
                int end = 0;
                while (end < bytes.length && bytes[end] != 0) {
                    end++;
                }
                if (Text.isText(bytes, 0, end)) {
                    out.println(new String(bytes, 0, end, StandardCharsets.UTF_8));
                } else {
                    cmd.warn(
                            "the bytes up to the first NUL are not UTF-8 text; printed with \\xNN escapes "
                                    + "(use --format hex or raw for the bytes)");
                    out.println(Text.escape(bytes, 0, end));
                }
            }
            case raw -> {
                if (out.terminal() && !Text.isText(bytes)) {
                    cmd.warn(
                            "not writing "
                                    + bytes.length
                                    + " binary bytes to a terminal: printed with \\xNN "
                                    + "escapes (use --format hex, or redirect the output for the bytes)");
                    out.println(Text.escape(bytes, 0, bytes.length));
                } else {
                    out.bytes(bytes);
                }
            }
        }
    }

    /** {@code jipc shm read SEL [--offset O] [--length L] [--format raw|hex|text]}. */
    @Command(
            name = "read",
            mixinStandardHelpOptions = true,
            description = "Print bytes of a segment (attached read-only).")
    static final class Read extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Mixin ReadRangeOptions range;

        @Override
        ExitCode execute() throws Exception {
            SharedMemory shm = open(sel);
            long len = range.length(this, "shmid " + shm.id(), shm.size());
            byte[] bytes;
            try (Attachment a = shm.attachReadOnly()) {
                bytes = a.segment().asSlice(range.offset, len).toArray(ValueLayout.JAVA_BYTE);
            }
            range.print(this, bytes);
            return ExitCode.OK;
        }
    }

    /** {@code jipc shm stat SEL [--json]}. */
    @Command(
            name = "stat",
            mixinStandardHelpOptions = true,
            description = "Print a segment's status (shmctl IPC_STAT).")
    static final class Stat extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(
                names = "--json",
                description =
                        "One JSON object with the fields shmid, key, size, attach_count, "
                                + "mode (octal text), removal_pending, locked, uid, gid, cuid, cgid, creator_pid, last_pid, "
                                + "last_attach, last_detach, last_change (ISO-8601 UTC, or null if never).")
        boolean json;

        @Override
        ExitCode execute() throws Exception {
            SharedMemoryStatus st = open(sel).status();
            IpcPermissions p = st.permissions();
            Output out = out();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("shmid", st.id());
                m.put("key", p.key().toString());
                m.put("size", st.size());
                m.put("attach_count", st.attachCount());
                m.put("mode", p.modeOctal());
                m.put("removal_pending", st.removalPending());
                m.put("locked", st.locked());
                m.put("uid", p.uid());
                m.put("gid", p.gid());
                m.put("cuid", p.cuid());
                m.put("cgid", p.cgid());
                m.put("creator_pid", st.creatorPid());
                m.put("last_pid", st.lastPid());
                m.put("last_attach", time(st.lastAttach()));
                m.put("last_detach", time(st.lastDetach()));
                m.put("last_change", time(st.lastChange()));
                out.println(Json.write(m));
                return ExitCode.OK;
            }
            String state =
                    (st.removalPending() ? " (removed: destroyed at the last detach)" : "")
                            + (st.locked() ? " (locked in memory)" : "");
            out.printf("shmid        %d%n", st.id());
            out.printf("key          %s%n", p.key());
            out.printf("size         %d bytes%n", st.size());
            out.printf("attached     %d%n", st.attachCount());
            out.printf("mode         %s%s%n", p.modeOctal(), state);
            out.printf("owner        uid %d gid %d%n", p.uid(), p.gid());
            out.printf("creator      uid %d gid %d pid %d%n", p.cuid(), p.cgid(), st.creatorPid());
            out.printf("last pid     %d%n", st.lastPid());
            out.printf("last attach  %s%n", human(st.lastAttach()));
            out.printf("last detach  %s%n", human(st.lastDetach()));
            out.printf("last change  %s%n", human(st.lastChange()));
            return ExitCode.OK;
        }

        private static String time(Instant t) {
            return t.equals(Instant.EPOCH) ? null : t.toString();
        }

        private static String human(Instant t) {
            return t.equals(Instant.EPOCH) ? "never" : t.toString();
        }
    }

    /** {@code jipc shm rm SEL}. */
    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description =
                    "Remove a segment (shmctl IPC_RMID). The key is freed at once; the memory when the "
                            + "last process detaches.")
    static final class Rm extends Subcommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Override
        ExitCode execute() throws Exception {
            open(sel).remove();
            return ExitCode.OK;
        }
    }

    /** Creates the command (picocli instantiates it). */
    ShmCommand() {}
}
