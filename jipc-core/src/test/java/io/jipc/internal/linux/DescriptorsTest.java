package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.CConstants;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link Descriptors}: its constants (and the fcntl ones of {@link Unistd} that no other test
 * checks) against gcc, a duplicate that is close-on-exec, and kcmp telling open file descriptions
 * apart.
 */
class DescriptorsTest {
    @Test
    void constants_match_the_c_headers() {
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("F_DUPFD_CLOEXEC", (long) Descriptors.F_DUPFD_CLOEXEC);
        java.put("SO_REUSEADDR", (long) Descriptors.SO_REUSEADDR);
        java.put("SO_ACCEPTCONN", (long) Descriptors.SO_ACCEPTCONN);
        java.put("O_CREAT", (long) Descriptors.O_CREAT);
        java.put("O_EXCL", (long) Descriptors.O_EXCL);
        java.put("O_TRUNC", (long) Descriptors.O_TRUNC);
        java.put("O_APPEND", (long) Descriptors.O_APPEND);
        java.put("O_DSYNC", (long) Descriptors.O_DSYNC);
        java.put("O_SYNC", (long) Descriptors.O_SYNC);
        java.put("O_NOFOLLOW", (long) Descriptors.O_NOFOLLOW);
        java.put("O_PATH", (long) Descriptors.O_PATH);
        java.put("SYS_kcmp", Descriptors.SYS_KCMP);
        java.put("KCMP_FILE", (long) Descriptors.KCMP_FILE);
        java.put("O_ACCMODE", (long) Unistd.O_ACCMODE);
        java.put("F_GETFD", (long) Unistd.F_GETFD);
        java.put("F_SETFD", (long) Unistd.F_SETFD);
        CConstants.assertSameAsGcc(
                "descriptors_constants",
                """
                #define _GNU_SOURCE
                #include <fcntl.h>
                #include <linux/kcmp.h>
                #include <sys/socket.h>
                #include <sys/syscall.h>
                """,
                java);
    }

    @Test
    void kcmp_tells_a_duplicate_from_a_second_open_of_the_same_file() throws Exception {
        Path file = Files.createTempFile("jipc-kcmp", ".txt");
        int a = Unistd.open(file.toString(), Unistd.O_RDONLY | Unistd.O_CLOEXEC, 0);
        int b = Unistd.open(file.toString(), Unistd.O_RDONLY | Unistd.O_CLOEXEC, 0);
        int dup = Descriptors.dupCloseOnExec(a, 3);
        try {
            int same = Descriptors.sameOpenFile(a, dup);
            Assumptions.assumeTrue(same >= 0, "kcmp refused here: " + same);
            assertEquals(1, same, "a duplicate is the same open file description");
            assertEquals(0, Descriptors.sameOpenFile(a, b), "a second open is another one");
            assertEquals(-9, Descriptors.sameOpenFile(a, 1 << 20), "EBADF");
        } finally {
            Unistd.close(a);
            Unistd.close(b);
            Unistd.close(dup);
            Files.delete(file);
        }
    }

    @Test
    void a_duplicate_is_the_same_open_file_close_on_exec_at_or_above_the_lowest_number()
            throws Exception {
        int[] p = Unistd.pipe2(0);
        try {
            int dup = Descriptors.dupCloseOnExec(p[0], 100);
            assertTrue(dup >= 100, "dup=" + dup);
            try {
                assertEquals(Unistd.FD_CLOEXEC, Unistd.fcntl(dup, Unistd.F_GETFD, 0));
                assertEquals(
                        Files.readSymbolicLink(Path.of("/proc/self/fd/" + p[0])),
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
