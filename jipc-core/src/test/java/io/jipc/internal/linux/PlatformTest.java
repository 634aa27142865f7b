package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlatformTest {

    @Test
    void linux_x86_64_is_supported() {
        assertNull(Platform.unsupportedReason());
        assertTrue(Platform.isSupported());
    }

    @Test
    void another_architecture_is_refused_with_a_sentence() {
        String arch = System.getProperty("os.arch");
        try {
            System.setProperty("os.arch", "aarch64");
            String reason = Platform.unsupportedReason();
            assertTrue(reason.contains("aarch64") && reason.contains("x86_64"), reason);
            UnsupportedOperationException e =
                    assertThrows(UnsupportedOperationException.class, Platform::requireSupported);
            assertTrue(e.getMessage().contains("refuses to guess"), e.getMessage());
        } finally {
            System.setProperty("os.arch", arch);
        }
        assertNull(Platform.unsupportedReason());
    }
}
