package io.jipc.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the runs of one pair (mechanism, implementation, placement) measured, merged over
 * repetitions.
 */
public final class Result {
    private final Mechanism mechanism;
    private final String impl;
    private final Placement placement;
    private final Harness.Where where;
    private final List<Protocol.Run> runs = new ArrayList<>();
    private long[] sorted = new long[0];

    /** Why the pair did not run (or failed), or null. */
    String skipped;

    private boolean failed;

    Result(Mechanism mechanism, String impl, Placement placement, Harness.Where where) {
        this.mechanism = mechanism;
        this.impl = impl;
        this.placement = placement;
        this.where = where;
    }

    void fail(String why) {
        skipped = why;
        failed = true;
    }

    /**
     * Where the pair ran.
     *
     * @return the placement
     */
    public Placement placement() {
        return placement;
    }

    /**
     * The CPUs of the two measuring threads, {@code [this side, peer]}.
     *
     * @return the two CPUs, or an empty list when the placement could not run here
     */
    public List<Integer> cpus() {
        return where == null ? List.of() : where.cpus();
    }

    /**
     * Whether a run of this pair failed (as opposed to not being run: no gcc, one CPU, ...).
     *
     * @return true if an attempt failed and no run succeeded
     */
    public boolean failed() {
        return failed && runs.isEmpty();
    }

    void add(Protocol.Run run) {
        runs.add(run);
        long[] all = Arrays.copyOf(sorted, sorted.length + run.rttNs().length);
        System.arraycopy(run.rttNs(), 0, all, sorted.length, run.rttNs().length);
        Arrays.sort(all);
        sorted = all;
    }

    /**
     * The mechanism.
     *
     * @return the mechanism
     */
    public Mechanism mechanism() {
        return mechanism;
    }

    /**
     * The implementation: {@code java}, {@code c}, {@code jna} or {@code python}.
     *
     * @return the implementation's name
     */
    public String impl() {
        return impl;
    }

    /**
     * Why this pair has no numbers, if it has none.
     *
     * @return the reason, or null when it ran
     */
    public String skipped() {
        return runs.isEmpty() ? (skipped == null ? "not run" : skipped) : null;
    }

    /**
     * Whether at least one run succeeded.
     *
     * @return true if there are numbers
     */
    public boolean ran() {
        return !runs.isEmpty();
    }

    /**
     * A round-trip percentile over every timed ping-pong of every run.
     *
     * @param q the quantile, 0 to 1
     * @return nanoseconds
     */
    public long rttNs(double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /**
     * One-way 64-byte messages per second (median over runs).
     *
     * @return messages per second
     */
    public double msgsPerS64() {
        return median(
                runs.stream()
                        .mapToDouble(r -> r.count64() * 1e9 / Math.max(1, r.ns64()))
                        .toArray());
    }

    /**
     * One-way 4 KiB messages per second (median over runs).
     *
     * @return messages per second
     */
    public double msgsPerS4k() {
        return median(
                runs.stream()
                        .mapToDouble(r -> r.count4k() * 1e9 / Math.max(1, r.ns4k()))
                        .toArray());
    }

    /**
     * One-way throughput of 64-byte messages in MB/s (10^6 bytes).
     *
     * @return MB/s
     */
    public double mbPerS64() {
        return msgsPerS64() * Protocol.SMALL / 1e6;
    }

    /**
     * One-way throughput of 4 KiB messages in MB/s (10^6 bytes).
     *
     * @return MB/s
     */
    public double mbPerS4k() {
        return msgsPerS4k() * Link.BIG / 1e6;
    }

    /**
     * Timed ping-pongs over all runs.
     *
     * @return the count
     */
    public int samples() {
        return sorted.length;
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return 0;
        }
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
