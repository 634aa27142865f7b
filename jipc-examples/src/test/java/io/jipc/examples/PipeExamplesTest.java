package io.jipc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The pipe and FIFO examples, each against its Java, C or shell twin, as separate processes. */
class PipeExamplesTest {
    static final Duration LONG = Duration.ofSeconds(60);
    private Path dir;

    @BeforeEach
    void makeDir() throws Exception {
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "fifo-examples");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    static Path twin(String name) {
        return Gcc.compileResource("io/jipc/examples/c/" + name + ".c");
    }

    static void assertChildPrintedMessages(String out) {
        for (int i = 1; i <= 3; i++) {
            assertTrue(
                    out.matches("(?s).*child \\d+ read: message " + i + " from parent \\d+\n.*"),
                    out);
        }
        assertTrue(out.contains("child: end of file, every writer closed\n"), out);
    }

    @Test
    void java_parent_pipes_to_java_child_on_fd_3() {
        String out = ChildJvm.run(LONG, PipeParent.class).assertExit(0).stdout();
        assertChildPrintedMessages(out);
        assertTrue(out.contains("parent: child exited with code 0"), out);
    }

    @Test
    void java_parent_pipes_to_the_C_child_and_C_parent_to_the_Java_child() {
        String out =
                ChildJvm.run(LONG, PipeParent.class, twin("pipe_child").toString())
                        .assertExit(0)
                        .stdout();
        assertChildPrintedMessages(out);
        List<String> cmd = new ArrayList<>(List.of(twin("pipe_parent").toString()));
        cmd.addAll(ChildJvm.command(PipeChild.class));
        try (Processes.Child c = Processes.start(cmd)) {
            String cOut = c.await(LONG).assertExit(0).stdout();
            assertChildPrintedMessages(cOut);
        }
    }

    @Test
    void pipe_filter_gets_md5sum_on_stdin_and_sort_on_fd_3_like_its_C_twin() {
        String md5 = ChildJvm.run(LONG, PipeFilter.class).assertExit(0).stdout();
        String[] lines = md5.split("\n");
        assertEquals(lines[0].split(" ")[0], lines[1].split(" ")[0], md5);
        assertEquals(
                md5.split("\n")[0],
                Processes.run(LONG, twin("pipe_filter").toString()).assertExit(0).stdout().trim());
        String sorted = ChildJvm.run(LONG, PipeFilter.class, "fd3", "sort").assertExit(0).stdout();
        assertEquals("apple\nbanana\ncherry\nfig\npear\n", sorted);
        assertEquals(
                sorted,
                Processes.run(LONG, twin("pipe_filter").toString(), "sort").assertExit(0).stdout());
    }

    private void awaitFifo(Path fifo, Processes.Child reader) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!Files.exists(fifo)) {
            if (System.nanoTime() > deadline || !reader.process().isAlive()) {
                throw new AssertionError("the reader made no FIFO: " + reader.describe());
            }
            Thread.sleep(20);
        }
    }

    @Test
    void java_fifo_reader_with_C_writer_and_shell_echo() throws Exception {
        Path fifo = dir.resolve("f1");
        try (Processes.Child reader = ChildJvm.start(FifoReader.class, fifo.toString())) {
            awaitFifo(fifo, reader);
            Processes.run(
                            LONG,
                            twin("fifo_writer").toString(),
                            fifo.toString(),
                            "hello from C",
                            "bye")
                    .assertExit(0);
            String out = reader.await(LONG).assertExit(0).stdout();
            assertTrue(
                    out.contains("reader: hello from C\nreader: bye\nreader: end of file\n"), out);
        }
        Path fifo2 = dir.resolve("f2");
        try (Processes.Child reader = ChildJvm.start(FifoReader.class, fifo2.toString())) {
            awaitFifo(fifo2, reader);
            Processes.run(LONG, "sh", "-c", "echo hello from sh > \"$0\"", fifo2.toString())
                    .assertExit(0);
            assertTrue(
                    reader.await(LONG).assertExit(0).stdout().contains("reader: hello from sh\n"));
        }
        assertTrue(
                Files.notExists(fifo) && Files.notExists(fifo2),
                "the reader removes the FIFO it made");
    }

    @Test
    void java_fifo_writer_with_C_reader_and_cat() throws Exception {
        Path fifo = dir.resolve("f3");
        try (Processes.Child reader =
                Processes.start(List.of(twin("fifo_reader").toString(), fifo.toString()))) {
            awaitFifo(fifo, reader);
            ChildJvm.run(LONG, FifoWriter.class, fifo.toString(), "hello from Java", "bye")
                    .assertExit(0);
            String out = reader.await(LONG).assertExit(0).stdout();
            assertTrue(
                    out.contains("reader: hello from Java\nreader: bye\nreader: end of file\n"),
                    out);
        }
        io.jipc.pipe.Fifo.create(fifo, 0600);
        try (Processes.Child cat = Processes.start(List.of("cat", fifo.toString()))) {
            ChildJvm.run(LONG, FifoWriter.class, fifo.toString(), "to cat").assertExit(0);
            assertEquals("to cat\n", cat.await(LONG).assertExit(0).stdout());
        }
    }
}
