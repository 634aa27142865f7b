package io.jipc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.internal.linux.SysV;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.time.Duration;
import java.util.List;

/** The multi-process test kit itself. */
class TestKitTest {

    /** A child main: prints its arguments and exits with the first one. */
    public static final class Echo {
        private Echo() {}

        /**
         * Entry point.
         *
         * @param args exit code, then words to print
         */
        public static void main(String[] args) {
            System.out.println(String.join(" ", List.of(args).subList(1, args.length)));
            System.err.println("to stderr");
            System.exit(Integer.parseInt(args[0]));
        }
    }

    /** A child main that never ends by itself. */
    public static final class Sleeper {
        private Sleeper() {}

        /**
         * Entry point.
         *
         * @param args ignored
         * @throws InterruptedException never expected
         */
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** A child main that asks Suite which objects are the suite's, as an unsealed run would. */
    public static final class MadeProbe {
        private MadeProbe() {}

        /**
         * Entry point: prints whether Suite counts each object as the suite's.
         *
         * @param args ignored
         * @throws Exception on failure
         */
        public static void main(String[] args) throws Exception {
            int keyed = SysV.msgget(TestKeys.unused(), SysV.IPC_CREAT | 0600);
            int silent = SysV.msgget(SysV.IPC_PRIVATE, SysV.IPC_CREAT | 0600);
            // made by a process the kit did not start, never used: nothing ties it to the suite
            Process other = new ProcessBuilder("ipcmk", "-Q").start();
            String line = new String(other.getInputStream().readAllBytes()).trim();
            other.waitFor();
            int foreign = Integer.parseInt(line.replaceAll("\\D+", " ").trim().split(" ")[0]);
            System.out.println(
                    String.join(
                            " ",
                            made("msg", keyed),
                            made("msg", silent),
                            made("msg", foreign),
                            Suite.sealing()));
            for (int id : new int[] {keyed, silent, foreign}) {
                SysV.msgctl(id, SysV.IPC_RMID, java.lang.foreign.MemorySegment.NULL);
            }
        }

        private static String made(String kind, int id) {
            return SysvSnapshot.take().objects().stream()
                    .filter(o -> o.startsWith(kind + " ") && o.endsWith(" id=" + id))
                    .map(o -> Boolean.toString(Suite.made(o)))
                    .findFirst()
                    .orElse("missing");
        }
    }

    /** A child main that prints how Suite judges its sealing. */
    public static final class SealingProbe {
        private SealingProbe() {}

        /**
         * Entry point: prints {@link Suite#sealing()}.
         *
         * @param args ignored
         */
        public static void main(String[] args) {
            System.out.println(Suite.sealing());
        }
    }

    @Test
    void the_sealed_variable_alone_is_not_believed() throws Exception {
        // As an IDE run that copied the build's variables: the same IPC namespace as its parent.
        String mine =
                java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/ipc"))
                        .toString();
        java.util.Map<String, String> copied =
                java.util.Map.of("JIPC_TEST_SEALED", "ipc+mount", "JIPC_TEST_HOST_IPC", "ipc:[1]");
        try (Processes.Child c =
                Processes.start(ChildJvm.command(SealingProbe.class), copied, null)) {
            assertEquals(
                    "none\n",
                    c.await(Duration.ofSeconds(60)).assertExit(0).stdout(),
                    "this JVM's namespace " + mine + " is the child's too: " + c.describe());
        }
        // In a namespace of its own, made by unshare: believed.
        List<String> own = Namespaces.inPrivateIpc(ChildJvm.command(SealingProbe.class));
        try (Processes.Child c =
                Processes.start(
                        own,
                        java.util.Map.of("JIPC_TEST_SEALED", "ipc", "JIPC_TEST_HOST_IPC", mine),
                        null)) {
            assertEquals(
                    "ipc\n", c.await(Duration.ofSeconds(60)).assertExit(0).stdout(), c.describe());
        }
    }

    @Test
    void unsealed_the_leak_guard_claims_only_what_the_suite_made() {
        // In a namespace of its own (so that ipcmk's queue is the only foreign one), unsealed by
        // JIPC_TEST_SEALED.
        java.util.List<String> cmd = Namespaces.inPrivateIpc(ChildJvm.command(MadeProbe.class));
        try (Processes.Child c =
                Processes.start(cmd, java.util.Map.of("JIPC_TEST_SEALED", "none"), null)) {
            assertEquals(
                    "true false false none\n",
                    c.await(Duration.ofSeconds(60)).assertExit(0).stdout(),
                    "a test key is the suite's; an unused private queue and another process's queue are not");
        }
    }

    @Test
    void a_child_jvm_runs_a_test_main_and_its_output_is_captured() {
        Processes.Result r =
                ChildJvm.run(Duration.ofSeconds(30), Echo.class, "7", "hello", "child");
        r.assertExit(7);
        assertEquals("hello child\n", r.stdout());
        assertEquals("to stderr\n", r.stderr());
    }

    @Test
    void a_wait_is_bounded_and_the_failure_shows_the_output() {
        try (Processes.Child c = ChildJvm.start(Sleeper.class)) {
            AssertionFailedError e =
                    assertThrows(AssertionFailedError.class, () -> c.await(Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("did not finish within"), e.getMessage());
            assertTrue(e.getMessage().contains("--- stdout ---"), e.getMessage());
        }
    }

    @Test
    void a_wrong_exit_code_fails_with_the_childs_output() {
        AssertionFailedError e =
                assertThrows(
                        AssertionFailedError.class,
                        () ->
                                ChildJvm.run(Duration.ofSeconds(30), Echo.class, "3", "visible")
                                        .assertExit(0));
        assertTrue(e.getMessage().contains("expected exit 0 but got 3"), e.getMessage());
        assertTrue(e.getMessage().contains("visible"), e.getMessage());
    }

    @Test
    void gcc_compiles_and_runs_a_c_peer() {
        String out =
                Processes.run(
                                Duration.ofSeconds(30),
                                Gcc.compileSource(
                                                "hello",
                                                "#include <stdio.h>\nint main(void){puts(\"from C\");return 0;}\n")
                                        .toString())
                        .assertExit(0)
                        .stdout();
        assertEquals("from C\n", out);
    }

    @Test
    void the_snapshot_sees_an_object_appear_and_go() {
        SysvSnapshot before = SysvSnapshot.take();
        int key = TestKeys.unused();
        int id = SysV.semget(key, 1, SysV.IPC_CREAT | 0600);
        assertTrue(id >= 0);
        try {
            assertEquals(
                    List.of(String.format("sem 0x%08x id=%d", key, id)),
                    SysvSnapshot.take().createdSince(before));
        } finally {
            assertEquals(0, SysV.semctl(id, 0, SysV.IPC_RMID, 0));
        }
        assertEquals(List.of(), SysvSnapshot.take().createdSince(before));
    }

    @Test
    void the_test_jvm_runs_in_an_ipc_namespace_the_build_made_for_it() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Suite.sealed(),
                "not sealed here (JIPC_TEST_SEALED="
                        + Suite.sealing()
                        + "): started outside the build, or the machine allows no namespace");
        if (Suite.sealing().equals("ipc")) {
            // unprivileged: a user namespace that maps this user alone (the host's maps every uid),
            // whose namespaces the host's processes' /proc links cannot be compared with
            String map =
                    String.join(
                            "\n",
                            java.nio.file.Files.readAllLines(
                                    java.nio.file.Path.of("/proc/self/uid_map")));
            assertTrue(map.trim().matches("(\\d+)\\s+\\d+\\s+1"), "one uid mapped: " + map);
            return;
        }
        java.nio.file.Path mine = java.nio.file.Path.of("/proc/self/ns/ipc");
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        java.nio.file.Path theirs = java.nio.file.Path.of("/proc/" + parent + "/ns/ipc");
        org.junit.jupiter.api.Assertions.assertNotEquals(
                java.nio.file.Files.readSymbolicLink(theirs),
                java.nio.file.Files.readSymbolicLink(mine),
                "the IPC namespace of Surefire's shell is not ours");
        if (Suite.sealing().equals("ipc+mount")) {
            String mounts =
                    String.join(
                            "\n",
                            java.nio.file.Files.readAllLines(
                                    java.nio.file.Path.of("/proc/self/mountinfo")));
            assertTrue(
                    mounts.contains(" /dev/shm ") && mounts.contains("jipc-test-shm"),
                    "a private /dev/shm: " + mounts);
        }
    }
}
