package io.jipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;

class LimitTest {

    /** The value as {@code cat} shows it: independent of jipc's own file reading. */
    private static BigInteger cat(String file, int field) {
        String text =
                Processes.run(Duration.ofSeconds(10), "cat", file).assertExit(0).stdout().trim();
        return new BigInteger(text.split("\\s+")[Math.max(field, 0)]);
    }

    @Test
    void every_proc_limit_equals_what_cat_shows() {
        assertEquals(cat("/proc/sys/kernel/msgmax", -1), Limit.MSGMAX.exactValue());
        assertEquals(cat("/proc/sys/kernel/msgmnb", -1), Limit.MSGMNB.exactValue());
        assertEquals(cat("/proc/sys/kernel/msgmni", -1), Limit.MSGMNI.exactValue());
        assertEquals(cat("/proc/sys/kernel/sem", 0), Limit.SEMMSL.exactValue());
        assertEquals(cat("/proc/sys/kernel/sem", 1), Limit.SEMMNS.exactValue());
        assertEquals(cat("/proc/sys/kernel/sem", 2), Limit.SEMOPM.exactValue());
        assertEquals(cat("/proc/sys/kernel/sem", 3), Limit.SEMMNI.exactValue());
        assertEquals(cat("/proc/sys/kernel/shmmax", -1), Limit.SHMMAX.exactValue());
        assertEquals(cat("/proc/sys/kernel/shmall", -1), Limit.SHMALL.exactValue());
        assertEquals(cat("/proc/sys/kernel/shmmni", -1), Limit.SHMMNI.exactValue());
        assertEquals(cat("/proc/sys/fs/pipe-max-size", -1), Limit.PIPE_MAX_SIZE.exactValue());
        assertEquals(cat("/proc/sys/fs/mqueue/msg_max", -1), Limit.MQ_MSG_MAX.exactValue());
        assertEquals(cat("/proc/sys/fs/mqueue/msgsize_max", -1), Limit.MQ_MSGSIZE_MAX.exactValue());
        assertEquals(cat("/proc/sys/fs/mqueue/queues_max", -1), Limit.MQ_QUEUES_MAX.exactValue());
    }

    @Test
    void rlimit_msgqueue_is_what_prlimit_reports() {
        String q =
                Processes.run(
                                Duration.ofSeconds(10),
                                "prlimit",
                                "--msgqueue",
                                "--output",
                                "SOFT",
                                "--noheadings",
                                "--pid",
                                "" + ProcessHandle.current().pid())
                        .assertExit(0)
                        .stdout()
                        .trim();
        BigInteger expected =
                q.equals("unlimited") ? new BigInteger("18446744073709551615") : new BigInteger(q);
        assertEquals(expected, Limit.RLIMIT_MSGQUEUE.exactValue());
        assertTrue(Limit.RLIMIT_MSGQUEUE.source().contains("ulimit -q"));
    }

    @Test
    void ipc_info_agrees_with_proc() {
        for (Limit l : Limit.values()) {
            if (java.util.EnumSet.of(
                            Limit.PIPE_MAX_SIZE,
                            Limit.MQ_MSG_MAX,
                            Limit.MQ_MSGSIZE_MAX,
                            Limit.MQ_QUEUES_MAX,
                            Limit.RLIMIT_MSGQUEUE)
                    .contains(l)) {
                assertTrue(l.ipcInfo().isEmpty());
                continue;
            }
            long info = l.ipcInfo().orElseThrow();
            long proc = l.value();
            // msginfo/seminfo hold ints: a /proc value above INT_MAX is reported capped.
            long expected = l.cName().startsWith("shm") ? proc : Math.min(proc, Integer.MAX_VALUE);
            assertEquals(expected, info, l.cName());
        }
        assertEquals(32767, Limit.SEMVMX.value(), "SEMVMX is fixed in the Linux kernel");
    }

    @Test
    void unlimited_values_are_clamped_not_negative() {
        for (Limit l : Limit.values()) {
            assertTrue(l.value() > 0, l + " = " + l.value());
        }
    }

    @Test
    void sources_say_where_the_limit_is_set() {
        assertEquals("/proc/sys/kernel/msgmax", Limit.MSGMAX.source());
        assertEquals("/proc/sys/kernel/sem (3rd field)", Limit.SEMOPM.source());
        LimitExceededException e =
                new LimitExceededException(
                        "msgsnd",
                        "msqid 5",
                        Errno.EINVAL,
                        "body of 9000 bytes",
                        Limit.MSGMAX,
                        8192);
        assertEquals(
                "msgsnd(msqid 5): EINVAL (Invalid argument): body of 9000 bytes: limit msgmax = 8192 "
                        + "(set in /proc/sys/kernel/msgmax)",
                e.getMessage());
        assertEquals(Limit.MSGMAX, e.limit());
        assertEquals(8192, e.limitValue());
    }
}
