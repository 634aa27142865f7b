package io.jipc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.IpcKey;
import io.jipc.sysv.Message;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.Select;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;
import io.jipc.testkit.TestKeys;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code jipc mq}: every subcommand against real queues, and against a C peer. */
class MqCommandTest {
    private String key;
    private MessageQueue q;

    @BeforeEach
    void create() throws Exception {
        key = IpcKey.of(TestKeys.unused()).toString();
        CliRunner.Run r = CliRunner.run("mq", "create", "--key", key, "--mode", "0640");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("\\d+\n"), "only the msqid: " + r.out());
        q = MessageQueue.open(IpcKey.parse(key));
        assertEquals(Integer.parseInt(r.out().strip()), q.id());
    }

    @AfterEach
    void remove() throws Exception {
        try {
            q.remove();
        } catch (io.jipc.NotFoundException gone) {
            // removed by the test
        }
    }

    private static CliRunner.Run ok(String... args) {
        CliRunner.Run r = CliRunner.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
        assertEquals("", r.err());
        return r;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void create_again_opens_exclusive_fails_and_id_is_a_usage_error() throws Exception {
        assertEquals(q.id() + "\n", ok("mq", "create", "--key", key).out());
        CliRunner.Run ex = CliRunner.run("mq", "create", "--key", key, "--exclusive");
        assertEquals(1, ex.exit());
        assertEquals("", ex.out());
        // Main prefixes the innermost command's name ("jipc create:"); "jipc mq create:" is as
        // good.
        assertEquals(
                "msgget(key "
                        + key
                        + "): EEXIST (File exists): a message queue with this key exists already\n",
                ex.err().replaceFirst("^jipc (mq )?create: ", ""));
        assertEquals(2, CliRunner.run("mq", "create", "--id", "1").exit());
        assertEquals(2, CliRunner.run("mq", "create", "--key", key, "--mode", "999").exit());
        assertEquals(0640, q.status().permissions().permissionBits());
        CliRunner.Run priv = ok("mq", "create", "--key", "0");
        MessageQueue p = MessageQueue.ofId(Integer.parseInt(priv.out().strip()));
        assertEquals(IpcKey.PRIVATE, p.status().permissions().key());
        p.remove();
    }

    @Test
    void send_each_body_source_and_recv_each_format(@TempDir Path dir) throws Exception {
        ok("mq", "send", "--key", key, "--type", "5", "--text", "hi\n");
        ok("mq", "send", "--id", Integer.toString(q.id()), "--type", "6", "--hex", "00FF0a");
        Path f = Files.write(dir.resolve("body"), new byte[] {1, 0, 2});
        ok("mq", "send", "--key", key, "--type", "7", "--file", f.toString());
        CliRunner.Run fromStdin =
                CliRunner.runWithInput(b("from stdin"), "mq", "send", "--key", key, "--type", "8");
        assertEquals(0, fromStdin.exit(), fromStdin.err());
        ok("mq", "send", "--key", key, "--type", "9", "--text", "");
        assertEquals(5, q.status().messages());

        assertEquals("5 68690a\n", ok("mq", "recv", "--key", key, "--format", "hex").out());
        assertEquals(
                "{\"type\":6,\"size\":3,\"hex\":\"00ff0a\"}\n",
                ok("mq", "recv", "--key", key, "--format", "json")
                        .out()
                        .replace("\"text\":\"\\u0000\\u00ff\\n\",", ""));
        assertArrayEquals(
                new byte[] {1, 0, 2}, ok("mq", "recv", "--key", key, "--format", "raw").bytes());
        assertEquals("8\tfrom stdin\n", ok("mq", "recv", "--key", key).out());
        assertEquals(
                "{\"type\":9,\"size\":0,\"hex\":\"\",\"text\":\"\"}\n",
                ok("mq", "recv", "--key", key, "--format", "json").out());
    }

    @Test
    void text_that_is_not_utf8_is_shown_escaped_and_said_so_never_replaced() throws Exception {
        q.send(6, new byte[] {'o', 'k', 0, (byte) 0xff, '\\', '\n'});
        q.send(7, b("caf\u00e9 \u4e2d\u6587\n"));
        CliRunner.Run peek = ok2("mq", "peek", "--key", key, "--index", "0");
        assertEquals(
                "6\tok\\x00\\xff\\\\\\n\n", peek.out(), "every byte recoverable, nothing replaced");
        assertEquals(
                "jipc mq peek: warning: the body of the message of type 6 (6 bytes) is not UTF-8 text; printed"
                        + " with \\xNN escapes (use --format hex or raw for the bytes)\n",
                peek.err());
        assertArrayEquals(
                new byte[] {'o', 'k', 0, (byte) 0xff, '\\', '\n'},
                Text.unescape(peek.out().substring(2, peek.out().length() - 1)));
        CliRunner.Run recv = ok2("mq", "recv", "--key", key, "--count", "2");
        assertEquals(
                peek.out() + "7\tcaf\u00e9 \u4e2d\u6587\n",
                recv.out(),
                "UTF-8 text is shown as it is");
        assertEquals(1, recv.err().lines().count(), recv.err());
    }

    /** Exit 0, whatever is on stderr. */
    private static CliRunner.Run ok2(String... args) {
        CliRunner.Run r = CliRunner.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
        return r;
    }

    @Test
    void recv_selectors_count_noerror_and_nowait_exit_3() throws Exception {
        for (int t : new int[] {5, 3, 7, 3, 1}) {
            q.send(t, b("t" + t));
        }
        assertEquals(
                "3 7433\n", ok("mq", "recv", "--key", key, "--type", "3", "--format", "hex").out());
        assertEquals(
                "1 7431\n",
                ok("mq", "recv", "--key", key, "--type", "-4", "--format", "hex").out());
        assertEquals(
                "7 7437\n",
                ok("mq", "recv", "--key", key, "--type", "5", "--except", "--format", "hex").out());
        assertEquals(
                2, CliRunner.run("mq", "recv", "--key", key, "--type", "-5", "--except").exit());

        q.send(2, b("0123456789"));
        CliRunner.Run big = CliRunner.run("mq", "recv", "--key", key, "--type", "2", "--max", "4");
        assertEquals(1, big.exit());
        assertTrue(
                big.err()
                        .replaceFirst("^jipc (mq )?recv: ", "")
                        .startsWith(
                                "msgrcv(msqid "
                                        + q.id()
                                        + "): E2BIG (Argument list too long): "
                                        + "the message is larger than the receive buffer of 4 bytes"),
                big.err());
        assertEquals(1, big.err().lines().count(), big.err());
        assertEquals(
                "2\t0123\n",
                ok("mq", "recv", "--key", key, "--type", "2", "--max", "4", "--noerror").out());

        CliRunner.Run partial =
                CliRunner.run(
                        "mq", "recv", "--key", key, "--count", "5", "--nowait", "--format", "hex");
        assertEquals(3, partial.exit(), partial.err());
        assertEquals("5 7435\n3 7433\n", partial.out());
        CliRunner.Run empty = CliRunner.run("mq", "recv", "--key", key, "--nowait");
        assertEquals(3, empty.exit());
        assertEquals("", empty.out());
        assertEquals("jipc mq recv: no message\n", empty.err());
    }

    @Test
    void send_nowait_on_a_full_queue_exits_3() throws Exception {
        q.setMaxBytes(10);
        ok("mq", "send", "--key", key, "--type", "1", "--hex", "00".repeat(8), "--nowait");
        CliRunner.Run full =
                CliRunner.run(
                        "mq",
                        "send",
                        "--key",
                        key,
                        "--type",
                        "1",
                        "--hex",
                        "0000000000",
                        "--nowait");
        assertEquals(3, full.exit(), full.err());
        assertEquals(1, q.status().messages());
        assertEquals(
                2, CliRunner.run("mq", "send", "--key", key, "--type", "0", "--text", "x").exit());
        assertEquals(
                2, CliRunner.run("mq", "send", "--key", key, "--type", "1", "--hex", "abc").exit());
    }

    @Test
    void peek_stat_and_rm() throws Exception {
        q.send(4, b("first"));
        q.send(2, b("second"));
        CliRunner.Run peek =
                CliRunner.run("mq", "peek", "--key", key, "--index", "1", "--format", "hex");
        org.junit.jupiter.api.Assumptions.assumeFalse(
                peek.err().contains("ENOSYS"), "kernel lacks MSG_COPY: " + peek.err());
        assertEquals(0, peek.exit(), peek.err());
        assertEquals("2 7365636f6e64\n", peek.out());
        assertEquals(3, CliRunner.run("mq", "peek", "--key", key, "--index", "2").exit());

        String json = ok("mq", "stat", "--key", key, "--json").out();
        assertTrue(
                json.startsWith(
                        "{\"msqid\":"
                                + q.id()
                                + ",\"key\":\""
                                + key
                                + "\",\"mode\":\"640\",\"uid\":"
                                + io.jipc.Capabilities.effectiveUid()
                                + ","),
                json);
        assertTrue(
                json.contains(
                        "\"messages\":2,\"bytes\":11,\"max_bytes\":"
                                + io.jipc.Limit.MSGMNB.value()),
                json);
        assertTrue(
                json.contains(
                        "\"last_send_pid\":"
                                + ProcessHandle.current().pid()
                                + ",\"last_receive_pid\":0"),
                json);
        assertTrue(json.contains("\"last_receive\":null"), json);
        String text = ok("mq", "stat", "--id", Integer.toString(q.id())).out();
        assertTrue(text.contains("messages          2\n"), text);
        assertTrue(text.contains("last_receive      never\n"), text);

        ok("mq", "rm", "--key", key);
        CliRunner.Run gone = CliRunner.run("mq", "stat", "--key", key);
        assertEquals(1, gone.exit());
        assertTrue(
                gone.err()
                        .replaceFirst("^jipc (mq )?stat: ", "")
                        .startsWith("msgget(key " + key + "): ENOENT"),
                gone.err());
    }

    @Test
    void a_c_program_and_jipc_mq_exchange_exact_bytes() throws Exception {
        Path peer = Gcc.compileResource("c/mq_peer.c");
        String id = Integer.toString(q.id());
        Processes.run(Duration.ofSeconds(30), peer.toString(), "send", id, "5", "68690a")
                .assertExit(0);
        Processes.run(Duration.ofSeconds(30), peer.toString(), "send", id, "6", "-").assertExit(0);
        assertEquals(
                "5 68690a\n6 \n",
                ok("mq", "recv", "--key", key, "--count", "2", "--format", "hex").out());
        ok("mq", "send", "--key", key, "--type", "12", "--hex", "000100ff00");
        assertEquals(
                "12 5 000100ff00\n",
                Processes.run(
                                Duration.ofSeconds(30),
                                peer.toString(),
                                "recv",
                                id,
                                "0",
                                "100",
                                "nowait")
                        .assertExit(0)
                        .stdout());
        Optional<Message> none = q.tryReceive(Select.any(), 10);
        assertFalse(none.isPresent());
    }

    @Test
    void recv_struct_decodes_what_a_c_sender_laid_out() throws Exception {
        Path sender =
                Gcc.compileSource(
                        "mq_struct_sender",
                        """
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include <sys/msg.h>
                struct msg_st { long mtype; char name[32]; int math; int chinese; };
                int main(int argc, char **argv) {
                    struct msg_st m;
                    memset(&m, 0, sizeof m);
                    m.mtype = 7;
                    strcpy(m.name, argv[2]);
                    m.math = atoi(argv[3]);
                    m.chinese = atoi(argv[4]);
                    if (msgsnd(atoi(argv[1]), &m, sizeof m - sizeof(long), 0) < 0) { perror("msgsnd"); return 1; }
                    return 0;
                }
                """);
        String id = Integer.toString(q.id());
        String decl = "char name[32]; int math; int chinese;";
        Processes.run(Duration.ofSeconds(30), sender.toString(), id, "Zhang San", "90", "-85")
                .assertExit(0);
        Processes.run(Duration.ofSeconds(30), sender.toString(), id, "Li Si", "61", "77")
                .assertExit(0);
        assertEquals(
                "{\"type\":7,\"size\":40,\"hex\":\""
                        + "5a68616e672053616e"
                        + "00".repeat(23)
                        + "5a000000abffffff\","
                        + "\"fields\":{\"name\":\"Zhang San\",\"math\":90,\"chinese\":-85}}\n",
                ok("mq", "recv", "--id", id, "--struct", decl, "--format", "json").out());
        assertEquals(
                "7\tname=\"Li Si\" math=61 chinese=77\n",
                ok("mq", "recv", "--id", id, "--struct", decl).out());

        // a body longer than the struct: the fields, then the rest in hexadecimal (text) with a
        // warning;
        // json keeps every byte in "hex"
        String longer = "546f6d" + "00".repeat(29) + "5a000000" + "55000000" + "616263";
        String declaredDecl =
                io.jipc.struct.CStruct.parse(
                                decl,
                                io.jipc.struct.Packing.NATIVE,
                                java.nio.ByteOrder.nativeOrder())
                        .declaration();
        ok("mq", "send", "--id", id, "--type", "8", "--hex", longer);
        CliRunner.Run text = CliRunner.run("mq", "recv", "--id", id, "--struct", decl);
        assertEquals(0, text.exit(), text.err());
        assertEquals("8\tname=\"Tom\" math=90 chinese=85 (+3 bytes: 616263)\n", text.out());
        assertEquals(
                "jipc mq recv: warning: message of type 8 has 43 bytes, 3 more than the 40 of --struct \""
                        + declaredDecl
                        + "\"; the rest is printed in hexadecimal after the fields\n",
                text.err());
        ok("mq", "send", "--id", id, "--type", "8", "--hex", longer);
        CliRunner.Run whole =
                CliRunner.run("mq", "recv", "--id", id, "--struct", decl, "--format", "json");
        assertEquals(0, whole.exit(), whole.err());
        assertEquals(
                "{\"type\":8,\"size\":43,\"hex\":\""
                        + longer
                        + "\","
                        + "\"fields\":{\"name\":\"Tom\",\"math\":90,\"chinese\":85}}\n",
                whole.out());
        assertTrue(
                whole.err()
                        .endsWith(
                                "3 more than the 40 of --struct \""
                                        + declaredDecl
                                        + "\"; every byte is in \"hex\"\n"),
                whole.err());

        CliRunner.Run bad =
                CliRunner.run(
                        "mq",
                        "recv",
                        "--id",
                        id,
                        "--nowait",
                        "--struct",
                        "int;",
                        "--format",
                        "json");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("--struct") && bad.err().contains("column"), bad.err());
        CliRunner.Run hex =
                CliRunner.run(
                        "mq", "recv", "--id", id, "--nowait", "--struct", decl, "--format", "hex");
        assertEquals(2, hex.exit(), hex.err());

        // a body shorter than the struct is still delivered (undecoded, in hex), with a warning and
        // exit 1
        ok("mq", "send", "--id", id, "--type", "3", "--text", "short");
        ok("mq", "send", "--id", id, "--type", "4", "--text", "next");
        CliRunner.Run shortBody =
                CliRunner.run("mq", "recv", "--id", id, "--struct", decl, "--count", "2");
        assertEquals(1, shortBody.exit());
        assertEquals("3 73686f7274\n", shortBody.out(), "delivered, undecoded");
        assertEquals(
                "jipc mq recv: warning: message of type 3 has 5 bytes, fewer than the 40 of --struct \""
                        + declaredDecl
                        + "\"; printed undecoded, in hexadecimal\n",
                shortBody.err());
        assertEquals(
                1, q.status().messages(), "recv stopped there: the next message is still queued");
        CliRunner.Run json =
                CliRunner.run("mq", "recv", "--id", id, "--struct", decl, "--format", "json");
        assertEquals(1, json.exit());
        assertEquals("{\"type\":4,\"size\":4,\"hex\":\"6e657874\"}\n", json.out());
        assertEquals(0, q.status().messages());
    }
}
