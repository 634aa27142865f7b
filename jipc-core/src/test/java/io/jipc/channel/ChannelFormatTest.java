package io.jipc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jipc.testkit.Processes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The format: the C header's numbers against the Java ones (gcc), and regions that are not
 * channels, or corrupted ones (fuzzed headers and record lengths), which must give a {@link
 * ChannelFormatException} in Java and EBADMSG in C, never a crash or a hang.
 */
class ChannelFormatTest {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static Path peer;
    private final List<Path> files = new ArrayList<>();

    @BeforeAll
    static void compile() {
        peer = ChannelPeer.compile();
    }

    @AfterEach
    void removeFiles() throws Exception {
        for (Path p : files) {
            Files.deleteIfExists(p);
        }
    }

    private Path fresh() {
        Path p = TestChannels.freshPath();
        files.add(p);
        return p;
    }

    @Test
    void the_c_header_declares_the_same_offsets_and_constants_as_the_java_side() {
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("JIPC_CH_MAGIC", Format.MAGIC);
        java.put("JIPC_CH_INITIALIZING", Region.INITIALIZING);
        java.put("JIPC_CH_VERSION", (long) Format.VERSION);
        java.put("JIPC_CH_SPSC", (long) Format.KIND_SPSC);
        java.put("JIPC_CH_MPSC", (long) Format.KIND_MPSC);
        java.put("JIPC_CH_MAGIC_OFFSET", Format.MAGIC_OFFSET);
        java.put("JIPC_CH_VERSION_OFFSET", Format.VERSION_OFFSET);
        java.put("JIPC_CH_KIND_OFFSET", Format.KIND_OFFSET);
        java.put("JIPC_CH_CAPACITY_OFFSET", Format.CAPACITY_OFFSET);
        java.put("JIPC_CH_DATA_OFFSET_OFFSET", Format.DATA_OFFSET_OFFSET);
        java.put("JIPC_CH_ALIGNMENT_OFFSET", Format.ALIGNMENT_OFFSET);
        java.put("JIPC_CH_MAX_WRITERS_OFFSET", Format.MAX_WRITERS_OFFSET);
        java.put("JIPC_CH_MAX_MESSAGE_OFFSET", Format.MAX_MESSAGE_OFFSET);
        java.put("JIPC_CH_SALT_OFFSET", Format.SALT_OFFSET);
        java.put("JIPC_CH_CREATOR_PID_OFFSET", Format.CREATOR_PID_OFFSET);
        java.put("JIPC_CH_FLAGS_OFFSET", Format.FLAGS_OFFSET);
        java.put("JIPC_CH_CREATED_OFFSET", Format.CREATED_OFFSET);
        java.put("JIPC_CH_HEAD_OFFSET", Format.HEAD_OFFSET);
        java.put("JIPC_CH_TAIL_OFFSET", Format.TAIL_OFFSET);
        java.put("JIPC_CH_READER_SIGNAL_OFFSET", Format.READER_SIGNAL_OFFSET);
        java.put("JIPC_CH_SPACE_SIGNAL_OFFSET", Format.SPACE_SIGNAL_OFFSET);
        java.put("JIPC_CH_READER_OWNER_OFFSET", Format.READER_OWNER_OFFSET);
        java.put("JIPC_CH_ABANDONED_OFFSET", Format.ABANDONED_OFFSET);
        java.put("JIPC_CH_WRITER_LOCK_OFFSET", Format.WRITER_LOCK_OFFSET);
        java.put("JIPC_CH_WRITER_TABLE_OFFSET", Format.WRITER_TABLE_OFFSET);
        java.put("JIPC_CH_BLOCK", Format.BLOCK);
        java.put("JIPC_CH_WRITER_OWNER", Format.WRITER_OWNER);
        java.put("JIPC_CH_WRITER_CLAIM_POSITION", Format.WRITER_CLAIM_POSITION);
        java.put("JIPC_CH_WRITER_CLAIM_SIZE", Format.WRITER_CLAIM_SIZE);
        java.put("JIPC_CH_RECORD_HEADER", (long) Format.RECORD_HEADER);
        java.put("JIPC_CH_ALIGNMENT", (long) Format.ALIGNMENT);
        java.put("JIPC_CH_RECORD_LENGTH", Format.RECORD_LENGTH);
        java.put("JIPC_CH_RECORD_INFO", Format.RECORD_INFO);
        java.put("JIPC_CH_RECORD_TAG", Format.RECORD_TAG);
        java.put("JIPC_CH_TYPE_DATA", (long) Format.TYPE_DATA);
        java.put("JIPC_CH_TYPE_PADDING", (long) Format.TYPE_PADDING);
        java.put("JIPC_CH_TYPE_MASK", (long) Format.TYPE_MASK);
        java.put("JIPC_CH_SLOT_SHIFT", (long) Format.SLOT_SHIFT);
        java.put("JIPC_CH_WAITERS", (long) Format.WAITERS);
        java.put("JIPC_CH_MIN_CAPACITY", Format.MIN_CAPACITY);
        java.put("JIPC_CH_MAX_CAPACITY", Format.MAX_CAPACITY);
        java.put("JIPC_CH_MAX_WRITERS_LIMIT", (long) Format.MAX_WRITERS_LIMIT);
        java.put("JIPC_CH_DEFAULT_SPSC_WRITERS", (long) Format.DEFAULT_SPSC_WRITERS);
        java.put("JIPC_CH_DEFAULT_MPSC_WRITERS", (long) Format.DEFAULT_MPSC_WRITERS);
        java.put("jipc_ch_data_offset(4)", Format.dataOffset(4));
        java.put("jipc_ch_data_offset(64)", Format.dataOffset(64));
        java.put("jipc_ch_max_message_of(4096)", (long) Format.maxMessage(4096));
        java.put(
                "jipc_channel_region_size(JIPC_CH_MPSC, 65536)",
                Channel.regionSize(65536, ChannelKind.MPSC));
        java.put("SYS_futex", io.jipc.internal.linux.Futex.SYS_futex);
        java.put("FUTEX_WAKE", (long) io.jipc.internal.linux.Futex.FUTEX_WAKE);
        java.put("FUTEX_WAIT_BITSET", (long) io.jipc.internal.linux.Futex.FUTEX_WAIT_BITSET);
        java.put(
                "(uint32_t) FUTEX_BITSET_MATCH_ANY",
                Integer.toUnsignedLong(io.jipc.internal.linux.Futex.FUTEX_BITSET_MATCH_ANY));
        Map<String, Long> c = new LinkedHashMap<>();
        for (String line :
                Processes.run(Duration.ofSeconds(30), peer.toString(), "offsets")
                        .assertExit(0)
                        .stdout()
                        .split("\n")) {
            int sp = line.lastIndexOf(' ');
            c.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1)));
        }
        assertEquals(java, c);
    }

    /** A valid channel file with a few messages, to corrupt. */
    private Path channelWithMessages(int messages) throws Exception {
        Path p = fresh();
        try (Channel ch = Channel.create(p, 0600, 4096, ChannelKind.MPSC);
                ChannelWriter w = ch.writer()) {
            for (int i = 0; i < messages; i++) {
                w.offer(("message " + i).getBytes());
            }
        }
        return p;
    }

    private static void poke(Path p, long offset, byte[] bytes) throws Exception {
        try (FileChannel fc = FileChannel.open(p, StandardOpenOption.WRITE)) {
            fc.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    private static byte[] le(long v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static String openFails(Path p) {
        ChannelFormatException e =
                assertThrows(ChannelFormatException.class, () -> Channel.open(p).close());
        return e.getMessage();
    }

    @Test
    void a_foreign_or_damaged_header_is_refused_with_a_sentence() throws Exception {
        Path p = channelWithMessages(1);
        byte[] pristine = Files.readAllBytes(p);
        record Case(long offset, byte[] bytes, String says) {}
        List<Case> cases =
                List.of(
                        new Case(0, "NOTACHAN".getBytes(), "not a jipc channel"),
                        new Case(8, le(2, 4), "format version 2"),
                        new Case(12, le(7, 4), "unknown kind 7"),
                        new Case(16, le(3000, 8), "not a power of two"),
                        new Case(16, le(1L << 40, 8), "not a power of two"),
                        new Case(16, le(1 << 20, 8), "region of"),
                        new Case(24, le(64, 4), "overlaps the writer table"),
                        new Case(28, le(8, 4), "record alignment 8"),
                        new Case(32, le(0, 4), "writer table of 0"),
                        new Case(32, le(5000, 4), "writer table of 5000"),
                        new Case(36, le(4000, 4), "max message 4000"),
                        new Case(40, le(5, 8), "salt"),
                        new Case(128, le(64, 8), "head 64 and tail"),
                        new Case(256, le(100_000, 8), "head 0 and tail 100000"));
        for (Case c : cases) {
            Files.write(p, pristine);
            poke(p, c.offset, c.bytes);
            String m = openFails(p);
            assertTrue(
                    m.contains(c.says) && m.startsWith("channel(" + p + ")"), c.says + " / " + m);
            assertEquals(
                    3,
                    Processes.run(
                                    Duration.ofSeconds(30),
                                    peer.toString(),
                                    "drain",
                                    "name:" + p.getFileName())
                            .exitCode(),
                    "C refuses it too: " + c.says);
        }
        Files.write(p, new byte[100]);
        assertTrue(openFails(p).contains("the file has 100 bytes"));
        Files.write(p, java.util.Arrays.copyOf(pristine, 5000));
        assertTrue(openFails(p).contains("region of 5000 bytes"));
    }

    @Test
    void fuzzed_headers_give_a_format_exception_or_a_working_channel_never_a_crash()
            throws Exception {
        Path p = channelWithMessages(5);
        byte[] pristine = Files.readAllBytes(p);
        Random rnd = new Random(19);
        int refused = 0;
        int opened = 0;
        long[] fields = {0, 8, 12, 16, 24, 28, 32, 36, 40, 128, 256};
        for (int round = 0; round < 1500; round++) {
            byte[] b = pristine.clone();
            int edits = 1 + rnd.nextInt(3);
            for (int k = 0; k < edits; k++) {
                int off = (int) fields[rnd.nextInt(fields.length)] + rnd.nextInt(8);
                b[off] =
                        round % 3 == 0
                                ? (byte) rnd.nextInt()
                                : (byte) (b[off] ^ (1 << rnd.nextInt(8)));
            }
            if (b[0] == 0 && b[1] == 0) {
                b[0] = 1; // an all-zero magic waits 2 s for a creator: tested once, elsewhere
            }
            Files.write(p, b);
            try (Channel ch = Channel.open(p);
                    ChannelReader r = ch.reader()) {
                opened++;
                for (int i = 0; i < 10 && r.poll(m -> {}, 100) > 0; i++) {
                    // read what there is
                }
            } catch (ChannelFormatException expected) {
                refused++;
            }
        }
        assertTrue(refused > 1000, "refused " + refused + ", opened " + opened);
    }

    @Test
    void fuzzed_record_headers_give_a_format_exception_or_messages_never_a_crash_or_a_hang()
            throws Exception {
        Path p = channelWithMessages(40);
        byte[] pristine = Files.readAllBytes(p);
        long data = Format.dataOffset(Format.DEFAULT_MPSC_WRITERS);
        Random rnd = new Random(1919);
        int corrupt = 0;
        Path shmName = p.getFileName();
        for (int round = 0; round < 1000; round++) {
            byte[] b = pristine.clone();
            MemorySegment s = MemorySegment.ofArray(b);
            int record = rnd.nextInt(40) * 32; // every "message i" record takes 32 bytes
            switch (rnd.nextInt(4)) {
                case 0 -> s.set(I32, data + record, rnd.nextInt());
                case 1 -> s.set(I32, data + record, rnd.nextInt(5000) - 100);
                case 2 -> s.set(I32, data + record + 4, rnd.nextInt(4) | (rnd.nextInt(70) << 16));
                default -> s.set(I32, data + record, -rnd.nextInt(2000));
            }
            Files.write(p, b);
            try (Channel ch = Channel.open(p);
                    ChannelReader r = ch.reader()) {
                int n = 0;
                try {
                    for (int i = 0; i < 100; i++) {
                        n += r.poll(m -> {}, 7);
                    }
                    r.receive(ByteBuffer.allocate(ch.maxMessage()), Duration.ofMillis(1));
                } catch (ChannelFormatException e) {
                    corrupt++;
                    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
                }
                assertTrue(n <= 40, "no more messages than were written: " + n);
            }
            if (round % 50 == 0) {
                int code =
                        Processes.run(
                                        Duration.ofSeconds(30),
                                        peer.toString(),
                                        "drain",
                                        "name:" + shmName)
                                .exitCode();
                assertTrue(code == 0 || code == 4, "C reads or reports EBADMSG, exit " + code);
            }
        }
        assertTrue(corrupt > 200, "corruptions seen: " + corrupt);
    }

    @Test
    void a_file_whose_creator_never_finished_is_refused_after_two_seconds() throws Exception {
        Path p = fresh();
        try (Arena a = Arena.ofConfined()) {
            Files.write(p, new byte[(int) Channel.regionSize(1024, ChannelKind.SPSC)]);
            long start = System.nanoTime();
            assertTrue(openFails(p).contains("header is empty"));
            assertTrue(System.nanoTime() - start >= 1_900_000_000L, "waited for a creator");
            poke(p, 0, le(Region.INITIALIZING, 8));
            assertTrue(openFails(p).contains("did not finish"));
            assertTrue(a.scope().isAlive());
        }
    }

    @Test
    void every_record_of_a_live_channel_carries_its_position_tag() throws Exception {
        Path p = fresh();
        try (Channel ch = Channel.create(p, 0600, 1024, ChannelKind.SPSC);
                ChannelWriter w = ch.writer();
                ChannelReader r = ch.reader()) {
            w.offer(new byte[] {1, 2, 3});
            byte[] b = Files.readAllBytes(p);
            MemorySegment s = MemorySegment.ofArray(b);
            long data = Format.dataOffset(Format.DEFAULT_SPSC_WRITERS);
            long salt = s.get(I64, Format.SALT_OFFSET);
            assertTrue(salt < 0, "top bit set");
            assertEquals(3, s.get(I32, data));
            assertEquals(Format.TYPE_DATA, s.get(I32, data + 4) & 0xff);
            assertEquals(salt, s.get(I64, data + 8), "position 0 ^ salt");
            assertEquals(32, s.get(I64, Format.TAIL_OFFSET));
            if (r.poll(m -> {}, 1) != 1) {
                fail("the message");
            }
        }
    }
}
