package io.jipc.socket;

import io.jipc.pipe.WriteEnd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child JVM for {@link SocketProcessesTest}: connects to the seqpacket server at {@code args[0]} (a
 * path, or {@code @name} for an abstract name), receives one message with one descriptor (a pipe's
 * write end), writes "jvm-ok" into it and replies with its own pid.
 */
public final class SocketChild {
    private SocketChild() {}

    /**
     * Entry point.
     *
     * @param args the server's path
     * @throws Exception on any failure (exit code 1)
     */
    public static void main(String[] args) throws Exception {
        try (UnixSocket s =
                UnixSocket.connect(
                        SocketType.SEQPACKET,
                        args[0].startsWith("@")
                                ? UnixAddress.ofAbstract(args[0].substring(1))
                                : UnixAddress.of(Path.of(args[0])))) {
            s.receiveTimeout(java.time.Duration.ofSeconds(30));
            UnixSocket.Received r = s.receive(ByteBuffer.allocate(16), 1);
            try (WriteEnd w = WriteEnd.inherited(r.descriptors().get(0).release())) {
                w.write(ByteBuffer.wrap("jvm-ok".getBytes(StandardCharsets.US_ASCII)));
            }
            s.send(
                    ByteBuffer.wrap(
                            Long.toString(ProcessHandle.current().pid())
                                    .getBytes(StandardCharsets.US_ASCII)));
        }
    }
}
