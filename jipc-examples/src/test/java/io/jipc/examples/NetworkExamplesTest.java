package io.jipc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network examples against their C twins, both directions, on loopback only (127.0.0.1, the
 * loopback broadcast address 127.255.255.255, and a multicast group joined on {@code lo}). Every
 * receiver binds port 0 and prints the port it got, so runs never collide.
 */
class NetworkExamplesTest {
    static final Duration LONG = Duration.ofSeconds(60);
    private static final Pattern PORT = Pattern.compile(":(\\d+)( with|\\n)");

    static String c(String name) {
        return Gcc.compileResource("io/jipc/examples/c/" + name + ".c").toString();
    }

    static List<String> java(Class<?> main, String... args) {
        return ChildJvm.command(main, args);
    }

    static List<String> cmd(String program, String... args) {
        List<String> l = new ArrayList<>(List.of(program));
        l.addAll(List.of(args));
        return l;
    }

    /** Waits until the passive end printed the port it bound, and returns it. */
    static String awaitPort(Processes.Child c) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.readString(c.stdout());
            Matcher m = PORT.matcher(out);
            if (out.contains("listening") && m.find()) {
                return m.group(1);
            }
            if (!c.process().isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the receiver never said where it listens: " + c.describe());
    }

    /** A receiver for two messages, then a Java and a C sender; returns the receiver's output. */
    static String exchange(List<String> receiver, List<String> javaSender, List<String> cSender)
            throws Exception {
        try (Processes.Child r = Processes.start(receiver)) {
            String port = awaitPort(r);
            List<String> j = new ArrayList<>(javaSender);
            j.add(j.indexOf("PORT"), port);
            j.remove("PORT");
            List<String> k = new ArrayList<>(cSender);
            k.add(k.indexOf("PORT"), port);
            k.remove("PORT");
            String js = Processes.run(LONG, j.toArray(String[]::new)).assertExit(0).stdout();
            assertTrue(js.startsWith("sender: sent 18 bytes to "), js);
            String cs = Processes.run(LONG, k.toArray(String[]::new)).assertExit(0).stdout();
            assertTrue(cs.startsWith("sender: sent 16 bytes to "), cs);
            return r.await(LONG).assertExit(0).stdout();
        }
    }

    static void assertReceivedBoth(String out) {
        assertTrue(
                out.contains("receiver: name=Zhang San math=90 chinese=85 from 127.0.0.1\n"), out);
        assertTrue(
                out.contains("receiver: name=Li Si C math=4294967295 chinese=0 from 127.0.0.1\n"),
                out);
    }

    private void udpBothWays(Class<?> jr, Class<?> js, String cr, String cs, String... extra)
            throws Exception {
        List<String> jSend = new ArrayList<>(java(js, "PORT", "Zhang San", "90", "85"));
        jSend.addAll(List.of(extra));
        List<String> cSend = cmd(c(cs), "PORT", "Li Si C", "4294967295", "0");
        cSend.addAll(List.of(extra));
        List<String> jRecv = new ArrayList<>(java(jr, "0", "2"));
        List<String> cRecv = cmd(c(cr), "0", "2");
        jRecv.addAll(List.of(extra));
        cRecv.addAll(List.of(extra));
        assertReceivedBoth(exchange(jRecv, jSend, cSend));
        assertReceivedBoth(exchange(cRecv, jSend, cSend));
    }

    @Test
    void udp_receiver_and_sender_interoperate_with_their_c_twins_both_ways() throws Exception {
        udpBothWays(UdpReceiver.class, UdpSender.class, "udp_receiver", "udp_sender");
    }

    @Test
    void udp_broadcast_on_the_loopback_network_reaches_java_and_c_receivers() throws Exception {
        udpBothWays(
                BroadcastReceiver.class,
                BroadcastSender.class,
                "broadcast_receiver",
                "broadcast_sender");
    }

    @Test
    void udp_multicast_on_lo_reaches_java_and_c_members_of_the_group() throws Exception {
        udpBothWays(
                MulticastReceiver.class,
                MulticastSender.class,
                "multicast_receiver",
                "multicast_sender",
                "239.0.0." + (100 + (int) (ProcessHandle.current().pid() % 100)));
    }
}
