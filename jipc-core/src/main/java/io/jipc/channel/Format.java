package io.jipc.channel;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The channel format, version 1: every offset and constant of docs/channel-format.md, the one place
 * the Java side declares them ({@code c/include/jipc_channel.h} is the C side; {@code
 * ChannelFormatTest} compares the two with gcc).
 *
 * <pre>
 *   region = header (DATA_OFFSET bytes) + data area (capacity bytes, a power of two)
 *
 *   0    descriptor  magic u64 (written last), version u32, kind u32, capacity u64,
 *                    data offset u32, record alignment u32, max writers u32, max message u32,
 *                    salt u64, creator pid u32, flags u32, creation time u64
 *   128  head u64            the reader's position: everything before it is consumed
 *   256  tail u64            the claim position: writers claim [tail, tail + n) by advancing it
 *   384  reader signal u32   futex word: sequence &lt;&lt; 1 | has-waiters bit (the reader sleeps here)
 *   512  space signal u32    futex word: sequence &lt;&lt; 1 | has-waiters bit (writers wait for room)
 *   640  reader owner u64, abandoned u64 (claims of dead writers skipped)
 *   768  writer lock u64     SPSC: the owner of the write side
 *   1024 writer table        max writers entries of 128 bytes:
 *                            owner u64, claim position u64, claim size u64
 *
 *   record (at a multiple of 16 in the data area; size = align16(16 + length)):
 *   +0 length i32   payload bytes; negative (-length) while claimed, positive once committed
 *   +4 info u32     type (bits 0-7: 1 data, 2 padding), writer slot (bits 16-31)
 *   +8 tag u64      position ^ salt: a record exists at a position only when its tag matches
 *   +16 payload
 * </pre>
 *
 * <p>An owner word is {@code pid | (start time in clock ticks, low 32 bits) << 32}, the start time
 * being field 22 of {@code /proc/PID/stat}: a dead process, or a pid reused by another process, no
 * longer matches.
 */
final class Format {
    private Format() {}

    /** "JIPCCHAN" in memory order (little-endian u64). */
    static final long MAGIC = 0x4E4148434350494AL;

    /** The format version this code reads and writes. */
    static final int VERSION = 1;

    /** Kind: one writer at a time. */
    static final int KIND_SPSC = 1;

    /** Kind: many concurrent writers. */
    static final int KIND_MPSC = 2;

    // ---- descriptor (block 0, written once by the creator) ----
    static final long MAGIC_OFFSET = 0;
    static final long VERSION_OFFSET = 8;
    static final long KIND_OFFSET = 12;
    static final long CAPACITY_OFFSET = 16;
    static final long DATA_OFFSET_OFFSET = 24;
    static final long ALIGNMENT_OFFSET = 28;
    static final long MAX_WRITERS_OFFSET = 32;
    static final long MAX_MESSAGE_OFFSET = 36;
    static final long SALT_OFFSET = 40;
    static final long CREATOR_PID_OFFSET = 48;
    static final long FLAGS_OFFSET = 52;
    static final long CREATED_OFFSET = 56;

    // ---- hot words, each on its own 128-byte block ----
    static final long HEAD_OFFSET = 128;
    static final long TAIL_OFFSET = 256;
    static final long READER_SIGNAL_OFFSET = 384;
    static final long SPACE_SIGNAL_OFFSET = 512;
    static final long READER_OWNER_OFFSET = 640;
    static final long ABANDONED_OFFSET = 648;
    static final long WRITER_LOCK_OFFSET = 768;
    static final long WRITER_TABLE_OFFSET = 1024;

    /** Bytes between two hot words and between two writer entries (two cache lines). */
    static final long BLOCK = 128;

    static final long WRITER_OWNER = 0;
    static final long WRITER_CLAIM_POSITION = 8;
    static final long WRITER_CLAIM_SIZE = 16;

    // ---- records ----
    static final int RECORD_HEADER = 16;
    static final int ALIGNMENT = 16;
    static final long RECORD_LENGTH = 0;
    static final long RECORD_INFO = 4;
    static final long RECORD_TAG = 8;
    static final int TYPE_DATA = 1;
    static final int TYPE_PADDING = 2;
    static final int TYPE_MASK = 0xff;
    static final int SLOT_SHIFT = 16;

    /** The waiters bit of a signal word; the rest counts wake-ups. */
    static final int WAITERS = 1;

    // ---- limits ----
    static final long MIN_CAPACITY = 1024;
    static final long MAX_CAPACITY = 1L << 30;
    static final int MAX_WRITERS_LIMIT = 1024;
    static final int DEFAULT_SPSC_WRITERS = 4;
    static final int DEFAULT_MPSC_WRITERS = 64;
    static final long PAGE = 4096;

    /** The default capacity of a new channel. */
    static final long DEFAULT_CAPACITY = 1L << 20;

    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /** The offset of the data area for a writer table of {@code maxWriters} entries. */
    static long dataOffset(int maxWriters) {
        long end = WRITER_TABLE_OFFSET + BLOCK * maxWriters;
        return (end + PAGE - 1) & -PAGE;
    }

    /** The largest payload of a channel of {@code capacity} bytes. */
    static int maxMessage(long capacity) {
        return (int) Math.min(capacity / 4 - RECORD_HEADER, Integer.MAX_VALUE - 64);
    }

    /** Bytes a record of {@code length} payload bytes takes. */
    static long recordSize(long length) {
        return (length + RECORD_HEADER + ALIGNMENT - 1) & -ALIGNMENT;
    }

    static long writerEntry(int slot) {
        return WRITER_TABLE_OFFSET + BLOCK * slot;
    }

    static int info(int type, int slot) {
        return type | (slot << SLOT_SHIFT);
    }
}
