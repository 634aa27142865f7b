package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Poll}: its constants and {@code struct pollfd} offsets against gcc. */
class PollTest {
    @Test
    void constants_and_pollfd_match_the_c_headers() {
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("POLLOUT", (long) Poll.POLLOUT);
        java.put("POLLERR", (long) Poll.POLLERR);
        java.put("POLLHUP", (long) Poll.POLLHUP);
        java.put("POLLNVAL", (long) Poll.POLLNVAL);
        java.put("offsetof(struct pollfd, fd)", Poll.POLLFD_FD);
        java.put("offsetof(struct pollfd, events)", Poll.POLLFD_EVENTS);
        java.put("offsetof(struct pollfd, revents)", Poll.POLLFD_REVENTS);
        java.put("sizeof(struct pollfd)", Poll.POLLFD_BYTES);
        StringBuilder c = new StringBuilder("""
                #include <stddef.h>
                #include <stdio.h>
                #include <poll.h>
                int main(void) {
                """);
        for (String k : java.keySet()) {
            c.append("    printf(\"%ld\\n\", (long) (").append(k).append("));\n");
        }
        c.append("    return 0;\n}\n");
        String[] out = Processes.run(Duration.ofSeconds(30), Gcc.compileSource("poll_constants", c.toString()).toString())
                .assertExit(0).stdout().split("\n");
        int i = 0;
        for (Map.Entry<String, Long> e : java.entrySet()) {
            assertEquals(Long.parseLong(out[i++].trim()), e.getValue().longValue(), e.getKey());
        }
    }
}
