package io.jipc.cli;

import io.jipc.IpcKey;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** Option value converters shared by every subcommand. */
final class Converters {
    private Converters() {
    }

    /** A key: {@code 0x...} hexadecimal or a decimal int. */
    static final class Key implements CommandLine.ITypeConverter<IpcKey> {
        @Override
        public IpcKey convert(String value) {
            try {
                return IpcKey.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a key (use 0x followed by up to 8 hex digits, or a decimal number)");
            }
        }
    }

    /**
     * A project id for ftok: a number 1..255 (decimal or {@code 0x...}), or one non-digit
     * character standing for its code ({@code g} is 103; {@code 7} is 7).
     */
    static final class Proj implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int proj;
            if (value.length() == 1 && !Character.isDigit(value.charAt(0))) {
                proj = value.charAt(0);
            } else {
                try {
                    proj = value.startsWith("0x") || value.startsWith("0X")
                            ? Integer.parseInt(value.substring(2), 16) : Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new TypeConversionException("'" + value
                            + "' is not a project id (a number 1..255, or one non-digit character)");
                }
            }
            if (proj < 1 || proj > 255) {
                throw new TypeConversionException("project id " + value + " is out of range (1..255)");
            }
            return proj;
        }
    }
}
