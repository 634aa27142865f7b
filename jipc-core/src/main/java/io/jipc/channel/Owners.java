package io.jipc.channel;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Owner words of the channel format: {@code pid | (start time, low 32 bits) << 32}, where the start
 * time is field 22 of {@code /proc/PID/stat} (clock ticks after boot). A process is alive for the
 * channel while {@code /proc/PID/stat} exists, is not a zombie, and shows the same start time: a
 * pid reused by a later process does not pass for the old one.
 *
 * <p>Every process sharing a channel must see the others in its {@code /proc} (one pid namespace);
 * a writer invisible there would be taken for dead.
 */
final class Owners {
    private Owners() {}

    /** No owner. */
    static final long NONE = 0;

    private static final class Self {
        static final long WORD = word((int) ProcessHandle.current().pid(), startTime("self"));
    }

    /** This process's owner word. */
    static long self() {
        return Self.WORD;
    }

    static long word(int pid, long startTime) {
        return (pid & 0xffffffffL) | (startTime << 32);
    }

    /** The pid of an owner word. */
    static int pid(long owner) {
        return (int) owner;
    }

    /** Whether the process of an owner word still runs; {@code false} for {@link #NONE}. */
    static boolean alive(long owner) {
        if (owner == NONE) {
            return false;
        }
        if (owner == Self.WORD) {
            return true;
        }
        long start = startTime(Integer.toString(pid(owner)));
        return start >= 0 && (int) start == (int) (owner >>> 32);
    }

    /**
     * Field 22 of {@code /proc/WHO/stat}, or -1 if the process is gone or a zombie. The file is
     * read as a stream (its {@code st_size} is 0).
     */
    static long startTime(String who) {
        String line;
        try (BufferedReader r =
                Files.newBufferedReader(
                        Path.of("/proc", who, "stat"), StandardCharsets.ISO_8859_1)) {
            line = r.readLine();
        } catch (NoSuchFileException gone) {
            return -1;
        } catch (IOException e) {
            return -1; // ESRCH while reading: the process exited meanwhile
        }
        if (line == null) {
            return -1;
        }
        int close = line.lastIndexOf(')');
        if (close < 0 || close + 2 >= line.length()) {
            return -1;
        }
        String[] f = line.substring(close + 2).split(" ");
        // f[0] is field 3 (state); field 22 is f[19]
        if (f.length < 20 || f[0].equals("Z") || f[0].equals("X") || f[0].equals("x")) {
            return -1;
        }
        try {
            return Long.parseLong(f[19]) & 0xffffffffL;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
