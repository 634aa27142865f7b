package io.jipc.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * POSIX names from outside (the CLI's NAME, a caller's string): a name is accepted exactly when it
 * follows the rule, a refused one is an {@link IllegalArgumentException} with {@code name=}, and
 * an accepted one works with the kernel and glibc (queue, shared memory, semaphore).
 */
class PosixNamesProperties {

    @Provide
    Arbitrary<String> nameish() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withChars("/.ab\0é ").ofMaxLength(6),
                Arbitraries.strings().withChars("/x").ofMinLength(250).ofMaxLength(260),
                Arbitraries.strings().alpha().numeric().withChars("-_.é").ofMinLength(1).ofMaxLength(20)
                        .map(s -> "/" + s));
    }

    @Provide
    Arbitrary<String> validName() {
        // any character but '/', NUL and lone surrogates (which UTF-8 cannot encode)
        return Arbitraries.strings().withCharRange('\u0001', '\uD7FF').excludeChars('/').ofMinLength(1)
                .ofMaxLength(30).filter(s -> !s.equals(".") && !s.equals("..")).map(s -> "/" + s);
    }

    private static boolean followsTheRule(String name, int maxBytes) {
        if (!name.startsWith("/")) {
            return false;
        }
        String rest = name.substring(1);
        int bytes = rest.getBytes(StandardCharsets.UTF_8).length;
        return !rest.isEmpty() && !rest.equals(".") && !rest.equals("..") && rest.indexOf('/') < 0
                && rest.indexOf('\0') < 0 && bytes <= maxBytes;
    }

    @Property(tries = 300)
    void a_name_is_accepted_exactly_when_it_follows_the_rule(@ForAll("nameish") String name) {
        for (int max : new int[] {PosixNames.NAME_MAX, NamedSemaphore.NAME_BYTES}) {
            boolean ok;
            try {
                assertEquals(name, PosixNames.check(name, max));
                ok = true;
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("name="), e.getMessage());
                ok = false;
            }
            assertEquals(followsTheRule(name, max), ok, "name of " + name.length() + " chars: " + name);
        }
    }

    @Property(tries = 10)
    void an_accepted_name_works_for_every_kind(@ForAll("validName") String name) throws Exception {
        if (!followsTheRule(name, NamedSemaphore.NAME_BYTES - 40)) {
            return; // too long once the unique prefix is added
        }
        String n = "/jipc-p" + ProcessHandle.current().pid() + "-" + name.substring(1);
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
    }
}
