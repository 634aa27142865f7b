package io.jipc.socket;

import io.jipc.internal.linux.Sockets;

/** The three types of Unix-domain socket ({@man unix(7)}). */
public enum SocketType {
    /** A byte stream without message boundaries ({@code SOCK_STREAM}). */
    STREAM(Sockets.SOCK_STREAM),
    /**
     * Unconnected or connected datagrams; boundaries kept, reliable on Linux ({@code SOCK_DGRAM}).
     */
    DATAGRAM(Sockets.SOCK_DGRAM),
    /** Connected, ordered messages with boundaries kept ({@code SOCK_SEQPACKET}). */
    SEQPACKET(Sockets.SOCK_SEQPACKET);

    final int value;

    SocketType(int value) {
        this.value = value;
    }

    boolean keepsBoundaries() {
        return this != STREAM;
    }

    static SocketType of(int value) {
        for (SocketType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "socket type=" + value + " is not stream, datagram or seqpacket");
    }
}
