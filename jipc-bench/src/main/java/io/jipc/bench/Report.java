package io.jipc.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The outputs of {@code jipc bench}: the terminal table, the JSON and the HTML report. */
public final class Report {
    /** Percentiles drawn in the latency-distribution charts. */
    private static final double[] QS = {0.0, 0.10, 0.25, 0.50, 0.75, 0.90, 0.99, 0.999};

    private static final String[] QNAMES = {
        "min", "p10", "p25", "p50", "p75", "p90", "p99", "p99.9"
    };
    private static final Map<String, String> COLORS =
            Map.of(
                    "java", "#d9480f", "c", "#1c7ed6", "jna", "#7048e8", "python", "#2b8a3e",
                    "aeron", "#e8590c", "agrona", "#5c940d");
    private static final Map<String, String> IMPL_NAMES =
            Map.of(
                    "java",
                    "Java (jipc / JDK)",
                    "c",
                    "C",
                    "jna",
                    "Java through JNA",
                    "python",
                    "Python sysv_ipc",
                    "aeron",
                    "Aeron IPC (embedded driver)",
                    "agrona",
                    "Agrona OneToOneRingBuffer");

    private Report() {}

    private static Result find(List<Result> rs, Mechanism m, String impl) {
        for (Result r : rs) {
            if (r.mechanism() == m && r.impl().equals(impl) && r.ran()) {
                return r;
            }
        }
        return null;
    }

    private static List<Mechanism> mechanisms(List<Result> rs) {
        List<Mechanism> ms = new ArrayList<>();
        for (Result r : rs) {
            if (!ms.contains(r.mechanism())) {
                ms.add(r.mechanism());
            }
        }
        return ms;
    }

    /** The placements present, in run order. */
    private static List<Placement> placements(List<Result> rs) {
        List<Placement> ps = new ArrayList<>();
        for (Result r : rs) {
            if (!ps.contains(r.placement())) {
                ps.add(r.placement());
            }
        }
        return ps;
    }

    private static List<Result> of(List<Result> rs, Placement p) {
        List<Result> mine = new ArrayList<>();
        for (Result r : rs) {
            if (r.placement() == p) {
                mine.add(r);
            }
        }
        return mine;
    }

    /** The reason a whole placement was skipped (every result carries it), or null. */
    private static String placementSkipped(List<Result> mine) {
        String why = null;
        for (Result r : mine) {
            if (r.ran() || r.cpus().size() == 2) {
                return null;
            }
            why = r.skipped();
        }
        return why;
    }

    /** The CPUs of a placement's runs, e.g. "CPUs 0 (this side) and 1 (peer)". */
    private static String cpus(List<Result> mine) {
        for (Result r : mine) {
            if (r.cpus().size() == 2) {
                List<Integer> c = r.cpus();
                return c.get(0).equals(c.get(1))
                        ? "both on CPU " + c.get(0)
                        : "CPU " + c.get(0) + " (this side) and CPU " + c.get(1) + " (peer)";
            }
        }
        return "";
    }

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1e3);
    }

    private static String ratio(double java, double c) {
        return c <= 0 || java <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", java / c);
    }

    /**
     * A binding that makes the same system calls as C cannot cost much less than C: a cost ratio
     * (time over C's time) below this says more about the measurement than about the library.
     */
    static final double IMPLAUSIBLE = 0.8;

    /** The ratios of one row over its C row: p50, p99.9 (time), 64 B and 4 KiB throughput. */
    private record Ratios(double p50, double p999, double thr64, double thr4k) {
        static Ratios of(Result r, Result c) {
            return new Ratios(
                    q(r.rttNs(0.5), c.rttNs(0.5)),
                    q(r.rttNs(0.999), c.rttNs(0.999)),
                    q(r.msgsPerS64(), c.msgsPerS64()),
                    r.mechanism().carriesData() ? q(r.mbPerS4k(), c.mbPerS4k()) : Double.NaN);
        }

        private static double q(double a, double b) {
            return a > 0 && b > 0 ? a / b : Double.NaN;
        }

        /** The ratios that say this row costs less than {@link #IMPLAUSIBLE} of C's cost. */
        List<String> implausible() {
            List<String> w = new ArrayList<>();
            if (p50 < IMPLAUSIBLE) {
                w.add(String.format(Locale.ROOT, "round trip p50 %.2f x C", p50));
            }
            if (thr64 > 1 / IMPLAUSIBLE) {
                w.add(
                        String.format(
                                Locale.ROOT,
                                "64 B throughput %.2f x C (time %.2f x C)",
                                thr64,
                                1 / thr64));
            }
            if (thr4k > 1 / IMPLAUSIBLE) {
                w.add(
                        String.format(
                                Locale.ROOT,
                                "4 KiB throughput %.2f x C (time %.2f x C)",
                                thr4k,
                                1 / thr4k));
            }
            return w;
        }
    }

    /**
     * The warning lines for ratios that make a binding look much cheaper than C on the same system
     * calls: the measurement, not the library, is the likely cause.
     *
     * @param rs the results
     * @return one line per suspicious row (newline-terminated), or an empty string
     */
    public static String warnings(List<Result> rs) {
        StringBuilder b = new StringBuilder();
        for (Placement p : placements(rs)) {
            List<Result> mine = of(rs, p);
            for (Mechanism m : mechanisms(mine)) {
                Result c = find(mine, m, "c");
                for (Result r : mine) {
                    if (c == null || r.mechanism() != m || !r.ran() || r.impl().equals("c")) {
                        continue;
                    }
                    List<String> odd = Ratios.of(r, c).implausible();
                    if (!odd.isEmpty()) {
                        b.append("warning: ")
                                .append(p.id())
                                .append(", ")
                                .append(m.label())
                                .append(", ")
                                .append(r.impl())
                                .append(": ")
                                .append(String.join(", ", odd))
                                .append(
                                        ". The same system calls cannot cost much less than in C: the measurement"
                                                + " (scheduling luck, a busy machine, too few rounds), not the library, is the"
                                                + " likely cause. Re-run (--runs, --full) before trusting it.\n");
                    }
                }
            }
        }
        return b.toString();
    }

    /**
     * The terminal table: one section per placement (with what it measures), one row per pair,
     * ratios over the C row of the same placement on the other rows; then the warnings.
     *
     * @param rs the results
     * @return the table, lines ending in newlines
     */
    public static String table(List<Result> rs) {
        StringBuilder b = new StringBuilder();
        String fmt = "%-22s %-6s %8s %8s %9s %11s %8s  %6s %7s %6s %6s%n";
        for (Placement p : placements(rs)) {
            List<Result> mine = of(rs, p);
            b.append(p.id()).append(": ").append(p.explanation()).append(".\n");
            String skipped = placementSkipped(mine);
            if (skipped != null) {
                b.append("  ").append(skipped).append("\n\n");
                continue;
            }
            b.append("  ").append(cpus(mine)).append('\n');
            b.append(
                    String.format(
                            Locale.ROOT,
                            fmt,
                            "mechanism",
                            "impl",
                            "p50 us",
                            "p99 us",
                            "p99.9 us",
                            "64B msg/s",
                            "4K MB/s",
                            "p50/C",
                            "p999/C",
                            "64B/C",
                            "4K/C"));
            for (Mechanism m : mechanisms(mine)) {
                Result c = find(mine, m, "c");
                for (Result r : mine) {
                    if (r.mechanism() != m) {
                        continue;
                    }
                    if (!r.ran()) {
                        b.append(
                                String.format(
                                        Locale.ROOT,
                                        "%-22s %-6s %s%n",
                                        m.label(),
                                        r.impl(),
                                        "skipped: " + r.skipped()));
                        continue;
                    }
                    boolean cmp = c != null && !r.impl().equals("c");
                    b.append(
                            String.format(
                                    Locale.ROOT,
                                    fmt,
                                    m.label(),
                                    r.impl(),
                                    us(r.rttNs(0.5)),
                                    us(r.rttNs(0.99)),
                                    us(r.rttNs(0.999)),
                                    r.msgsPerS64() > 0
                                            ? String.format(Locale.ROOT, "%,.0f", r.msgsPerS64())
                                            : "-",
                                    m.carriesData() && r.mbPerS4k() > 0
                                            ? String.format(Locale.ROOT, "%.0f", r.mbPerS4k())
                                            : "-",
                                    cmp ? ratio(r.rttNs(0.5), c.rttNs(0.5)) : "",
                                    cmp ? ratio(r.rttNs(0.999), c.rttNs(0.999)) : "",
                                    cmp ? ratio(r.msgsPerS64(), c.msgsPerS64()) : "",
                                    cmp && m.carriesData()
                                            ? ratio(r.mbPerS4k(), c.mbPerS4k())
                                            : ""));
                }
            }
            b.append('\n');
        }
        b.append(
                "/C: this row over the C row of the same placement. p50/C, p999/C: round-trip time (lower is "
                        + "better; goals for java: p50 <= 1.05, p99.9 <= 2); 64B/C, 4K/C: one-way throughput (higher is "
                        + "better, goal >= 0.95).\n");
        b.append(warnings(rs));
        return b.toString();
    }

    /**
     * The JSON: an array with one object per (mechanism, implementation, placement); each has
     * {@code placement} ({@code "split"} or {@code "same"}) and {@code cpus} ({@code [this, peer]},
     * or null when the placement could not run here).
     *
     * @param rs the results
     * @return the JSON text
     */
    public static String json(List<Result> rs) {
        StringBuilder b = new StringBuilder("[\n");
        boolean first = true;
        for (Result r : rs) {
            b.append(first ? "  {" : ",\n  {");
            first = false;
            b.append("\"mechanism\": \"")
                    .append(r.mechanism().id())
                    .append("\", \"impl\": \"")
                    .append(r.impl())
                    .append("\", \"placement\": \"")
                    .append(r.placement().id())
                    .append("\", \"cpus\": ")
                    .append(
                            r.cpus().isEmpty()
                                    ? "null"
                                    : "[" + r.cpus().get(0) + ", " + r.cpus().get(1) + "]");
            if (!r.ran()) {
                b.append(", \"skipped\": \"").append(escape(r.skipped())).append("\"}");
                continue;
            }
            b.append(", \"rtt_p50_ns\": ")
                    .append(r.rttNs(0.5))
                    .append(", \"rtt_p99_ns\": ")
                    .append(r.rttNs(0.99))
                    .append(", \"rtt_p999_ns\": ")
                    .append(r.rttNs(0.999))
                    .append(", \"rtt_samples\": ")
                    .append(r.samples())
                    .append(", \"msgs_per_s_64\": ")
                    .append(r.msgsPerS64() > 0 ? "" + Math.round(r.msgsPerS64()) : "null")
                    .append(", \"mb_per_s_64\": ")
                    .append(r.msgsPerS64() > 0 ? num(r.mbPerS64()) : "null")
                    .append(", \"msgs_per_s_4k\": ")
                    .append(data4k(r) ? "" + Math.round(r.msgsPerS4k()) : "null")
                    .append(", \"mb_per_s_4k\": ")
                    .append(data4k(r) ? num(r.mbPerS4k()) : "null")
                    .append('}');
        }
        return b.append("\n]\n").toString();
    }

    private static boolean data4k(Result r) {
        return r.mechanism().carriesData() && r.msgsPerS4k() > 0;
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String html(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    /**
     * The HTML report: the table, bar charts of Java beside C and a latency distribution per
     * mechanism, all inline SVG (no script, no network).
     *
     * @param rs the results
     * @param about a line on the machine and the parameters
     * @return the HTML document
     */
    public static String html(List<Result> rs, String about) {
        StringBuilder b = new StringBuilder();
        b.append(
                        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>jipc bench</title>\n<style>\n")
                .append(
                        "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}\n")
                .append(
                        "table{border-collapse:collapse;margin:8px 0 16px}th,td{padding:3px 8px;white-space:nowrap;border-bottom:1px solid #ddd;text-align:right}\n")
                .append(
                        "th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}\n")
                .append(
                        ".bad{color:#c92a2a;font-weight:600}.good{color:#2b8a3e}.grid{display:flex;flex-wrap:wrap;gap:12px}\n")
                .append(
                        ".card{border:1px solid #e3e3e3;border-radius:6px;padding:6px}h2{margin-top:28px}.note{color:#555}\n")
                .append(
                        ".warn{border-left:4px solid #e67700;background:#fff9db;padding:2px 12px;margin:12px 0}\n")
                .append("</style></head><body>\n<h1>jipc bench</h1>\n<p class=\"note\">")
                .append(html(about))
                .append("</p>\n");
        b.append(legend(rs));
        String warn = warnings(rs);
        if (!warn.isEmpty()) {
            b.append("<div class=\"warn\">");
            for (String line : warn.split("\n")) {
                b.append("<p>").append(html(line)).append("</p>\n");
            }
            b.append("</div>\n");
        }
        for (Placement p : placements(rs)) {
            List<Result> mine = of(rs, p);
            b.append("<h2 id=\"")
                    .append(p.id())
                    .append("\">Placement <code>")
                    .append(p.id())
                    .append("</code>");
            String skipped = placementSkipped(mine);
            b.append(skipped != null ? "" : ": " + html(cpus(mine)))
                    .append("</h2>\n<p>")
                    .append(html(capitalised(p.explanation())))
                    .append(".</p>\n");
            if (skipped != null) {
                b.append("<p class=\"note\">").append(html(skipped)).append("</p>\n");
                continue;
            }
            b.append(section(mine, p));
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The table, the bar charts and the distributions of one placement. */
    private static String section(List<Result> rs, Placement p) {
        StringBuilder b = new StringBuilder();
        b.append(
                "<table><tr><th>mechanism</th><th>impl</th><th>RTT p50 µs</th><th>p99 µs</th><th>p99.9 µs</th>"
                        + "<th>64 B msg/s</th><th>4 KiB MB/s</th><th>p50 ÷ C</th><th>p99.9 ÷ C</th><th>64 B ÷ C</th>"
                        + "<th>4 KiB ÷ C</th></tr>\n");
        for (Mechanism m : mechanisms(rs)) {
            Result c = find(rs, m, "c");
            for (Result r : rs) {
                if (r.mechanism() != m) {
                    continue;
                }
                b.append("<tr><td>")
                        .append(html(m.label()))
                        .append("</td><td>")
                        .append(r.impl())
                        .append("</td>");
                if (!r.ran()) {
                    b.append("<td colspan=\"9\" style=\"text-align:left\" class=\"note\">skipped: ")
                            .append(html(r.skipped()))
                            .append("</td></tr>\n");
                    continue;
                }
                boolean cmp = c != null && !r.impl().equals("c");
                b.append("<td>")
                        .append(us(r.rttNs(0.5)))
                        .append("</td><td>")
                        .append(us(r.rttNs(0.99)))
                        .append("</td><td>")
                        .append(us(r.rttNs(0.999)))
                        .append("</td><td>")
                        .append(
                                r.msgsPerS64() > 0
                                        ? String.format(Locale.ROOT, "%,.0f", r.msgsPerS64())
                                        : "–")
                        .append("</td><td>")
                        .append(
                                m.carriesData() && r.mbPerS4k() > 0
                                        ? String.format(Locale.ROOT, "%.0f", r.mbPerS4k())
                                        : "–")
                        .append("</td>")
                        .append(cell(cmp, r.rttNs(0.5), c == null ? 0 : c.rttNs(0.5), true, 1.05))
                        .append(cell(cmp, r.rttNs(0.999), c == null ? 0 : c.rttNs(0.999), true, 2))
                        .append(
                                cell(
                                        cmp,
                                        r.msgsPerS64(),
                                        c == null ? 0 : c.msgsPerS64(),
                                        false,
                                        0.95))
                        .append(
                                cell(
                                        cmp && m.carriesData(),
                                        r.mbPerS4k(),
                                        c == null ? 0 : c.mbPerS4k(),
                                        false,
                                        0.95))
                        .append("</tr>\n");
            }
        }
        b.append(
                "</table>\n<p class=\"note\">÷ C: this row's number over the C row's of the same placement. Ratios "
                        + "in red miss jipc's goal (round trip p50 ≤ 1.05 × C, p99.9 ≤ 2 × C, throughput ≥ 0.95 × C); a "
                        + "ratio that makes a binding much cheaper than C is flagged above. RTT: 64-byte ping-pong between two "
                        + "processes, percentiles over every timed round trip of every run; throughput: one process sends, "
                        + "the other receives, median of the runs. UDP counts delivered datagrams.</p>\n");
        b.append("<h3>Round-trip time, p50 (µs, lower is better)</h3>\n")
                .append(bars(rs, r -> r.rttNs(0.5) / 1e3, "%.1f"));
        b.append("<h3>One-way throughput, 64 B messages (messages/s, higher is better)</h3>\n")
                .append(bars(rs, Result::msgsPerS64, "%,.0f"));
        b.append("<h3>One-way throughput, 4 KiB messages (MB/s, higher is better)</h3>\n")
                .append(
                        bars(
                                rs,
                                r -> r.mechanism().carriesData() ? r.mbPerS4k() : Double.NaN,
                                "%.0f"));
        b.append(
                "<h3>Round-trip latency distribution per mechanism (µs, log scale)</h3>\n<div class=\"grid\">\n");
        for (Mechanism m : mechanisms(rs)) {
            b.append(distribution(rs, m, p));
        }
        return b.append("</div>\n").toString();
    }

    private static String legend(List<Result> rs) {
        StringBuilder b = new StringBuilder("<p>");
        List<String> seen = new ArrayList<>();
        for (Result r : rs) {
            if (r.ran() && !seen.contains(r.impl())) {
                seen.add(r.impl());
                b.append("<span style=\"display:inline-block;width:12px;height:12px;background:")
                        .append(COLORS.getOrDefault(r.impl(), "#888"))
                        .append(";margin:0 4px 0 12px\"></span>")
                        .append(IMPL_NAMES.getOrDefault(r.impl(), r.impl()));
            }
        }
        return b.append("</p>\n").toString();
    }

    private static String cell(
            boolean show, double java, double c, boolean lowerIsBetter, double goal) {
        if (!show || java <= 0 || c <= 0) {
            return "<td></td>";
        }
        double q = java / c;
        boolean ok = lowerIsBetter ? q <= goal : q >= goal;
        return "<td class=\""
                + (ok ? "good" : "bad")
                + "\">"
                + String.format(Locale.ROOT, "%.2f", q)
                + "</td>";
    }

    /** Horizontal grouped bars: one group per mechanism, one bar per implementation. */
    private static String bars(
            List<Result> rs, java.util.function.ToDoubleFunction<Result> value, String fmt) {
        Map<Mechanism, List<Result>> groups = new LinkedHashMap<>();
        double max = 0;
        for (Result r : rs) {
            double v = r.ran() ? value.applyAsDouble(r) : Double.NaN;
            if (!Double.isNaN(v) && v > 0) {
                groups.computeIfAbsent(r.mechanism(), k -> new ArrayList<>()).add(r);
                max = Math.max(max, v);
            }
        }
        int barH = 14;
        int gap = 10;
        int labelW = 180;
        int plotW = 620;
        int rows = 0;
        for (List<Result> g : groups.values()) {
            rows += g.size();
        }
        if (groups.isEmpty()) {
            return "<p class=\"note\">Not measured in this run.</p>\n";
        }
        int h = rows * barH + groups.size() * gap + 10;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(labelW + plotW + 120)
                .append("\" height=\"")
                .append(h)
                .append("\" font-size=\"12\" role=\"img\">\n");
        int y = 5;
        for (Map.Entry<Mechanism, List<Result>> e : groups.entrySet()) {
            int gy = y;
            for (Result r : e.getValue()) {
                double v = value.applyAsDouble(r);
                double w = max <= 0 ? 0 : v / max * plotW;
                b.append(
                        String.format(
                                Locale.ROOT,
                                "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s: %s</title></rect>"
                                        + "<text x=\"%.1f\" y=\"%d\">%s %s</text>\n",
                                labelW,
                                y,
                                Math.max(w, 1),
                                barH - 2,
                                COLORS.getOrDefault(r.impl(), "#888"),
                                html(e.getKey().label()),
                                r.impl(),
                                String.format(Locale.ROOT, fmt, v),
                                labelW + Math.max(w, 1) + 4,
                                y + barH - 4,
                                String.format(Locale.ROOT, fmt, v),
                                r.impl()));
                y += barH;
            }
            b.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-weight=\"600\">%s</text>\n",
                            labelW - 8,
                            gy + (y - gy) / 2 + 4,
                            html(e.getKey().label())));
            y += gap;
        }
        b.append("</svg>\n");
        return b.toString();
    }

    /** Percentile curves (x: percentile, y: µs on a log scale) of each implementation. */
    private static String distribution(List<Result> rs, Mechanism m, Placement p) {
        int w = 340;
        int h = 220;
        int left = 46;
        int right = 24;
        int top = 46;
        int bottom = 30;
        double lo = Double.MAX_VALUE;
        double hi = 0;
        List<Result> mine = new ArrayList<>();
        for (Result r : rs) {
            if (r.mechanism() == m && r.ran()) {
                mine.add(r);
                lo = Math.min(lo, Math.max(1, r.rttNs(0.0)) / 1e3);
                hi = Math.max(hi, r.rttNs(0.999) / 1e3);
            }
        }
        if (mine.isEmpty()) {
            return "";
        }
        double lmin = Math.floor(Math.log10(lo));
        double lmax = Math.ceil(Math.log10(Math.max(hi, lo * 1.01)));
        if (lmax <= lmin) {
            lmax = lmin + 1;
        }
        double fl = lmin;
        double fh = lmax;
        java.util.function.DoubleUnaryOperator yOf =
                v -> top + (h - top - bottom) * (1 - (Math.log10(v) - fl) / (fh - fl));
        java.util.function.IntToDoubleFunction xOf =
                i -> left + (w - left - right) * (double) i / (QS.length - 1);
        StringBuilder b =
                new StringBuilder(
                                "<div class=\"card\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                        .append(w)
                        .append("\" height=\"")
                        .append(h)
                        .append("\" font-size=\"11\" role=\"img\">\n");
        b.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"600\">%s (%s)</text>\n",
                        left,
                        html(m.label()),
                        p.id()));
        for (double d = lmin; d <= lmax; d++) {
            for (int k = 1; k < 10; k++) {
                double v = Math.pow(10, d) * k;
                if (Math.log10(v) > lmax + 1e-9) {
                    break;
                }
                double y = yOf.applyAsDouble(v);
                b.append(
                        String.format(
                                Locale.ROOT,
                                "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                                left,
                                w - right,
                                y,
                                y,
                                k == 1 ? "#bbb" : "#eee"));
                if (k == 1 || k == 2 || k == 5) {
                    b.append(
                            String.format(
                                    Locale.ROOT,
                                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                                    left - 4,
                                    y + 4,
                                    fmtUs(v)));
                }
            }
        }
        for (int i = 0; i < QS.length; i++) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                            xOf.applyAsDouble(i),
                            h - bottom + 16,
                            QNAMES[i]));
        }
        for (Result r : mine) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < QS.length; i++) {
                double v = Math.max(r.rttNs(QS[i]) / 1e3, Math.pow(10, lmin));
                pts.append(
                        String.format(
                                Locale.ROOT,
                                "%.1f,%.1f ",
                                xOf.applyAsDouble(i),
                                yOf.applyAsDouble(v)));
            }
            String col = COLORS.getOrDefault(r.impl(), "#888");
            b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
                    .append(col)
                    .append("\" points=\"")
                    .append(pts.toString().trim())
                    .append("\"><title>")
                    .append(r.impl())
                    .append("</title></polyline>\n");
        }
        int lx = left;
        for (Result r : mine) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%d\" y=\"24\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                                    + "<text x=\"%d\" y=\"33\">%s</text>\n",
                            lx,
                            COLORS.getOrDefault(r.impl(), "#888"),
                            lx + 13,
                            r.impl()));
            lx += 60;
        }
        return b.append("</svg></div>\n").toString();
    }

    private static String fmtUs(double v) {
        return v >= 1000
                ? String.format(Locale.ROOT, "%.0fms", v / 1000)
                : String.format(Locale.ROOT, "%.0f", v);
    }
}
