package io.jipc.posix;

import io.jipc.internal.linux.Unistd;

/**
 * How a POSIX object is opened: the {@code O_RDONLY}, {@code O_WRONLY}, {@code O_RDWR} of {@man
 * open(2)}, checked against the object's mode when it is opened.
 */
public enum Access {
    /** Receive only ({@code O_RDONLY}); a read-only mapping of shared memory. */
    READ_ONLY(Unistd.O_RDONLY),
    /** Send only ({@code O_WRONLY}); not for shared memory (a mapping needs read access). */
    WRITE_ONLY(Unistd.O_WRONLY),
    /** Both ({@code O_RDWR}). */
    READ_WRITE(Unistd.O_RDWR);

    final int flags;

    Access(int flags) {
        this.flags = flags;
    }

    boolean canRead() {
        return this != WRITE_ONLY;
    }

    boolean canWrite() {
        return this != READ_ONLY;
    }
}
