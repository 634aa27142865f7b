package io.jipc.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;

/**
 * {@code [--offset O] (--text S | --hex HEX | --file F | stdin)}: where {@code jipc shm write} and
 * {@code jipc pshm write} copy which bytes. {@code @Mixin WriteAtOptions at;} then {@link #body}
 * and {@link #offset}.
 */
final class WriteAtOptions {
    @Option(
            names = "--offset",
            paramLabel = "O",
            defaultValue = "0",
            converter = Converters.Size.class,
            description = "Where to write, in bytes from the start (default 0).")
    long offset;

    @ArgGroup(exclusive = true)
    BodyOptions source;

    /**
     * Checks {@code --offset} against an object of {@code size} bytes ({@link
     * ShmCommand#checkRange}: exit 2 naming the option), then reads the body, refusing one larger
     * than the room from the offset to the end before anything is written ({@link
     * BodyOptions#read}: no more than that room + 1 bytes are read).
     *
     * @param cmd the subcommand (for its input and usage errors)
     * @param object the object as messages name it
     * @param size the object's size in bytes
     * @return the bytes to write at {@link #offset}
     * @throws IOException if the body cannot be read
     */
    byte[] body(Subcommand cmd, String object, long size) throws IOException {
        ShmCommand.checkRange(cmd, object, size, offset, 0L);
        long room = size - offset;
        return BodyOptions.read(
                source,
                cmd.io().in(),
                room,
                "the "
                        + room
                        + " bytes from offset "
                        + offset
                        + " to the end of "
                        + object
                        + " (whose size is "
                        + size
                        + " bytes)",
                cmd.spec);
    }
}
