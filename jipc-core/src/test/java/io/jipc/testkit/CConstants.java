package io.jipc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

/**
 * Compares constants declared in Java with what gcc says of the same C expressions: a probe that
 * prints each expression as a {@code long} is compiled and run during the test.
 */
public final class CConstants {
    private CConstants() {}

    /**
     * Fails unless every C expression has the Java value given for it.
     *
     * @param probe a name for the probe program (unique per test class)
     * @param includes the C lines before {@code main} ({@code #define}s and {@code #include}s)
     * @param java C expression (a macro, {@code sizeof}, {@code offsetof}, ...) to the Java value,
     *     in a stable order
     */
    public static void assertSameAsGcc(String probe, String includes, Map<String, Long> java) {
        StringBuilder c =
                new StringBuilder(includes).append("\n#include <stdio.h>\nint main(void) {\n");
        for (String k : java.keySet()) {
            c.append("    printf(\"%ld\\n\", (long) (").append(k).append("));\n");
        }
        c.append("    return 0;\n}\n");
        String[] out =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileSource(probe, c.toString()).toString())
                        .assertExit(0)
                        .stdout()
                        .split("\n");
        int i = 0;
        for (Map.Entry<String, Long> e : java.entrySet()) {
            assertEquals(Long.parseLong(out[i++].trim()), e.getValue().longValue(), e.getKey());
        }
    }
}
