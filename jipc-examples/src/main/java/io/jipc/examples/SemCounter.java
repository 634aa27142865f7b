package io.jipc.examples;

import io.jipc.IpcKey;
import io.jipc.sysv.SemOp;
import io.jipc.sysv.SemaphoreSet;

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
 * The seed's classic: N processes each read a number from a file, add 1 and write it back,
 * serialised by a System V semaphore used as a lock (P/V with {@code SEM_UNDO}, so a process that
 * dies holding it releases it). The result is exactly N times the rounds. Semaphore 0 is the lock,
 * semaphore 1 a start gate (every child waits for zero on it, so all start contending at once). The
 * key is {@code ftok(FILE, 'S')}: the C twin {@code sem_counter.c} meets Java on the same set, and
 * a mixed run (Java and C children on one file) gives the exact total too.
 *
 * <pre>
 * ./jipc example sem-counter                          20 Java child processes, one increment each
 * ./jipc example sem-counter java=4 rounds=100        4 children x 100 increments
 * ./jipc example --source sem-counter &gt; sem_counter.c &amp;&amp; gcc -O2 -o sem_counter sem_counter.c
 * ./jipc example sem-counter java=5 c=5 c-binary=./sem_counter rounds=100   mixed run
 * ./sem_counter 20                                    the C twin alone
 * </pre>
 *
 * A child is this class's {@code main} with {@code --child FILE ROUNDS} (the C twin takes the
 * same).
 */
public final class SemCounter implements Example {
    /** Creates the example (for the service loader). */
    public SemCounter() {}

    @Override
    public String name() {
        return "sem-counter";
    }

    @Override
    public String description() {
        return "N processes add 1 to a number in a file under a SysV semaphore lock (P/V); "
                + "[java=N] [c=N c-binary=PATH] [rounds=R]";
    }

    @Override
    public String cTwin() {
        return "sem_counter.c";
    }

    /**
     * Runs the parent (default) or, with {@code --child FILE ROUNDS}, one child.
     *
     * @param args the arguments
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new SemCounter(), args);
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

    /** The key both languages compute: ftok(FILE, 'S'). */
    private static IpcKey keyOf(Path file) throws IOException {
        return IpcKey.ftok(file, 'S');
    }

    private static int parent(int java, int c, String cBinary, int rounds) throws Exception {
        Path file = Files.createTempFile("sem-counter", ".txt");
        Files.writeString(file, "0\n");
        // Lock free (1), gate closed (1); values set once, then marked initialised (sem_otime).
        SemaphoreSet s = SemaphoreSet.createExclusive(keyOf(file), 0600, 2, 1, 1);
        List<Process> children = new ArrayList<>();
        try {
            for (int i = 0; i < java; i++) {
                children.add(
                        start(
                                JavaCommand.of(
                                        SemCounter.class,
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
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (s.waitingForZero(1) < total
                    && System.nanoTime() < deadline
                    && children.stream().allMatch(Process::isAlive)) {
                Thread.sleep(5);
            }
            s.set(1, 0); // open the gate: everyone contends for the lock now
            int failed = 0;
            for (Process p : children) {
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                failed += p.waitFor() == 0 ? 0 : 1;
            }
            long counter = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
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
            s.remove();
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
     * One child: wait at the gate, then ROUNDS times take the lock, read, add 1, write, release.
     */
    private static void child(Path file, int rounds) throws IOException {
        SemaphoreSet s = SemaphoreSet.openInitialised(keyOf(file), Duration.ofSeconds(10));
        s.op(SemOp.waitZero(1));
        for (int r = 0; r < rounds; r++) {
            try (var _ = s.lock(0)) {
                long n = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
                Files.writeString(file, (n + 1) + "\n", StandardCharsets.US_ASCII);
            }
        }
    }
}
