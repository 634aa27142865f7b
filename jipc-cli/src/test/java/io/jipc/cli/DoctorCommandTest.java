package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class DoctorCommandTest {

    private static String cat(String file, int field) {
        String text =
                Processes.run(Duration.ofSeconds(10), "cat", file).assertExit(0).stdout().trim();
        return text.split("\\s+")[Math.max(field, 0)];
    }

    /** What the kernel says, read with cat. */
    private static Map<String, String> proc() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("msgmax", cat("/proc/sys/kernel/msgmax", -1));
        m.put("msgmnb", cat("/proc/sys/kernel/msgmnb", -1));
        m.put("msgmni", cat("/proc/sys/kernel/msgmni", -1));
        m.put("semmsl", cat("/proc/sys/kernel/sem", 0));
        m.put("semmns", cat("/proc/sys/kernel/sem", 1));
        m.put("semopm", cat("/proc/sys/kernel/sem", 2));
        m.put("semmni", cat("/proc/sys/kernel/sem", 3));
        m.put("shmmax", cat("/proc/sys/kernel/shmmax", -1));
        m.put("shmall", cat("/proc/sys/kernel/shmall", -1));
        m.put("shmmni", cat("/proc/sys/kernel/shmmni", -1));
        m.put("pipe-max-size", cat("/proc/sys/fs/pipe-max-size", -1));
        return m;
    }

    @Test
    void json_limits_equal_proc_sys() {
        CliRunner.Run r = CliRunner.run("doctor", "--json");
        assertEquals(0, r.exit(), r.err());
        for (Map.Entry<String, String> e : proc().entrySet()) {
            Matcher m =
                    Pattern.compile("\"" + Pattern.quote(e.getKey()) + "\":\\{\"value\":(\\d+)")
                            .matcher(r.out());
            assertTrue(m.find(), e.getKey() + " missing in " + r.out());
            assertEquals(e.getValue(), m.group(1), e.getKey());
        }
        assertTrue(r.out().contains("\"semvmx\":{\"value\":32767"), r.out());
        assertTrue(r.out().contains("\"platform_supported\":true"), r.out());
        assertTrue(r.out().contains("\"java\":\"" + Runtime.version() + "\""), r.out());
        assertEquals("", r.err());
    }

    @Test
    void text_report_shows_each_limit_with_its_source() {
        CliRunner.Run r = CliRunner.run("doctor");
        assertEquals(0, r.exit(), r.err());
        for (Map.Entry<String, String> e : proc().entrySet()) {
            assertTrue(
                    Pattern.compile(
                                    "(?m)^  "
                                            + Pattern.quote(e.getKey())
                                            + "\\s+"
                                            + e.getValue()
                                            + "\\s+/proc/sys/")
                            .matcher(r.out())
                            .find(),
                    e.getKey() + " in\n" + r.out());
        }
        assertTrue(
                r.out()
                        .contains(
                                "java        "
                                        + Runtime.version()
                                        + " ("
                                        + System.getProperty("java.vendor")
                                        + ") "
                                        + System.getProperty("java.home")
                                        + "\n"),
                r.out());
        assertTrue(
                r.out().contains("user        euid " + io.jipc.Capabilities.effectiveUid()),
                r.out());
        assertTrue(r.out().contains("ipc ns      ipc:["), r.out());
    }
}
