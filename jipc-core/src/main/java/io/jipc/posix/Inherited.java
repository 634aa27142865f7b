package io.jipc.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What {@code /proc/self} says about a descriptor a process inherited or received. */
final class Inherited {
    private Inherited() {}

    /**
     * The target of {@code /proc/self/fd/N} without a {@code " (deleted)"} suffix: a path, a
     * queue's {@code "/name"}, {@code "/memfd:name"}, {@code "anon_inode:[eventfd]"}.
     *
     * @param fd the descriptor
     * @return the link's target, or {@code "fd N"} if it cannot be read
     */
    static String link(int fd) {
        try {
            String s = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return s.endsWith(" (deleted)")
                    ? s.substring(0, s.length() - " (deleted)".length())
                    : s;
        } catch (IOException | UnsupportedOperationException e) {
            return "fd " + fd;
        }
    }

    /**
     * A field of {@code /proc/self/fdinfo/N} ({@man proc(5)}), e.g. {@code "eventfd-semaphore"}.
     *
     * @param fd the descriptor
     * @param field the field's name
     * @return its value, or null if absent or unreadable
     */
    static String fdinfo(int fd, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd));
            for (String l : lines) {
                if (l.startsWith(field + ":")) {
                    return l.substring(field.length() + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
