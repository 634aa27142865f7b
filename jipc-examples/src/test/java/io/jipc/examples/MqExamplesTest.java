package io.jipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jipc.NotFoundException;
import io.jipc.sysv.MessageQueue;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;
import io.jipc.testkit.ThreadStates;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The seed's message queue pair across languages: Java receiver with the C sender, C receiver with
 * the Java sender, and Python's sysv_ipc as a third peer. The key is the fixed
 * ftok("/etc/services", 'g'), the key the README tells users to create: a test that finds a queue
 * there already (someone's, on a machine without the suite's private IPC namespace) is skipped with
 * the reason and leaves it alone; otherwise the queue is the test's and is removed.
 */
class MqExamplesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PYTHON = "/usr/bin/python3";
    private boolean preexisting;

    @BeforeEach
    void noteWhetherTheKeyIsInUse() throws Exception {
        preexisting = exists();
    }

    private static boolean exists() throws Exception {
        try {
            MessageQueue.open(MqProtocol.key());
            return true;
        } catch (NotFoundException free) {
            return false;
        }
    }

    /** Skips a test that would use the examples' queue while one that is not ours exists. */
    private void assumeKeyFree() throws Exception {
        Assumptions.assumeFalse(
                preexisting,
                "a queue with key "
                        + MqProtocol.key()
                        + " (ftok(\"/etc/services\", 'g'))"
                        + " exists already and is not this suite's: the test would disturb it");
    }

    @AfterEach
    void removeQueue() throws Exception {
        if (preexisting) {
            return;
        }
        try {
            MessageQueue.open(MqProtocol.key()).remove();
        } catch (NotFoundException gone) {
            // the receiver removed it, as it should
        }
    }

    private static Path c(String name) {
        return Gcc.compileResource("io/jipc/examples/c/" + name);
    }

    /** Waits until the passive end has created the queue. */
    private static void awaitQueue(Processes.Child receiver) {
        ThreadStates.await(
                () -> {
                    try {
                        MessageQueue.open(MqProtocol.key());
                        return true;
                    } catch (NotFoundException notYet) {
                        if (!receiver.process().isAlive()) {
                            fail(
                                    "the receiver ended before creating the queue: "
                                            + receiver.describe());
                        }
                        return false;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                },
                () -> "the receiver creates the queue: " + receiver.describe());
    }

    private static String expected(String name, int math, int chinese) {
        return "NAME = " + name + "\nMATH = " + math + "\nCHINESE = " + chinese + "\n";
    }

    @Test
    void the_body_layout_is_struct_msg_st_after_mtype() {
        byte[] b = new MqProtocol("Alan", 0x01020304, -1).encode();
        assertEquals(40, b.length);
        assertEquals('A', b[0]);
        assertEquals(0, b[4]);
        assertEquals(0, b[31]);
        assertEquals(0x04, b[32], "little-endian int math at offset 32");
        assertEquals(0x01, b[35]);
        assertEquals((byte) 0xff, b[36], "int chinese at offset 36");
        assertEquals(new MqProtocol("Alan", 0x01020304, -1), MqProtocol.decode(b));
        assertEquals(
                List.of("mq-receiver", "mq-sender"),
                Examples.all().keySet().stream().filter(n -> n.startsWith("mq-")).toList());
    }

    @Test
    void java_receiver_and_c_sender() throws Exception {
        assumeKeyFree();
        Path sender = c("mq_sender.c");
        try (Processes.Child receiver = ChildJvm.start(MqReceiver.class, "2")) {
            awaitQueue(receiver);
            Processes.run(TIMEOUT, sender.toString(), "Alan", "90", "85").assertExit(0);
            assertEquals(
                    "ok!\n",
                    Processes.run(TIMEOUT, sender.toString(), "Bob", "-7", "100")
                            .assertExit(0)
                            .stdout());
            Processes.Result r = receiver.await(TIMEOUT).assertExit(0);
            assertEquals(expected("Alan", 90, 85) + expected("Bob", -7, 100), r.stdout());
        }
        assertQueueIsGone();
    }

    @Test
    void c_receiver_and_java_sender() throws Exception {
        assumeKeyFree();
        Path receiverExe = c("mq_receiver.c");
        try (Processes.Child receiver = Processes.start(List.of(receiverExe.toString(), "2"))) {
            awaitQueue(receiver);
            // A name of exactly 31 bytes: the longest that keeps C's terminating NUL.
            String longName = "x".repeat(MqProtocol.NAMESIZE - 1);
            assertEquals(
                    "ok!\n",
                    ChildJvm.run(TIMEOUT, MqSender.class, "Carol", "12", "34")
                            .assertExit(0)
                            .stdout());
            ChildJvm.run(TIMEOUT, MqSender.class, longName, "0", "2147483647").assertExit(0);
            Processes.Result r = receiver.await(TIMEOUT).assertExit(0);
            assertEquals(
                    expected("Carol", 12, 34) + expected(longName, 0, Integer.MAX_VALUE),
                    r.stdout());
        }
        assertQueueIsGone();
    }

    @Test
    void python_sysv_ipc_as_a_third_peer() throws Exception {
        assumeKeyFree();
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), "no " + PYTHON);
        Processes.Result probe = Processes.run(TIMEOUT, PYTHON, "-c", "import sysv_ipc");
        Assumptions.assumeTrue(
                probe.exitCode() == 0,
                "Python's sysv_ipc is missing (Debian package python3-sysv-ipc): "
                        + probe.stderr());
        String common =
                "import struct, sys, sysv_ipc\n"
                        + "key = sysv_ipc.ftok('/etc/services', ord('g'), silence_warning=True)\n";
        // Python sends to the Java receiver.
        try (Processes.Child receiver = ChildJvm.start(MqReceiver.class, "1")) {
            awaitQueue(receiver);
            Processes.run(
                            TIMEOUT,
                            PYTHON,
                            "-c",
                            common
                                    + "q = sysv_ipc.MessageQueue(key)\n"
                                    + "q.send(struct.pack('=32sii', b'Py', 77, 66), type=1)\n")
                    .assertExit(0);
            assertEquals(expected("Py", 77, 66), receiver.await(TIMEOUT).assertExit(0).stdout());
        }
        assertQueueIsGone();
        // Python is the passive end; the Java sender sends to it.
        String pyReceiver =
                common
                        + "q = sysv_ipc.MessageQueue(key, sysv_ipc.IPC_CREAT, 0o600)\n"
                        + "body, mtype = q.receive(type=0)\n"
                        + "name, math, chinese = struct.unpack('=32sii', body)\n"
                        + "print(mtype, len(body), name.split(b'\\0')[0].decode(), math, chinese)\n"
                        + "q.remove()\n";
        try (Processes.Child receiver = Processes.start(List.of(PYTHON, "-c", pyReceiver))) {
            awaitQueue(receiver);
            ChildJvm.run(TIMEOUT, MqSender.class, "Dora", "55", "44").assertExit(0);
            assertEquals("1 40 Dora 55 44\n", receiver.await(TIMEOUT).assertExit(0).stdout());
        }
        assertQueueIsGone();
    }

    private static void assertQueueIsGone() throws Exception {
        try {
            MessageQueue.open(MqProtocol.key());
            fail("the receiver left the queue behind");
        } catch (NotFoundException expected) {
            assertTrue(expected.getMessage().contains("no message queue has this key"));
        }
    }
}
