package io.jipc.bench;

import io.jipc.IpcKey;
import io.jipc.sysv.MessageQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs the pairs of {@code jipc bench}: for each mechanism and each repetition, the Java pair then
 * the C pair (then, for the message queue, the JNA and Python pairs), so that drift of the machine
 * hits all of them alike.
 */
public final class Harness {
    private Harness() {
    }

    /**
     * What to run.
     *
     * @param mechanisms the mechanisms, in order
     * @param warmup ping-pongs before the timed ones
     * @param rounds timed ping-pongs per run
     * @param n64 one-way 64-byte messages per run
     * @param n4k one-way 4 KiB messages per run
     * @param repetitions runs of each pair per mechanism
     * @param cpus CPUs to pin the two sides to (first: this side, second: the peer), or empty
     * @param peers whether to add the JNA and Python pairs for the message queue
     */
    public record Params(List<Mechanism> mechanisms, int warmup, int rounds, long n64, long n4k,
                         int repetitions, List<Integer> cpus, boolean peers) {
        /**
         * The {@code --quick} defaults (under 90 s on a 2-core machine for every mechanism).
         *
         * @return the parameters
         */
        public static Params quick() {
            return new Params(List.of(Mechanism.values()), 5_000, 10_000, 100_000, 20_000, 2, List.of(), true);
        }

        int cpu(int side) {
            return cpus.isEmpty() ? -1 : cpus.get(Math.min(side, cpus.size() - 1));
        }

        List<String> cpuPrefix(int side) {
            return cpus.isEmpty() ? List.of() : List.of("taskset", "-c", "" + cpu(side));
        }

        void pinSelf(int side) throws IOException, InterruptedException {
            if (!cpus.isEmpty()) {
                taskset("" + cpu(side));
            }
        }

        void unpinSelf() throws IOException, InterruptedException {
            if (!cpus.isEmpty()) {
                taskset("0-" + (Runtime.getRuntime().availableProcessors() - 1));
            }
        }

        private static void taskset(String list) throws IOException, InterruptedException {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", list, "" + ProcessHandle.current().pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Runs everything and returns the results (pairs that could not run carry the reason).
     *
     * @param p what to run
     * @param progress receives one line per step
     * @return one result per (mechanism, implementation) in run order
     * @throws IOException if the temporary directory cannot be made
     */
    public static List<Result> run(Params p, Consumer<String> progress) throws IOException {
        Map<String, Result> results = new LinkedHashMap<>();
        Path tmp = Files.createTempDirectory("jipc-bench-");
        AutoCloseable rmTmp = Cleanup.add(() -> deleteTree(tmp));
        try {
            Optional<Path> c = compileC(progress);
            String cMissing = c.isPresent() ? null : cWhy;
            boolean jna = p.peers() && classPresent("com.sun.jna.Native");
            boolean python = p.peers() && pythonHasSysvIpc();
            int total = p.mechanisms().size() * p.repetitions();
            int step = 0;
            for (Mechanism m : p.mechanisms()) {
                for (int rep = 0; rep < p.repetitions(); rep++) {
                    step++;
                    String where = "[" + step + "/" + total + "] " + m.id() + " run " + (rep + 1) + "/" + p.repetitions() + ": ";
                    if (m.isChannel()) {
                        ChannelPair.runAll(m, p, where, progress, (impl, pair) -> attempt(results, m, impl, where,
                                progress, pair::run), (impl, why) -> results.computeIfAbsent(m.id() + "/" + impl,
                                k -> new Result(m, impl)).skipped = why);
                        continue;
                    }
                    attempt(results, m, "java", where, progress, () -> JavaPair.run(m, p, tmp));
                    if (c.isPresent()) {
                        attempt(results, m, "c", where, progress, () -> cPair(c.get(), m, p, tmp));
                    } else {
                        results.computeIfAbsent(m.id() + "/c", k -> new Result(m, "c")).skipped = cMissing;
                    }
                    if (m == Mechanism.MQ && p.peers()) {
                        if (jna) {
                            attempt(results, m, "jna", where, progress, () -> jnaPair(p));
                        } else {
                            results.computeIfAbsent("mq/jna", k -> new Result(m, "jna")).skipped = "JNA is not on the class path";
                        }
                        if (python) {
                            attempt(results, m, "python", where, progress, () -> pythonPair(p));
                        } else {
                            results.computeIfAbsent("mq/python", k -> new Result(m, "python")).skipped =
                                    "/usr/bin/python3 with the sysv_ipc module not found (Debian: python3-sysv-ipc)";
                        }
                    }
                }
            }
        } finally {
            Cleanup.quietly(rmTmp::close);
        }
        return new ArrayList<>(results.values());
    }

    /** One run of a pair. */
    interface Pair {
        /**
         * Runs the pair once.
         *
         * @return what it measured
         * @throws Exception on failure
         */
        Protocol.Run run() throws Exception;
    }

    private static void attempt(Map<String, Result> results, Mechanism m, String impl, String where,
                                Consumer<String> progress, Pair pair) {
        Result r = results.computeIfAbsent(m.id() + "/" + impl, k -> new Result(m, impl));
        long t0 = System.nanoTime();
        try {
            Protocol.Run run = pair.run();
            r.add(run);
            progress.accept(String.format("%s%-6s RTT p50 %7.1f us  %9.0f msg/s  %8.1f MB/s  (%.1f s)", where, impl,
                    run.rttNs()[run.rttNs().length / 2] / 1e3, run.count64() * 1e9 / Math.max(1, run.ns64()),
                    run.count4k() * (double) Link.BIG * 1e3 / Math.max(1, run.ns4k()), (System.nanoTime() - t0) / 1e9));
        } catch (Exception e) {
            r.skipped = "failed: " + e.getMessage();
            progress.accept(where + impl + " failed: " + e.getMessage());
        }
    }

    // ---- the C pair ---------------------------------------------------------------------------

    private static String cWhy = "";

    /** Compiles bench_peer.c (shipped in the jar) with the machine's gcc into ~/.cache/jipc. */
    static synchronized Optional<Path> compileC(Consumer<String> progress) {
        return build("bench_peer.c", List.of(), progress);
    }

    /**
     * Compiles a C program shipped in the jar next to this class, with the headers it includes
     * (also shipped there) written beside it, with the machine's gcc into
     * {@code ~/.cache/jipc/bench-HASH/} (the system property {@code jipc.cache} replaces
     * {@code ~/.cache/jipc}; tests put it under target/), once per version of the sources. On
     * failure {@link #buildFailure()} says why.
     *
     * @param source e.g. {@code bench_peer.c}; the executable is named without {@code .c}
     * @param headers the headers it includes, e.g. {@code jipc_channel.h}
     * @param progress receives a line when gcc runs
     * @return the executable
     */
    static synchronized Optional<Path> build(String source, List<String> headers, Consumer<String> progress) {
        String output = source.replaceFirst("\\.c$", "");
        try {
            java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String name : java.util.stream.Stream.concat(java.util.stream.Stream.of(source), headers.stream()).toList()) {
                try (InputStream in = Harness.class.getResourceAsStream(name)) {
                    if (in == null) {
                        cWhy = name + " is not among the resources";
                        return Optional.empty();
                    }
                    byte[] b = in.readAllBytes();
                    files.put(name, b);
                    sha.update(b);
                }
            }
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
            String home = System.getProperty("user.home");
            // The system property jipc.cache (tests: under target/) replaces ~/.cache/jipc.
            Path cache = Path.of(System.getProperty("jipc.cache",
                    System.getenv().getOrDefault("XDG_CACHE_HOME", home + "/.cache") + "/jipc"));
            Path dir = cache.resolve("bench-" + hash);
            Path exe = dir.resolve(output);
            if (Files.isExecutable(exe)) {
                return Optional.of(exe);
            }
            Optional<Path> gcc = onPath("gcc");
            if (gcc.isEmpty()) {
                cWhy = "gcc not found on PATH: the C side is skipped";
                return Optional.empty();
            }
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
            }
            Path c = dir.resolve(source);
            Path tmpExe = dir.resolve(output + ".tmp" + ProcessHandle.current().pid());
            progress.accept("compiling the C pair: gcc -O2 " + c);
            Process p = new ProcessBuilder(gcc.get().toString(), "-O2", "-I", dir.toString(), "-o", tmpExe.toString(),
                    c.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                Files.deleteIfExists(tmpExe);
                cWhy = "gcc failed on " + source + ": " + out.lines().findFirst().orElse("");
                return Optional.empty();
            }
            Files.move(tmpExe, exe, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(exe);
        } catch (Exception e) {
            cWhy = "could not build " + source + ": " + e;
            return Optional.empty();
        }
    }

    /**
     * Why the last {@link #build} failed.
     *
     * @return the reason
     */
    static synchronized String buildFailure() {
        return cWhy;
    }

    private static Protocol.Run cPair(Path exe, Mechanism m, Params p, Path tmp) throws Exception {
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            List<String> cmd = new ArrayList<>(List.of(exe.toString(), m.id(), "" + p.warmup(), "" + p.rounds(),
                    "" + p.n64(), "" + p.n4k(), "" + p.cpu(0), "" + p.cpu(1)));
            switch (m) {
                case FIFO -> {
                    for (String n : List.of("c-there", "c-back")) {
                        var f = io.jipc.pipe.Fifo.create(tmp.resolve(n + "-" + System.nanoTime()), 0600);
                        undo.add(Cleanup.add(f::remove));
                        cmd.add(f.path().toString());
                    }
                }
                case MQ -> {
                    MessageQueue q = MessageQueue.createPrivate(0600);
                    undo.add(Cleanup.add(q::remove));
                    cmd.add("" + q.id());
                }
                case SEM, SHM -> {
                    if (m == Mechanism.SHM) {
                        var shm = io.jipc.sysv.SharedMemory.createPrivate(0600, Link.SHM_SIZE);
                        undo.add(Cleanup.add(shm::remove));
                        cmd.add("" + shm.id());
                    }
                    var s = io.jipc.sysv.SemaphoreSet.createPrivate(0600, 3);
                    undo.add(Cleanup.add(s::remove));
                    cmd.add("" + s.id());
                }
                case POSIX_MQ, POSIX_SEM -> cmd.addAll(PosixLinks.create(m, undo));
                default -> {
                }
            }
            return external(cmd, undo, "the C pair");
        } finally {
            for (int i = undo.size() - 1; i >= 0; i--) {
                AutoCloseable u = undo.get(i);
                Cleanup.quietly(u::close);
            }
        }
    }

    /** Runs a pair that prints its own results (C, JNA, Python) and parses them. */
    static Protocol.Run external(List<String> cmd, List<AutoCloseable> undo, String what) throws Exception {
        Path out = Files.createTempFile("jipc-bench-out", ".txt");
        Path err = Files.createTempFile("jipc-bench-err", ".txt");
        try {
            // Output into files, not pipes: a grandchild left holding a pipe cannot hang the read.
            Process proc = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            AutoCloseable kill = Cleanup.add(() -> {
                proc.descendants().forEach(ProcessHandle::destroyForcibly);
                proc.destroyForcibly();
                proc.waitFor(5, TimeUnit.SECONDS);
            });
            undo.add(kill);
            boolean exited = proc.waitFor(120, TimeUnit.SECONDS);
            if (!exited || proc.exitValue() != 0) {
                kill.close();
                String e = Files.readString(err).strip();
                throw new IOException(what + (exited ? " failed" : " did not finish in 120 s")
                        + (e.isEmpty() ? "" : ": " + e.lines().reduce((a, b) -> b).orElse("")));
            }
            return Protocol.Run.parse(Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    // ---- JNA and Python pairs (message queue) -------------------------------------------------

    private static Protocol.Run jnaPair(Params p) throws Exception {
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            MessageQueue q = MessageQueue.createPrivate(0600);
            undo.add(Cleanup.add(q::remove));
            List<String> cmd = JavaPair.jvm(JnaPair.class.getName(), p.cpuPrefix(0));
            cmd.addAll(List.of("driver", "" + q.id(), "" + p.warmup(), "" + p.rounds(), "" + p.n64(), "" + p.n4k(),
                    p.cpus().isEmpty() ? "-" : "" + p.cpu(1)));
            return external(cmd, undo, "the JNA pair");
        } finally {
            for (int i = undo.size() - 1; i >= 0; i--) {
                AutoCloseable u = undo.get(i);
                Cleanup.quietly(u::close);
            }
        }
    }

    private static final String PYTHON = "/usr/bin/python3";

    private static boolean pythonHasSysvIpc() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import sysv_ipc").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Protocol.Run pythonPair(Params p) throws Exception {
        List<AutoCloseable> undo = new ArrayList<>();
        Path script = Files.createTempFile("jipc-bench-mq", ".py");
        try {
            try (InputStream in = Harness.class.getResourceAsStream("bench_mq.py")) {
                Files.write(script, in.readAllBytes());
            }
            // sysv_ipc opens queues by key only: a fresh random key, removed afterwards.
            MessageQueue q = null;
            int key = 0;
            for (int i = 0; q == null && i < 100; i++) {
                key = ThreadLocalRandom.current().nextInt(0x10000, Integer.MAX_VALUE);
                try {
                    q = MessageQueue.createExclusive(IpcKey.of(key), 0600);
                } catch (io.jipc.AlreadyExistsException e) {
                    // try another
                }
            }
            if (q == null) {
                throw new IOException("no free key for the Python pair's queue");
            }
            undo.add(Cleanup.add(q::remove));
            List<String> cmd = new ArrayList<>(p.cpuPrefix(0));
            cmd.addAll(List.of(PYTHON, script.toString(), "" + key, "" + p.warmup(), "" + p.rounds(), "" + p.n64(),
                    "" + p.n4k(), "" + p.cpu(1)));
            return external(cmd, undo, "the Python pair");
        } finally {
            for (int i = undo.size() - 1; i >= 0; i--) {
                AutoCloseable u = undo.get(i);
                Cleanup.quietly(u::close);
            }
            Files.deleteIfExists(script);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, Harness.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : path.split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * Prints a line on a stream (for progress).
     *
     * @param out the stream
     * @return a consumer printing each line and flushing
     */
    public static Consumer<String> printer(PrintStream out) {
        return line -> {
            out.println(line);
            out.flush();
        };
    }
}
