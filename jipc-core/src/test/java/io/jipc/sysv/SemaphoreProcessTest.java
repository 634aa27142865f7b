package io.jipc.sysv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jipc.IpcKey;
import io.jipc.testkit.ChildJvm;
import io.jipc.testkit.Processes;
import io.jipc.testkit.TestKeys;
import io.jipc.testkit.ThreadStates;
import io.jipc.testkit.Unprivileged;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** SemaphoreSet between real processes: child JVMs racing, dying, waiting under signals. */
class SemaphoreProcessTest {

    private static String stdout(Processes.Child c) {
        try {
            return Files.readString(c.stdout());
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void racing_processes_initialise_the_set_exactly_once() throws Exception {
        int racers = 4;
        IpcKey key = IpcKey.of(TestKeys.unused());
        SemaphoreSet gate = SemaphoreSet.createPrivate(0600, 1, 1);
        List<Processes.Child> children = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                children.add(
                        ChildJvm.start(
                                SemChild.class,
                                "race",
                                key.toString(),
                                Integer.toString(gate.id())));
            }
            // Release them together once every one waits at the gate.
            ThreadStates.await(
                    () -> {
                        try {
                            return gate.waitingForZero(0) == racers;
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    },
                    () -> "all racers wait at the gate");
            gate.set(0, 0);
            int creators = 0;
            for (Processes.Child c : children) {
                Processes.Result r = c.await(Duration.ofSeconds(60)).assertExit(0);
                creators += r.stdout().contains("created=true") ? 1 : 0;
            }
            assertEquals(1, creators, "exactly one process creates the set");
            SemaphoreSet s = SemaphoreSet.open(key);
            try {
                assertArrayEquals(
                        new int[] {100 - racers, 7},
                        s.getAll(),
                        "initial values set once, before anyone's down: no reset after a decrement");
            } finally {
                s.remove();
            }
        } finally {
            children.forEach(Processes.Child::close);
            gate.remove();
        }
    }

    @Test
    void a_lock_holder_killed_with_SIGKILL_releases_the_lock() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1, 1);
        try (Processes.Child holder =
                ChildJvm.start(SemChild.class, "hold", Integer.toString(s.id()))) {
            ThreadStates.await(
                    () -> stdout(holder).startsWith("held"), () -> "the child holds the lock");
            assertEquals(0, s.get(0));
            assertEquals(holder.process().pid(), s.lastPid(0));
            SemaphoreLock lock = SemaphoreLock.on(s, 0);
            assertTrue(lock.tryLock().isEmpty(), "held by the child");
            holder.process()
                    .destroyForcibly(); // SIGKILL: no Java code runs, only the kernel's undo
            assertTrue(holder.process().waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, holder.process().exitValue(), "killed by SIGKILL");
            Optional<SemaphoreLock.Held> held = lock.tryLock(Duration.ofSeconds(30));
            assertTrue(held.isPresent(), "the kernel undid the dead holder's down");
            held.get().close();
            assertEquals(1, s.get(0));
        } finally {
            s.remove();
        }
    }

    /**
     * The task (thread) of a process that is inside a given syscall, from
     * /proc/PID/task/TID/syscall.
     */
    private static Optional<Path> taskInSyscall(long pid, int nr) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    List<String> line = Files.readAllLines(t.resolve("syscall"));
                    if (!line.isEmpty() && line.get(0).startsWith(nr + " ")) {
                        return Optional.of(t);
                    }
                } catch (IOException gone) {
                    // thread ended meanwhile
                }
            }
        }
        return Optional.empty();
    }

    private static long voluntarySwitches(Path task) throws IOException {
        return Files.readAllLines(task.resolve("status")).stream()
                .filter(l -> l.startsWith("voluntary_ctxt_switches:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void semtimedop_keeps_its_timeout_under_a_stream_of_signals_to_the_waiting_thread()
            throws Exception {
        assumeTrue(
                Files.isReadable(Path.of("/proc/self/syscall")),
                "/proc/PID/task/TID/syscall not readable");
        long timeoutMillis = 1500;
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1, 0);
        try (Processes.Child waiter =
                ChildJvm.start(
                        SemChild.class,
                        "timed",
                        Integer.toString(s.id()),
                        Long.toString(timeoutMillis))) {
            long pid = waiter.process().pid();
            Path[] task = new Path[1];
            ThreadStates.await(
                    () -> {
                        try {
                            task[0] = taskInSyscall(pid, 220).orElse(null);
                            return task[0] != null;
                        } catch (IOException e) {
                            return false;
                        }
                    },
                    () -> "the child's thread is in semtimedop (syscall 220)");
            String tid = task[0].getFileName().toString();
            long switchesBefore = voluntarySwitches(task[0]);
            // SIGPIPE: HotSpot installs a handler that ignores it, so the JVM survives, yet a
            // handler
            // runs on the waiting thread and semtimedop returns EINTR. kill(2) on a TID prefers
            // that
            // thread when it does not block the signal.
            int sent = 0;
            while (waiter.process().isAlive() && !stdout(waiter).contains("done=")) {
                Processes.Result k =
                        Processes.run(Duration.ofSeconds(10), "kill", "-s", "PIPE", tid);
                if (k.exitCode() != 0) {
                    break; // the thread is gone
                }
                sent++;
                Thread.sleep(10);
                if (sent == 20) {
                    assertTrue(
                            voluntarySwitches(task[0]) - switchesBefore >= 5,
                            "the signals wake the waiting thread (its voluntary switches grow)");
                }
            }
            Processes.Result r = waiter.await(Duration.ofSeconds(60)).assertExit(0);
            assertTrue(sent >= 20, "signals sent during the wait: " + sent);
            String line =
                    r.stdout().lines().filter(l -> l.startsWith("done=")).findFirst().orElseThrow();
            assertTrue(line.startsWith("done=false "), line);
            long elapsed = Long.parseLong(line.substring(line.indexOf("elapsedNanos=") + 13));
            assertTrue(
                    elapsed >= TimeUnit.MILLISECONDS.toNanos(timeoutMillis),
                    "a signal must not shorten the wait: " + elapsed + " ns, " + sent + " signals");
            assertTrue(
                    elapsed
                            < TimeUnit.MILLISECONDS.toNanos(timeoutMillis)
                                    + TimeUnit.SECONDS.toNanos(20),
                    "nor lengthen it beyond scheduling slack (hang detector): " + elapsed + " ns");
            System.out.printf(
                    "semtimedop %d ms under %d SIGPIPEs returned after %.1f ms%n",
                    timeoutMillis, sent, elapsed / 1e6);
        } finally {
            s.remove();
        }
    }

    @Test
    void an_unprivileged_process_gets_PermissionDeniedException() throws Exception {
        Unprivileged.assumeAvailable();
        SemaphoreSet s = SemaphoreSet.createPrivate(0604, 1, 0);
        try {
            List<String> cmd =
                    Unprivileged.java(SemChild.class, "denied", Integer.toString(s.id()));
            Processes.Result r;
            try (Processes.Child c = Processes.start(cmd, Map.of(), null)) {
                r = c.await(Duration.ofSeconds(60)).assertExit(0);
            }
            assertTrue(
                    r.stdout().startsWith("denied semop(semid " + s.id() + "): EACCES"),
                    r.stdout());
            assertFalse(r.stdout().contains("allowed"));
            assertEquals(0, s.get(0));
        } finally {
            s.remove();
        }
    }
}
