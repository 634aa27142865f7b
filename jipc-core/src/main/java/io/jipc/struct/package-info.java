/**
 * The C struct family, what crosses every IPC boundary as bytes: a struct declared as a C member
 * list or as a record, laid out exactly as gcc lays out the same declaration on x86_64 — with the
 * ABI's alignment and tail padding ({@link io.jipc.struct.Packing#NATIVE}) or packed ({@link
 * io.jipc.struct.Packing#PACKED}) — and encoded in native or network byte order to and from {@code
 * byte[]}, {@code ByteBuffer} and {@code MemorySegment}.
 *
 * <p>A message-queue body whose C sender declares {@code struct msg { long mtype; char name[32];
 * int math; int chinese; }} (the body is what follows {@code mtype}):
 *
 * <pre>{@code
 * CStruct s = CStruct.parse("char name[32]; int math; int chinese;", Packing.NATIVE, ByteOrder.nativeOrder());
 * Map<String, Object> fields = s.decode(body);           // {name=Tom, math=90, chinese=85}
 * s.size();  s.offsetOf("math");  s.layout();            // 40, 32, an FFM MemoryLayout
 * }</pre>
 *
 * <p>A packed, network-order wire format with a flexible array member, as a record:
 *
 * <pre>{@code
 * // struct msg_st { uint32_t math; uint32_t chinese; uint8_t name[]; } __attribute__((packed));
 * record MsgSt(@C("uint32_t") int math, @C("uint32_t") int chinese, @C("uint8_t[]") String name) {}
 * StructCodec<MsgSt> c = StructCodec.of(MsgSt.class, Packing.PACKED, ByteOrder.BIG_ENDIAN);
 * byte[] wire = c.encode(new MsgSt(90, 85, "Tom"));      // what htonl() and a packed struct send
 * MsgSt m = c.decode(wire);
 * }</pre>
 *
 * <p>Malformed declarations throw {@link io.jipc.struct.StructParseException}, whose message names
 * the column ({@code at column 4: expected a member name after 'int', found ';' in "int;"}).
 * Strings are UTF-8 and NUL-terminated; one that does not fit is refused unless truncation is asked
 * for ({@code withStringTruncation(true)}). Pointers are refused: an address means nothing in
 * another process.
 *
 * <p>What bites people who exchange structs between processes, and the other traps of Unix IPC: <a
 * href="../doc-files/TRAPS.html">the traps</a>.
 */
package io.jipc.struct;
