package io.jipc.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Gen;
import io.jipc.testkit.Props;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/**
 * POSIX names from outside (the CLI's NAME, a caller's string): a name is accepted exactly when it
 * follows the rule, a refused one is an {@link IllegalArgumentException} with {@code name=}, and an
 * accepted one works with the kernel and glibc (queue, shared memory, semaphore).
 */
class PosixNamesProperties {
    static final Gen<String> NAMEISH =
            Gen.oneOf(
                    Gen.strings(12),
                    Gen.strings("/.ab\0é ", 6),
                    Gen.strings("/x", 260),
                    Gen.strings("abcXYZ019-_.é", 20).map(s -> "/" + s));

    /** Any text made a valid name: '/', NUL and lone surrogates (UTF-8 has none) become 'x'. */
    static final Gen<String> VALID =
            Gen.strings(30)
                    .map(
                            s -> {
                                String t = s.replaceAll("[/\\x00\\uD800-\\uDFFF]", "x");
                                return "/"
                                        + (t.isEmpty() || t.equals(".") || t.equals("..")
                                                ? "n" + t
                                                : t);
                            });

    private static boolean followsTheRule(String name, int maxBytes) {
        if (!name.startsWith("/")) {
            return false;
        }
        String rest = name.substring(1);
        int bytes = rest.getBytes(StandardCharsets.UTF_8).length;
        return !rest.isEmpty()
                && !rest.equals(".")
                && !rest.equals("..")
                && rest.indexOf('/') < 0
                && rest.indexOf('\0') < 0
                && bytes <= maxBytes;
    }

    @Test
    void a_name_is_accepted_exactly_when_it_follows_the_rule() {
        Props.forAll(
                "a POSIX name is accepted exactly when it follows the rule",
                300,
                NAMEISH,
                name -> {
                    for (int max : new int[] {PosixNames.NAME_MAX, NamedSemaphore.NAME_BYTES}) {
                        boolean ok;
                        try {
                            assertEquals(name, PosixNames.check(name, max));
                            ok = true;
                        } catch (IllegalArgumentException e) {
                            assertTrue(e.getMessage().startsWith("name="), e.getMessage());
                            ok = false;
                        }
                        assertEquals(
                                followsTheRule(name, max),
                                ok,
                                "name of " + name.length() + " chars");
                    }
                });
    }

    @Test
    void an_accepted_name_works_for_every_kind() {
        Props.forAll(
                "an accepted POSIX name works for queues, shared memory and semaphores",
                10,
                VALID,
                name -> {
                    String n = "/jipc-p" + ProcessHandle.current().pid() + "-" + name.substring(1);
                    if (!followsTheRule(n, NamedSemaphore.NAME_BYTES)) {
                        return; // too long with the unique prefix
                    }
                    try (PosixMessageQueue q = PosixMessageQueue.createExclusive(n, 0600, 1, 8);
                            PosixSharedMemory m = PosixSharedMemory.createExclusive(n, 0600, 1);
                            NamedSemaphore s = NamedSemaphore.createExclusive(n, 0600, 1)) {
                        assertEquals(n, q.status().name());
                        assertEquals(n, m.status().name());
                        assertEquals(n, s.status().name());
                        q.unlink();
                        m.unlink();
                        s.unlink();
                    }
                });
    }
}
