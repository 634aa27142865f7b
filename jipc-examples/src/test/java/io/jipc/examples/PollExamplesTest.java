package io.jipc.examples;

import static io.jipc.examples.NetworkExamplesTest.LONG;
import static io.jipc.examples.NetworkExamplesTest.c;
import static io.jipc.examples.NetworkExamplesTest.cmd;
import static io.jipc.examples.NetworkExamplesTest.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code poll-server} and its C twin (epoll): one thread serves a FIFO, a child's pipe and a
 * Unix-domain server, driven by FIFO writers and socket clients in Java and in C.
 */
class PollExamplesTest {
    @TempDir Path dir;

    private static void awaitWaiting(Processes.Child s) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!Files.readString(s.stdout()).contains("; waiting\n")) {
            assertTrue(
                    System.nanoTime() < deadline && s.process().isAlive(),
                    "the server never got ready: " + s.describe());
            Thread.sleep(20);
        }
    }

    private void serveClientsOfBothLanguages(String which, List<String> serverPrefix)
            throws Exception {
        Path fifo = dir.resolve(which + ".fifo");
        Path socket = dir.resolve(which + ".sock");
        List<String> server = new ArrayList<>(serverPrefix);
        server.addAll(
                List.of(
                        fifo.toString(),
                        socket.toString(),
                        "sh",
                        "-c",
                        "echo child line one; echo child line two"));
        try (Processes.Child s = Processes.start(server)) {
            awaitWaiting(s);
            Processes.run(
                            LONG,
                            java(FifoWriter.class, fifo.toString(), "from java writer")
                                    .toArray(String[]::new))
                    .assertExit(0);
            Processes.run(LONG, c("fifo_writer"), fifo.toString(), "from c writer", "second c line")
                    .assertExit(0);
            String j =
                    Processes.run(
                                    LONG,
                                    java(
                                                    PollClient.class,
                                                    socket.toString(),
                                                    "java says hi",
                                                    "java again")
                                            .toArray(String[]::new))
                            .assertExit(0)
                            .stdout();
            assertEquals("client: echo java says hi\nclient: echo java again\n", j);
            String k =
                    Processes.run(LONG, c("poll_client"), socket.toString(), "c says hi")
                            .assertExit(0)
                            .stdout();
            assertEquals("client: echo c says hi\n", k);
            Processes.run(LONG, c("fifo_writer"), fifo.toString(), "quit").assertExit(0);
            String out = s.await(LONG).assertExit(0).stdout();
            for (String line :
                    List.of(
                            "fifo: from java writer",
                            "fifo: from c writer",
                            "fifo: second c line",
                            "child: child line one",
                            "child: child line two",
                            "child: end of file",
                            "socket 1: java says hi",
                            "socket 1: java again",
                            "socket 1: end of file",
                            "socket 2: c says hi",
                            "socket 2: end of file",
                            "fifo: quit",
                            "poll-server: quit")) {
                assertTrue(out.contains(line + "\n"), line + " missing from\n" + out);
            }
            assertFalse(
                    out.contains("fifo: end of file"),
                    "writers came and went without end-of-file:\n" + out);
            assertFalse(
                    Files.exists(fifo) || Files.exists(socket),
                    "the FIFO and the socket file are removed");
        }
    }

    @Test
    void the_java_poll_server_serves_java_and_c_writers_and_clients_in_one_thread()
            throws Exception {
        serveClientsOfBothLanguages("java", java(PollServer.class));
    }

    @Test
    void the_c_twin_with_epoll_serves_the_same_clients_the_same_way() throws Exception {
        serveClientsOfBothLanguages("c", cmd(c("poll_server")));
    }
}
