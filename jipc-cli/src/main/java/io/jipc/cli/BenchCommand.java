package io.jipc.cli;

import io.jipc.Cpus;
import io.jipc.bench.Harness;
import io.jipc.bench.Mechanism;
import io.jipc.bench.Placement;
import io.jipc.bench.Report;
import io.jipc.bench.Result;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code jipc bench}: every mechanism between two processes, Java beside C. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure every IPC mechanism between two processes: round-trip latency of 64-byte "
                    + "messages and one-way throughput at 64 B and 4 KiB, the Java pair (this JVM and a child JVM, "
                    + "through jipc or the JDK) beside the C pair (compiled with gcc on first use), interleaved; "
                    + "for the message queue also JNA and Python sysv_ipc. Prints a table with Java/C ratios.",
            "Each pair runs in two placements: split (the two measuring threads pinned to two different "
                    + "CPUs: every message pays a cross-CPU wake-up) and same (both on one CPU: direct hand-off, "
                    + "where the per-call cost of a binding shows). Only the measuring threads are pinned "
                    + "(sched_setaffinity of the thread); JIT and GC threads stay free.",
            "Mechanisms: pipe, fifo, mq, sem, shm, uds-stream, uds-dgram, uds-seqpacket, tcp, udp, posix-mq, posix-sem, channel, channel-park."
        })
final class BenchCommand extends Subcommand {
    @Option(
            names = "--quick",
            description =
                    "Quick run (the default): 20000 timed round trips, one run of each pair; under 3 minutes on 2 cores.")
    boolean quick;

    @Option(
            names = "--full",
            description = "Longer run: 50000 timed round trips, 3 runs of each pair.")
    boolean full;

    @Option(
            names = "--mechanisms",
            split = ",",
            paramLabel = "NAME",
            description = "Only these mechanisms (comma-separated), e.g. pipe,mq.")
    List<String> mechanisms;

    @Option(
            names = "--size",
            paramLabel = "64|4k|all",
            defaultValue = "all",
            description = "Which one-way throughput runs: 64 (bytes), 4k, or all (default).")
    String size;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            description =
                    "Timed round trips per run (default 20000; one-way runs send 10x/2x as many messages, at most "
                            + "100000/20000, 500000/100000 with --full).")
    Integer rounds;

    @Option(
            names = "--runs",
            paramLabel = "N",
            description =
                    "Runs of each pair per mechanism (default 1; round-trip percentiles pool the runs).")
    Integer runs;

    @Option(
            names = "--cpus",
            split = ",",
            paramLabel = "CPU",
            description =
                    "The CPUs to use: split pins this side's measuring thread to the first and the peer's "
                            + "to the second (e.g. 0,1), same pins both to the first. Default: the first two CPUs this "
                            + "process may use.")
    List<Integer> cpus;

    @Option(
            names = "--placement",
            paramLabel = "split|same|both",
            defaultValue = "both",
            description = "Which placements to run: split, same or both (default).")
    String placement;

    @Option(
            names = "--no-peers",
            description = "Skip the JNA and Python pairs of the message queue.")
    boolean noPeers;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Write one JSON object per (mechanism, impl).")
    Path json;

    @Option(
            names = "--report",
            paramLabel = "FILE.html",
            description = "Write an HTML report with charts (works offline).")
    Path report;

    @Override
    ExitCode execute() throws Exception {
        if (quick && full) {
            throw usage("--quick and --full exclude each other");
        }
        List<Mechanism> ms = new ArrayList<>();
        try {
            for (String m : mechanisms == null ? List.of(allIds()) : mechanisms) {
                Mechanism x = Mechanism.of(m);
                if (!ms.contains(x)) {
                    ms.add(x);
                }
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        int r = rounds != null ? rounds : full ? 50_000 : 20_000;
        if (r < 10) {
            throw usage("--rounds must be at least 10");
        }
        int n = runs != null ? runs : full ? 3 : 1;
        if (n < 1) {
            throw usage("--runs must be at least 1");
        }
        String sz = size.toLowerCase(Locale.ROOT);
        if (!List.of("64", "4k", "4096", "all").contains(sz)) {
            throw usage("--size must be 64, 4k or all");
        }
        long n64 =
                sz.equals("4k") || sz.equals("4096")
                        ? 0
                        : Math.min(10L * r, full ? 500_000 : 100_000);
        long n4k = sz.equals("64") ? 0 : Math.min(2L * r, full ? 100_000 : 20_000);
        // The Java pairs run the whole protocol once untimed before (Protocol.dryRounds: at least
        // 10,000 round trips), and the C pairs need no JIT: 2,000 warm-up round trips by default.
        int warm = Math.min(10_000, Math.max(2_000, r / 10));
        List<Integer> pin = cpus == null ? List.of() : cpus;
        int ncpu = Runtime.getRuntime().availableProcessors();
        List<Integer> allowed = Cpus.allowed();
        for (int c : pin) {
            if (!allowed.contains(c)) {
                throw usage("--cpus " + c + ": this process may use CPUs " + allowed);
            }
        }
        List<Placement> placements =
                switch (placement.toLowerCase(Locale.ROOT)) {
                    case "both" -> List.of(Placement.values());
                    case "split" -> List.of(Placement.SPLIT);
                    case "same" -> List.of(Placement.SAME);
                    default -> throw usage("--placement must be split, same or both");
                };
        writable("--json", json);
        writable("--report", report);
        Harness.Params p = new Harness.Params(ms, warm, r, n64, n4k, n, pin, placements, !noPeers);
        Map<Placement, Object> plan = Harness.plan(p, allowed);
        StringBuilder where = new StringBuilder();
        for (Map.Entry<Placement, Object> e : plan.entrySet()) {
            where.append(where.isEmpty() ? "" : ", ")
                    .append(e.getKey().id())
                    .append(' ')
                    .append(
                            e.getValue() instanceof Harness.Where w
                                    ? "on CPUs " + w.self() + "," + w.peer()
                                    : "skipped (" + e.getValue() + ")");
        }
        PrintWriter out = out();
        PrintWriter err = err();
        String about =
                String.format(
                        Locale.ROOT,
                        "jipc %s, Java %s, Linux %s, %d CPUs (this process may use %s); placements: %s (measuring threads "
                                + "pinned); %d warm-up + %d timed round trips of 64 B, %d x 64 B and %d x 4 KiB one-way, "
                                + "%d run(s) per pair, interleaved; %s",
                        Main.Version.version(),
                        Runtime.version(),
                        System.getProperty("os.version"),
                        ncpu,
                        allowed,
                        where,
                        warm,
                        r,
                        n64,
                        n4k,
                        n,
                        ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        err.println("jipc bench: " + about);
        err.flush();
        List<Result> results =
                Harness.run(
                        p,
                        line -> {
                            err.println(line);
                            err.flush();
                        });
        out.println();
        out.print(Report.table(results));
        out.flush();
        if (json != null) {
            Files.writeString(json, Report.json(results));
            err.println("wrote " + Converters.shown(json));
        }
        if (report != null) {
            Files.writeString(report, Report.html(results, about));
            err.println("wrote " + Converters.shown(report));
        }
        err.flush();
        return results.stream().anyMatch(x -> x.impl().equals("java") && x.failed())
                ? ExitCode.FAILED
                : ExitCode.OK;
    }

    private static String[] allIds() {
        Mechanism[] all = Mechanism.values();
        String[] ids = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            ids[i] = all[i].id();
        }
        return ids;
    }

    /** Checks before the run (not after it) that a result file can be written. */
    private void writable(String option, Path file) {
        if (file == null) {
            return;
        }
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw usage(option + " " + Converters.shown(file) + " is a directory; name a file");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw usage(
                    option
                            + " "
                            + Converters.shown(file)
                            + ": the directory "
                            + Converters.shown(dir)
                            + " does not exist");
        }
        if (Files.exists(abs) ? !Files.isWritable(abs) : !Files.isWritable(dir)) {
            throw usage(option + " " + Converters.shown(file) + ": not writable by this user");
        }
    }
}
