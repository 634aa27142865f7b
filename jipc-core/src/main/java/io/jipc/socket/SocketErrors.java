package io.jipc.socket;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.internal.Errors;

/** The exceptions of socket calls: errno by meaning, with a sentence for the socket cases. */
final class SocketErrors {
    private SocketErrors() {}

    static IpcException failure(long r, String call, String object, String detail) {
        Errno e = Errno.of((int) -r);
        if (detail == null) {
            detail =
                    switch (e) {
                        case EADDRINUSE ->
                                "the address is taken (a socket file exists there, or a socket holds the abstract name)";
                        case ECONNREFUSED ->
                                "no socket listens there (a stale socket file, or a name nobody holds)";
                        case ENOENT -> "no socket file at that path";
                        case EPROTOTYPE ->
                                "the socket there is of another type (stream/datagram/seqpacket)";
                        case EPIPE -> "the peer has closed its end";
                        case EMSGSIZE ->
                                "the message is larger than the socket's send buffer (SO_SNDBUF)";
                        case ENOTCONN -> "the socket is not connected";
                        case EAGAIN ->
                                "would block (the peer's queue or the server's backlog is full)";
                        default -> null;
                    };
        }
        if (e == Errno.EADDRINUSE) {
            return new AlreadyExistsException(call, object, e, detail);
        }
        return Errors.failure(r, call, object, detail);
    }
}
