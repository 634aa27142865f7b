package io.jipc.posix;

import io.jipc.Errno;
import io.jipc.internal.Errors;

import java.util.function.LongSupplier;

/**
 * How every POSIX {@code create} (create-or-open) works: the exclusive creation first ({@code
 * O_CREAT | O_EXCL}), so that the creator knows it is one and may set the exact mode and size; if
 * the name exists, a plain open; if the name went away in between ({@code ENOENT}), again.
 *
 * @param result the open object (a descriptor or an address), or the negated errno
 * @param created whether this call created it
 * @param failedCreating whether a failure came from the exclusive creation (else from the open)
 */
record Creation(long result, boolean created, boolean failedCreating) {

    /**
     * Creates or opens.
     *
     * @param exclusive the exclusive creation: a result or -errno
     * @param open the open of an existing object: a result or -errno
     * @param exclusiveOnly true for {@code createExclusive} (no open on {@code EEXIST})
     * @return what happened
     */
    static Creation createOrOpen(LongSupplier exclusive, LongSupplier open, boolean exclusiveOnly) {
        while (true) {
            long r = exclusive.getAsLong();
            if (r >= 0 || !Errors.is(r, Errno.EEXIST) || exclusiveOnly) {
                return new Creation(r, r >= 0, r < 0);
            }
            r = open.getAsLong();
            if (!Errors.is(r, Errno.ENOENT)) { // ENOENT: unlinked in between; create it then
                return new Creation(r, false, false);
            }
        }
    }
}
