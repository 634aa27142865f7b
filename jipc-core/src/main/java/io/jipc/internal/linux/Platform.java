package io.jipc.internal.linux;

/**
 * The platforms whose struct layouts, constants and syscall numbers jipc has verified against the
 * C compiler: Linux on x86_64 with glibc. Anything else is refused on first use with a sentence
 * that says why, instead of running with layouts that could be silently wrong.
 */
public final class Platform {
    private Platform() {
    }

    /**
     * Whether this JVM runs on a verified platform.
     *
     * @return true on Linux x86_64
     */
    public static boolean isSupported() {
        return unsupportedReason() == null;
    }

    /**
     * Why this platform is not supported, or {@code null} when it is.
     *
     * @return a sentence, or {@code null}
     */
    public static String unsupportedReason() {
        String os = System.getProperty("os.name", "?");
        String arch = System.getProperty("os.arch", "?");
        if (!os.equals("Linux")) {
            return "jipc needs Linux; this JVM runs on " + os + ".";
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return "jipc has verified its C struct layouts and syscall numbers on x86_64 only; this JVM runs on "
                    + arch + " (semid_ds and syscall numbers differ there), so it refuses to guess.";
        }
        return null;
    }

    /** Throws {@link UnsupportedOperationException} on an unverified platform. */
    public static void requireSupported() {
        String reason = unsupportedReason();
        if (reason != null) {
            throw new UnsupportedOperationException(reason);
        }
    }
}
