package io.jipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class ErrnoTest {

    @Test
    void every_errno_glibc_knows_has_the_same_name_number_and_text() {
        String c =
                """
                #define _GNU_SOURCE
                #include <stdio.h>
                #include <string.h>
                int main(void) {
                  for (int i = 1; i < 4096; i++) {
                    const char *n = strerrorname_np(i);
                    if (n) printf("%d\\t%s\\t%s\\n", i, n, strerror(i));
                  }
                  return 0;
                }
                """;
        String out =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileSource("errno_probe", c).toString())
                        .assertExit(0)
                        .stdout();
        List<String> mismatches = new ArrayList<>();
        int n = 0;
        for (String line : out.split("\n")) {
            String[] f = line.split("\t");
            n++;
            try {
                Errno e = Errno.of(Integer.parseInt(f[0]));
                if (!e.name().equals(f[1]) || !e.description().equals(f[2])) {
                    mismatches.add(line + " vs " + e.name() + " " + e.description());
                }
            } catch (IllegalArgumentException ex) {
                mismatches.add(line + ": missing");
            }
        }
        assertEquals(List.of(), mismatches);
        assertEquals(n, Errno.values().length, "Errno must hold exactly glibc's errnos");
    }

    @Test
    void aliases_and_unknown_values() {
        assertSame(Errno.EAGAIN, Errno.of("EWOULDBLOCK"));
        assertSame(Errno.EDEADLK, Errno.of("EDEADLOCK"));
        assertSame(Errno.EOPNOTSUPP, Errno.of("ENOTSUP"));
        assertSame(Errno.EIDRM, Errno.of(43));
        assertEquals("ENOENT (No such file or directory)", Errno.ENOENT.toString());
        assertThrows(IllegalArgumentException.class, () -> Errno.of(0));
        assertThrows(IllegalArgumentException.class, () -> Errno.of(41));
        assertThrows(IllegalArgumentException.class, () -> Errno.of("EBOGUS"));
    }
}
