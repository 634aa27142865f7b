package io.jipc.internal;

/**
 * The one check of a mode given to a create method (a System V object, a FIFO, a socket file, a
 * POSIX object): permission bits only, the same rule and the same message everywhere.
 */
public final class Modes {
    private Modes() {}

    /**
     * Checks a mode before any call.
     *
     * @param mode permission bits, {@code 0..0777}
     * @return {@code mode}
     * @throws IllegalArgumentException {@code mode=0... (permission bits only, 0..0777)} if it has
     *     other bits
     */
    public static int check(int mode) {
        if ((mode & ~0777) != 0) {
            throw new IllegalArgumentException(
                    "mode=0" + Integer.toOctalString(mode) + " (permission bits only, 0..0777)");
        }
        return mode;
    }
}
