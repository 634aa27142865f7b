package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

class FifoCommandTest {

    @Test
    void create_makes_a_FIFO_that_shell_tools_use_and_rm_removes_it(@TempDir Path dir)
            throws Exception {
        Path f = dir.resolve("f");
        CliRunner.Run r = CliRunner.run("fifo", "create", f.toString(), "--mode", "0640");
        assertEquals(0, r.exit(), r.err());
        assertEquals("created FIFO " + f + " (mode 0640)\n", r.out());
        assertEquals(
                "p",
                Processes.run(Duration.ofSeconds(30), "stat", "-c", "%A", f.toString())
                        .assertExit(0)
                        .stdout()
                        .substring(0, 1));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (Processes.Child cat = Processes.start(List.of("cat", f.toString()))) {
            Processes.run(
                            Duration.ofSeconds(30),
                            "sh",
                            "-c",
                            "echo through the fifo > \"$0\"",
                            f.toString())
                    .assertExit(0);
            assertEquals(
                    "through the fifo\n", cat.await(Duration.ofSeconds(30)).assertExit(0).stdout());
        }
        CliRunner.Run again = CliRunner.run("fifo", "create", f.toString());
        assertEquals(ExitCode.FAILED.code(), again.exit());
        assertTrue(again.err().contains("a FIFO already exists there"), again.err());
        assertEquals(0, CliRunner.run("fifo", "rm", f.toString()).exit());
        assertFalse(Files.exists(f));
    }

    @Test
    void a_path_with_a_newline_is_shown_escaped_on_one_line(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a\nb");
        String shown = "'" + dir + "/a\\nb'";
        CliRunner.Run r = CliRunner.run("fifo", "create", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("created FIFO " + shown + " (mode 0600)\n", r.out());
        assertEquals(
                "removed FIFO " + shown + "\n", CliRunner.run("fifo", "rm", f.toString()).out());
        CliRunner.Run gone = CliRunner.run("fifo", "rm", f.toString());
        assertEquals(1, gone.exit());
        assertEquals(1, gone.err().lines().count(), gone.err());
        assertTrue(
                gone.err().contains(dir + "/a\\nb"),
                "the newline escaped, not a space: " + gone.err());
        CliRunner.Run key = CliRunner.run("key", dir.resolve("serv\nices").toString(), "g");
        assertEquals("jipc key: no such file: '" + dir + "/serv\\nices'\n", key.err());
        CliRunner.Run send =
                CliRunner.run(
                        "mq",
                        "send",
                        "--key",
                        "0x1",
                        "--type",
                        "1",
                        "--file",
                        dir.resolve("no\nfile").toString());
        assertEquals(1, send.err().lines().count(), send.err());
        assertTrue(send.err().contains("'" + dir + "/no\\nfile'"), send.err());
    }

    @Test
    void an_existing_regular_file_bad_modes_and_rm_of_a_non_FIFO_are_clear_errors(@TempDir Path dir)
            throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        CliRunner.Run r = CliRunner.run("fifo", "create", plain.toString());
        assertEquals(ExitCode.FAILED.code(), r.exit());
        assertTrue(r.err().contains("is not a FIFO (it is a regular file)"), r.err());
        assertEquals(
                ExitCode.USAGE.code(),
                CliRunner.run("fifo", "create", dir.resolve("g").toString(), "--mode", "0999")
                        .exit());
        CliRunner.Run rm = CliRunner.run("fifo", "rm", plain.toString());
        assertEquals(ExitCode.FAILED.code(), rm.exit());
        assertTrue(rm.err().contains("not a FIFO"), rm.err());
        assertTrue(Files.exists(plain));
        CliRunner.Run json = CliRunner.run("fifo", "create", dir.resolve("j").toString(), "--json");
        assertEquals(
                "{\"path\":\"" + dir.resolve("j").toAbsolutePath() + "\",\"mode\":\"0600\"}\n",
                json.out());
        Files.delete(dir.resolve("j"));
    }

    @Test
    void rm_refuses_a_symbolic_link_to_a_FIFO_and_removes_nothing(@TempDir Path dir)
            throws Exception {
        Path fifo = dir.resolve("f");
        assertEquals(0, CliRunner.run("fifo", "create", fifo.toString()).exit());
        Path link = Files.createSymbolicLink(dir.resolve("link"), fifo);
        CliRunner.Run r = CliRunner.run("fifo", "rm", link.toString());
        assertEquals(1, r.exit());
        assertEquals(
                "jipc fifo rm: "
                        + link
                        + " is a symbolic link (to "
                        + fifo
                        + "), not a FIFO; nothing removed"
                        + " (name the FIFO itself, or remove the link with rm)\n",
                r.err());
        assertTrue(Files.isSymbolicLink(link) && Files.exists(fifo), "both are still there");
        assertEquals(0, CliRunner.run("fifo", "rm", fifo.toString()).exit());
        Files.delete(link);
    }
}
