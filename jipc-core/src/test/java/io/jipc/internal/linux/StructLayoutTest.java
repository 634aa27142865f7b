package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every struct of the native layer against gcc: a C probe, generated from the layouts' own member
 * names, prints {@code offsetof}/{@code sizeof} of every member and the struct's size and
 * alignment; each must equal the Java layout's.
 */
class StructLayoutTest {

    /** Every named leaf member: "path" -> {offset, size}. */
    private static void leaves(GroupLayout g, String prefix, long base, Map<String, long[]> out) {
        for (MemoryLayout m : g.memberLayouts()) {
            if (m instanceof PaddingLayout) {
                continue;
            }
            String name = m.name().orElseThrow(() -> new AssertionError("unnamed member in " + g));
            long off = base + g.byteOffset(MemoryLayout.PathElement.groupElement(name));
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            out.put(path, new long[] {off, m.byteSize()});
            if (m instanceof GroupLayout nested) {
                leaves(nested, path, off, out);
            }
        }
    }

    @Test
    void every_field_offset_and_size_matches_gcc() {
        Map<String, Map<String, long[]>> expected = new LinkedHashMap<>();
        StringBuilder c =
                new StringBuilder(
                        """
                #define _GNU_SOURCE
                #include <mqueue.h>
                #include <poll.h>
                #include <signal.h>
                #include <stdio.h>
                #include <stddef.h>
                #include <time.h>
                #include <sys/ipc.h>
                #include <sys/msg.h>
                #include <sys/resource.h>
                #include <sys/sem.h>
                #include <sys/shm.h>
                #include <sys/epoll.h>
                #include <sys/socket.h>
                #include <sys/time.h>
                #include <sys/uio.h>
                #include <sys/un.h>
                #define F(s, f) printf("%s %s %zu %zu\\n", #s, #f, offsetof(struct s, f), sizeof(((struct s *)0)->f))
                int main(void) {
                """);
        int members = 0;
        for (Map.Entry<String, StructLayout> e : Structs.all().entrySet()) {
            String s = e.getKey();
            c.append(
                    String.format(
                            "    printf(\"%s SIZE %%zu %%zu\\n\", sizeof(struct %s), _Alignof(struct %s));%n",
                            s, s, s));
            Map<String, long[]> fields = new LinkedHashMap<>();
            leaves(e.getValue(), "", 0, fields);
            for (String f : fields.keySet()) {
                c.append("    F(").append(s).append(", ").append(f).append(");\n");
                members++;
            }
            expected.put(s, fields);
        }
        c.append("    return 0;\n}\n");
        assertTrue(members > 80, "expected every member of every struct, got " + members);

        String out =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileSource("struct_probe", c.toString()).toString())
                        .assertExit(0)
                        .stdout();
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (String line : out.split("\n")) {
            String[] f = line.split(" ");
            StructLayout layout = Structs.all().get(f[0]);
            if (f[1].equals("SIZE")) {
                check(mismatches, f[0] + " sizeof", layout.byteSize(), Long.parseLong(f[2]));
                check(mismatches, f[0] + " _Alignof", layout.byteAlignment(), Long.parseLong(f[3]));
            } else {
                long[] java = expected.get(f[0]).get(f[1]);
                check(mismatches, f[0] + "." + f[1] + " offset", java[0], Long.parseLong(f[2]));
                check(mismatches, f[0] + "." + f[1] + " size", java[1], Long.parseLong(f[3]));
                checked++;
            }
        }
        assertEquals(members, checked, "the probe must print every member");
        assertEquals(List.of(), mismatches);
    }

    private static void check(List<String> mismatches, String what, long java, long gcc) {
        if (java != gcc) {
            mismatches.add(what + ": java " + java + ", gcc " + gcc);
        }
    }

    @Test
    void constants_match_the_c_headers() {
        String c =
                """
                #define _GNU_SOURCE
                #include <stdio.h>
                #include <sys/ipc.h>
                #include <sys/msg.h>
                #include <sys/sem.h>
                #include <sys/shm.h>
                #define P(x) printf("%s %d\\n", #x, (int)(x))
                int main(void) {
                  P(IPC_CREAT); P(IPC_EXCL); P(IPC_NOWAIT); P(IPC_PRIVATE); P(IPC_RMID); P(IPC_SET);
                  P(IPC_STAT); P(IPC_INFO); P(MSG_NOERROR); P(MSG_EXCEPT); P(MSG_COPY); P(MSG_STAT);
                  P(MSG_INFO); P(MSG_STAT_ANY); P(SEM_UNDO); P(GETPID); P(GETVAL); P(GETALL); P(GETNCNT);
                  P(GETZCNT); P(SETVAL); P(SETALL); P(SEM_STAT); P(SEM_INFO); P(SEM_STAT_ANY);
                  P(SHM_RDONLY); P(SHM_HUGETLB); P(SHM_NORESERVE); P(SHM_LOCK); P(SHM_UNLOCK);
                  P(SHM_STAT); P(SHM_INFO); P(SHM_STAT_ANY); P(SHM_DEST); P(SHM_LOCKED);
                  return 0;
                }
                """;
        String out =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileSource("const_probe", c).toString())
                        .assertExit(0)
                        .stdout();
        List<String> mismatches = new ArrayList<>();
        int n = 0;
        for (String line : out.split("\n")) {
            String[] f = line.split(" ");
            try {
                int java = SysV.class.getField(f[0]).getInt(null);
                if (java != Integer.parseInt(f[1])) {
                    mismatches.add(f[0] + ": java " + java + ", C " + f[1]);
                }
                n++;
            } catch (ReflectiveOperationException e) {
                mismatches.add(f[0] + ": missing in SysV");
            }
        }
        assertEquals(35, n);
        assertEquals(List.of(), mismatches);
    }

    /**
     * {@code SHM_HUGE_SHIFT} is in the kernel's header only (glibc's {@code <sys/shm.h>} lacks it).
     */
    @Test
    void the_huge_page_shift_matches_linux_shm_h() {
        io.jipc.testkit.CConstants.assertSameAsGcc(
                "shm_huge_shift",
                "#include <linux/shm.h>",
                java.util.Map.of("SHM_HUGE_SHIFT", (long) SysV.SHM_HUGE_SHIFT));
    }
}
