package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Descriptors}: its constants against gcc, and a duplicate that is close-on-exec. */
class DescriptorsTest {
    @Test
    void constants_match_the_c_headers() {
        Map<String, Integer> java = new LinkedHashMap<>();
        java.put("F_DUPFD_CLOEXEC", Descriptors.F_DUPFD_CLOEXEC);
        java.put("SO_REUSEADDR", Descriptors.SO_REUSEADDR);
        java.put("SO_ACCEPTCONN", Descriptors.SO_ACCEPTCONN);
        StringBuilder c = new StringBuilder("""
                #define _GNU_SOURCE
                #include <fcntl.h>
                #include <stdio.h>
                #include <sys/socket.h>
                int main(void) {
                """);
        for (String k : java.keySet()) {
            c.append("    printf(\"%ld\\n\", (long) (").append(k).append("));\n");
        }
        c.append("    return 0;\n}\n");
        String[] out = Processes.run(Duration.ofSeconds(30),
                Gcc.compileSource("descriptors_constants", c.toString()).toString()).assertExit(0).stdout().split("\n");
        int i = 0;
        for (Map.Entry<String, Integer> e : java.entrySet()) {
            assertEquals(Long.parseLong(out[i++].trim()), e.getValue().longValue(), e.getKey());
        }
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
