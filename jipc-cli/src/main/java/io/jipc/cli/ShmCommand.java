package io.jipc.cli;

import io.jipc.IpcKey;
import io.jipc.sysv.Attachment;
import io.jipc.sysv.IpcPermissions;
import io.jipc.sysv.SharedMemory;
import io.jipc.sysv.SharedMemoryStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jipc shm create|write|read|stat|rm}: System V shared memory segments from the shell
 * (what {@code ipcmk -M}, {@code ipcs -m -i} and {@code ipcrm -m} do, plus reading and writing
 * the bytes).
 */
@Command(name = "shm", mixinStandardHelpOptions = true,
        description = "System V shared memory: create, write, read, stat, remove segments.",
        subcommands = {
            ShmCommand.Create.class,
            ShmCommand.Write.class,
            ShmCommand.Read.class,
            ShmCommand.Stat.class,
            ShmCommand.Rm.class,
        })
final class ShmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: create, write, read, stat or rm");
    }

    static SharedMemory open(ObjectSelector sel) throws IOException {
        return switch (sel.resolve()) {
            case ObjectSelector.ByKey k -> SharedMemory.open(k.key());
            case ObjectSelector.ById i -> SharedMemory.ofId(i.id());
        };
    }

    /** Checks that {@code [offset, offset + length)} lies inside the segment. */
    static void checkRange(SharedMemory shm, long offset, long length) {
        if (offset < 0 || length < 0 || offset > shm.size() || length > shm.size() - offset) {
            throw new IllegalArgumentException("offset " + offset + " and length " + length
                    + " do not fit in shmid " + shm.id() + ", whose size is " + shm.size() + " bytes");
        }
    }

    /** {@code jipc shm create SEL --size N [--mode 0600] [--exclusive]}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a segment (or open the key's existing one) and print its shmid.",
                "--key 0 (IPC_PRIVATE) always creates a new segment."})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(names = "--size", required = true, paramLabel = "N", converter = Size.class,
                description = "Size in bytes; k, m, g suffixes multiply by 1024, 1024^2, 1024^3.")
        long size;

        @Option(names = "--mode", paramLabel = "MODE", defaultValue = "0600", converter = Mode.class,
                description = "Permission bits in octal (default: ${DEFAULT-VALUE}).")
        int mode;

        @Option(names = "--exclusive", description = "Fail if the key already has a segment (IPC_EXCL).")
        boolean exclusive;

        @Override
        public Integer call() throws Exception {
            if (!(sel.resolve() instanceof ObjectSelector.ByKey k)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "create needs --key (0 for a private segment) or --path/--proj, not --id");
            }
            IpcKey key = k.key();
            SharedMemory shm = key.isPrivate() ? SharedMemory.createPrivate(mode, size)
                    : exclusive ? SharedMemory.createExclusive(key, mode, size) : SharedMemory.create(key, mode, size);
            spec.commandLine().getOut().println(shm.id());
            return Main.OK;
        }
    }

    /** {@code jipc shm write SEL [--offset O] (--text S | --hex HEX | --file F | stdin)}. */
    @Command(name = "write", mixinStandardHelpOptions = true,
            description = "Copy bytes into a segment at an offset: --text, --hex, --file, or standard input.")
    static final class Write implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(names = "--offset", paramLabel = "O", defaultValue = "0", converter = Size.class,
                description = "Where to write, in bytes from the start (default 0).")
        long offset;

        @ArgGroup(exclusive = true)
        Source source;

        /** Where the bytes come from (standard input when none is given). */
        static final class Source {
            @Option(names = "--text", paramLabel = "S", description = "UTF-8 text (no terminating NUL is added).")
            String text;

            @Option(names = "--hex", paramLabel = "HEX", description = "Bytes in hexadecimal, e.g. 48690a00.")
            String hex;

            @Option(names = "--file", paramLabel = "F", description = "The bytes of a file.")
            Path file;
        }

        @Override
        public Integer call() throws Exception {
            byte[] bytes = bytes();
            SharedMemory shm = open(sel);
            checkRange(shm, offset, bytes.length);
            try (Attachment a = shm.attach()) {
                MemorySegment.copy(bytes, 0, a.segment(), ValueLayout.JAVA_BYTE, offset, bytes.length);
            }
            return Main.OK;
        }

        private byte[] bytes() throws IOException {
            if (source == null) {
                return System.in.readAllBytes();
            }
            if (source.text != null) {
                return source.text.getBytes(StandardCharsets.UTF_8);
            }
            if (source.hex != null) {
                try {
                    return HexFormat.of().parseHex(source.hex.replaceAll("\\s+", ""));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--hex '" + source.hex
                            + "' is not an even number of hexadecimal digits");
                }
            }
            return Files.readAllBytes(source.file);
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

    /** {@code jipc shm read SEL [--offset O] [--length L] [--format raw|hex|text]}. */
    @Command(name = "read", mixinStandardHelpOptions = true,
            description = "Print bytes of a segment (attached read-only).")
    static final class Read implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(names = "--offset", paramLabel = "O", defaultValue = "0", converter = Size.class,
                description = "Where to start, in bytes (default 0).")
        long offset;

        @Option(names = "--length", paramLabel = "L", converter = Size.class,
                description = "How many bytes (default: up to the end of the segment).")
        Long length;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "raw",
                description = "raw (the bytes), hex (lower-case, no spaces) or text (UTF-8 up to the first NUL);"
                        + " default ${DEFAULT-VALUE}.")
        Format format;

        @Override
        public Integer call() throws Exception {
            SharedMemory shm = open(sel);
            long len = length != null ? length : Math.max(0, shm.size() - offset);
            checkRange(shm, offset, len);
            if (len > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("length " + len + " is more than one read can print; use --length");
            }
            byte[] bytes;
            try (Attachment a = shm.attachReadOnly()) {
                bytes = a.segment().asSlice(offset, len).toArray(ValueLayout.JAVA_BYTE);
            }
            PrintWriter out = spec.commandLine().getOut();
            switch (format) {
                case hex -> out.println(HexFormat.of().formatHex(bytes));
                case text -> {
                    int end = 0;
                    while (end < bytes.length && bytes[end] != 0) {
                        end++;
                    }
                    out.println(new String(bytes, 0, end, StandardCharsets.UTF_8));
                }
                case raw -> {
                    out.flush();
                    PrintStream raw = System.out;
                    raw.write(bytes);
                    raw.flush();
                }
            }
            out.flush();
            return Main.OK;
        }
    }

    /** {@code jipc shm stat SEL [--json]}. */
    @Command(name = "stat", mixinStandardHelpOptions = true,
            description = "Print a segment's status (shmctl IPC_STAT).")
    static final class Stat implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Option(names = "--json", description = {"One JSON object with the fields shmid, key, size, attach_count,",
            "mode (octal text), removal_pending, locked, uid, gid, cuid, cgid, creator_pid, last_pid,",
            "last_attach, last_detach, last_change (ISO-8601 UTC, or null if never)."})
        boolean json;

        @Override
        public Integer call() throws Exception {
            SharedMemoryStatus st = open(sel).status();
            IpcPermissions p = st.permissions();
            PrintWriter out = spec.commandLine().getOut();
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
                return Main.OK;
            }
            String state = (st.removalPending() ? " (removed: destroyed at the last detach)" : "")
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
            return Main.OK;
        }

        private static String time(Instant t) {
            return t.equals(Instant.EPOCH) ? null : t.toString();
        }

        private static String human(Instant t) {
            return t.equals(Instant.EPOCH) ? "never" : t.toString();
        }
    }

    /** {@code jipc shm rm SEL}. */
    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = {"Remove a segment (shmctl IPC_RMID). The key is freed at once; the memory when the",
                "last process detaches."})
    static final class Rm implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ObjectSelector sel;

        @Override
        public Integer call() throws Exception {
            open(sel).remove();
            return Main.OK;
        }
    }

    /** A byte count: decimal, or 0x hexadecimal, with an optional k/m/g suffix. */
    static final class Size implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            long unit = 1;
            if (!v.startsWith("0x") && !v.isEmpty()) {
                switch (v.charAt(v.length() - 1)) {
                    case 'k' -> unit = 1L << 10;
                    case 'm' -> unit = 1L << 20;
                    case 'g' -> unit = 1L << 30;
                    default -> unit = 1;
                }
                if (unit != 1) {
                    v = v.substring(0, v.length() - 1);
                }
            }
            try {
                long n = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
                if (n < 0) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is negative");
                }
                return Math.multiplyExact(n, unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a byte count (e.g. 4096, 0x1000, 64k, 2m)");
            }
        }
    }

    /** Permission bits in octal, e.g. {@code 0600} or {@code 644}. */
    static final class Mode implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int m = Integer.parseInt(value, 8);
                if (m < 0 || m > 0777) {
                    throw new NumberFormatException();
                }
                return m;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a mode (octal permission bits 0..0777, e.g. 0600)");
            }
        }
    }

    /** Creates the command (picocli instantiates it). */
    ShmCommand() {
    }
}
