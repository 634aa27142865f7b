package io.jipc.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipc.testkit.CConstants;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every constant of {@link Mqueue}, {@link PosixSem} and {@link PosixFiles} against the C headers,
 * as gcc sees them (their structs, {@code mq_attr}, {@code sigevent}, {@code rlimit}, are in {@link
 * Structs} and checked by {@code StructLayoutTest}).
 */
class PosixConstantsTest {
    @Test
    void constants_match_the_c_headers() {
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("O_CREAT", (long) Mqueue.O_CREAT);
        java.put("O_EXCL", (long) Mqueue.O_EXCL);
        java.put("MQ_PRIO_MAX", (long) Mqueue.MQ_PRIO_MAX);
        java.put("NAME_MAX", (long) Mqueue.NAME_MAX);
        java.put("SIGEV_NONE", (long) Mqueue.SIGEV_NONE);
        java.put("SIGEV_THREAD", (long) Mqueue.SIGEV_THREAD);
        java.put("AF_NETLINK", (long) Mqueue.AF_NETLINK);
        java.put("SOCK_RAW", (long) Mqueue.SOCK_RAW);
        java.put("NETLINK_ROUTE", (long) Mqueue.NETLINK_ROUTE);
        java.put("SYS_mq_notify", (long) Mqueue.SYS_MQ_NOTIFY);
        java.put("sizeof(sem_t)", PosixSem.SEM_T_SIZE);
        java.put("_Alignof(sem_t)", PosixSem.SEM_T_ALIGN);
        java.put("SEM_VALUE_MAX", (long) PosixSem.SEM_VALUE_MAX);
        java.put("CLOCK_REALTIME", (long) PosixSem.CLOCK_REALTIME);
        java.put("CLOCK_MONOTONIC", (long) PosixSem.CLOCK_MONOTONIC);
        java.put("MFD_ALLOW_SEALING", (long) PosixFiles.MFD_ALLOW_SEALING);
        java.put("MFD_HUGETLB", (long) PosixFiles.MFD_HUGETLB);
        java.put("F_ADD_SEALS", (long) PosixFiles.F_ADD_SEALS);
        java.put("F_GET_SEALS", (long) PosixFiles.F_GET_SEALS);
        java.put("F_SEAL_SEAL", (long) PosixFiles.F_SEAL_SEAL);
        java.put("F_SEAL_SHRINK", (long) PosixFiles.F_SEAL_SHRINK);
        java.put("F_SEAL_GROW", (long) PosixFiles.F_SEAL_GROW);
        java.put("F_SEAL_WRITE", (long) PosixFiles.F_SEAL_WRITE);
        java.put("F_SEAL_FUTURE_WRITE", (long) PosixFiles.F_SEAL_FUTURE_WRITE);
        java.put("EFD_SEMAPHORE", (long) PosixFiles.EFD_SEMAPHORE);
        java.put("EFD_CLOEXEC", (long) PosixFiles.EFD_CLOEXEC);
        java.put("RLIMIT_MSGQUEUE", (long) PosixFiles.RLIMIT_MSGQUEUE);
        java.put("RLIMIT_NOFILE", (long) PosixFiles.RLIMIT_NOFILE);
        CConstants.assertSameAsGcc(
                "posix_constants",
                """
                #define _GNU_SOURCE
                #include <fcntl.h>
                #include <limits.h>
                #include <mqueue.h>
                #include <semaphore.h>
                #include <signal.h>
                #include <sys/eventfd.h>
                #include <sys/mman.h>
                #include <sys/resource.h>
                #include <sys/socket.h>
                #include <sys/syscall.h>
                #include <time.h>
                #include <linux/netlink.h>
                """,
                java);
    }

    @Test
    void the_notify_cookie_constants_match_the_kernel_header() {
        // linux/mqueue.h defines them but clashes with glibc's mqueue.h: a probe of its own
        String c =
                """
                #include <stdio.h>
                #include <linux/mqueue.h>
                int main(void) {
                    printf("%d %d %d\\n", NOTIFY_COOKIE_LEN, NOTIFY_WOKENUP, NOTIFY_REMOVED);
                    return 0;
                }
                """;
        String out =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileSource("mq_notify_constants", c).toString())
                        .assertExit(0)
                        .stdout()
                        .trim();
        assertEquals(
                Mqueue.NOTIFY_COOKIE_LEN
                        + " "
                        + Mqueue.NOTIFY_WOKENUP
                        + " "
                        + Mqueue.NOTIFY_REMOVED,
                out);
    }
}
