package io.jipc.pipe;

import static io.jipc.pipe.PipeTest.await;
import static io.jipc.pipe.SpawnDescriptorsTest.openDescriptors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.jipc.testkit.Gcc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Files for a child: a JDK {@code FileChannel} whose open file a child already writes through
 * (finding its descriptor must not move the shared position), a channel that cannot be told apart
 * from another open of the same file (refused, nothing changed), and files that {@code Spawn} opens
 * itself by path.
 */
class SpawnFilesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int RECORD = 9;

    @TempDir Path dir;

    private static boolean refusal(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("give the child the file by its path")
                || m.contains("moved backwards at every look");
    }

    @Test
    void
            a_file_channel_a_child_writes_through_is_given_to_more_children_without_moving_its_position()
                    throws Exception {
        Path writer = Gcc.compileResource("c/shared_writer.c");
        Path log = dir.resolve("shared.log");
        int before = openDescriptors();
        int started = 0;
        List<String> refused = new ArrayList<>();
        try (FileChannel ch =
                        FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                Pipe stop = Pipe.open()) {
            Child loop =
                    Spawn.of(writer.toString(), "loop").stdin(stop.source()).stdout(ch).start();
            stop.source().close();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (Files.size(log) < 100 * RECORD) {
                    assertTrue(System.nanoTime() < deadline, "the writer never wrote");
                    Thread.sleep(1);
                }
                for (int i = 0; i < 30; i++) {
                    Child once;
                    try {
                        once =
                                Spawn.of(writer.toString(), "once", Integer.toString(i))
                                        .stdout(ch)
                                        .start();
                    } catch (IOException e) {
                        assertTrue(refusal(e), e.toString());
                        refused.add(e.getMessage());
                        continue;
                    }
                    assertTrue(await(once).success(), once.toString());
                    started++;
                }
                assertTrue(loop.isAlive(), "the writer wrote all along");
            } finally {
                stop.sink().close(); // end of file: the writer stops
                assertTrue(await(loop).success(), loop.toString());
            }
        }
        assertEquals(before, openDescriptors(), "every duplicate is closed");

        // Every record where the shared position put it: no hole, no record overwritten.
        byte[] all = Files.readAllBytes(log);
        assertEquals(0, all.length % RECORD, "whole records only: " + all.length + " bytes");
        int next = 0;
        Set<String> children = new HashSet<>();
        for (int at = 0; at < all.length; at += RECORD) {
            String r = new String(all, at, RECORD, US_ASCII);
            if (r.startsWith("c")) {
                assertTrue(children.add(r), "a child's record twice: " + r);
            } else {
                assertEquals(String.format("%08d\n", next), r, "record at byte " + at);
                next++;
            }
        }
        assertEquals(
                started,
                children.size(),
                "each child that started wrote into the shared file; refused: " + refused);
        assertTrue(next > 100, "the writer's records: " + next);
        assertTrue(
                started + refused.size() == 30 && started > 0,
                started + " started, refused: " + refused);
    }

    @Test
    void a_channel_that_cannot_be_told_from_another_open_of_the_file_is_refused_and_left_as_it_was()
            throws Exception {
        Path file = dir.resolve("twice");
        Files.writeString(file, "0123456789");
        int before = openDescriptors();
        try (FileChannel a = FileChannel.open(file, StandardOpenOption.WRITE);
                FileChannel b = FileChannel.open(file, StandardOpenOption.WRITE)) {
            a.position(3);
            b.position(3);
            IOException e =
                    assertThrows(IOException.class, () -> Spawn.of("true").stdout(a).start());
            assertTrue(
                    e.getMessage()
                            .contains(
                                    "2 descriptors of this process show what the channel shows"
                                            + " (write only, position 3, size 10)"),
                    e.getMessage());
            assertTrue(refusal(e), e.getMessage());
            assertEquals(3, a.position());
            assertEquals(3, b.position());
            // once they differ, each is found
            b.position(5);
            Child c = Spawn.of("sh", "-c", "printf A").stdout(a).start();
            assertTrue(await(c).success());
            assertEquals(4, a.position(), "the child wrote at the shared position");
            Child d = Spawn.of("sh", "-c", "printf B").stdout(b).start();
            assertTrue(await(d).success());
        }
        assertEquals("012A4B6789", Files.readString(file));
        assertEquals(before, openDescriptors());
    }

    @Test
    void append_and_read_only_channels_are_found_by_their_own_rules() throws Exception {
        Path file = dir.resolve("appended");
        Files.writeString(file, "x");
        try (FileChannel append =
                        FileChannel.open(
                                file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
            // an append channel's position is the file's size, not the pos of its fdinfo (0 here)
            assertEquals(1, append.position());
            assertTrue(await(Spawn.of("sh", "-c", "printf y").stdout(append).start()).success());
            read.position(1);
            Path copy = dir.resolve("copy");
            assertTrue(await(Spawn.of("cat").stdin(read).stdout(copy).start()).success());
            assertEquals("y", Files.readString(copy), "cat read from the shared position on");
            assertEquals(2, read.position());
        }
        assertEquals("xy", Files.readString(file));
    }

    @Test
    void files_given_by_path_are_opened_for_the_child_as_a_shell_would() throws Exception {
        Path out = dir.resolve("out");
        Path in = dir.resolve("in");
        Files.writeString(in, "from a file\n");
        Files.writeString(out, "old content that is truncated\n");
        int before = openDescriptors();

        // > and <
        assertTrue(await(Spawn.of("cat").stdin(in).stdout(out).start()).success());
        assertEquals("from a file\n", Files.readString(out));
        // >> and 2>>, one file
        Child both =
                Spawn.of("sh", "-c", "echo out; echo err >&2")
                        .stdout(out, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                        .stderr(out, StandardOpenOption.APPEND)
                        .start();
        assertTrue(await(both).success());
        assertEquals("from a file\nout\nerr\n", Files.readString(out));
        // any number; CREATE_NEW
        Path fresh = dir.resolve("fresh");
        Spawn three =
                Spawn.of("sh", "-c", "echo three >&3")
                        .fd(3, fresh, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        assertTrue(await(three.start()).success());
        assertEquals("three\n", Files.readString(fresh));
        FileAlreadyExistsException exists =
                assertThrows(FileAlreadyExistsException.class, three::start);
        assertTrue(exists.getMessage().contains(fresh.toString()), exists.getMessage());
        // a file to read that is not there; to write without CREATE
        Path missing = dir.resolve("missing");
        NoSuchFileException none =
                assertThrows(
                        NoSuchFileException.class, () -> Spawn.of("cat").stdin(missing).start());
        assertTrue(none.getMessage().contains(missing.toString()), none.getMessage());
        NoSuchFileException noCreate =
                assertThrows(
                        NoSuchFileException.class,
                        () -> Spawn.of("true").stdout(missing, StandardOpenOption.WRITE).start());
        assertTrue(noCreate.getMessage().contains("CREATE creates it"), noCreate.getMessage());
        // a directory to write to
        IOException directory =
                assertThrows(IOException.class, () -> Spawn.of("true").stdout(dir).start());
        assertTrue(directory.getMessage().contains("directory"), directory.getMessage());
        // options refused before any start
        IllegalArgumentException readAppend =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Spawn.of("true")
                                        .fd(
                                                3,
                                                out,
                                                StandardOpenOption.READ,
                                                StandardOpenOption.APPEND));
        assertTrue(readAppend.getMessage().contains("READ + APPEND"), readAppend.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        Spawn.of("true")
                                .stdout(
                                        out,
                                        StandardOpenOption.APPEND,
                                        StandardOpenOption.TRUNCATE_EXISTING));
        IllegalArgumentException deleteOnClose =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Spawn.of("true").stdout(out, StandardOpenOption.DELETE_ON_CLOSE));
        assertTrue(
                deleteOnClose.getMessage().contains("option=DELETE_ON_CLOSE"),
                deleteOnClose.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Spawn.of("true").stdout(out).stdout(in));
        assertEquals(before, openDescriptors(), "nothing left open, by a child started or refused");
    }

    @Test
    void a_file_this_process_may_not_open_as_asked_is_an_access_denied_exception()
            throws Exception {
        // root may open any file, but not write to an immutable one (EPERM)
        Path file = dir.resolve("immutable");
        Files.writeString(file, "x");
        var chattr =
                io.jipc.testkit.Processes.run(
                        Duration.ofSeconds(30), "chattr", "+i", file.toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(
                chattr.exitCode() == 0, "chattr +i refused here");
        try {
            AccessDeniedException denied =
                    assertThrows(
                            AccessDeniedException.class,
                            () -> Spawn.of("true").stdout(file, StandardOpenOption.WRITE).start());
            assertTrue(
                    denied.getMessage().contains(file.toString())
                            && denied.getMessage().contains("EPERM"),
                    denied.getMessage());
            Child reader = Spawn.of("cat").stdin(file).stdout(dir.resolve("copy")).start();
            assertTrue(await(reader).success(), "reading it is allowed");
            assertEquals("x", Files.readString(dir.resolve("copy")));
        } finally {
            io.jipc.testkit.Processes.run(Duration.ofSeconds(30), "chattr", "-i", file.toString())
                    .assertExit(0);
        }
    }
}
