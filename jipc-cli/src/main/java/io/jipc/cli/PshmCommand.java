package io.jipc.cli;

import io.jipc.posix.Access;
import io.jipc.posix.Mapping;
import io.jipc.posix.PosixSharedMemory;
import io.jipc.posix.PosixSharedMemoryStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code jipc pshm}: POSIX shared memory objects from the shell (shm_open(3), ftruncate(2),
 * mmap(2), shm_unlink(3)), in the vocabulary of {@code jipc shm}.
 */
@Command(
        name = "pshm",
        mixinStandardHelpOptions = true,
        description =
                "POSIX shared memory (shm_overview(7)): create, write, read, stat, remove objects.",
        subcommands = {
            PshmCommand.Create.class,
            PshmCommand.Write.class,
            PshmCommand.Read.class,
            PshmCommand.Stat.class,
            PshmCommand.Rm.class,
        },
        footer = {
            "",
            "NAME is /name: one leading slash, then 1 to 255 bytes without another slash; the object is "
                    + "the file /dev/shm/name."
        })
final class PshmCommand extends Subcommand {
    @Override
    ExitCode execute() {
        throw usage("a subcommand is required: create, write, read, stat or rm");
    }

    /** {@code jipc pshm create NAME --size BYTES [-m MODE] [--exclusive]}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create the object with a size (or open it if it exists; one smaller than --size is grown "
                        + "to it, never shrunk). New memory reads as zeros. The mode is applied exactly."
            })
    static final class Create extends Subcommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The object's name, e.g. /frames.")
        String name;

        @Option(
                names = "--size",
                required = true,
                paramLabel = "BYTES",
                converter = Converters.Size.class,
                description = "Size in bytes; k, m, g suffixes multiply by 1024, 1024^2, 1024^3.")
        long size;

        @Mixin ModeOption mode;

        @Option(
                names = "--exclusive",
                description = "Fail if an object with this name exists (O_EXCL).")
        boolean exclusive;

        @Override
        ExitCode execute() throws Exception {
            if (size < 1) {
                throw usage("--size must be >= 1 (got " + size + ")");
            }
            PosixSharedMemory shm =
                    exclusive
                            ? PosixSharedMemory.createExclusive(name, mode.bits(), size)
                            : PosixSharedMemory.create(name, mode.bits(), size);
            shm.close();
            return ExitCode.OK;
        }
    }

    /** {@code jipc pshm write NAME [--offset O] (--text S | --hex HEX | --file F | stdin)}. */
    @Command(
            name = "write",
            mixinStandardHelpOptions = true,
            description = {
                "Copy bytes into the object at an offset: --text, --hex, --file, or standard input.",
                "Bytes that do not fit between the offset and the end are refused before anything is written; no "
                        + "more than that room + 1 bytes of a file or standard input are read."
            })
    static final class Write extends Subcommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The object's name, e.g. /frames.")
        String name;

        @Mixin WriteAtOptions at;

        @Override
        ExitCode execute() throws Exception {
            try (PosixSharedMemory shm = PosixSharedMemory.open(name)) {
                byte[] bytes = at.body(this, name, shm.size());
                try (Mapping m = shm.map()) {
                    MemorySegment.copy(
                            MemorySegment.ofArray(bytes), 0, m.segment(), at.offset, bytes.length);
                }
            }
            return ExitCode.OK;
        }
    }

    /** {@code jipc pshm read NAME [--offset O] [--length L] [--format raw|hex|text]}. */
    @Command(
            name = "read",
            mixinStandardHelpOptions = true,
            description = "Print bytes of the object (mapped read-only).")
    static final class Read extends Subcommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The object's name, e.g. /frames.")
        String name;

        @Mixin ReadRangeOptions range;

        @Override
        ExitCode execute() throws Exception {
            byte[] bytes;
            try (PosixSharedMemory shm = PosixSharedMemory.open(name, Access.READ_ONLY)) {
                long len = range.length(this, name, shm.size());
                if (len == 0) {
                    bytes = new byte[0];
                } else {
                    try (Mapping m = shm.mapReadOnly()) {
                        bytes =
                                m.segment()
                                        .asSlice(range.offset, len)
                                        .toArray(ValueLayout.JAVA_BYTE);
                    }
                }
            }
            range.print(this, bytes);
            return ExitCode.OK;
        }
    }

    /** {@code jipc pshm stat NAME [--json]}. */
    @Command(
            name = "stat",
            mixinStandardHelpOptions = true,
            description = "Print the object's owner, mode and size.")
    static final class Stat extends Subcommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The object's name, e.g. /frames.")
        String name;

        @Option(
                names = "--json",
                description =
                        "One JSON object with the fields name, owner, uid, gid, mode (octal "
                                + "text), size.")
        boolean json;

        @Override
        ExitCode execute() throws Exception {
            PosixSharedMemoryStatus st;
            try (PosixSharedMemory shm = PosixSharedMemory.open(name, Access.READ_ONLY)) {
                st = shm.status();
            }
            Output out = out();
            if (json) {
                out.println(Json.write(PosixView.json(st)));
                return ExitCode.OK;
            }
            out.printf("name   %s%n", st.name());
            out.printf("size   %d bytes%n", st.size());
            out.printf("mode   %s%n", PosixView.octal(st.mode()));
            out.printf("owner  %s (uid %d gid %d)%n", SysvView.user(st.uid()), st.uid(), st.gid());
            return ExitCode.OK;
        }
    }

    /** {@code jipc pshm rm NAME}. */
    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description =
                    "Remove the object's name (shm_unlink); the memory goes with the last mapping.")
    static final class Rm extends Subcommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The object's name, e.g. /frames.")
        String name;

        @Override
        ExitCode execute() throws Exception {
            PosixSharedMemory.unlink(name);
            return ExitCode.OK;
        }
    }

    /** Creates the command (picocli instantiates it). */
    PshmCommand() {}
}
