package io.jipc.pipe;

import java.util.Arrays;

/**
 * Child JVM for the pipe tests: {@code FD ID COUNT} writes COUNT chunks of PIPE_BUF bytes of ID to
 * an inherited fd.
 */
public final class PipeWriterChild {
    private PipeWriterChild() {}

    /**
     * Entry point.
     *
     * @param args fd, id, count
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (WriteEnd out = WriteEnd.inherited(Integer.parseInt(args[0]))) {
            byte[] chunk = new byte[Pipe.PIPE_BUF];
            Arrays.fill(chunk, (byte) Integer.parseInt(args[1]));
            int count = Integer.parseInt(args[2]);
            for (int i = 0; i < count; i++) {
                if (out.write(chunk, 0, chunk.length) != chunk.length) {
                    throw new AssertionError("short write");
                }
            }
        }
    }
}
