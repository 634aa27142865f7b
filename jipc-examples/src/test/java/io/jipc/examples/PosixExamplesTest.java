package io.jipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jipc.NotFoundException;
import io.jipc.posix.PosixMessageQueue;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The POSIX twins of the seed's programs across languages: the message queue pair on {@code
 * "/jipc-scores"} (Java receiver with the C sender, C receiver with the Java sender), and the
 * semaphore counter on named POSIX semaphores (Java alone, C alone, mixed). The build runs in a
 * private IPC namespace, so the fixed queue name meets no other run's queue.
 */
class PosixExamplesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @AfterEach
    void queueIsGone() throws Exception {
        try (PosixMessageQueue left = PosixMessageQueue.open(MqProtocol.POSIX_QUEUE)) {
            left.unlink();
            fail("the receiver left " + MqProtocol.POSIX_QUEUE + " behind");
        } catch (NotFoundException expected) {
            // the receiver unlinked it, as it should
        }
    }

    private static Path c(String name) {
        return Gcc.compileResource("io/jipc/examples/c/" + name);
    }

    private static void awaitQueue(Processes.Child receiver) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                PosixMessageQueue.open(MqProtocol.POSIX_QUEUE).close();
                return;
            } catch (NotFoundException notYet) {
                if (!receiver.process().isAlive()) {
                    fail("the receiver ended before creating the queue: " + receiver.describe());
                }
                Thread.sleep(10);
            }
        }
        fail("the receiver did not create the queue: " + receiver.describe());
    }

    private static String expected(int priority, String name, int math, int chinese) {
        return "PRIORITY = "
                + priority
                + "\nNAME = "
                + name
                + "\nMATH = "
                + math
                + "\nCHINESE = "
                + chinese
                + "\n";
    }

    @Test
    void java_receiver_and_c_sender_with_priorities() throws Exception {
        Path sender = c("pmq_sender.c");
        try (Processes.Child receiver = ChildJvm.start(PosixMqReceiver.class, "2")) {
            awaitQueue(receiver);
            assertEquals(
                    "ok!\n",
                    Processes.run(TIMEOUT, sender.toString(), "Alan", "90", "85", "3")
                            .assertExit(0)
                            .stdout());
            Processes.run(TIMEOUT, sender.toString(), "Bob", "-7", "100").assertExit(0);
            Processes.Result r = receiver.await(TIMEOUT).assertExit(0);
            assertEquals(expected(3, "Alan", 90, 85) + expected(1, "Bob", -7, 100), r.stdout());
        }
    }

    @Test
    void c_receiver_and_java_sender() throws Exception {
        Path receiverExe = c("pmq_receiver.c");
        try (Processes.Child receiver = Processes.start(List.of(receiverExe.toString(), "2"))) {
            awaitQueue(receiver);
            String longName = "x".repeat(MqProtocol.NAMESIZE - 1);
            assertEquals(
                    "ok!\n",
                    ChildJvm.run(TIMEOUT, PosixMqSender.class, "Carol", "12", "34", "7")
                            .assertExit(0)
                            .stdout());
            ChildJvm.run(TIMEOUT, PosixMqSender.class, longName, "0", "2147483647").assertExit(0);
            Processes.Result r = receiver.await(TIMEOUT).assertExit(0);
            assertEquals(
                    expected(7, "Carol", 12, 34) + expected(1, longName, 0, Integer.MAX_VALUE),
                    r.stdout());
        }
        assertEquals(
                List.of("pmq-receiver", "pmq-sender", "psem-counter"),
                Examples.all().keySet().stream()
                        .filter(n -> n.startsWith("pmq-") || n.startsWith("psem-"))
                        .toList());
    }

    private static Path counterTwin() throws IOException {
        return Gcc.compileSource(
                "psem_counter", Files.readString(Path.of("src", "main", "c", "psem_counter.c")));
    }

    private static Processes.Result runCounter(String... args) {
        return Processes.run(
                Duration.ofSeconds(300),
                ChildJvm.command(PosixSemCounter.class, args).toArray(String[]::new));
    }

    @Test
    void the_posix_semaphore_counter_is_exact_in_java_in_c_and_mixed() throws IOException {
        Processes.Result j = runCounter("java=4", "rounds=50").assertExit(0);
        assertTrue(
                j.stdout()
                        .startsWith(
                                "counter = 200 (expected 200; 4 Java + 0 C processes x 50 rounds)"),
                j.stdout());
        Processes.Result c =
                Processes.run(Duration.ofSeconds(120), counterTwin().toString(), "20", "50")
                        .assertExit(0);
        assertTrue(c.stdout().startsWith("counter = 1000 (expected 1000)"), c.stdout());
        Processes.Result mixed =
                runCounter("java=3", "c=5", "c-binary=" + counterTwin(), "rounds=150")
                        .assertExit(0);
        assertTrue(
                mixed.stdout()
                        .startsWith(
                                "counter = 1200 (expected 1200; 3 Java + 5 C processes x 150 rounds)"),
                mixed.stdout());
        try (var left = Files.list(Path.of("/dev/shm"))) {
            assertTrue(
                    left.noneMatch(p -> p.getFileName().toString().startsWith("sem.psem-counter")),
                    "the counters unlinked their semaphores");
        }
    }
}
