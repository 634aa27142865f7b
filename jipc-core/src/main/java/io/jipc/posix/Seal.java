package io.jipc.posix;

import io.jipc.internal.linux.PosixFiles;

/**
 * A seal on a {@link Memfd} ({@code F_ADD_SEALS}, {@man memfd_create(2)}): a restriction that, once
 * added, holds for every descriptor and mapping of the file in every process until the file is
 * gone. A receiver that checks the seals can trust the memory will not change or shrink under it.
 */
public enum Seal {
    /** No further seal can be added ({@code F_SEAL_SEAL}). */
    SEAL(PosixFiles.F_SEAL_SEAL),
    /** The size cannot shrink ({@code F_SEAL_SHRINK}): mappings never fault beyond the end. */
    SHRINK(PosixFiles.F_SEAL_SHRINK),
    /** The size cannot grow ({@code F_SEAL_GROW}). */
    GROW(PosixFiles.F_SEAL_GROW),
    /**
     * The contents cannot change ({@code F_SEAL_WRITE}): no write, no writable shared mapping.
     * Adding it fails with {@code EBUSY} while a writable mapping exists anywhere.
     */
    WRITE(PosixFiles.F_SEAL_WRITE),
    /**
     * No new write access ({@code F_SEAL_FUTURE_WRITE}): writes and new writable mappings fail, but
     * mappings that exist keep writing (a producer keeps its view, consumers get read-only).
     */
    FUTURE_WRITE(PosixFiles.F_SEAL_FUTURE_WRITE);

    final int bit;

    Seal(int bit) {
        this.bit = bit;
    }
}
