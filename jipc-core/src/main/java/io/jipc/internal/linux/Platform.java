package io.jipc.internal.linux;

/**
 * The platforms whose struct layouts, constants and syscall numbers jipc has verified against the C
 * compiler: Linux on x86_64 with glibc. Anything else is refused on first use with a sentence that
 * says why, instead of running with layouts that could be silently wrong.
 */
public final class Platform {
    private Platform() {}

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
                    + arch
                    + " (semid_ds and syscall numbers differ there), so it refuses to guess.";
        }
        return null;
    }

    /**
     * The one sentence that says how to grant jipc native access: the flag for the module's name
     * ({@code --enable-native-access=io.jipc}), or {@code ALL-UNNAMED} when jipc is on the class
     * path.
     *
     * @param module the module of jipc's native package
     * @param denied whether the JVM refuses native access (otherwise it only warns)
     * @return the sentence
     */
    public static String nativeAccessAdvice(Module module, boolean denied) {
        String grantee = module.isNamed() ? module.getName() : "ALL-UNNAMED";
        String where = module.isNamed() ? "module " + module.getName() : "the class path";
        return denied
                ? "jipc needs native access, which this JVM denies to "
                        + where
                        + ": add --enable-native-access="
                        + grantee
                        + " to the java command line."
                : "jipc: native access is not enabled for "
                        + where
                        + " (the JDK warns now and will refuse in a future release): add --enable-native-access="
                        + grantee
                        + " to the java command line.";
    }

    /** Throws {@link UnsupportedOperationException} on an unverified platform. */
    public static void requireSupported() {
        String reason = unsupportedReason();
        if (reason != null) {
            throw new UnsupportedOperationException(reason);
        }
    }
}
