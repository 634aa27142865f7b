package io.jipc.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The System V objects on this host, read from {@code /proc/sysvipc/{msg,sem,shm}}: one entry per
 * object, {@code "msg 0x67001234 id=32769"}.
 *
 * @param objects the objects, sorted
 */
public record SysvSnapshot(Set<String> objects) {

    /**
     * Reads the current objects.
     *
     * @return the snapshot
     */
    public static SysvSnapshot take() {
        Set<String> all = new TreeSet<>();
        for (String kind : new String[] {"msg", "sem", "shm"}) {
            Path p = Path.of("/proc/sysvipc", kind);
            try {
                List<String> lines = Files.readAllLines(p);
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 2) {
                        all.add(
                                kind
                                        + " "
                                        + String.format(
                                                "0x%08x", Long.parseLong(f[0]) & 0xffffffffL)
                                        + " id="
                                        + f[1]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }
        return new SysvSnapshot(Set.copyOf(all));
    }

    /**
     * The objects present now that were not in {@code before}.
     *
     * @param before an earlier snapshot
     * @return the new objects, sorted
     */
    public List<String> createdSince(SysvSnapshot before) {
        List<String> created = new ArrayList<>(new TreeSet<>(objects));
        created.removeAll(before.objects);
        return created;
    }
}
