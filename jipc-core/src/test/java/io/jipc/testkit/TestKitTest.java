package io.jipc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.internal.linux.SysV;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The multi-process test kit itself. */
class TestKitTest {

    /** A child main: prints its arguments and exits with the first one. */
    public static final class Echo {
        private Echo() {
        }

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
        private Sleeper() {
        }

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

    @Test
    void a_child_jvm_runs_a_test_main_and_its_output_is_captured() {
        Processes.Result r = ChildJvm.run(Duration.ofSeconds(30), Echo.class, "7", "hello", "child");
        r.assertExit(7);
        assertEquals("hello child\n", r.stdout());
        assertEquals("to stderr\n", r.stderr());
    }

    @Test
    void a_wait_is_bounded_and_the_failure_shows_the_output() {
        try (Processes.Child c = ChildJvm.start(Sleeper.class)) {
            AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> c.await(Duration.ofMillis(300)));
            assertTrue(e.getMessage().contains("did not finish within"), e.getMessage());
            assertTrue(e.getMessage().contains("--- stdout ---"), e.getMessage());
        }
    }

    @Test
    void a_wrong_exit_code_fails_with_the_childs_output() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> ChildJvm.run(Duration.ofSeconds(30), Echo.class, "3", "visible").assertExit(0));
        assertTrue(e.getMessage().contains("expected exit 0 but got 3"), e.getMessage());
        assertTrue(e.getMessage().contains("visible"), e.getMessage());
    }

    @Test
    void gcc_compiles_and_runs_a_c_peer() {
        String out = Processes.run(Duration.ofSeconds(30), Gcc.compileSource("hello",
                "#include <stdio.h>\nint main(void){puts(\"from C\");return 0;}\n").toString())
                .assertExit(0).stdout();
        assertEquals("from C\n", out);
    }

    @Test
    void the_snapshot_sees_an_object_appear_and_go() {
        SysvSnapshot before = SysvSnapshot.take();
        int key = TestKeys.unused();
        int id = SysV.semget(key, 1, SysV.IPC_CREAT | 0600);
        assertTrue(id >= 0);
        try {
            assertEquals(List.of(String.format("sem 0x%08x id=%d", key, id)), SysvSnapshot.take().createdSince(before));
        } finally {
            assertEquals(0, SysV.semctl(id, 0, SysV.IPC_RMID, 0));
        }
        assertEquals(List.of(), SysvSnapshot.take().createdSince(before));
    }
}
