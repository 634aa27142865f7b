package io.jipc.cli;

import java.util.Iterator;
import java.util.Map;

/**
 * A minimal JSON writer for the CLI's {@code --json} output: maps (insertion-ordered), iterables,
 * strings, numbers (BigInteger too), booleans, null, and {@code byte[]} as an array of unsigned
 * numbers. Field names are the documented, stable ones.
 */
final class Json {
    private Json() {}

    /**
     * Serialises a value on one line.
     *
     * @param value a map, iterable, string, number, boolean or null
     * @return the JSON text
     */
    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case String s -> string(b, s);
            case Boolean x -> b.append(x);
            case Double d when d.isNaN() || d.isInfinite() -> b.append("null");
            case Float f when f.isNaN() || f.isInfinite() -> b.append("null");
            case Number n -> b.append(n);
            case byte[] bytes -> {
                // Bytes that are not text (e.g. a decoded uint8_t[]): unsigned numbers.
                b.append('[');
                for (int i = 0; i < bytes.length; i++) {
                    b.append(i == 0 ? "" : ",").append(Byte.toUnsignedInt(bytes[i]));
                }
                b.append(']');
            }
            case Map<?, ?> m -> {
                b.append('{');
                Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<?, ?> e = it.next();
                    string(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                    if (it.hasNext()) {
                        b.append(',');
                    }
                }
                b.append('}');
            }
            case Iterable<?> list -> {
                b.append('[');
                Iterator<?> it = list.iterator();
                while (it.hasNext()) {
                    write(b, it.next());
                    if (it.hasNext()) {
                        b.append(',');
                    }
                }
                b.append(']');
            }
            default -> string(b, v.toString());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
