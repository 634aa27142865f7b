package com.example.consumer;

import io.jipc.pipe.Child;
import io.jipc.pipe.ExitStatus;
import io.jipc.pipe.Pipe;
import io.jipc.pipe.Spawn;
import io.jipc.sysv.Message;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.Select;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A program that depends on the installed io.jipc:jipc-core, run by this project's build on the
 * module path and on the class path: a System V queue round trip and a pipe to a child process.
 * With {@code no-native-access} it checks instead that jipc, denied native access, says which flag
 * to add. Exits with 1 (and says why) when anything is not as expected.
 */
public final class Main {
    private Main() {}

    /**
     * Entry point.
     *
     * @param args {@code module-path}, {@code class-path} or {@code no-native-access}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String mode = args.length == 1 ? args[0] : "?";
        Module jipc = MessageQueue.class.getModule();
        switch (mode) {
            case "module-path", "no-native-access" ->
                    require(
                            "io.jipc".equals(jipc.getName()),
                            "jipc should be the named module io.jipc here, not " + jipc);
            case "class-path" ->
                    require(!jipc.isNamed(), "jipc should be on the class path here, not " + jipc);
            default -> require(false, "usage: Main module-path|class-path|no-native-access");
        }
        if (mode.equals("no-native-access")) {
            try {
                MessageQueue.createPrivate(0600).remove();
                require(false, "a call without native access succeeded");
            } catch (IllegalCallerException e) {
                String expected =
                        "jipc needs native access, which this JVM denies to module io.jipc:"
                                + " add --enable-native-access=io.jipc to the java command line.";
                require(
                        expected.equals(e.getMessage()),
                        "expected \"" + expected + "\", got: " + e);
                System.out.println("consumer ok (no-native-access): " + e.getMessage());
            }
            return;
        }

        // A queue round trip.
        MessageQueue q = MessageQueue.createPrivate(0600);
        try {
            q.send(7, "ping".getBytes(StandardCharsets.UTF_8));
            Message m = q.receive(Select.any(), 64);
            require(
                    m.type() == 7 && new String(m.body(), StandardCharsets.UTF_8).equals("ping"),
                    "received " + m);
        } finally {
            q.remove();
        }

        // A pipe to a child process and one back.
        try (Pipe in = Pipe.open();
                Pipe out = Pipe.open()) {
            Child child =
                    Spawn.of("tr", "a-z", "A-Z").stdin(in.source()).stdout(out.sink()).start();
            in.source().close();
            out.sink().close();
            in.sink().write(ByteBuffer.wrap("hello from java\n".getBytes(StandardCharsets.UTF_8)));
            in.sink().close();
            String back =
                    new String(out.source().inputStream().readAllBytes(), StandardCharsets.UTF_8);
            ExitStatus status = child.waitFor(Duration.ofSeconds(30)).orElseThrow();
            require(
                    status.success() && back.equals("HELLO FROM JAVA\n"),
                    "child " + status + " said: " + back);
        }
        System.out.println(
                "consumer ok ("
                        + mode
                        + "): queue round trip and pipe to a child, jipc "
                        + (jipc.isNamed() ? "module " + jipc.getName() : "on the class path"));
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            System.err.println("consumer FAILED: " + problem);
            System.exit(1);
        }
    }
}
