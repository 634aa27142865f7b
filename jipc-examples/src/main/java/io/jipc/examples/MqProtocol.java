package io.jipc.examples;

import io.jipc.IpcKey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The protocol the message queue examples share with their C twins (the seed's {@code proto.h}):
 *
 * <pre>{@code
 * #define KEYPATH  "/etc/services"
 * #define KEYPROJ  'g'
 * #define NAMESIZE 32
 * struct msg_st {
 *     long mtype;              // always 1 here; jipc passes it as the message type
 *     char name[NAMESIZE];     // body offset  0..31: NUL-terminated, NUL-padded
 *     int  math;               // body offset 32..35: native byte order (little-endian on x86_64)
 *     int  chinese;            // body offset 36..39
 * };                           // body = sizeof(struct msg_st) - sizeof(long) = 40 bytes, no padding
 * }</pre>
 *
 * The body layout is written by hand here, member by member, at the offsets gcc gives on x86_64.
 *
 * @param name the student's name (at most 31 bytes of UTF-8)
 * @param math the math score
 * @param chinese the chinese score
 */
public record MqProtocol(String name, int math, int chinese) {
    /** The file of the key: {@code ftok(KEYPATH, KEYPROJ)}. */
    public static final Path KEYPATH = Path.of("/etc/services");

    /** The project id of the key. */
    public static final char KEYPROJ = 'g';

    /** {@code NAMESIZE}: bytes of {@code name}, its terminating NUL included. */
    public static final int NAMESIZE = 32;

    /** The body's size: {@code sizeof(struct msg_st) - sizeof(long)}. */
    public static final int BODY_SIZE = NAMESIZE + 4 + 4;

    /** The type every message of this protocol carries. */
    public static final long MTYPE = 1;

    /**
     * The name of the POSIX queue of the {@code pmq-*} twins ({@code pmq_receiver.c}): the same
     * body, with a priority where System V has the type.
     */
    public static final String POSIX_QUEUE = "/jipc-scores";

    /**
     * The key both ends compute.
     *
     * @return {@code ftok("/etc/services", 'g')}
     * @throws IOException if the file cannot be examined
     */
    public static IpcKey key() throws IOException {
        return IpcKey.ftok(KEYPATH, KEYPROJ);
    }

    /**
     * The record a sender's arguments give: {@code NAME MATH CHINESE}, or "Alan" with random scores
     * without them (as the C senders do).
     *
     * @param args the sender's arguments
     * @return the record
     * @throws NumberFormatException if a score is not a number
     */
    public static MqProtocol fromArgs(String... args) {
        return args.length >= 3
                ? new MqProtocol(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]))
                : new MqProtocol(
                        "Alan",
                        java.util.concurrent.ThreadLocalRandom.current().nextInt(100),
                        java.util.concurrent.ThreadLocalRandom.current().nextInt(100));
    }

    /**
     * The body as C's {@code struct msg_st} holds it after {@code mtype}.
     *
     * @return 40 bytes
     * @throws IllegalArgumentException if the name needs more than 31 bytes
     */
    public byte[] encode() {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length >= NAMESIZE) {
            throw new IllegalArgumentException(
                    "name=" + name + " (at most " + (NAMESIZE - 1) + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate(BODY_SIZE).order(ByteOrder.nativeOrder());
        b.put(n); // name[0..], the rest stays NUL
        b.putInt(NAMESIZE, math); // int math at 32
        b.putInt(NAMESIZE + 4, chinese); // int chinese at 36
        return b.array();
    }

    /**
     * Reads a body sent by either end.
     *
     * @param body the 40 bytes after {@code mtype}
     * @return the record
     * @throws IllegalArgumentException if the body is not 40 bytes
     */
    public static MqProtocol decode(byte[] body) {
        if (body.length != BODY_SIZE) {
            throw new IllegalArgumentException(
                    "body size=" + body.length + " (struct msg_st carries " + BODY_SIZE + ")");
        }
        int end = 0;
        while (end < NAMESIZE && body[end] != 0) {
            end++;
        }
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.nativeOrder());
        return new MqProtocol(
                new String(Arrays.copyOf(body, end), StandardCharsets.UTF_8),
                b.getInt(NAMESIZE),
                b.getInt(NAMESIZE + 4));
    }

    /**
     * The record as the receivers print it, three lines like the C twin's printf.
     *
     * @return {@code "NAME = ...\nMATH = ...\nCHINESE = ...\n"}
     */
    public String describe() {
        return "NAME = " + name + "\nMATH = " + math + "\nCHINESE = " + chinese + "\n";
    }
}
