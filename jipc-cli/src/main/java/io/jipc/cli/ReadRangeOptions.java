package io.jipc.cli;

import picocli.CommandLine.Option;

/**
 * {@code [--offset O] [--length L] [--format raw|hex|text]}: which bytes of a shared memory object
 * {@code jipc shm read} and {@code jipc pshm read} print, and how. {@code @Mixin ReadRangeOptions
 * range;} then {@link #length} and {@link #print}.
 */
final class ReadRangeOptions {
    @Option(
            names = "--offset",
            paramLabel = "O",
            defaultValue = "0",
            converter = Converters.Size.class,
            description = "Where to start, in bytes (default 0).")
    long offset;

    @Option(
            names = "--length",
            paramLabel = "L",
            converter = Converters.Size.class,
            description = "How many bytes (default: up to the end).")
    Long length;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "raw",
            description =
                    "raw (the bytes), hex (lower-case, no spaces) or text (UTF-8 up to the first NUL);"
                            + " default ${DEFAULT-VALUE}.")
    ShmCommand.Format format;

    /**
     * The number of bytes to read from an object of {@code size} bytes, once the range is checked
     * ({@link ShmCommand#checkRange}: exit 2 naming the options when it does not fit).
     *
     * @param cmd the subcommand (for its usage error)
     * @param object the object as messages name it
     * @param size the object's size in bytes
     * @return {@code --length}, or the bytes from {@code --offset} to the end
     */
    long length(Subcommand cmd, String object, long size) {
        ShmCommand.checkRange(cmd, object, size, offset, length);
        return length != null ? length : size - offset;
    }

    /**
     * Prints the bytes read in the chosen {@code --format} ({@link ShmCommand#print}).
     *
     * @param cmd the subcommand (for its output)
     * @param bytes the bytes read
     * @throws OutputFailedException if standard output fails
     */
    void print(Subcommand cmd, byte[] bytes) throws OutputFailedException {
        ShmCommand.print(cmd, bytes, format);
    }
}
