package io.jipc.bench;

import java.util.Locale;

/**
 * Where the two measuring threads of a pair run. Each side pins only its measuring thread
 * (sched_setaffinity(2) of that thread: {@code io.jipc.Cpus} in Java, {@code sched_setaffinity(0)}
 * in C, Python and the JNA pair), so the JIT compiler and GC threads of a JVM stay free to run
 * anywhere, as a latency-minded Java program is deployed.
 */
public enum Placement {
    /** The two measuring threads on two different CPUs. */
    SPLIT(
            "split",
            "the two sides pinned to two different CPUs: every message wakes the receiver on the other "
                    + "CPU, so the figures include the kernel's cross-CPU wake-up (tens of microseconds on an idle VM "
                    + "CPU) - what two busy services on separate cores see"),
    /** The two measuring threads on one CPU. */
    SAME(
            "same",
            "both sides pinned to one CPU: the sender hands the CPU straight to the woken receiver, no idle "
                    + "wake-up, so what each side does between system calls (the binding's own cost) shows most");

    private final String id;
    private final String explanation;

    Placement(String id, String explanation) {
        this.id = id;
        this.explanation = explanation;
    }

    /**
     * The name used on the command line and in JSON.
     *
     * @return {@code split} or {@code same}
     */
    public String id() {
        return id;
    }

    /**
     * One line saying what this placement measures.
     *
     * @return the explanation
     */
    public String explanation() {
        return explanation;
    }

    /**
     * The placement with this name.
     *
     * @param id {@code split} or {@code same}
     * @return the placement
     * @throws IllegalArgumentException for another name
     */
    public static Placement of(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        for (Placement p : values()) {
            if (p.id.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown placement '" + id + "' (known: split, same)");
    }
}
