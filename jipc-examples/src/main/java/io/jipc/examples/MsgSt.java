package io.jipc.examples;

import io.jipc.struct.C;
import io.jipc.struct.Packing;
import io.jipc.struct.StructCodec;

import java.nio.ByteOrder;

/**
 * The wire format of the network examples, as their C twins declare it:
 *
 * <pre>{@code
 * struct msg_st { uint32_t math; uint32_t chinese; uint8_t name[]; } __attribute__((packed));
 * }</pre>
 *
 * packed, integers in network byte order ({@code htonl}), the name NUL-terminated after them.
 *
 * @param math the math score
 * @param chinese the Chinese score
 * @param name the student's name
 */
public record MsgSt(
        @C("uint32_t") int math, @C("uint32_t") int chinese, @C("uint8_t[]") String name) {
    /** Encodes and decodes the struct: packed, big-endian. */
    public static final StructCodec<MsgSt> CODEC =
            StructCodec.of(MsgSt.class, Packing.PACKED, ByteOrder.BIG_ENDIAN);

    /** Largest datagram the examples send or accept: 512 bytes. */
    public static final int MAX = 512;

    /**
     * Parses {@code NAME MATH CHINESE} from the command line.
     *
     * @param args the arguments
     * @param from the index of NAME
     * @return the message
     */
    static MsgSt parse(String[] args, int from) {
        return new MsgSt(
                Integer.parseInt(args[from + 1]), Integer.parseInt(args[from + 2]), args[from]);
    }

    /** The line every example (and its C twin) prints for a message. */
    String describe() {
        return "name="
                + name
                + " math="
                + Integer.toUnsignedString(math)
                + " chinese="
                + Integer.toUnsignedString(chinese);
    }
}
