package io.jipc.cli;

import io.jipc.posix.NamedSemaphore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/**
 * {@code jipc psem}: named POSIX semaphores from the shell (sem_open(3), sem_post(3), sem_wait(3),
 * sem_getvalue(3), sem_unlink(3)), the same {@code sem_t} C programs open by name.
 */
@Command(
        name = "psem",
        mixinStandardHelpOptions = true,
        description =
                "Named POSIX semaphores (sem_overview(7)): create, post, wait, get the value, remove.",
        subcommands = {
            PsemCommand.Create.class,
            PsemCommand.Post.class,
            PsemCommand.Wait.class,
            PsemCommand.Get.class,
            PsemCommand.Rm.class,
        },
        footer = {
            "",
            "NAME is /name: one leading slash, then 1 to 251 bytes without another slash; glibc keeps the "
                    + "semaphore in /dev/shm/sem.name."
        })
final class PsemCommand extends Subcommand {
    @Override
    ExitCode execute() {
        throw usage("a subcommand is required (create, post, wait, get, rm)");
    }

    /** {@code jipc psem create NAME [--value N] [-m MODE] [--exclusive]}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create the semaphore with a value (or open it if it exists: its value stays as it is). "
                        + "The mode is applied exactly (the umask does not narrow it)."
            })
    static final class Create extends Subcommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The semaphore's name, e.g. /lock.")
        String name;

        @Option(
                names = "--value",
                paramLabel = "N",
                defaultValue = "0",
                description = "The initial value of a new semaphore (default ${DEFAULT-VALUE}).")
        int value;

        @Mixin ModeOption mode;

        @Option(
                names = "--exclusive",
                description = "Fail if a semaphore with this name exists (O_EXCL).")
        boolean exclusive;

        @Override
        ExitCode execute() throws Exception {
            if (value < 0) {
                throw usage("--value must be >= 0 (got " + value + ")");
            }
            NamedSemaphore s =
                    exclusive
                            ? NamedSemaphore.createExclusive(name, mode.bits(), value)
                            : NamedSemaphore.create(name, mode.bits(), value);
            s.close();
            return ExitCode.OK;
        }
    }

    /** {@code jipc psem post NAME}. */
    @Command(
            name = "post",
            mixinStandardHelpOptions = true,
            description = "Add one to the value (sem_post), waking a waiter.")
    static final class Post extends Subcommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The semaphore's name, e.g. /lock.")
        String name;

        @Override
        ExitCode execute() throws Exception {
            try (NamedSemaphore s = NamedSemaphore.open(name)) {
                s.release();
            }
            return ExitCode.OK;
        }
    }

    /** {@code jipc psem wait NAME [--nowait] [--timeout D]}. */
    @Command(
            name = "wait",
            mixinStandardHelpOptions = true,
            description = {
                "Take one from the value (sem_wait), waiting while it is 0.",
                "With --nowait (sem_trywait) or --timeout (sem_clockwait), exit 3 when nothing was taken."
            })
    static final class Wait extends Subcommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The semaphore's name, e.g. /lock.")
        String name;

        @Option(names = "--nowait", description = "Do not wait; exit 3 if the value is 0.")
        boolean nowait;

        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                converter = Converters.Duration.class,
                description =
                        "Wait at most this long ("
                                + Converters.Duration.GRAMMAR
                                + "); exit 3 when it runs out.")
        Duration timeout;

        @Override
        ExitCode execute() throws Exception {
            if (nowait && timeout != null) {
                throw usage("--nowait and --timeout exclude each other");
            }
            try (NamedSemaphore s = NamedSemaphore.open(name)) {
                if (nowait) {
                    return s.tryAcquire()
                            ? ExitCode.OK
                            : nothing("the value is 0 (sem_wait would block)");
                }
                if (timeout != null) {
                    return s.tryAcquire(timeout)
                            ? ExitCode.OK
                            : nothing(
                                    "the value stayed 0 for " + Converters.Duration.text(timeout));
                }
                s.acquire();
                return ExitCode.OK;
            }
        }
    }

    /** {@code jipc psem get NAME}. */
    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Print the value (sem_getvalue).")
    static final class Get extends Subcommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The semaphore's name, e.g. /lock.")
        String name;

        @Override
        ExitCode execute() throws Exception {
            try (NamedSemaphore s = NamedSemaphore.open(name)) {
                out().println(s.value());
            }
            return ExitCode.OK;
        }
    }

    /** {@code jipc psem rm NAME}. */
    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description =
                    "Remove a semaphore's name (sem_unlink); processes that have it open keep using it.")
    static final class Rm extends Subcommand {
        @Parameters(
                index = "0",
                paramLabel = "NAME",
                description = "The semaphore's name, e.g. /lock.")
        String name;

        @Override
        ExitCode execute() throws Exception {
            NamedSemaphore.unlink(name);
            return ExitCode.OK;
        }
    }

    /** Creates the command (picocli instantiates it). */
    PsemCommand() {}
}
