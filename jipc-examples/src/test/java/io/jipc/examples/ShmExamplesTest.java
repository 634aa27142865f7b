package io.jipc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Gcc;
import io.jipc.testkit.Processes;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The shm parent/child pair in every mix of Java and C (the leak checker sees the removal). */
class ShmExamplesTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static Path cParent;
    private static Path cChild;

    @BeforeAll
    static void compile() {
        cParent = Gcc.compileResource("io/jipc/examples/c/shm_parent.c");
        cChild = Gcc.compileResource("io/jipc/examples/c/shm_child.c");
    }

    private static String run(List<String> command) {
        try (Processes.Child c = Processes.start(command)) {
            return c.await(WAIT).assertExit(0).stdout();
        }
    }

    private static void assertExchange(String out, String who) {
        assertTrue(
                Pattern.compile(
                                "(?s).*parent: created shmid (\\d+).*child: wrote \"Hello from the "
                                        + who
                                        + " child, pid \\d+\" into shmid \\1\n.*parent: the child wrote: Hello from the "
                                        + who
                                        + " child, pid \\d+\nparent: removed shmid \\1\n")
                        .matcher(out)
                        .matches(),
                out);
    }

    @Test
    void java_parent_and_java_child() {
        assertExchange(run(ChildJvm.command(ShmParent.class)), "Java");
    }

    @Test
    void java_parent_and_c_child() {
        assertExchange(run(ChildJvm.command(ShmParent.class, cChild.toString())), "C");
    }

    @Test
    void c_parent_and_java_child() {
        List<String> cmd = new ArrayList<>(List.of(cParent.toString()));
        cmd.addAll(ChildJvm.command(ShmChild.class));
        assertExchange(run(cmd), "Java");
    }

    @Test
    void c_parent_and_c_child_and_the_forking_c_parent() {
        assertExchange(run(List.of(cParent.toString(), cChild.toString())), "C");
        assertExchange(run(List.of(cParent.toString())), "C");
    }

    @Test
    void both_are_registered() {
        assertTrue(Examples.named("shm-parent").orElseThrow() instanceof ShmParent);
        assertTrue(Examples.named("shm-child").orElseThrow() instanceof ShmChild);
    }
}
