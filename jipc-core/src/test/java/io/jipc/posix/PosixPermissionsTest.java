package io.jipc.posix;

import static io.jipc.posix.PosixTestNames.name;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipc.testkit.Processes;
import io.jipc.testkit.Unprivileged;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

/** Modes are enforced for another user, and are exactly what was asked for (no umask). */
@ExtendWith(PosixTestNames.class)
class PosixPermissionsTest {
    @Test
    void another_user_is_denied_by_mode_0600_and_let_in_by_mode_0666() throws Exception {
        Unprivileged
                .assumeAvailable(); // before anything is made: a skipped test leaves nothing behind
        String q = name("q");
        String s = name("sem");
        String m = name("shm");
        String open = name("q");
        try (PosixMessageQueue queue = PosixMessageQueue.createExclusive(q, 0600, 2, 8);
                NamedSemaphore sem = NamedSemaphore.createExclusive(s, 0600, 0);
                PosixSharedMemory shm = PosixSharedMemory.createExclusive(m, 0600, 64);
                PosixMessageQueue everyone = PosixMessageQueue.createExclusive(open, 0666, 2, 8)) {
            List<String> cmd = Unprivileged.java(PosixPermissionChild.class, q, s, m, open);
            Processes.Result r;
            try (Processes.Child c = Processes.start(cmd)) {
                r = c.await(Duration.ofSeconds(60)).assertExit(0);
            }
            List<String> lines = r.stdout().lines().toList();
            assertEquals(
                    List.of(
                            "mq_open: PermissionDeniedException mq_open("
                                    + q
                                    + "): EACCES (Permission denied): the message"
                                    + " queue's mode does not grant this user read and write",
                            "mq_unlink: PermissionDeniedException mq_unlink("
                                    + q
                                    + "): EACCES (Permission denied): only"
                                    + " its owner or a privileged process may remove a message queue",
                            "sem_open: PermissionDeniedException sem_open("
                                    + s
                                    + "): EACCES (Permission denied): the"
                                    + " semaphore's mode does not grant this user read and write",
                            "shm_open: PermissionDeniedException shm_open("
                                    + m
                                    + "): EACCES (Permission denied): the shared"
                                    + " memory object's mode does not grant this user read",
                            "open 0666: ok"),
                    lines,
                    r.stderr());
            assertEquals(new PosixMessage(1, new byte[] {9}), everyone.receive());
            queue.unlink();
            sem.unlink();
            shm.unlink();
            everyone.unlink();
        }
    }
}
