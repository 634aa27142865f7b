package io.jipc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * {@code --text S | --hex HEX | --file F}, or standard input when none is given: the bytes a
 * subcommand writes into an object ({@code mq send}, {@code shm write}). Use as
 * {@code @ArgGroup(exclusive = true) BodyOptions body;} (null when none is given) and read with
 * {@link #read}, which never reads more than the object can take plus one byte.
 */
final class BodyOptions {
    @Option(
            names = "--text",
            paramLabel = "S",
            description = "The bytes of S in UTF-8 (no newline or NUL is added).")
    String text;

    @Option(
            names = "--hex",
            paramLabel = "HEX",
            description = "Bytes in hexadecimal, two digits each, e.g. 68690a.")
    String hex;

    @Option(names = "--file", paramLabel = "F", description = "The bytes of file F.")
    Path file;

    /**
     * The bytes given, refusing more than {@code limit}: a file or standard input is read up to
     * {@code limit + 1} bytes and no further.
     *
     * @param body the options, or null for standard input
     * @param stdin standard input
     * @param limit the most bytes the target takes
     * @param what what the limit is, for the message, e.g. {@code msgmax = 8192 bytes
     *     (/proc/sys/kernel/msgmax)}
     * @param spec the command, for usage errors
     * @return the bytes
     * @throws IOException if the input cannot be read or is longer than {@code limit}
     */
    static byte[] read(
            BodyOptions body,
            InputStream stdin,
            long limit,
            String what,
            CommandLine.Model.CommandSpec spec)
            throws IOException {
        byte[] bytes;
        String from;
        if (body == null) {
            bytes = readAtMost(stdin, limit, "standard input");
            from = "standard input";
        } else if (body.text != null) {
            bytes = body.text.getBytes(StandardCharsets.UTF_8);
            from = "--text";
        } else if (body.hex != null) {
            try {
                bytes = HexFormat.of().parseHex(body.hex.replaceAll("\\s+", ""));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--hex "
                                + Converters.quoted(body.hex)
                                + " is not hexadecimal bytes (two digits per byte, e.g. 68690a)");
            }
            from = "--hex";
        } else {
            if (Files.isDirectory(body.file)) {
                throw new FileSystemException(
                        body.file.toString(), null, "is a directory, not a file to send");
            }
            try (InputStream in = Files.newInputStream(body.file)) {
                bytes = readAtMost(in, limit, body.file.toString());
            } catch (NoSuchFileException e) {
                throw e;
            } catch (FileSystemException e) {
                throw e;
            } catch (IOException e) {
                throw new FileSystemException(body.file.toString(), null, e.getMessage());
            }
            from = Converters.shown(body.file);
        }
        if (bytes.length > limit) {
            throw new IOException(from + " holds more than " + what + "; nothing was written");
        }
        return bytes;
    }

    /** Reads until end of input or {@code limit + 1} bytes, whichever comes first. */
    private static byte[] readAtMost(InputStream in, long limit, String name) throws IOException {
        int cap = (int) Math.min(limit + 1, Integer.MAX_VALUE - 8);
        try {
            return in.readNBytes(cap);
        } catch (IOException e) {
            throw new FileSystemException(name, null, e.getMessage());
        }
    }
}
