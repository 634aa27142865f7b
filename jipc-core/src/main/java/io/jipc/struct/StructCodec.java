package io.jipc.struct;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A record as a C struct: its components, in order, are the struct's members, laid out as gcc lays
 * out the equivalent C declaration ({@link #struct()}{@code .declaration()}). Component types are
 * refined with {@link C}; a record component is a nested struct.
 *
 * <pre>{@code
 * // struct msg_st { uint32_t math; uint32_t chinese; uint8_t name[]; } __attribute__((packed)), in network order
 * record MsgSt(@C("uint32_t") int math, @C("uint32_t") int chinese, @C("uint8_t[]") String name) {}
 * StructCodec<MsgSt> codec = StructCodec.of(MsgSt.class, Packing.PACKED, ByteOrder.BIG_ENDIAN);
 * byte[] wire = codec.encode(new MsgSt(90, 85, "Tom"));     // 8 + 3 + NUL bytes
 * MsgSt back = codec.decode(wire);
 * }</pre>
 *
 * <p>The record class must be accessible to this module (public in an exported package, or in a
 * package opened to {@code io.jipc}). Components may not be {@code null}. Instances are immutable
 * and thread-safe.
 *
 * @param <R> the record type
 */
public final class StructCodec<R extends Record> {
    private record Info(
            RecordComponent[] components, Method[] accessors, Constructor<?> constructor) {}

    private final Class<R> type;
    private final CStruct struct;
    private final Map<Class<?>, Info> infos;

    private StructCodec(Class<R> type, CStruct struct, Map<Class<?>, Info> infos) {
        this.type = type;
        this.struct = struct;
        this.infos = infos;
    }

    /**
     * The codec of a record type.
     *
     * @param <R> the record type
     * @param type the record class
     * @param packing native alignment or packed
     * @param order the byte order of encoded values ({@link ByteOrder#BIG_ENDIAN} for network
     *     order)
     * @return the codec, with UTF-8 strings and no truncation
     * @throws IllegalArgumentException if a component has no C equivalent (the message names it)
     * @throws StructParseException if a {@link C} annotation cannot be parsed
     */
    public static <R extends Record> StructCodec<R> of(
            Class<R> type, Packing packing, ByteOrder order) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(packing, "packing");
        Map<Class<?>, Info> infos = new HashMap<>();
        Node.Struct root = structOf(type, packing, true, infos);
        return new StructCodec<>(
                type, new CStruct(root, packing, order, StandardCharsets.UTF_8, false), infos);
    }

    /**
     * The struct: size, member offsets, {@code MemoryLayout}, C declaration, and a map codec.
     *
     * @return the struct
     */
    public CStruct struct() {
        return struct;
    }

    /**
     * {@code sizeof} the struct.
     *
     * @return the size in bytes
     */
    public long size() {
        return struct.size();
    }

    /**
     * This codec with another string encoding.
     *
     * @param charset the encoding of String components
     * @return a codec with the same layout
     */
    public StructCodec<R> withCharset(Charset charset) {
        return new StructCodec<>(type, struct.withCharset(charset), infos);
    }

    /**
     * This codec, cutting strings too long for their array when {@code truncate} is true.
     *
     * @param truncate whether to truncate
     * @return a codec with the same layout
     * @see CStruct#withStringTruncation(boolean)
     */
    public StructCodec<R> withStringTruncation(boolean truncate) {
        return new StructCodec<>(type, struct.withStringTruncation(truncate), infos);
    }

    /**
     * Encodes a record into a new array.
     *
     * @param value the record
     * @return {@link #size()} bytes, more with a flexible array member
     * @throws IllegalArgumentException if a value does not fit its C type
     */
    @SuppressWarnings("unchecked")
    public byte[] encode(R value) {
        return struct.encode((Map<String, ?>) toC(value, type, "", struct.root()));
    }

    /**
     * Encodes a record at the buffer's position and advances it.
     *
     * @param value the record
     * @param dst the buffer
     * @return the number of bytes written
     * @throws IllegalArgumentException if the buffer has too little room or a value does not fit
     */
    @SuppressWarnings("unchecked")
    public int encode(R value, ByteBuffer dst) {
        return struct.encode((Map<String, ?>) toC(value, type, "", struct.root()), dst);
    }

    /**
     * Encodes a record at the start of a segment.
     *
     * @param value the record
     * @param dst the segment
     * @return the number of bytes written
     * @throws IllegalArgumentException if the segment is too small or a value does not fit
     */
    @SuppressWarnings("unchecked")
    public long encode(R value, MemorySegment dst) {
        return struct.encode((Map<String, ?>) toC(value, type, "", struct.root()), dst);
    }

    /**
     * Decodes the struct at the start of {@code bytes}.
     *
     * @param bytes at least {@link #size()} bytes
     * @return the record
     * @throws IllegalArgumentException if there are too few bytes
     */
    public R decode(byte[] bytes) {
        return decode(MemorySegment.ofArray(bytes));
    }

    /**
     * Decodes the struct at the buffer's position and advances it, as {@link
     * CStruct#decode(ByteBuffer)}.
     *
     * @param src the buffer
     * @return the record
     * @throws IllegalArgumentException if too few bytes remain
     */
    public R decode(ByteBuffer src) {
        return type.cast(fromC(struct.decode(src, false), type, struct.root()));
    }

    /**
     * Decodes the struct at the start of a segment.
     *
     * @param src the segment
     * @return the record
     * @throws IllegalArgumentException if the segment is too small
     */
    public R decode(MemorySegment src) {
        return type.cast(fromC(struct.decode(src, false), type, struct.root()));
    }

    @Override
    public String toString() {
        return type.getSimpleName() + " as " + struct;
    }

    // ---- building the struct

    private static Node.Struct structOf(
            Class<?> rc, Packing packing, boolean outermost, Map<Class<?>, Info> infos) {
        if (!rc.isRecord()) {
            throw new IllegalArgumentException(rc.getName() + " is not a record");
        }
        if (infos.containsKey(rc) && infos.get(rc) == null) {
            throw new IllegalArgumentException("record " + rc.getName() + " contains itself");
        }
        RecordComponent[] comps = rc.getRecordComponents();
        if (comps.length == 0) {
            throw new IllegalArgumentException(
                    "record " + rc.getName() + " has no components: a C struct needs a member");
        }
        Method[] accessors = new Method[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        infos.put(rc, null);
        Node.Struct.Builder b = new Node.Struct.Builder(packing);
        for (int k = 0; k < comps.length; k++) {
            RecordComponent c = comps[k];
            String where = rc.getSimpleName() + "." + c.getName();
            if (Parser.isKeyword(c.getName())) {
                throw new IllegalArgumentException(where + ": the name is a C keyword");
            }
            C ann = c.getAnnotation(C.class);
            Parser.Annotation a =
                    ann == null
                            ? new Parser.Annotation(null, List.of())
                            : Parser.annotation(ann.value());
            Node node = nodeFor(c.getType(), a.type(), a.dims(), where, packing, infos);
            if (node instanceof Node.Array arr && arr.flexible()) {
                if (!outermost || k != comps.length - 1 || k == 0) {
                    throw new IllegalArgumentException(
                            where
                                    + ": a flexible array member must be the last member of the"
                                    + " outermost struct, after another member");
                }
            }
            b.add(c.getName(), node);
            accessors[k] = c.getAccessor();
            accessors[k].trySetAccessible();
            types[k] = c.getType();
        }
        try {
            Constructor<?> ctor = rc.getDeclaredConstructor(types);
            ctor.trySetAccessible();
            infos.put(rc, new Info(comps, accessors, ctor));
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(
                    "record " + rc.getName() + " has no canonical constructor", e);
        }
        return b.build();
    }

    private static Node nodeFor(
            Class<?> jt,
            Scalar explicit,
            List<Long> dims,
            String where,
            Packing packing,
            Map<Class<?>, Info> infos) {
        if (!dims.isEmpty()) {
            if ((jt == String.class || jt == byte[].class) && dims.size() == 1) {
                Scalar s =
                        explicit != null
                                ? explicit
                                : jt == String.class ? Scalar.CHAR : Scalar.UNSIGNED_CHAR;
                if (s.size() != 1) {
                    throw new IllegalArgumentException(
                            where
                                    + ": a "
                                    + jt.getSimpleName()
                                    + " needs an array of an 8-bit type, not "
                                    + s.cName());
                }
                return new Node.Array(s, dims.getFirst());
            }
            if (!jt.isArray()) {
                throw new IllegalArgumentException(
                        where
                                + ": "
                                + dims.size()
                                + " array dimension(s) given for Java type "
                                + jt.getSimpleName());
            }
            Node element =
                    nodeFor(
                            jt.getComponentType(),
                            explicit,
                            dims.subList(1, dims.size()),
                            where,
                            packing,
                            infos);
            return new Node.Array(element, dims.getFirst());
        }
        if (jt.isRecord()) {
            if (explicit != null) {
                throw new IllegalArgumentException(
                        where
                                + ": a nested record cannot have a C type ("
                                + explicit.cName()
                                + ")");
            }
            return structOf(jt, packing, false, infos);
        }
        int bits = javaBits(jt);
        if (bits == 0) {
            throw new IllegalArgumentException(
                    where
                            + ": Java type "
                            + jt.getSimpleName()
                            + " has no C equivalent"
                            + (jt == String.class || jt.isArray()
                                    ? " without a length, e.g. @C(\"[32]\")"
                                    : "")
                            + " (use byte, short, int, long, float, double, String, arrays or records)");
        }
        Scalar s =
                explicit != null
                        ? explicit
                        : switch (jt.getName()) {
                            case "byte" -> Scalar.SIGNED_CHAR;
                            case "short" -> Scalar.SHORT;
                            case "int" -> Scalar.INT;
                            case "long" -> Scalar.LONG;
                            case "float" -> Scalar.FLOAT;
                            default -> Scalar.DOUBLE;
                        };
        boolean javaFloating = jt == float.class || jt == double.class;
        if (s.floating()
                ? jt != (s == Scalar.FLOAT ? float.class : double.class)
                : javaFloating || bits < s.size() * 8) {
            throw new IllegalArgumentException(
                    where
                            + ": Java type "
                            + jt.getSimpleName()
                            + " cannot hold every "
                            + s.cName()
                            + (s.floating() || javaFloating
                                    ? ""
                                    : " (use a Java type of at least " + s.size() * 8 + " bits)"));
        }
        return s;
    }

    private static int javaBits(Class<?> jt) {
        return switch (jt.getName()) {
            case "byte" -> 8;
            case "short" -> 16;
            case "int", "float" -> 32;
            case "long", "double" -> 64;
            default -> 0;
        };
    }

    // ---- record <-> map

    /** The C value of a Java value. */
    private Object toC(Object v, Class<?> jt, String path, Node node) {
        if (v == null) {
            throw new IllegalArgumentException((path.isEmpty() ? "value" : path) + "=null");
        }
        if (jt.isRecord()) {
            Info info = infos.get(jt);
            Node.Struct st = (Node.Struct) node;
            Map<String, Object> map = new LinkedHashMap<>();
            for (int k = 0; k < info.components().length; k++) {
                RecordComponent c = info.components()[k];
                String p = path.isEmpty() ? c.getName() : path + "." + c.getName();
                map.put(
                        c.getName(),
                        toC(
                                invoke(info.accessors()[k], v),
                                c.getType(),
                                p,
                                st.members().get(k).type()));
            }
            return map;
        }
        if (node instanceof Scalar s) {
            if (!s.floating() && !s.signed() && javaBits(jt) == s.size() * 8) {
                return switch (v) {
                    case Byte x -> Byte.toUnsignedInt(x);
                    case Short x -> Short.toUnsignedInt(x);
                    case Integer x -> Integer.toUnsignedLong(x);
                    case Long x -> x >= 0 ? (Object) x : new BigInteger(Long.toUnsignedString(x));
                    default -> v;
                };
            }
            return v;
        }
        if (jt == String.class || jt == byte[].class) {
            return v;
        }
        Node.Array a = (Node.Array) node;
        List<Object> list = new ArrayList<>();
        for (int k = 0, n = Array.getLength(v); k < n; k++) {
            list.add(
                    toC(Array.get(v, k), jt.getComponentType(), path + "[" + k + "]", a.element()));
        }
        return list;
    }

    /** The Java value of a decoded C value. */
    private Object fromC(Object c, Class<?> jt, Node node) {
        if (jt.isRecord()) {
            Info info = infos.get(jt);
            Map<?, ?> map = (Map<?, ?>) c;
            Node.Struct st = (Node.Struct) node;
            Object[] args = new Object[info.components().length];
            for (int k = 0; k < args.length; k++) {
                RecordComponent comp = info.components()[k];
                args[k] =
                        fromC(map.get(comp.getName()), comp.getType(), st.members().get(k).type());
            }
            try {
                return info.constructor().newInstance(args);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(
                        "the constructor of "
                                + jt.getSimpleName()
                                + " refused the decoded "
                                + "values: "
                                + e.getCause(),
                        e.getCause());
            } catch (ReflectiveOperationException e) {
                throw inaccessible(jt, e);
            }
        }
        if (jt == String.class) {
            return struct.string((byte[]) c);
        }
        if (jt == byte[].class) {
            return c;
        }
        if (jt.isArray()) {
            List<?> list = (List<?>) c;
            Object arr = Array.newInstance(jt.getComponentType(), list.size());
            for (int k = 0; k < list.size(); k++) {
                Array.set(
                        arr,
                        k,
                        fromC(list.get(k), jt.getComponentType(), ((Node.Array) node).element()));
            }
            return arr;
        }
        Number n = (Number) c;
        return switch (jt.getName()) {
            case "byte" -> n.byteValue();
            case "short" -> n.shortValue();
            case "int" -> n.intValue();
            case "long" -> n.longValue();
            case "float" -> n.floatValue();
            default -> n.doubleValue();
        };
    }

    private static Object invoke(Method accessor, Object target) {
        try {
            return accessor.invoke(target);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(
                    accessor.getName() + "() failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw inaccessible(accessor.getDeclaringClass(), e);
        }
    }

    private static IllegalArgumentException inaccessible(
            Class<?> rc, ReflectiveOperationException e) {
        return new IllegalArgumentException(
                "record "
                        + rc.getName()
                        + " is not accessible to module io.jipc: make it"
                        + " public in an exported package, or open its package to io.jipc",
                e);
    }
}
