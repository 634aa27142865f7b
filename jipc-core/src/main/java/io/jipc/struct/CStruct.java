package io.jipc.struct;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A C struct: its members laid out exactly as gcc lays out the same declaration on x86_64, with
 * {@link Packing#NATIVE native alignment} or {@link Packing#PACKED packed}, and a codec between its
 * bytes (in native or network byte order) and a map of field values.
 *
 * <pre>{@code
 * CStruct s = CStruct.parse("char name[32]; int math; int chinese;", Packing.NATIVE, ByteOrder.nativeOrder());
 * Map<String, Object> fields = s.decode(body);          // {name=Tom, math=90, chinese=85}
 * byte[] bytes = s.encode(Map.of("name", "Tom", "math", 90, "chinese", 85));   // s.size() == 40 bytes
 * }</pre>
 *
 * <p>Map values, as {@code decode} returns them: {@code Long} for every integer type except the
 * unsigned 64-bit ones ({@code unsigned long}, {@code uint64_t}, {@code size_t}, …), which are
 * {@code BigInteger}; {@code Float}/{@code Double}; {@code String} for {@code char} arrays (up to
 * the first NUL, decoded with {@link #charset()}); {@code byte[]} for other 8-bit arrays; {@code
 * List} for other arrays; {@code Map<String, Object>} for nested structs. {@code encode} accepts
 * any {@code Number} whose value fits the C type (an integral value for integer types), a {@code
 * String} or {@code byte[]} for any 8-bit array, and a {@code List} or Java array for other arrays;
 * every member must be given, and nothing else. Padding is written as zeros.
 *
 * <p>A string must fit with its terminating NUL ({@code char name[32]} holds 31 bytes of text): a
 * longer one is an {@code IllegalArgumentException} unless {@link #withStringTruncation(boolean)}
 * asked for truncation (at a character boundary). A flexible array member ({@code uint8_t name[]},
 * last member only) is not counted in {@link #size()}: {@code decode} gives it every remaining
 * byte, {@code encode} writes as many bytes as the value has (a string with its NUL), so the
 * encoded length is {@code max(size(), offset + value length)}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CStruct {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /**
     * A member, nested ones included, as {@code offsetof} and {@code sizeof} see it.
     *
     * @param path the member name, dotted for members of nested structs ({@code "inner.x"})
     * @param offset {@code offsetof(struct, path)}
     * @param size {@code sizeof} the member (0 for a flexible array member)
     * @param type its C type, e.g. {@code "unsigned int"}, {@code "char[32]"}, {@code "uint8_t[]"},
     *     {@code "struct"} or {@code "struct[4]"}
     */
    public record Field(String path, long offset, long size, String type) {}

    private final Node.Struct root;
    private final Packing packing;
    private final ByteOrder order;
    private final Charset charset;
    private final boolean truncate;
    private final List<Field> fields;
    private final MemoryLayout layout;
    private final Node.Member flexible;
    private final ValueLayout.OfShort shortLayout;
    private final ValueLayout.OfInt intLayout;
    private final ValueLayout.OfLong longLayout;
    private final ValueLayout.OfFloat floatLayout;
    private final ValueLayout.OfDouble doubleLayout;

    CStruct(Node.Struct root, Packing packing, ByteOrder order, Charset charset, boolean truncate) {
        this.root = root;
        this.packing = Objects.requireNonNull(packing, "packing");
        this.order = Objects.requireNonNull(order, "order");
        this.charset = Objects.requireNonNull(charset, "charset");
        this.truncate = truncate;
        List<Field> all = new ArrayList<>();
        collect(root, "", 0, all);
        this.fields = List.copyOf(all);
        Node.Member last = root.members().getLast();
        this.flexible = last.type() instanceof Node.Array a && a.flexible() ? last : null;
        this.shortLayout = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        this.intLayout = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.longLayout = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
        this.floatLayout = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order);
        this.doubleLayout = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order);
        this.layout = layoutOf(root);
    }

    /**
     * Parses a C member list, such as {@code "char name[32]; int math; int chinese;"} or {@code
     * "uint32_t math; uint32_t chinese; uint8_t name[];"}, or a whole {@code "struct msg_st { ...
     * };"}. Types: {@code char}, {@code short}, {@code int}, {@code long}, {@code long long} with
     * their {@code signed}/{@code unsigned} forms, {@code int8_t}…{@code uint64_t}, {@code float},
     * {@code double}, {@code size_t}, {@code ssize_t}, {@code pid_t}, {@code key_t}, {@code uid_t},
     * {@code gid_t}, nested {@code struct [tag] { ... } name;}, arrays of any dimension, and a
     * flexible array member last. Pointers, unions, bit-fields are refused.
     *
     * @param declaration the C text
     * @param packing native alignment or packed
     * @param order the byte order of the encoded values ({@link ByteOrder#BIG_ENDIAN} for network
     *     order)
     * @return the struct, with UTF-8 strings and no truncation
     * @throws StructParseException if the text is not a supported declaration; the message names
     *     the column
     */
    public static CStruct parse(String declaration, Packing packing, ByteOrder order) {
        Objects.requireNonNull(declaration, "declaration");
        Objects.requireNonNull(packing, "packing");
        return new CStruct(
                Parser.parse(declaration, packing), packing, order, StandardCharsets.UTF_8, false);
    }

    Node.Struct root() {
        return root;
    }

    /**
     * {@code sizeof} the struct: tail padding included, a flexible array member excluded.
     *
     * @return the size in bytes
     */
    public long size() {
        return root.size();
    }

    /**
     * {@code _Alignof} the struct (1 when packed).
     *
     * @return the alignment in bytes
     */
    public long alignment() {
        return root.align();
    }

    /**
     * The packing the struct was laid out with.
     *
     * @return the packing
     */
    public Packing packing() {
        return packing;
    }

    /**
     * The byte order of encoded values.
     *
     * @return the order
     */
    public ByteOrder order() {
        return order;
    }

    /**
     * The encoding of {@code char} array strings.
     *
     * @return the charset (UTF-8 unless changed)
     */
    public Charset charset() {
        return charset;
    }

    /**
     * Whether strings too long for their array are cut instead of refused.
     *
     * @return true when truncation was asked for
     */
    public boolean truncatesStrings() {
        return truncate;
    }

    /**
     * This struct with another string encoding.
     *
     * @param charset the encoding of {@code char} arrays
     * @return a struct with the same layout
     */
    public CStruct withCharset(Charset charset) {
        return new CStruct(root, packing, order, charset, truncate);
    }

    /**
     * This struct, cutting strings that do not fit (at a character boundary, keeping the NUL) when
     * {@code truncate} is true, or refusing them when false (the default).
     *
     * @param truncate whether to truncate
     * @return a struct with the same layout
     */
    public CStruct withStringTruncation(boolean truncate) {
        return new CStruct(root, packing, order, charset, truncate);
    }

    /**
     * Every member, depth first (a nested struct, then its members), with offsets from the start of
     * this struct.
     *
     * @return the members
     */
    public List<Field> fields() {
        return fields;
    }

    /**
     * {@code offsetof} a member.
     *
     * @param path a member name, dotted for nested members ({@code "inner.x"})
     * @return its offset in bytes
     * @throws IllegalArgumentException if there is no such member
     */
    public long offsetOf(String path) {
        for (Field f : fields) {
            if (f.path().equals(path)) {
                return f.offset();
            }
        }
        throw new IllegalArgumentException(
                "no member path=" + path + " in struct { " + declaration() + " }");
    }

    /**
     * The layout as an FFM {@link MemoryLayout}: a struct layout with named members, explicit
     * padding, values in this byte order (byte-aligned when packed), arrays as sequence layouts and
     * a flexible member as a zero-length sequence.
     *
     * @return the layout, {@code byteSize() == size()}
     */
    public MemoryLayout layout() {
        return layout;
    }

    /**
     * The C member list, e.g. {@code char name[32]; int math; int chinese;}; for a record, what a C
     * program declares to match it.
     *
     * @return the declaration
     */
    public String declaration() {
        return root.declaration();
    }

    @Override
    public String toString() {
        return "struct { "
                + declaration()
                + " } ("
                + packing
                + ", "
                + order
                + ", "
                + size()
                + " bytes)";
    }

    /**
     * Decodes the struct at the start of {@code bytes}.
     *
     * @param bytes at least {@link #size()} bytes; any further bytes belong to the flexible array
     *     member if there is one, and are ignored otherwise
     * @return the member values by name, in declaration order
     * @throws IllegalArgumentException if there are fewer than {@code size()} bytes
     */
    public Map<String, Object> decode(byte[] bytes) {
        return decode(MemorySegment.ofArray(bytes));
    }

    /**
     * Decodes the struct at the buffer's position, and advances the position past it (past every
     * remaining byte when the struct has a flexible array member).
     *
     * @param src the bytes, between position and limit
     * @return the member values by name
     * @throws IllegalArgumentException if fewer than {@link #size()} bytes remain
     */
    public Map<String, Object> decode(ByteBuffer src) {
        return decode(src, true);
    }

    Map<String, Object> decode(ByteBuffer src, boolean strings) {
        Map<String, Object> values = decode(MemorySegment.ofBuffer(src), strings);
        src.position(src.position() + (flexible != null ? src.remaining() : (int) size()));
        return values;
    }

    /**
     * Decodes the struct at the start of a segment.
     *
     * @param src the segment; its size bounds the flexible array member
     * @return the member values by name
     * @throws IllegalArgumentException if the segment is smaller than {@link #size()}
     */
    public Map<String, Object> decode(MemorySegment src) {
        return decode(src, true);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> decode(MemorySegment src, boolean strings) {
        if (src.byteSize() < size()) {
            throw new IllegalArgumentException(
                    "struct { "
                            + declaration()
                            + " } needs "
                            + size()
                            + " bytes, got length="
                            + src.byteSize());
        }
        return (Map<String, Object>) read(src, 0, root, strings);
    }

    /**
     * Encodes member values into a new array.
     *
     * @param values every member's value by name (nested structs as maps)
     * @return {@link #size()} bytes, more with a flexible array member
     * @throws IllegalArgumentException if a member is missing or unknown, or a value does not fit
     */
    public byte[] encode(Map<String, ?> values) {
        byte[] bytes = new byte[Math.toIntExact(encodedSize(values))];
        write(MemorySegment.ofArray(bytes), values);
        return bytes;
    }

    /**
     * Encodes member values at the buffer's position, and advances the position past them.
     *
     * @param values every member's value by name
     * @param dst the buffer
     * @return the number of bytes written
     * @throws IllegalArgumentException if the buffer has too little room, or as {@link
     *     #encode(Map)}
     */
    public int encode(Map<String, ?> values, ByteBuffer dst) {
        int n = (int) encode(values, MemorySegment.ofBuffer(dst));
        dst.position(dst.position() + n);
        return n;
    }

    /**
     * Encodes member values at the start of a segment.
     *
     * @param values every member's value by name
     * @param dst the segment (use {@code asSlice} to write elsewhere)
     * @return the number of bytes written
     * @throws IllegalArgumentException if the segment is too small, or as {@link #encode(Map)}
     */
    public long encode(Map<String, ?> values, MemorySegment dst) {
        long n = encodedSize(values);
        if (dst.byteSize() < n) {
            throw new IllegalArgumentException(
                    "struct { "
                            + declaration()
                            + " } needs "
                            + n
                            + " bytes, destination has length="
                            + dst.byteSize());
        }
        write(dst, values);
        return n;
    }

    private void write(MemorySegment dst, Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        MemorySegment seg = dst.asSlice(0, encodedSize(values));
        seg.fill((byte) 0);
        write(seg, 0, root, values, "");
    }

    private long encodedSize(Map<String, ?> values) {
        if (flexible == null || !(values.get(flexible.name()) instanceof Object v)) {
            return size();
        }
        Node.Array a = (Node.Array) flexible.type();
        long bytes;
        if (a.ofBytes() && v instanceof String s) {
            bytes = bytesOf(s, -1, flexible.name()).length + 1;
        } else if (a.ofBytes() && v instanceof byte[] b) {
            bytes = b.length;
        } else {
            bytes = elements(v, flexible.name()).size() * a.element().size();
        }
        return Math.max(size(), flexible.offset() + bytes);
    }

    // ---- decoding

    private Object read(MemorySegment seg, long off, Node type, boolean strings) {
        return switch (type) {
            case Scalar s -> readScalar(seg, off, s);
            case Node.Struct st -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Node.Member m : st.members()) {
                    map.put(m.name(), read(seg, off + m.offset(), m.type(), strings));
                }
                yield map;
            }
            case Node.Array a -> {
                long n =
                        a.flexible()
                                ? Math.max(0, seg.byteSize() - off) / a.element().size()
                                : a.length();
                if (a.ofBytes()) {
                    byte[] bytes = seg.asSlice(off, n).toArray(ValueLayout.JAVA_BYTE);
                    yield strings && a.element() == Scalar.CHAR ? string(bytes) : bytes;
                }
                List<Object> list = new ArrayList<>((int) n);
                for (long k = 0; k < n; k++) {
                    list.add(read(seg, off + k * a.element().size(), a.element(), strings));
                }
                yield Collections.unmodifiableList(list);
            }
        };
    }

    /** The text before the first NUL. */
    String string(byte[] bytes) {
        int len = 0;
        while (len < bytes.length && bytes[len] != 0) {
            len++;
        }
        return new String(bytes, 0, len, charset);
    }

    private Object readScalar(MemorySegment seg, long off, Scalar s) {
        return switch ((int) s.size()) {
            case 1 -> {
                byte v = seg.get(ValueLayout.JAVA_BYTE, off);
                yield s.signed() ? (long) v : (long) (v & 0xff);
            }
            case 2 -> {
                short v = seg.get(shortLayout, off);
                yield s.signed() ? (long) v : (long) (v & 0xffff);
            }
            case 4 -> {
                if (s == Scalar.FLOAT) {
                    yield seg.get(floatLayout, off);
                }
                int v = seg.get(intLayout, off);
                yield s.signed() ? (long) v : v & 0xffffffffL;
            }
            default -> {
                if (s == Scalar.DOUBLE) {
                    yield seg.get(doubleLayout, off);
                }
                long v = seg.get(longLayout, off);
                yield s.signed()
                        ? (Object) v
                        : v >= 0 ? BigInteger.valueOf(v) : BigInteger.valueOf(v).add(TWO_64);
            }
        };
    }

    // ---- encoding

    private void write(MemorySegment seg, long off, Node type, Object value, String path) {
        switch (type) {
            case Scalar s -> writeScalar(seg, off, s, value, path);
            case Node.Struct st -> {
                if (!(value instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException(
                            path
                                    + "="
                                    + describe(value)
                                    + ": a struct value must be a Map of its members");
                }
                for (Object key : map.keySet()) {
                    if (st.members().stream().noneMatch(m -> m.name().equals(key))) {
                        throw new IllegalArgumentException(
                                "no member "
                                        + join(path, String.valueOf(key))
                                        + " in struct { "
                                        + st.declaration()
                                        + " }");
                    }
                }
                for (Node.Member m : st.members()) {
                    String p = join(path, m.name());
                    if (!map.containsKey(m.name())) {
                        throw new IllegalArgumentException(
                                "no value for member "
                                        + p
                                        + " of struct { "
                                        + st.declaration()
                                        + " }");
                    }
                    write(seg, off + m.offset(), m.type(), map.get(m.name()), p);
                }
            }
            case Node.Array a -> writeArray(seg, off, a, value, path);
        }
    }

    private void writeArray(MemorySegment seg, long off, Node.Array a, Object value, String path) {
        if (a.ofBytes() && (value instanceof String || value instanceof byte[])) {
            byte[] bytes;
            if (value instanceof String s) {
                bytes = bytesOf(s, a.flexible() ? -1 : (int) a.length() - 1, path);
            } else {
                bytes = (byte[]) value;
                if (!a.flexible() && bytes.length > a.length()) {
                    throw new IllegalArgumentException(
                            path + "=byte[" + bytes.length + "] does not fit in " + a.cName());
                }
            }
            MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, off, bytes.length);
            return;
        }
        List<?> items = elements(value, path);
        if (!a.flexible() && items.size() != a.length()) {
            throw new IllegalArgumentException(
                    path
                            + "="
                            + describe(value)
                            + " has "
                            + items.size()
                            + " elements, "
                            + a.cName()
                            + " needs "
                            + a.length());
        }
        for (int k = 0; k < items.size(); k++) {
            write(
                    seg,
                    off + k * a.element().size(),
                    a.element(),
                    items.get(k),
                    path + "[" + k + "]");
        }
    }

    private static List<?> elements(Object value, String path) {
        if (value instanceof List<?> list) {
            return list;
        }
        if (value != null && value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int k = 0, n = Array.getLength(value); k < n; k++) {
                list.add(Array.get(value, k));
            }
            return list;
        }
        throw new IllegalArgumentException(
                path
                        + "="
                        + describe(value)
                        + ": an array value must be a List or"
                        + " a Java array (a String or byte[] for 8-bit arrays)");
    }

    /** Encodes a string; {@code max >= 0} bounds the bytes (the NUL is not counted). */
    byte[] bytesOf(String s, int max, String path) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(path + "=\"" + s + "\" contains a NUL character");
        }
        CharsetEncoder enc =
                charset.newEncoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            if (max < 0) {
                ByteBuffer b = enc.encode(CharBuffer.wrap(s));
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                return bytes;
            }
            ByteBuffer out = ByteBuffer.allocate(max);
            CoderResult r = enc.encode(CharBuffer.wrap(s), out, true);
            if (r.isError()) {
                r.throwException();
            }
            if (r.isOverflow() && !truncate) {
                int needed = bytesOf(s, -1, path).length;
                throw new IllegalArgumentException(
                        path
                                + "=\""
                                + s
                                + "\" needs "
                                + needed
                                + " bytes in "
                                + charset
                                + " but holds at most "
                                + max
                                + " and a NUL (ask for truncation to cut it)");
            }
            if (r.isUnderflow()) {
                enc.flush(out);
            }
            return java.util.Arrays.copyOf(out.array(), out.position());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    path + "=\"" + s + "\" cannot be encoded in " + charset, e);
        }
    }

    private void writeScalar(MemorySegment seg, long off, Scalar s, Object value, String path) {
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(
                    path + "=" + describe(value) + ": " + s.cName() + " needs a number");
        }
        if (s == Scalar.FLOAT) {
            seg.set(floatLayout, off, n.floatValue());
            return;
        }
        if (s == Scalar.DOUBLE) {
            seg.set(doubleLayout, off, n.doubleValue());
            return;
        }
        int bits = (int) s.size() * 8;
        BigInteger min = s.signed() ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        BigInteger max =
                (s.signed() ? BigInteger.ONE.shiftLeft(bits - 1) : BigInteger.ONE.shiftLeft(bits))
                        .subtract(BigInteger.ONE);
        long v;
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            v = n.longValue();
            boolean fits =
                    bits == 64
                            ? s.signed() || v >= 0
                            : v >= min.longValue() && v <= max.longValue();
            if (!fits) {
                throw outOfRange(path, n, s, min, max);
            }
        } else {
            BigInteger big;
            try {
                big =
                        n instanceof BigInteger b
                                ? b
                                : new BigDecimal(n.toString()).toBigIntegerExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException(
                        path + "=" + n + ": " + s.cName() + " needs an integer", e);
            }
            if (big.compareTo(min) < 0 || big.compareTo(max) > 0) {
                throw outOfRange(path, n, s, min, max);
            }
            v = big.longValue();
        }
        switch (bits) {
            case 8 -> seg.set(ValueLayout.JAVA_BYTE, off, (byte) v);
            case 16 -> seg.set(shortLayout, off, (short) v);
            case 32 -> seg.set(intLayout, off, (int) v);
            default -> seg.set(longLayout, off, v);
        }
    }

    private static IllegalArgumentException outOfRange(
            String path, Number n, Scalar s, BigInteger min, BigInteger max) {
        return new IllegalArgumentException(
                path
                        + "="
                        + n
                        + " is out of range for "
                        + s.cName()
                        + " ("
                        + min
                        + ".."
                        + max
                        + ")");
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    // ---- metadata

    private static void collect(Node.Struct st, String prefix, long base, List<Field> out) {
        for (Node.Member m : st.members()) {
            String path = join(prefix, m.name());
            out.add(new Field(path, base + m.offset(), m.type().size(), m.type().cName()));
            if (m.type() instanceof Node.Struct nested) {
                collect(nested, path, base + m.offset(), out);
            }
        }
    }

    private MemoryLayout layoutOf(Node type) {
        return switch (type) {
            case Scalar s -> {
                ValueLayout v =
                        switch (s) {
                            case FLOAT -> ValueLayout.JAVA_FLOAT;
                            case DOUBLE -> ValueLayout.JAVA_DOUBLE;
                            default ->
                                    switch ((int) s.size()) {
                                        case 1 -> ValueLayout.JAVA_BYTE;
                                        case 2 -> ValueLayout.JAVA_SHORT;
                                        case 4 -> ValueLayout.JAVA_INT;
                                        default -> ValueLayout.JAVA_LONG;
                                    };
                        };
                v = v.withOrder(order);
                yield packing == Packing.PACKED ? v.withByteAlignment(1) : v;
            }
            case Node.Array a ->
                    MemoryLayout.sequenceLayout(Math.max(0, a.length()), layoutOf(a.element()));
            case Node.Struct st -> {
                List<MemoryLayout> members = new ArrayList<>();
                long end = 0;
                for (Node.Member m : st.members()) {
                    if (m.offset() > end) {
                        members.add(MemoryLayout.paddingLayout(m.offset() - end));
                    }
                    members.add(layoutOf(m.type()).withName(m.name()));
                    end = m.offset() + m.type().size();
                }
                if (st.size() > end) {
                    members.add(MemoryLayout.paddingLayout(st.size() - end));
                }
                yield MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new));
            }
        };
    }
}
