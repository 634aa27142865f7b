package io.jipc.examples;

import io.jipc.posix.NamedSemaphore;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The semaphore counter on named POSIX semaphores ({@code sem_open}; the System V version is {@code
 * sem-counter}): N processes each read a number from a file, add 1 and write it back, serialised by
 * the named semaphore {@code "/FILE.lock"} (value 1: acquire = {@code sem_wait}, release = {@code
 * sem_post}). The result is exactly N times the rounds. Two more semaphores make everybody start at
 * once: each child releases {@code ".ready"} and waits on {@code ".gate"}; the parent takes N
 * readies, then releases the gate N times. The names come from the counter file's name, so the C
 * twin {@code psem_counter.c} meets Java on the same semaphores, and a mixed run gives the exact
 * total too.
 *
 * <p>Unlike {@code SEM_UNDO}, nothing releases the lock of a process that dies holding it: that is
 * the difference to remember between the two families.
 *
 * <pre>
 * ./jipc example psem-counter                          20 Java child processes, one increment each
 * ./jipc example psem-counter java=4 rounds=100        4 children x 100 increments
 * ./jipc example --source psem-counter &gt; psem_counter.c &amp;&amp; gcc -O2 -o psem_counter psem_counter.c
 * ./jipc example psem-counter java=5 c=5 c-binary=./psem_counter rounds=100   mixed run
 * ./psem_counter 20                                    the C twin alone
 * </pre>
 *
 * A child is this class's {@code main} with {@code --child FILE ROUNDS} (the C twin takes the
 * same).
 */
public final class PosixSemCounter implements Example {
    /** Creates the example (for the service loader). */
    public PosixSemCounter() {}

    @Override
    public String name() {
        return "psem-counter";
    }

    @Override
    public String description() {
        return "N processes add 1 to a number in a file under a named POSIX semaphore (sem_open); "
                + "[java=N] [c=N c-binary=PATH] [rounds=R]";
    }

    @Override
    public String cTwin() {
        return "psem_counter.c";
    }

    /**
     * Runs the parent (default) or, with {@code --child FILE ROUNDS}, one child.
     *
     * @param args the arguments
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new PosixSemCounter(), args);
    }

    @Override
    public int run(String... args) throws Exception {
        if (args.length == 3 && args[0].equals("--child")) {
            child(Path.of(args[1]), Integer.parseInt(args[2]));
            return 0;
        }
        CounterRun run;
        try {
            run = CounterRun.parse(args, name(), cTwin());
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage(), "[java=N] [c=N c-binary=PATH] [rounds=R]");
        }
        return parent(run.java(), run.c(), run.cBinary(), run.rounds());
    }

    /**
     * {@code /tmp/psem-counter123.txt} and {@code "lock"} give {@code "/psem-counter123.txt.lock"}.
     */
    private static String semName(Path file, String suffix) {
        return "/" + file.getFileName() + "." + suffix;
    }

    private static int parent(int java, int c, String cBinary, int rounds) throws Exception {
        Path file = Files.createTempFile("psem-counter", ".txt");
        Files.writeString(file, "0\n");
        List<Process> children = new ArrayList<>();
        try (NamedSemaphore lock = NamedSemaphore.createExclusive(semName(file, "lock"), 0600, 1);
                NamedSemaphore gate =
                        NamedSemaphore.createExclusive(semName(file, "gate"), 0600, 0);
                NamedSemaphore ready =
                        NamedSemaphore.createExclusive(semName(file, "ready"), 0600, 0)) {
            try {
                for (int i = 0; i < java; i++) {
                    children.add(
                            start(
                                    JavaCommand.of(
                                            PosixSemCounter.class,
                                            "--child",
                                            file.toString(),
                                            Integer.toString(rounds))));
                }
                for (int i = 0; i < c; i++) {
                    children.add(
                            start(
                                    List.of(
                                            cBinary,
                                            "--child",
                                            file.toString(),
                                            Integer.toString(rounds))));
                }
                int total = java + c;
                for (int i = 0;
                        i < total;
                        i++) { // everybody at the gate (or one died: stop waiting)
                    while (!ready.tryAcquire(Duration.ofMillis(200))) {
                        if (!children.stream().allMatch(Process::isAlive)) {
                            throw new IllegalStateException("a child ended before the start");
                        }
                    }
                }
                for (int i = 0; i < total; i++) {
                    gate.release();
                }
                int failed = 0;
                for (Process p : children) {
                    if (!p.waitFor(300, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                    failed += p.waitFor() == 0 ? 0 : 1;
                }
                long counter =
                        Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
                long expected = (long) total * rounds;
                System.out.printf(
                        "counter = %d (expected %d; %d Java + %d C processes x %d rounds%s)%n",
                        counter,
                        expected,
                        java,
                        c,
                        rounds,
                        failed == 0 ? "" : "; " + failed + " failed");
                return counter == expected && failed == 0 ? 0 : 1;
            } finally {
                children.forEach(Process::destroyForcibly);
                lock.unlink();
                gate.unlink();
                ready.unlink();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /**
     * One child: report ready, wait at the gate, then ROUNDS times lock, read, add 1, write,
     * unlock.
     */
    private static void child(Path file, int rounds) throws IOException {
        try (NamedSemaphore lock = NamedSemaphore.open(semName(file, "lock"));
                NamedSemaphore gate = NamedSemaphore.open(semName(file, "gate"));
                NamedSemaphore ready = NamedSemaphore.open(semName(file, "ready"))) {
            ready.release();
            gate.acquire();
            for (int r = 0; r < rounds; r++) {
                lock.acquire();
                try {
                    long n =
                            Long.parseLong(
                                    Files.readString(file, StandardCharsets.US_ASCII).trim());
                    Files.writeString(file, (n + 1) + "\n", StandardCharsets.US_ASCII);
                } finally {
                    lock.release();
                }
            }
        }
    }
}
