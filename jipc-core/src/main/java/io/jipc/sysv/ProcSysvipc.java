package io.jipc.sysv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The rows of {@code /proc/sysvipc/msg}, {@code sem} and {@code shm} ({@man proc(5)}), which list
 * every object of the IPC namespace to every user, whatever its mode: what {@code ofId} knows of an
 * object whose status this user may not read.
 */
final class ProcSysvipc {
    private ProcSysvipc() {}

    /**
     * The row of object {@code id}: the key (column 0, decimal), the id (1), the mode (2), then the
     * kind's own columns ({@code nsems}, {@code size}, ... at 3).
     *
     * @param kind {@code "msg"}, {@code "sem"} or {@code "shm"}
     * @param id the identifier
     * @return its row split on white space, or empty if none (or the file cannot be read)
     */
    static Optional<String[]> row(String kind, int id) {
        String wanted = Integer.toString(id);
        try (Stream<String> lines = Files.lines(Path.of("/proc/sysvipc/" + kind))) {
            return lines.skip(1)
                    .map(l -> l.trim().split("\\s+"))
                    .filter(f -> f.length > 3 && f[1].equals(wanted))
                    .findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
