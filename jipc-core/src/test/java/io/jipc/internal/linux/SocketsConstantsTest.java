package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every constant of {@link Sockets} against the C headers, as gcc sees them. */
class SocketsConstantsTest {
    @Test
    void constants_match_the_c_headers() {
        Map<String, Integer> java = new LinkedHashMap<>();
        java.put("AF_UNIX", Sockets.AF_UNIX);
        java.put("SOCK_STREAM", Sockets.SOCK_STREAM);
        java.put("SOCK_DGRAM", Sockets.SOCK_DGRAM);
        java.put("SOCK_SEQPACKET", Sockets.SOCK_SEQPACKET);
        java.put("SOCK_CLOEXEC", Sockets.SOCK_CLOEXEC);
        java.put("SOL_SOCKET", Sockets.SOL_SOCKET);
        java.put("SO_TYPE", Sockets.SO_TYPE);
        java.put("SO_SNDBUF", Sockets.SO_SNDBUF);
        java.put("SO_RCVBUF", Sockets.SO_RCVBUF);
        java.put("SO_PEERCRED", Sockets.SO_PEERCRED);
        java.put("SO_RCVTIMEO", Sockets.SO_RCVTIMEO);
        java.put("SO_DOMAIN", Sockets.SO_DOMAIN);
        java.put("SCM_RIGHTS", Sockets.SCM_RIGHTS);
        java.put("MSG_CTRUNC", Sockets.MSG_CTRUNC);
        java.put("MSG_TRUNC", Sockets.MSG_TRUNC);
        java.put("MSG_DONTWAIT", Sockets.MSG_DONTWAIT);
        java.put("MSG_NOSIGNAL", Sockets.MSG_NOSIGNAL);
        java.put("MSG_CMSG_CLOEXEC", Sockets.MSG_CMSG_CLOEXEC);
        java.put("SHUT_WR", Sockets.SHUT_WR);
        java.put("MFD_CLOEXEC", Sockets.MFD_CLOEXEC);
        java.put("CLONE_FS", Sockets.CLONE_FS);
        java.put("sizeof(((struct sockaddr_un *)0)->sun_path)", Sockets.SUN_PATH_MAX);
        java.put("CMSG_LEN(0)", 16);
        java.put("CMSG_SPACE(4)", 24);
        StringBuilder c =
                new StringBuilder(
                        """
                #define _GNU_SOURCE
                #include <sched.h>
                #include <stdio.h>
                #include <sys/mman.h>
                #include <sys/socket.h>
                #include <sys/un.h>
                int main(void) {
                """);
        for (String k : java.keySet()) {
            c.append("    printf(\"%ld\\n\", (long) (").append(k).append("));\n");
        }
        c.append("    return 0;\n}\n");
        String[] out =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileSource("sockets_constants", c.toString()).toString())
                        .assertExit(0)
                        .stdout()
                        .split("\n");
        int i = 0;
        for (Map.Entry<String, Integer> e : java.entrySet()) {
            assertEquals(Long.parseLong(out[i++].trim()), e.getValue().longValue(), e.getKey());
        }
    }
}
