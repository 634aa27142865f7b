package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link Mman}: its constants and struct offsets against gcc, and a shared mapping of a memfd. */
class MmanTest {
    @Test
    void constants_match_the_c_headers() {
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("PROT_READ", (long) Mman.PROT_READ);
        java.put("PROT_WRITE", (long) Mman.PROT_WRITE);
        java.put("MAP_SHARED", (long) Mman.MAP_SHARED);
        java.put("MAP_POPULATE", (long) Mman.MAP_POPULATE);
        java.put("offsetof(struct stat, st_size)", Mman.STAT_SIZE_OFFSET);
        java.put("sizeof(struct stat)", Mman.STAT_BYTES);
        StringBuilder c =
                new StringBuilder(
                        """
                #define _GNU_SOURCE
                #include <stddef.h>
                #include <stdio.h>
                #include <sys/mman.h>
                #include <sys/stat.h>
                int main(void) {
                """);
        for (String k : java.keySet()) {
            c.append("    printf(\"%ld\\n\", (long) (").append(k).append("));\n");
        }
        c.append("    return 0;\n}\n");
        String[] out =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileSource("mman_constants", c.toString()).toString())
                        .assertExit(0)
                        .stdout()
                        .split("\n");
        int i = 0;
        for (Map.Entry<String, Long> e : java.entrySet()) {
            assertEquals(Long.parseLong(out[i++].trim()), e.getValue().longValue(), e.getKey());
        }
    }

    @Test
    void two_shared_mappings_of_one_memfd_see_each_others_writes_and_close_unmaps() {
        int fd = Sockets.memfd_create("jipc-mman-test", Sockets.MFD_CLOEXEC);
        assertTrue(fd >= 0, "memfd_create: " + fd);
        try {
            assertEquals(0, Mman.ftruncate(fd, 8192));
            assertEquals(8192, Mman.fileSize(fd));
            int rw = Mman.PROT_READ | Mman.PROT_WRITE;
            long a = Mman.mmap(8192, rw, Mman.MAP_SHARED, fd, 0);
            long b = Mman.mmap(8192, rw, Mman.MAP_SHARED, fd, 0);
            assertTrue(a > 0 && b > 0 && a != b);
            Arena arenaA = Arena.ofShared();
            MemorySegment sa = Mman.segment(a, 8192, arenaA);
            try (Arena arenaB = Arena.ofConfined()) {
                MemorySegment sb = Mman.segment(b, 8192, arenaB);
                sa.set(ValueLayout.JAVA_LONG, 8184, 0x1234_5678_9abc_def0L);
                assertEquals(0x1234_5678_9abc_def0L, sb.get(ValueLayout.JAVA_LONG, 8184));
            }
            arenaA.close();
            assertThrows(IllegalStateException.class, () -> sa.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(-io.jipc.Errno.EBADF.number(), Mman.fileSize(Integer.MAX_VALUE));
        } finally {
            Unistd.close(fd);
        }
    }
}
