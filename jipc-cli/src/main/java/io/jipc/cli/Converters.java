package io.jipc.cli;

import io.jipc.IpcKey;
import io.jipc.sysv.SysvKind;

import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The option value converters every subcommand shares: one grammar per kind of value, so that
 * {@code --mode}, {@code --timeout}, {@code --key} read the same everywhere. A value that does not
 * convert is a usage error (exit 2) whose line quotes it and shows an example.
 */
final class Converters {
    private Converters() {}

    /**
     * A value as a refusal quotes it: in single quotes, escaped as {@link Text#escape} escapes
     * bytes, so that the message stays one line whatever was typed.
     *
     * @param value the text given
     * @return the quoted text
     */
    static String quoted(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return "'" + Text.escape(utf8, 0, utf8.length) + "'";
    }

    /**
     * A name from outside (a path, a file name) as a message or a listing shows it: as it is when
     * it is printable text, else quoted and escaped as {@link #quoted} does, so that a newline in a
     * path neither splits the line nor reads as a space ({@code '/etc/serv\nices'}).
     *
     * @param name the path or name
     * @return the text to show
     */
    static String shown(Object name) {
        String s = String.valueOf(name);
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        boolean plain =
                Text.isText(utf8)
                        && s.chars().noneMatch(c -> c == '\n' || c == '\r' || c == '\t')
                        && s.equals(new String(utf8, StandardCharsets.UTF_8));
        return plain ? s : quoted(s);
    }

    /**
     * A message as one line: control characters (a newline in a path the message quotes, say)
     * escaped as {@link Text#escape} escapes them ({@code \n}, {@code \xNN}), the rest as it is.
     *
     * @param message the message
     * @return one line
     */
    static String oneLine(String message) {
        StringBuilder b = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A key: {@code 0x...} hexadecimal (up to 8 digits, as ipcs prints it) or a decimal int. */
    static final class Key implements CommandLine.ITypeConverter<IpcKey> {
        @Override
        public IpcKey convert(String value) {
            try {
                return IpcKey.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(
                        quoted(value)
                                + " is not a key (use 0x followed by up to 8 hex digits, or a decimal number)");
            }
        }
    }

    /** An identifier (msqid, semid, shmid): a decimal number, 0 or more. */
    static final class Id implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int id = Integer.parseInt(value.trim());
                if (id >= 0) {
                    return id;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new TypeConversionException(
                    quoted(value)
                            + " is not an identifier (a number 0 or more, as ipcs prints it)");
        }
    }

    /**
     * A project id for ftok: a number 1..255 (decimal or {@code 0x...}), or one non-digit character
     * standing for its code ({@code g} is 103; {@code 7} is 7).
     */
    static final class Proj implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int proj;
            if (value.length() == 1 && !Character.isDigit(value.charAt(0))) {
                proj = value.charAt(0);
            } else {
                try {
                    proj =
                            value.startsWith("0x") || value.startsWith("0X")
                                    ? Integer.parseInt(value.substring(2), 16)
                                    : Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new TypeConversionException(
                            quoted(value)
                                    + " is not a project id (a number 1..255, or one non-digit character)");
                }
            }
            if (proj < 1 || proj > 255) {
                throw new TypeConversionException(
                        "project id " + quoted(value) + " is out of range (1..255)");
            }
            return proj;
        }
    }

    /**
     * Permission bits, always octal as chmod reads them: {@code 0600}, {@code 600} or {@code
     * 0o600}; 0 to 0777.
     */
    static final class Mode implements CommandLine.ITypeConverter<Integer> {
        private static final Pattern OCTAL = Pattern.compile("(?:0[oO])?([0-7]{1,4})");

        @Override
        public Integer convert(String value) {
            Matcher m = OCTAL.matcher(value);
            if (m.matches()) {
                int bits = Integer.parseInt(m.group(1), 8);
                if (bits <= 0777) {
                    return bits;
                }
            }
            throw new TypeConversionException(
                    quoted(value)
                            + " is not a mode (octal permission bits 0..0777: 0600, 600 or 0o600)");
        }
    }

    /**
     * A duration, one grammar for every option that takes one ({@code --timeout}, {@code
     * --interval}): a number with a unit, {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}
     * or {@code h} (fractions allowed: {@code 1.5s}, {@code 200ms}, {@code 2m}); a bare number is
     * seconds ({@code 2}, {@code 0.25}); or ISO-8601 ({@code PT2S}, {@code PT1M30S}). Never
     * negative; rounded to the nanosecond.
     */
    static final class Duration implements CommandLine.ITypeConverter<java.time.Duration> {
        /** What the grammar accepts, for help texts. */
        static final String GRAMMAR = "e.g. 1.5s, 200ms, 2m, 1h, PT2S; a bare number is seconds";

        private static final Pattern SIMPLE =
                Pattern.compile("(\\d{1,30}(?:\\.\\d{1,30})?|\\.\\d{1,30})(ns|us|ms|s|m|h)?");
        private static final Pattern ISO = Pattern.compile("[+-]?[pP]");
        private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

        @Override
        public java.time.Duration convert(String value) {
            String v = value.trim();
            try {
                if (ISO.matcher(v).lookingAt()) {
                    java.time.Duration d = java.time.Duration.parse(v);
                    if (d.isNegative()) {
                        throw new TypeConversionException(
                                quoted(value) + " is negative (a duration is 0 or more)");
                    }
                    return d;
                }
                Matcher m = SIMPLE.matcher(v.toLowerCase(Locale.ROOT));
                if (m.matches()) {
                    long unitNanos =
                            switch (m.group(2) == null ? "s" : m.group(2)) {
                                case "ns" -> 1L;
                                case "us" -> 1_000L;
                                case "ms" -> 1_000_000L;
                                case "s" -> 1_000_000_000L;
                                case "m" -> 60_000_000_000L;
                                default -> 3_600_000_000_000L;
                            };
                    BigInteger nanos =
                            new BigDecimal(m.group(1))
                                    .multiply(BigDecimal.valueOf(unitNanos))
                                    .setScale(0, RoundingMode.HALF_UP)
                                    .toBigIntegerExact();
                    BigInteger[] sn = nanos.divideAndRemainder(NANOS_PER_SECOND.toBigInteger());
                    return java.time.Duration.ofSeconds(
                            sn[0].longValueExact(), sn[1].longValueExact());
                }
            } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
                // below
            }
            throw new TypeConversionException(
                    quoted(value) + " is not a duration (" + GRAMMAR + ")");
        }

        /**
         * A duration as the command line spells one, for messages and headers: below a second in
         * the largest whole unit ({@code 200ms}, {@code 150us}, {@code 7ns}), whole hours, minutes
         * or seconds as such ({@code 2h}, {@code 5m}, {@code 90s}), otherwise seconds with their
         * fraction ({@code 1.5s}); never ISO-8601. {@link #convert} reads it back exactly.
         *
         * @param d a duration of zero or more
         * @return its text
         */
        static String text(java.time.Duration d) {
            if (d.isZero()) {
                return "0s";
            }
            if (d.getSeconds() == 0) {
                long n = d.getNano();
                return n % 1_000_000 == 0
                        ? n / 1_000_000 + "ms"
                        : n % 1_000 == 0 ? n / 1_000 + "us" : n + "ns";
            }
            if (d.getNano() == 0) {
                long sec = d.getSeconds();
                return sec % 3600 == 0
                        ? sec / 3600 + "h"
                        : sec % 60 == 0 ? sec / 60 + "m" : sec + "s";
            }
            return BigDecimal.valueOf(d.getSeconds())
                            .add(BigDecimal.valueOf(d.getNano(), 9))
                            .stripTrailingZeros()
                            .toPlainString()
                    + "s";
        }
    }

    /** A byte count: decimal, or 0x hexadecimal, with an optional k/m/g suffix (powers of 1024). */
    static final class Size implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            long unit = 1;
            if (!v.startsWith("0x") && !v.isEmpty()) {
                switch (v.charAt(v.length() - 1)) {
                    case 'k' -> unit = 1L << 10;
                    case 'm' -> unit = 1L << 20;
                    case 'g' -> unit = 1L << 30;
                    default -> unit = 1;
                }
                if (unit != 1) {
                    v = v.substring(0, v.length() - 1);
                }
            }
            try {
                long n =
                        v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
                if (n >= 0) {
                    return Math.multiplyExact(n, unit);
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // below
            }
            throw new TypeConversionException(
                    quoted(value) + " is not a byte count (e.g. 4096, 0x1000, 64k, 2m)");
        }
    }

    /** {@code msg}, {@code sem} or {@code shm}. */
    static final class Kind implements CommandLine.ITypeConverter<SysvKind> {
        @Override
        public SysvKind convert(String value) {
            try {
                return SysvKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(
                        quoted(value) + " is not a kind (use msg, sem or shm)");
            }
        }
    }
}
