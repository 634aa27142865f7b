package io.jipc.socket;

import io.jipc.pipe.Pipe;
import io.jipc.pipe.WriteEnd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM for {@link DatagramProcessesTest}, the twin of {@code c/dgram_peer.c}: the same
 * arguments ({@code OWN PEER [OWN PEER ...]}, OWN a path, {@code @name} or {@code fd3}: one
 * conversation per pair, in order) and the same answers, made with jipc's {@link UnixSocket}.
 */
public final class DatagramChild {
    private DatagramChild() {}

    static UnixAddress address(String name) {
        return name.startsWith("@")
                ? UnixAddress.ofAbstract(name.substring(1))
                : UnixAddress.of(Path.of(name));
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Entry point.
     *
     * @param args OWN and PEER, once per conversation
     * @throws Exception on failure (exit code 1)
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length % 2 != 0) {
            throw new IllegalArgumentException("usage: OWN PEER [OWN PEER ...]");
        }
        for (int i = 0; i < args.length; i += 2) {
            converse(args[i], args[i + 1]);
        }
    }

    /** One conversation as {@code ownName} with {@code peerName}, until "quit" is answered. */
    private static void converse(String ownName, String peerName) throws Exception {
        boolean pair = ownName.equals("fd3");
        UnixAddress own = pair ? null : address(ownName);
        try (UnixSocket s = pair ? UnixSocket.inherited(3) : UnixSocket.bind(own, 0600)) {
            if (!pair) {
                s.connectTo(
                        address(peerName)); // the default destination, and the only sender received
                // from
            }
            s.send(text("hello from " + ProcessHandle.current().pid()));
            while (true) {
                ByteBuffer b = ByteBuffer.allocate(256);
                UnixSocket.Received r = s.receive(b, 1);
                String m = new String(b.array(), 0, r.length(), StandardCharsets.UTF_8);
                if (m.startsWith("ping ")) {
                    s.send(text("pong " + m.substring(5)));
                } else if (m.startsWith("fd ")) {
                    try (WriteEnd w = WriteEnd.inherited(r.descriptors().get(0).release())) {
                        w.write(text("peer got " + m.substring(3)));
                    }
                    s.send(text("used " + m.substring(3)));
                } else if (m.equals("give")) {
                    try (Pipe p = Pipe.open()) {
                        p.sink().write(text("from the peer's pipe"));
                        p.sink().close();
                        s.sendWithDescriptors(text("take"), p.source());
                    }
                } else if (m.equals("quit")) {
                    s.send(text("bye"));
                    break;
                } else {
                    throw new IllegalStateException("unknown message " + m);
                }
            }
        } finally {
            if (own != null && own.path().isPresent()) {
                Files.deleteIfExists(own.path().get());
            }
        }
    }
}
