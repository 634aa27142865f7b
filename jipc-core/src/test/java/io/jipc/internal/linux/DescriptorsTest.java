package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.CConstants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Descriptors}: its constants against gcc, and a duplicate that is close-on-exec. */
class DescriptorsTest {
    @Test
    void constants_match_the_c_headers() {
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("F_DUPFD_CLOEXEC", (long) Descriptors.F_DUPFD_CLOEXEC);
        java.put("SO_REUSEADDR", (long) Descriptors.SO_REUSEADDR);
        java.put("SO_ACCEPTCONN", (long) Descriptors.SO_ACCEPTCONN);
        CConstants.assertSameAsGcc("descriptors_constants", """
                #define _GNU_SOURCE
                #include <fcntl.h>
                #include <sys/socket.h>
                """, java);
    }

    @Test
    void a_duplicate_is_the_same_open_file_close_on_exec_at_or_above_the_lowest_number() throws Exception {
        int[] p = Unistd.pipe2(0);
        try {
            int dup = Descriptors.dupCloseOnExec(p[0], 100);
            assertTrue(dup >= 100, "dup=" + dup);
            try {
                assertEquals(Unistd.FD_CLOEXEC, Unistd.fcntl(dup, Unistd.F_GETFD, 0));
                assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/" + p[0])),
                        Files.readSymbolicLink(Path.of("/proc/self/fd/" + dup)));
            } finally {
                Unistd.close(dup);
            }
            assertEquals(-9, Descriptors.dupCloseOnExec(dup, 3), "EBADF once closed");
        } finally {
            Unistd.close(p[0]);
            Unistd.close(p[1]);
        }
    }
}
