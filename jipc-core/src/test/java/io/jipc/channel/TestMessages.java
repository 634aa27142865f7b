package io.jipc.channel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The test messages both peers write (channel_peer.c has the same code): writer id u32, sequence
 * u64, payload bytes {@code (seq * 31 + i * 7 + writer) & 0xff}, then FNV-1a 64 of the rest; all
 * little-endian. A torn, mixed or corrupted message fails {@link #verify}.
 */
final class TestMessages {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    private TestMessages() {}

    static int lengthOf(int writer, long seq, int maxLength) {
        return 20 + (int) Long.remainderUnsigned(seq * 13 + writer * 7L, maxLength - 19);
    }

    static void encode(MemorySegment b, int writer, long seq, int length) {
        b.set(U32, 0, writer);
        b.set(U64, 4, seq);
        for (int i = 12; i < length - 8; i++) {
            b.set(ValueLayout.JAVA_BYTE, i, (byte) (seq * 31 + i * 7L + writer));
        }
        b.set(U64, length - 8, fnv(b, length - 8));
    }

    static long fnv(MemorySegment b, long n) {
        long h = 0xcbf29ce484222325L;
        for (long i = 0; i < n; i++) {
            h = (h ^ (b.get(ValueLayout.JAVA_BYTE, i) & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** The writer id of a verified message; throws AssertionError for a torn or foreign one. */
    static int writer(MemorySegment m) {
        verify(m);
        return m.get(U32, 0);
    }

    static long seq(MemorySegment m) {
        return m.get(U64, 4);
    }

    static void verify(MemorySegment m) {
        long n = m.byteSize();
        if (n < 20) {
            throw new AssertionError("message of " + n + " bytes");
        }
        int writer = m.get(U32, 0);
        long seq = m.get(U64, 4);
        if (m.get(U64, n - 8) != fnv(m, n - 8)) {
            throw new AssertionError(
                    "torn message: writer " + writer + " seq " + seq + " length " + n);
        }
        for (int i = 12; i < n - 8; i++) {
            if (m.get(ValueLayout.JAVA_BYTE, i) != (byte) (seq * 31 + i * 7L + writer)) {
                throw new AssertionError(
                        "bad payload byte " + i + " in writer " + writer + " seq " + seq);
            }
        }
    }

    /** Tracks the next sequence number of each writer and checks that none is lost or reordered. */
    static final class Tally {
        final long[] next = new long[1024];
        long total;

        void accept(MemorySegment m) {
            int w = writer(m);
            long seq = seq(m);
            if (seq != next[w]) {
                throw new AssertionError(
                        "writer " + w + ": sequence " + seq + " after " + (next[w] - 1));
            }
            next[w]++;
            total++;
        }
    }
}
