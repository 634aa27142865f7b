package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.Errno;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The native layer's errno numbers against gcc's {@code <errno.h>} and against {@link Errno}. */
class ErrnosTest {
    @Test
    void every_constant_matches_errno_h_and_the_public_enum() throws ReflectiveOperationException {
        List<Field> fields = new ArrayList<>();
        for (Field f : Errnos.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                fields.add(f);
            }
        }
        assertTrue(fields.size() >= 5, "fields: " + fields);
        StringBuilder c =
                new StringBuilder("#include <errno.h>\n#include <stdio.h>\nint main(void) {\n");
        for (Field f : fields) {
            c.append("    printf(\"%d\\n\", ").append(f.getName()).append(");\n");
        }
        c.append("    return 0;\n}\n");
        String[] out =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileSource("errnos_probe", c.toString()).toString())
                        .assertExit(0)
                        .stdout()
                        .split("\n");
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            int java = f.getInt(null);
            assertEquals(Integer.parseInt(out[i].trim()), java, f.getName() + " against <errno.h>");
            assertEquals(
                    Errno.of(f.getName()).number(), java, f.getName() + " against io.jipc.Errno");
        }
    }
}
