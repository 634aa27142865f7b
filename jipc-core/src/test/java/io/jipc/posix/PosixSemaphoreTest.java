package io.jipc.posix;

import static io.jipc.posix.PosixTestNames.name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.NotFoundException;
import io.jipc.testkit.ThreadStates;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@link NamedSemaphore} and {@link UnnamedSemaphore} in one process. */
@ExtendWith(PosixTestNames.class)
class PosixSemaphoreTest {

    @Test
    void a_named_semaphore_counts_and_lives_in_dev_shm_with_exactly_the_mode_asked_for()
            throws Exception {
        String n = name("sem");
        try (NamedSemaphore s = NamedSemaphore.createExclusive(n, 0666, 2)) {
            assertTrue(s.created());
            assertEquals(2, s.value());
            assertTrue(s.tryAcquire());
            s.acquire();
            assertFalse(s.tryAcquire());
            assertFalse(s.tryAcquire(Duration.ofMillis(50)));
            s.release();
            assertTrue(s.tryAcquire(Duration.ofSeconds(5)));
            assertEquals(0, s.value());
            assertEquals(
                    "rw-rw-rw-",
                    java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(NamedSemaphore.file(n))),
                    "the umask is not applied");
            s.unlink();
            assertFalse(Files.exists(NamedSemaphore.file(n)));
            s.release();
            assertEquals(1, s.value(), "an unlinked semaphore works for its holders");
        }
    }

    @Test
    void create_sets_the_value_only_when_it_creates() throws Exception {
        String n = name("sem");
        try (NamedSemaphore a = NamedSemaphore.create(n, 0600, 3);
                NamedSemaphore b = NamedSemaphore.create(n, 0600, 7);
                NamedSemaphore c = NamedSemaphore.open(n)) {
            assertTrue(a.created());
            assertFalse(b.created());
            assertEquals(3, c.value());
            b.acquire();
            assertEquals(2, a.value(), "one semaphore");
            a.unlink();
        }
    }

    @Test
    void errors_and_bad_input() throws Exception {
        String n = name("sem");
        NotFoundException nf = assertThrows(NotFoundException.class, () -> NamedSemaphore.open(n));
        assertEquals(
                "sem_open("
                        + n
                        + "): ENOENT (No such file or directory): no semaphore has this name"
                        + " (create it first)",
                nf.getMessage());
        try (NamedSemaphore s = NamedSemaphore.createExclusive(n, 0600, 0)) {
            AlreadyExistsException ae =
                    assertThrows(
                            AlreadyExistsException.class,
                            () -> NamedSemaphore.createExclusive(n, 0600, 0));
            assertEquals(Errno.EEXIST, ae.errno());
            s.unlink();
        }
        assertThrows(NotFoundException.class, () -> NamedSemaphore.unlink(n));
        for (String bad : List.of("sem", "/a/b", "/", "/" + "x".repeat(252))) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> NamedSemaphore.create(bad, 0600, 1));
            assertTrue(e.getMessage().startsWith("name="), e.getMessage());
        }
        assertThrows(
                IllegalArgumentException.class, () -> NamedSemaphore.create(name("sem"), 0600, -1));
    }

    @Test
    void a_closed_semaphore_is_an_illegal_state_and_close_waits_for_no_one() throws Exception {
        String n = name("sem");
        NamedSemaphore s = NamedSemaphore.createExclusive(n, 0600, 0);
        try {
            CompletableFuture<Throwable> waiter = new CompletableFuture<>();
            Thread t =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try {
                                            s.acquire();
                                            waiter.complete(null);
                                        } catch (Throwable e) {
                                            waiter.complete(e);
                                        }
                                    });
            ThreadStates.awaitAnyInSyscall(ProcessHandle.current().pid(), 202, s.sem().address());
            IllegalStateException busy = assertThrows(IllegalStateException.class, s::close);
            assertTrue(
                    busy.getMessage().contains("in use by a call in another thread"),
                    busy.getMessage());
            s.release();
            assertEquals(null, waiter.get(10, TimeUnit.SECONDS));
            t.join();
            s.close();
            s.close();
            assertFalse(s.isOpen());
            IllegalStateException closed = assertThrows(IllegalStateException.class, s::release);
            assertEquals("semaphore " + n + " is closed", closed.getMessage());
        } finally {
            NamedSemaphore.unlink(n);
        }
    }

    @Test
    void posting_past_sem_value_max_is_eoverflow() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(UnnamedSemaphore.SIZE, UnnamedSemaphore.ALIGNMENT);
            UnnamedSemaphore s = UnnamedSemaphore.init(mem, 0, PosixSemaphore.MAX_VALUE);
            IpcException e = assertThrows(IpcException.class, s::release);
            assertEquals(Errno.EOVERFLOW, e.errno());
            assertTrue(e.getMessage().contains("SEM_VALUE_MAX = 2147483647"), e.getMessage());
            s.destroy();
        }
    }

    @Test
    void an_unnamed_semaphore_checks_its_place_and_dies_with_its_memory() throws Exception {
        Arena arena = Arena.ofShared();
        MemorySegment mem = arena.allocate(64, 8);
        assertThrows(
                IllegalArgumentException.class,
                () -> UnnamedSemaphore.init(mem, 4, 0),
                "misaligned");
        assertThrows(
                IllegalArgumentException.class,
                () -> UnnamedSemaphore.init(mem, 40, 0),
                "does not fit");
        assertThrows(
                IllegalArgumentException.class,
                () -> UnnamedSemaphore.init(mem.asReadOnly(), 0, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> UnnamedSemaphore.init(MemorySegment.ofArray(new long[8]), 0, 0));
        UnnamedSemaphore s = UnnamedSemaphore.init(mem, 32, 1);
        UnnamedSemaphore same = UnnamedSemaphore.at(mem, 32);
        assertTrue(same.tryAcquire());
        assertFalse(s.tryAcquire());
        s.release();
        assertEquals(1, same.value());
        arena.close();
        IllegalStateException gone = assertThrows(IllegalStateException.class, s::release);
        assertTrue(
                gone.getMessage().endsWith("the memory it is in is unmapped"), gone.getMessage());
        same.close();
        assertThrows(IllegalStateException.class, same::value);
    }
}
