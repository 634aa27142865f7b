package io.jipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Keys as text and ftok's arguments: what reads back, and what is refused and how. */
class IpcKeyProperties {

    @Property
    void every_key_prints_as_ipcs_does_and_reads_back(@ForAll int value) {
        IpcKey k = IpcKey.of(value);
        assertEquals(String.format("0x%08x", value), k.toString());
        assertEquals(k, IpcKey.parse(k.toString()));
        assertEquals(k, IpcKey.parse(Integer.toString(value)));
        assertEquals(k, IpcKey.parse(" " + k + "\t"));
    }

    @Provide
    Arbitrary<String> keyish() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(14),
                Arbitraries.strings().withChars("0123456789abcdefxX+- ").ofMaxLength(14));
    }

    @Property(tries = 300)
    void any_text_is_a_key_or_an_illegal_argument(@ForAll("keyish") String text) {
        try {
            IpcKey k = IpcKey.parse(text);
            assertEquals(k, IpcKey.parse(k.toString()));
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("key=" + text), e.getMessage());
        }
    }

    @Property
    void a_proj_outside_1_to_255_is_refused_before_any_call(@ForAll int proj) throws Exception {
        if (proj >= 1 && proj <= 255) {
            assertEquals(proj, IpcKey.ftok(Path.of("/etc/services"), proj).value() >>> 24);
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> IpcKey.ftok(Path.of("/etc/services"), proj));
            assertEquals("proj=" + proj + " (must be 1..255)", e.getMessage());
        }
    }

    @Property(tries = 20)
    void an_empty_or_missing_path_fails_as_cs_ftok_does(@ForAll @IntRange(min = 1, max = 255) int proj) {
        NoSuchFileException empty = assertThrows(NoSuchFileException.class, () -> IpcKey.ftok(Path.of(""), proj));
        assertEquals("", empty.getFile());
        assertTrue(empty.getReason().startsWith("ENOENT"), empty.getReason());
        assertThrows(NoSuchFileException.class, () -> IpcKey.ftok(Path.of("/nonexistent/jipc-" + proj), proj));
    }
}
