package io.jipc.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bytes from outside (message bodies, segment contents) shown as text without ever writing binary
 * to a terminal and without silently changing them: bytes that are UTF-8 text are shown as they
 * are; any others are shown escaped, and the caller says so on stderr.
 *
 * <p>Text is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) with no
 * control character except tab, newline and carriage return. The escaped form keeps every
 * well-formed printable character, writes {@code \\} for a backslash, {@code \t}, {@code \n},
 * {@code \r}, and {@code \xNN} for every other byte; {@link #unescape} inverts it exactly.
 */
final class Text {
    private Text() {}

    /**
     * Whether the bytes are text that may be written to a terminal as they are.
     *
     * @param b the bytes
     * @param from the first index
     * @param to the index after the last
     * @return true for text
     */
    static boolean isText(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int n = sequence(b, i, to);
            if (n <= 0 || (n == 1 && control(b[i]))) {
                return false;
            }
            i += n;
        }
        return true;
    }

    /**
     * Whether all the bytes are text.
     *
     * @param b the bytes
     * @return true for text
     */
    static boolean isText(byte[] b) {
        return isText(b, 0, b.length);
    }

    /**
     * The bytes as they are if they are text, else escaped.
     *
     * @param b the bytes
     * @return the text
     */
    static String show(byte[] b) {
        return isText(b) ? new String(b, StandardCharsets.UTF_8) : escape(b, 0, b.length);
    }

    /**
     * The escaped form of the bytes (see the class comment).
     *
     * @param b the bytes
     * @param from the first index
     * @param to the index after the last
     * @return the escaped text, printable ASCII and well-formed non-ASCII characters only
     */
    static String escape(byte[] b, int from, int to) {
        StringBuilder s = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int n = sequence(b, i, to);
            if (n > 1) {
                s.append(new String(b, i, n, StandardCharsets.UTF_8));
                i += n;
                continue;
            }
            int c = b[i] & 0xff;
            switch (c) {
                case '\\' -> s.append("\\\\");
                case '\t' -> s.append("\\t");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                default -> {
                    if (n == 1 && !control(b[i])) {
                        s.append((char) c);
                    } else {
                        s.append("\\x")
                                .append(Character.forDigit(c >> 4, 16))
                                .append(Character.forDigit(c & 15, 16));
                    }
                }
            }
            i++;
        }
        return s.toString();
    }

    /**
     * The bytes an escaped text stands for (the inverse of {@link #escape}).
     *
     * @param s the escaped text
     * @return the bytes
     * @throws IllegalArgumentException if {@code s} has a malformed escape
     */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                plain.append(c);
                continue;
            }
            out.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
            plain.setLength(0);
            if (++i >= s.length()) {
                throw new IllegalArgumentException("a lone backslash ends the text");
            }
            switch (s.charAt(i)) {
                case '\\' -> out.write('\\');
                case 't' -> out.write('\t');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 'x' -> {
                    int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                    int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                    if (hi < 0 || lo < 0) {
                        throw new IllegalArgumentException("\\x needs two hex digits at " + i);
                    }
                    out.write(hi << 4 | lo);
                    i += 2;
                }
                default ->
                        throw new IllegalArgumentException(
                                "unknown escape \\" + s.charAt(i) + " at " + i);
            }
        }
        out.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static boolean control(byte b) {
        int c = b & 0xff;
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
    }

    /**
     * The length of the well-formed UTF-8 sequence at {@code i} (1 for ASCII), or 0 if the bytes
     * there are not one (Unicode Table 3-7, well-formed UTF-8 byte sequences). A multi-byte
     * sequence standing for a C1 control character (U+0080..U+009F) counts as not well-formed here,
     * since terminals act on those too.
     */
    private static int sequence(byte[] b, int i, int to) {
        int c = b[i] & 0xff;
        if (c < 0x80) {
            return 1;
        }
        int n;
        int lo = 0x80;
        int hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            if (c == 0xe0) {
                lo = 0xa0;
            } else if (c == 0xed) {
                hi = 0x9f;
            }
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            if (c == 0xf0) {
                lo = 0x90;
            } else if (c == 0xf4) {
                hi = 0x8f;
            }
        } else {
            return 0;
        }
        if (i + n > to) {
            return 0;
        }
        int second = b[i + 1] & 0xff;
        if (second < lo || second > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int x = b[i + k] & 0xff;
            if (x < 0x80 || x > 0xbf) {
                return 0;
            }
        }
        if (c == 0xc2 && second < 0xa0) {
            return 0; // U+0080..U+009F: C1 controls
        }
        return n;
    }
}
