package io.jipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gen;
import io.jipc.testkit.Props;

import org.junit.jupiter.api.Test;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Keys as text and ftok's arguments: what reads back, and what is refused and how. */
class IpcKeyProperties {

    @Test
    void every_key_prints_as_ipcs_does_and_reads_back() {
        Props.forAll(
                "every key prints as ipcs does and reads back",
                100,
                Gen.ints(),
                value -> {
                    IpcKey k = IpcKey.of(value);
                    assertEquals(String.format("0x%08x", value), k.toString());
                    assertEquals(k, IpcKey.parse(k.toString()));
                    assertEquals(k, IpcKey.parse(Integer.toString(value)));
                    assertEquals(k, IpcKey.parse(" " + k + "\t"));
                });
    }

    static final Gen<String> KEYISH =
            Gen.oneOf(Gen.strings(14), Gen.strings("0123456789abcdefxX+- ", 14));

    @Test
    void any_text_is_a_key_or_an_illegal_argument() {
        Props.forAll(
                "any text is a key or an illegal argument",
                300,
                KEYISH,
                text -> {
                    try {
                        IpcKey k = IpcKey.parse(text);
                        assertEquals(k, IpcKey.parse(k.toString()));
                    } catch (IllegalArgumentException e) {
                        assertTrue(e.getMessage().startsWith("key=" + text), e.getMessage());
                    }
                });
    }

    @Test
    void a_proj_outside_1_to_255_is_refused_before_any_call() {
        Gen<Integer> projs = Gen.ints(Integer.MIN_VALUE, Integer.MAX_VALUE, 1, 255);
        Props.forAll(
                "a proj outside 1..255 is refused before any call",
                100,
                projs,
                proj -> {
                    if (proj >= 1 && proj <= 255) {
                        assertEquals(
                                proj, IpcKey.ftok(Path.of("/etc/services"), proj).value() >>> 24);
                    } else {
                        IllegalArgumentException e =
                                assertThrows(
                                        IllegalArgumentException.class,
                                        () -> IpcKey.ftok(Path.of("/etc/services"), proj));
                        assertEquals("proj=" + proj + " (must be 1..255)", e.getMessage());
                    }
                });
    }

    @Test
    void an_empty_or_missing_path_fails_as_cs_ftok_does() {
        Props.forAll(
                "an empty or missing path fails as C's ftok does",
                20,
                Gen.ints(1, 255),
                proj -> {
                    NoSuchFileException empty =
                            assertThrows(
                                    NoSuchFileException.class,
                                    () -> IpcKey.ftok(Path.of(""), proj));
                    assertEquals("", empty.getFile());
                    assertTrue(empty.getReason().startsWith("ENOENT"), empty.getReason());
                    assertThrows(
                            NoSuchFileException.class,
                            () -> IpcKey.ftok(Path.of("/nonexistent/jipc-" + proj), proj));
                });
    }
}
