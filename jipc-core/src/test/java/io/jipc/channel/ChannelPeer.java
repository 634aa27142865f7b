package io.jipc.channel;

import io.jipc.testkit.Gcc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Compiles channel_peer.c against the header the repository ships (c/include/jipc_channel.h). */
final class ChannelPeer {
    /** The header as shipped: the repository root is the parent of the module directory. */
    static final Path HEADER = Path.of("..", "c", "include", "jipc_channel.h");

    private ChannelPeer() {}

    static String header() {
        try {
            return Files.readString(HEADER);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + HEADER.toAbsolutePath(), e);
        }
    }

    static Path compile() {
        try (InputStream in =
                ChannelPeer.class.getClassLoader().getResourceAsStream("c/channel_peer.c")) {
            String peer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String source =
                    "#define _GNU_SOURCE\nstatic void peer_hook(int point);\n"
                            + "#define JIPC_CHANNEL_HOOK(p) peer_hook(p)\n"
                            + header()
                            + "\n"
                            + peer;
            return Gcc.compileSource("channel_peer", source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
