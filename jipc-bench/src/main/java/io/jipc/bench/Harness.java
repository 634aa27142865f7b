package io.jipc.bench;

import io.jipc.Cpus;
import io.jipc.IpcKey;
import io.jipc.pipe.Child;
import io.jipc.pipe.ExitStatus;
import io.jipc.pipe.Spawn;
import io.jipc.sysv.MessageQueue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
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
 * Runs the pairs of {@code jipc bench}: for each mechanism, each repetition and each {@link
 * Placement}, the Java pair then the C pair (then, for the message queue, the JNA and Python
 * pairs), so that drift of the machine hits all of them alike. Every side pins its measuring thread
 * to the placement's CPU (see {@link Placement}), and only that thread: the JVM's other threads
 * keep every CPU. A thread started by the pinned thread would inherit its CPU (Linux copies the
 * affinity); {@code Cpus.pinCurrentThread} starts jipc's own lazily started threads (the descriptor
 * cleaner, the timer, the virtual-thread poller) before it pins, and the measuring thread starts
 * none while pinned.
 */
public final class Harness {
    private Harness() {}

    /**
     * What to run.
     *
     * @param mechanisms the mechanisms, in order
     * @param warmup ping-pongs before the timed ones
     * @param rounds timed ping-pongs per run
     * @param n64 one-way 64-byte messages per run
     * @param n4k one-way 4 KiB messages per run
     * @param repetitions runs of each pair per mechanism and placement
     * @param cpus the CPUs to use (first: this side, second: the peer in {@code split}; {@code
     *     same} uses the first for both), or empty for the first CPUs this process may use
     * @param placements the placements to run, in order
     * @param peers whether to add the JNA and Python pairs for the message queue
     */
    public record Params(
            List<Mechanism> mechanisms,
            int warmup,
            int rounds,
            long n64,
            long n4k,
            int repetitions,
            List<Integer> cpus,
            List<Placement> placements,
            boolean peers) {
        /**
         * The {@code --quick} defaults (under 3 minutes on a 2-core machine for every mechanism in
         * both placements).
         *
         * @return the parameters
         */
        public static Params quick() {
            return new Params(
                    List.of(Mechanism.values()),
                    2_000,
                    20_000,
                    100_000,
                    20_000,
                    1,
                    List.of(),
                    List.of(Placement.values()),
                    true);
        }
    }

    /**
     * Where one placement runs: the CPU of this side's measuring thread and the peer's.
     *
     * @param placement the placement
     * @param self this side's CPU
     * @param peer the peer's CPU
     */
    public record Where(Placement placement, int self, int peer) {
        /**
         * The CPUs as JSON shows them: {@code [this, peer]}.
         *
         * @return the two CPUs
         */
        public List<Integer> cpus() {
            return List.of(self, peer);
        }
    }

    /**
     * The CPUs of each placement, or why a placement cannot run here.
     *
     * @param p what to run
     * @param allowed the CPUs this process may use ({@code io.jipc.Cpus.allowed()})
     * @return for each placement of {@code p}, a {@link Where} or a reason (String)
     */
    public static Map<Placement, Object> plan(Params p, List<Integer> allowed) {
        Map<Placement, Object> plan = new LinkedHashMap<>();
        List<Integer> cpus = p.cpus().isEmpty() ? allowed : p.cpus();
        for (Placement pl : p.placements()) {
            if (pl == Placement.SAME) {
                plan.put(pl, new Where(pl, cpus.get(0), cpus.get(0)));
            } else if (cpus.size() < 2) {
                plan.put(
                        pl,
                        p.cpus().isEmpty()
                                ? "only one CPU ("
                                        + cpus.get(0)
                                        + ") is allowed to this process: split needs two"
                                : "--cpus names one CPU: split needs two");
            } else if (cpus.get(0).equals(cpus.get(1))) {
                plan.put(
                        pl,
                        "--cpus names CPU "
                                + cpus.get(0)
                                + " twice: split needs two different CPUs");
            } else {
                plan.put(pl, new Where(pl, cpus.get(0), cpus.get(1)));
            }
        }
        return plan;
    }

    /**
     * Runs everything and returns the results (pairs that could not run carry the reason). For each
     * mechanism and repetition, every placement runs its pairs one after the other (Java, C, then
     * JNA and Python for the queue), so that drift of the machine hits all of them alike.
     *
     * @param p what to run
     * @param progress receives one line per step
     * @return one result per (mechanism, implementation, placement) in run order
     * @throws IOException if the temporary directory cannot be made or the CPUs cannot be read
     */
    public static List<Result> run(Params p, Consumer<String> progress) throws IOException {
        Map<String, Result> results = new LinkedHashMap<>();
        Map<Placement, Object> plan = plan(p, Cpus.allowed());
        List<Where> wheres = new ArrayList<>();
        for (Object o : plan.values()) {
            if (o instanceof Where w) {
                wheres.add(w);
            }
        }
        // Every file of the run lives in one directory, removed at the end (jipc.bench.tmpdir:
        // where
        // it goes, java.io.tmpdir by default).
        Path root =
                Path.of(
                        System.getProperty(
                                "jipc.bench.tmpdir", System.getProperty("java.io.tmpdir")));
        Path tmp = Files.createTempDirectory(root, "jipc-bench-");
        AutoCloseable rmTmp = Cleanup.add(() -> deleteTree(tmp));
        try {
            Optional<Path> c = compileC(progress);
            String cMissing = c.isPresent() ? null : cWhy;
            boolean jna = p.peers() && classPresent("com.sun.jna.Native");
            boolean python = p.peers() && pythonHasSysvIpc();
            int total = p.mechanisms().size() * p.repetitions() * wheres.size();
            int step = 0;
            for (Mechanism m : p.mechanisms()) {
                for (Map.Entry<Placement, Object> e : plan.entrySet()) {
                    if (e.getValue() instanceof String why) {
                        for (String impl : impls(m, p.peers())) {
                            result(results, m, impl, e.getKey(), null).skipped =
                                    e.getKey().id() + " skipped: " + why;
                        }
                    }
                }
                for (int rep = 0; rep < p.repetitions(); rep++) {
                    for (Where w : wheres) {
                        step++;
                        String at =
                                "["
                                        + step
                                        + "/"
                                        + total
                                        + "] "
                                        + m.id()
                                        + " "
                                        + w.placement().id()
                                        + " (CPUs "
                                        + w.self()
                                        + ","
                                        + w.peer()
                                        + ") run "
                                        + (rep + 1)
                                        + "/"
                                        + p.repetitions()
                                        + ": ";
                        if (m.isChannel()) {
                            ChannelPair.runAll(
                                    m,
                                    p,
                                    w,
                                    tmp,
                                    progress,
                                    (impl, pair) ->
                                            attempt(results, m, impl, w, at, progress, pair),
                                    (impl, why) ->
                                            result(results, m, impl, w.placement(), w).skipped =
                                                    why);
                            continue;
                        }
                        attempt(
                                results,
                                m,
                                "java",
                                w,
                                at,
                                progress,
                                () -> JavaPair.run(m, p, w, tmp));
                        if (c.isPresent()) {
                            attempt(
                                    results,
                                    m,
                                    "c",
                                    w,
                                    at,
                                    progress,
                                    () -> cPair(c.get(), m, p, w, tmp));
                        } else {
                            result(results, m, "c", w.placement(), w).skipped = cMissing;
                        }
                        if (m == Mechanism.MQ && p.peers()) {
                            if (jna) {
                                attempt(
                                        results,
                                        m,
                                        "jna",
                                        w,
                                        at,
                                        progress,
                                        () -> jnaPair(p, w, tmp));
                            } else {
                                result(results, m, "jna", w.placement(), w).skipped =
                                        "JNA is not on the class path";
                            }
                            if (python) {
                                attempt(
                                        results,
                                        m,
                                        "python",
                                        w,
                                        at,
                                        progress,
                                        () -> pythonPair(p, w, tmp));
                            } else {
                                result(results, m, "python", w.placement(), w).skipped =
                                        "/usr/bin/python3 with the sysv_ipc module not found (Debian: python3-sysv-ipc)";
                            }
                        }
                    }
                }
            }
        } finally {
            Cleanup.quietly(rmTmp::close);
        }
        return new ArrayList<>(results.values());
    }

    private static List<String> impls(Mechanism m, boolean peers) {
        if (m.isChannel()) {
            return ChannelPair.IMPLS;
        }
        return m == Mechanism.MQ && peers
                ? List.of("java", "c", "jna", "python")
                : List.of("java", "c");
    }

    private static Result result(
            Map<String, Result> results, Mechanism m, String impl, Placement pl, Where w) {
        return results.computeIfAbsent(
                m.id() + "/" + impl + "/" + pl.id(), k -> new Result(m, impl, pl, w));
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

    private static void attempt(
            Map<String, Result> results,
            Mechanism m,
            String impl,
            Where w,
            String where,
            Consumer<String> progress,
            Pair pair) {
        Result r = result(results, m, impl, w.placement(), w);
        long t0 = System.nanoTime();
        try {
            Protocol.Run run = pair.run();
            r.add(run);
            progress.accept(
                    String.format(
                            "%s%-6s RTT p50 %7.1f us  %9.0f msg/s  %8.1f MB/s  (%.1f s)",
                            where,
                            impl,
                            run.rttNs()[run.rttNs().length / 2] / 1e3,
                            run.count64() * 1e9 / Math.max(1, run.ns64()),
                            run.count4k() * (double) Link.BIG * 1e3 / Math.max(1, run.ns4k()),
                            (System.nanoTime() - t0) / 1e9));
        } catch (Exception e) {
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            r.fail("failed: " + why);
            progress.accept(where + impl + " failed: " + why);
        }
    }

    // ---- the C pair ---------------------------------------------------------------------------

    private static String cWhy = "";

    /** Compiles bench_peer.c (shipped in the jar) with the machine's gcc into ~/.cache/jipc. */
    static synchronized Optional<Path> compileC(Consumer<String> progress) {
        return build("bench_peer.c", "bench_peer", List.of(), progress);
    }

    /**
     * Compiles a C source shipped in the jar (next to this class) with the machine's gcc ({@code
     * -O2} and {@code flags}) into {@code ~/.cache/jipc/bench-HASH/output} (the system property
     * {@code jipc.cache} replaces {@code ~/.cache/jipc}; tests put it under target/), once per
     * source version. On failure {@link #buildFailure()} says why.
     */
    static synchronized Optional<Path> build(
            String source, String output, List<String> flags, Consumer<String> progress) {
        try (InputStream in = Harness.class.getResourceAsStream(source)) {
            if (in == null) {
                cWhy = source + " is not among the resources";
                return Optional.empty();
            }
            byte[] src = in.readAllBytes();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(src);
            sha.update(String.join(" ", flags).getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
            Path dir = cache().resolve("bench-" + hash);
            Path exe = dir.resolve(output);
            if (Files.exists(exe)) {
                return Optional.of(exe);
            }
            Optional<Path> gcc = onPath("gcc");
            if (gcc.isEmpty()) {
                cWhy = "gcc not found on PATH: the C side is skipped";
                return Optional.empty();
            }
            Files.createDirectories(dir);
            Path c = dir.resolve(source);
            Files.write(c, src);
            Path tmpExe = dir.resolve(output + ".tmp" + ProcessHandle.current().pid());
            progress.accept("compiling the C side: gcc -O2 " + String.join(" ", flags) + " " + c);
            List<String> cmd = new ArrayList<>(List.of(gcc.get().toString(), "-O2"));
            cmd.addAll(flags);
            cmd.addAll(List.of("-o", tmpExe.toString(), c.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
     * Where built C programs are kept: {@code ~/.cache/jipc} ({@code $XDG_CACHE_HOME/jipc}), or the
     * system property {@code jipc.cache}.
     *
     * @return the directory
     */
    static Path cache() {
        String home = System.getProperty("user.home");
        return Path.of(
                System.getProperty(
                        "jipc.cache",
                        System.getenv().getOrDefault("XDG_CACHE_HOME", home + "/.cache")
                                + "/jipc"));
    }

    /**
     * Why the last {@link #build} failed.
     *
     * @return the reason
     */
    static synchronized String buildFailure() {
        return cWhy;
    }

    static Protocol.Run cPair(Path exe, Mechanism m, Params p, Where w, Path tmp) throws Exception {
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            List<String> cmd =
                    new ArrayList<>(
                            List.of(
                                    exe.toString(),
                                    m.id(),
                                    "" + p.warmup(),
                                    "" + p.rounds(),
                                    "" + p.n64(),
                                    "" + p.n4k(),
                                    "" + w.self(),
                                    "" + w.peer()));
            cmd.addAll(objects(m, tmp, undo));
            return external(cmd, undo, tmp, "the C pair", "parent", m.id());
        } finally {
            undo(undo);
        }
    }

    /**
     * Creates the objects a pair of {@code m} shares and that outlive processes (System V objects,
     * FIFO files), registered for removal: the Java and the C pair get the same ones, named on
     * their command lines ({@code bench_peer.c}'s ARGs). Pipes and sockets each pair makes itself.
     *
     * @return the arguments naming them: FIFO paths (there, back), a queue id, a set id, or a
     *     segment id and a set id
     */
    static List<String> objects(Mechanism m, Path tmp, List<AutoCloseable> undo)
            throws IOException {
        List<String> args = new ArrayList<>();
        switch (m) {
            case FIFO -> {
                for (String n : List.of("there", "back")) {
                    var f =
                            io.jipc.pipe.Fifo.create(
                                    tmp.resolve(n + "-" + System.nanoTime()), 0600);
                    undo.add(Cleanup.add(f::remove));
                    args.add(f.path().toString());
                }
            }
            case MQ -> {
                MessageQueue q = MessageQueue.createPrivate(0600);
                undo.add(Cleanup.add(q::remove));
                args.add("" + q.id());
            }
            case SEM, SHM -> {
                if (m == Mechanism.SHM) {
                    var shm = io.jipc.sysv.SharedMemory.createPrivate(0600, Link.SHM_SIZE);
                    undo.add(Cleanup.add(shm::remove));
                    args.add("" + shm.id());
                }
                var s =
                        io.jipc.sysv.SemaphoreSet.createPrivate(
                                0600, 3, 0, 0, m == Mechanism.SEM ? Link.CREDITS : Link.SLOTS);
                undo.add(Cleanup.add(s::remove));
                args.add("" + s.id());
            }
            case POSIX_MQ, POSIX_SEM -> args.addAll(PosixLinks.create(m, undo));
            default -> {}
        }
        return args;
    }

    /** Runs the undo actions, last first. */
    static void undo(List<AutoCloseable> undo) {
        for (int i = undo.size() - 1; i >= 0; i--) {
            AutoCloseable u = undo.get(i);
            Cleanup.quietly(u::close);
        }
    }

    /** Runs a pair that prints its own results (C, JNA, Python) and parses them. */
    static Protocol.Run external(List<String> cmd, List<AutoCloseable> undo, Path tmp, String what)
            throws Exception {
        return external(cmd, undo, tmp, what, "process", null);
    }

    /**
     * Runs a pair that prints its own results and parses them. The process started ({@code outer}:
     * the driver JVM, the C or Python parent) watches the other one and ends at once with one
     * {@link PeerDeath} line when it dies; when the outer process itself dies, the failure says so,
     * with its status.
     *
     * @param what the pair, e.g. {@code "the C pair"}
     * @param outer what the started process is to the pair, e.g. {@code "parent"}
     * @param mechanism the mechanism's id, or null
     */
    static Protocol.Run external(
            List<String> cmd,
            List<AutoCloseable> undo,
            Path tmp,
            String what,
            String outer,
            String mechanism)
            throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        try {
            // Output into files, not pipes: a grandchild left holding a pipe cannot hang the read.
            Child proc = Spawn.of(cmd).stdin(Path.of("/dev/null")).stdout(out).stderr(err).start();
            AutoCloseable kill =
                    Cleanup.add(
                            () -> {
                                ProcessHandle.of(proc.pid())
                                        .ifPresent(
                                                h ->
                                                        h.descendants()
                                                                .forEach(
                                                                        ProcessHandle
                                                                                ::destroyForcibly));
                                proc.destroyForcibly();
                                proc.waitFor(Duration.ofSeconds(5));
                            });
            undo.add(kill);
            Optional<ExitStatus> status = proc.waitFor(Duration.ofSeconds(120));
            if (status.isEmpty() || !status.get().success()) {
                kill.close();
                throw new IOException(
                        failure(
                                what + "'s " + outer,
                                proc.pid(),
                                status.orElse(null),
                                mechanism,
                                Files.readString(err)));
            }
            return Protocol.Run.parse(Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * The one line on a pair that failed: the report of a survivor whose peer died (its {@link
     * PeerDeath#PREFIX} line, with the line before it when the peer exited with an error of its
     * own), or how the outer process ended and its last line on stderr.
     *
     * @param who the outer process, e.g. {@code "the C pair's parent"}
     * @param pid its pid
     * @param status how it ended, or null if it did not end in time
     * @param mechanism the mechanism's id, or null
     * @param err its stderr (and that of its child)
     * @return the line
     */
    static String failure(String who, long pid, ExitStatus status, String mechanism, String err) {
        List<String> lines = err.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String last = lines.isEmpty() ? null : lines.getLast();
        if (status == null) {
            return who
                    + " (pid "
                    + pid
                    + ") did not finish in 120 s"
                    + (last == null ? "" : ": " + last);
        }
        if (last != null && last.startsWith(PeerDeath.PREFIX)) {
            String line = last.substring(PeerDeath.PREFIX.length());
            if (line.contains(") exited with status ") && lines.size() > 1) {
                line += "; before that: " + lines.get(lines.size() - 2);
            }
            return line;
        }
        return PeerDeath.line(who, pid, status, mechanism) + (last == null ? "" : ": " + last);
    }

    // ---- JNA and Python pairs (message queue) -------------------------------------------------

    private static Protocol.Run jnaPair(Params p, Where w, Path tmp) throws Exception {
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            MessageQueue q = MessageQueue.createPrivate(0600);
            undo.add(Cleanup.add(q::remove));
            List<String> cmd = JavaPair.jvm(JnaPair.class.getName());
            cmd.addAll(
                    List.of(
                            "driver",
                            "" + q.id(),
                            "" + p.warmup(),
                            "" + p.rounds(),
                            "" + p.n64(),
                            "" + p.n4k(),
                            "" + w.self(),
                            "" + w.peer()));
            return external(cmd, undo, tmp, "the JNA pair", "driver JVM", Mechanism.MQ.id());
        } finally {
            undo(undo);
        }
    }

    private static final String PYTHON = "/usr/bin/python3";

    private static boolean pythonHasSysvIpc() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process p =
                    new ProcessBuilder(PYTHON, "-c", "import sysv_ipc")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Protocol.Run pythonPair(Params p, Where w, Path tmp) throws Exception {
        List<AutoCloseable> undo = new ArrayList<>();
        Path script = Files.createTempFile(tmp, "bench_mq", ".py");
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
            List<String> cmd =
                    List.of(
                            PYTHON,
                            script.toString(),
                            "" + key,
                            "" + p.warmup(),
                            "" + p.rounds(),
                            "" + p.n64(),
                            "" + p.n4k(),
                            "" + w.self(),
                            "" + w.peer());
            return external(cmd, undo, tmp, "the Python pair", "parent", Mechanism.MQ.id());
        } finally {
            undo(undo);
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
