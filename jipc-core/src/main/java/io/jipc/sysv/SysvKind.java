package io.jipc.sysv;

import java.util.Locale;

/** The three kinds of System V IPC object, named as {@code ipcs} and {@code ipcrm} name them. */
public enum SysvKind {
    /** Message queues ({@man msgget(2)}); {@code ipcs -q}. */
    MSG,
    /** Semaphore sets ({@man semget(2)}); {@code ipcs -s}. */
    SEM,
    /** Shared memory segments ({@man shmget(2)}); {@code ipcs -m}. */
    SHM;

    /**
     * The short lower-case name: {@code "msg"}, {@code "sem"} or {@code "shm"}.
     *
     * @return the name
     */
    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind a short name stands for ({@code msg}/{@code sem}/{@code shm}, any case).
     *
     * @param name the short name
     * @return the kind
     * @throws IllegalArgumentException for any other text
     */
    public static SysvKind parse(String name) {
        for (SysvKind k : values()) {
            if (k.shortName().equalsIgnoreCase(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("kind=" + name + " (expected msg, sem or shm)");
    }
}
