package io.jipc.sysv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipc.AlreadyExistsException;
import io.jipc.Errno;
import io.jipc.IpcException;
import io.jipc.IpcKey;
import io.jipc.Limit;
import io.jipc.LimitExceededException;
import io.jipc.NotFoundException;
import io.jipc.RemovedException;
import io.jipc.internal.linux.Native;
import io.jipc.internal.linux.SysV;
import io.jipc.testkit.TestKeys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** SemaphoreSet against the real kernel, within this process (threads as the other parties). */
class SemaphoreSetTest {

    private static void await(String what, BooleanSupplier condition) {
        io.jipc.testkit.ThreadStates.await(condition, () -> what);
    }

    private static int ncnt(SemaphoreSet s, int i) {
        try {
            return s.waitingForIncrease(i);
        } catch (IpcException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void createExclusive_sets_the_values_once_and_marks_the_set_initialised() throws Exception {
        IpcKey key = IpcKey.of(TestKeys.unused());
        SemaphoreSet s = SemaphoreSet.createExclusive(key, 0640, 3, 1, 0, 5);
        try {
            assertTrue(s.created());
            assertEquals(3, s.size());
            assertEquals(key, s.key());
            assertArrayEquals(new int[] {1, 0, 5}, s.getAll());
            SemaphoreSetStatus st = s.status();
            assertEquals(s.id(), st.id());
            assertEquals(3, st.size());
            assertEquals(key, st.permissions().key());
            assertEquals(0640, st.permissions().permissionBits());
            assertTrue(st.initialised(), "the creator's marker semop sets sem_otime");
            assertTrue(Duration.between(st.lastChange(), Instant.now()).abs().toSeconds() < 60);
            AlreadyExistsException e =
                    assertThrows(
                            AlreadyExistsException.class,
                            () -> SemaphoreSet.createExclusive(key, 0600, 3, 9, 9, 9));
            assertEquals(Errno.EEXIST, e.errno());
            assertArrayEquals(new int[] {1, 0, 5}, s.getAll(), "a losing creator set nothing");

            SemaphoreSet opened = SemaphoreSet.open(key);
            assertFalse(opened.created());
            assertEquals(s.id(), opened.id());
            assertEquals(3, opened.size());
            SemaphoreSet again = SemaphoreSet.create(key, 0600, 3, 7, 7, 7);
            assertFalse(again.created());
            assertArrayEquals(
                    new int[] {1, 0, 5},
                    again.getAll(),
                    "create on an initialised set keeps its values");
            assertEquals(key, SemaphoreSet.ofId(s.id()).key());
        } finally {
            s.remove();
        }
        NotFoundException gone =
                assertThrows(NotFoundException.class, () -> SemaphoreSet.open(key));
        assertTrue(gone.getMessage().contains("no semaphore set has this key"), gone.getMessage());
        assertThrows(NotFoundException.class, s::remove);
    }

    @Test
    void an_opener_waits_for_the_creator_to_initialise_and_times_out_with_a_clear_message()
            throws Exception {
        int key = TestKeys.unused();
        // A creator caught between semget and its first semop: the set exists, sem_otime is 0.
        int id = SysV.semget(key, 1, SysV.IPC_CREAT | SysV.IPC_EXCL | 0600);
        assertTrue(id >= 0, "semget " + id);
        try {
            IpcException timeout =
                    assertThrows(
                            IpcException.class,
                            () ->
                                    SemaphoreSet.openInitialised(
                                            IpcKey.of(key), Duration.ofMillis(150)));
            assertNull(timeout.errno());
            assertTrue(
                    timeout.getMessage()
                            .contains("was not initialised within PT0.15S (sem_otime is still 0)"),
                    timeout.getMessage());
            assertThrows(
                    IpcException.class,
                    () -> SemaphoreSet.create(IpcKey.of(key), 0600, 1, Duration.ofMillis(50), 3));

            CompletableFuture<SemaphoreSet> opener = new CompletableFuture<>();
            Thread openerThread =
                    Thread.ofPlatform()
                            .start(
                                    () -> {
                                        try {
                                            opener.complete(
                                                    SemaphoreSet.create(
                                                            IpcKey.of(key),
                                                            0600,
                                                            1,
                                                            Duration.ofSeconds(20),
                                                            99));
                                        } catch (Throwable e) {
                                            opener.completeExceptionally(e);
                                        }
                                    });
            // it found the set, saw sem_otime 0 and pauses between looks (a timed park)
            io.jipc.testkit.ThreadStates.awaitState(openerThread, Thread.State.TIMED_WAITING);
            assertFalse(opener.isDone(), "the opener must wait while sem_otime is 0");
            // The creator finishes: SETVAL, then a semop.
            assertEquals(0, SysV.semctl(id, 0, SysV.SETVAL, 3));
            MemorySegment op = Native.scratch(6);
            op.set(ValueLayout.JAVA_SHORT, 0, (short) 0);
            op.set(ValueLayout.JAVA_SHORT, 2, (short) 1);
            op.set(ValueLayout.JAVA_SHORT, 4, (short) 0);
            assertEquals(0, SysV.semop(id, op, 1));
            SemaphoreSet s = opener.get(20, TimeUnit.SECONDS);
            assertFalse(s.created());
            assertEquals(id, s.id());
            assertEquals(4, s.get(0), "the opener saw the creator's value and did not set its own");
        } finally {
            SysV.semctl(id, 0, SysV.IPC_RMID, 0);
        }
    }

    @Test
    void atomic_multi_op_tryOp_and_waiter_counts() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 3, 1, 0, 0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            assertEquals(IpcKey.PRIVATE, s.key());
            // Both or nothing: sem 1 is 0, so the down on sem 0 must not happen either.
            assertFalse(s.tryOp(SemOp.down(0), SemOp.down(1)));
            assertArrayEquals(new int[] {1, 0, 0}, s.getAll());
            assertTrue(s.op(SemOp.down(0), SemOp.up(1), SemOp.up(2, 4)));
            assertArrayEquals(new int[] {0, 1, 4}, s.getAll());
            assertEquals(ProcessHandle.current().pid(), s.lastPid(2));
            // A per-op nowait makes the blocking form return false.
            assertFalse(s.op(SemOp.down(0).nowait()));

            var down = pool.submit(() -> s.op(SemOp.down(0, 2)));
            var zero = pool.submit(() -> s.op(SemOp.waitZero(2)));
            await("one waiter for increase on 0", () -> ncnt(s, 0) == 1);
            await(
                    "one waiter for zero on 2",
                    () -> {
                        try {
                            return s.waitingForZero(2) == 1;
                        } catch (IpcException e) {
                            throw new AssertionError(e);
                        }
                    });
            assertEquals(
                    List.of(
                            new SemaphoreState(0, 0, 1, 0, (int) ProcessHandle.current().pid()),
                            new SemaphoreState(1, 1, 0, 0, (int) ProcessHandle.current().pid()),
                            new SemaphoreState(2, 4, 0, 1, (int) ProcessHandle.current().pid())),
                    s.states());
            s.set(2, 0);
            assertTrue(zero.get(10, TimeUnit.SECONDS));
            s.op(SemOp.up(0));
            assertFalse(down.isDone(), "needs 2");
            s.op(SemOp.up(0));
            assertTrue(down.get(10, TimeUnit.SECONDS));
            assertEquals(0, s.get(0));
        } finally {
            pool.shutdownNow();
            s.remove();
        }
    }

    @Test
    void limits_and_indices_fail_by_meaning() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 2);
        try {
            IndexOutOfBoundsException oob =
                    assertThrows(IndexOutOfBoundsException.class, () -> s.op(SemOp.up(2)));
            assertEquals(
                    "index=2 but semid " + s.id() + " has 2 semaphores (0..1)", oob.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> s.get(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> s.set(5, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> SemaphoreLock.on(s, 2));

            LimitExceededException vmx =
                    assertThrows(LimitExceededException.class, () -> s.set(0, 32768));
            assertEquals(Limit.SEMVMX, vmx.limit());
            assertEquals(Errno.ERANGE, vmx.errno());
            assertEquals(32767, vmx.limitValue());
            assertTrue(vmx.getMessage().contains("limit semvmx = 32767"), vmx.getMessage());
            s.set(0, 32767);
            LimitExceededException up =
                    assertThrows(LimitExceededException.class, () -> s.op(SemOp.up(0)));
            assertEquals(Limit.SEMVMX, up.limit());
            assertThrows(LimitExceededException.class, () -> s.setAll(70000, 0));
            assertThrows(LimitExceededException.class, () -> s.setAll(40000, 0));

            int semopm = (int) Limit.SEMOPM.value();
            SemOp[] many = new SemOp[semopm + 1];
            for (int i = 0; i < many.length; i++) {
                many[i] = SemOp.waitZero(1);
            }
            LimitExceededException big =
                    assertThrows(LimitExceededException.class, () -> s.op(many));
            assertEquals(Limit.SEMOPM, big.limit());
            assertEquals(Errno.E2BIG, big.errno());
            assertTrue(
                    big.getMessage()
                            .contains(
                                    (semopm + 1)
                                            + " operations in one call: limit semopm = "
                                            + semopm),
                    big.getMessage());
            assertTrue(
                    s.op(java.util.Arrays.copyOf(many, semopm)),
                    "exactly semopm operations are fine");

            assertThrows(IllegalArgumentException.class, () -> SemOp.up(0, 32768));
            assertThrows(IllegalArgumentException.class, () -> s.op());
            assertThrows(IllegalArgumentException.class, () -> SemaphoreSet.createPrivate(0600, 0));
            assertThrows(
                    IllegalArgumentException.class, () -> SemaphoreSet.createPrivate(0600, 2, 1));
            LimitExceededException msl =
                    assertThrows(
                            LimitExceededException.class,
                            () -> SemaphoreSet.createPrivate(0600, (int) Limit.SEMMSL.value() + 1));
            assertEquals(Limit.SEMMSL, msl.limit());
        } finally {
            s.remove();
        }
    }

    @Test
    void removal_wakes_blocked_waiters_with_RemovedException() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 2, 0, 0);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            var plain = pool.submit(() -> s.op(SemOp.down(0)));
            var timed = pool.submit(() -> s.op(Duration.ofSeconds(60), SemOp.down(0)));
            var locker = pool.submit(() -> SemaphoreLock.on(s, 1).lock());
            await("three waiters", () -> ncnt(s, 0) == 2 && ncnt(s, 1) == 1);
            s.remove();
            for (var f : List.of(plain, timed, locker)) {
                Throwable cause =
                        assertThrows(
                                        java.util.concurrent.ExecutionException.class,
                                        () -> f.get(10, TimeUnit.SECONDS))
                                .getCause();
                RemovedException e = assertInstanceOf(RemovedException.class, cause);
                assertEquals(Errno.EIDRM, e.errno());
                assertTrue(
                        e.getMessage().contains("the set was removed while this call waited"),
                        e.getMessage());
            }
            assertThrows(NotFoundException.class, () -> s.op(SemOp.up(0)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void timed_op_returns_false_after_the_timeout_and_true_when_satisfied() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1);
        try {
            long t0 = System.nanoTime();
            assertFalse(s.op(Duration.ofMillis(120), SemOp.down(0)));
            long elapsed = System.nanoTime() - t0;
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(120), "returned early: " + elapsed);
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(20), "hang: " + elapsed);
            assertFalse(s.op(Duration.ZERO, SemOp.down(0)));
            s.op(SemOp.up(0));
            assertTrue(s.op(Duration.ofSeconds(5), SemOp.down(0)));
            assertThrows(
                    IllegalArgumentException.class, () -> s.op(Duration.ofMillis(-1), SemOp.up(0)));
        } finally {
            s.remove();
        }
    }

    @Test
    void status_IPC_SET_and_system_figures() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 2);
        try {
            IpcPermissions before = s.status().permissions();
            s.setPermissions(before.uid(), before.gid(), 0640);
            assertEquals(0640, s.status().permissions().permissionBits());
            s.setMode(0604);
            assertEquals(0604, s.status().permissions().permissionBits());
            int uid = io.jipc.testkit.Suite.assignableUid(65534);
            int gid = io.jipc.testkit.Suite.assignableGid(65534);
            s.setOwner(uid, gid);
            assertEquals(
                    List.of(uid, gid, 0604),
                    List.of(
                            s.status().permissions().uid(),
                            s.status().permissions().gid(),
                            s.status().permissions().permissionBits()));
            assertEquals(s, SemaphoreSet.ofId(s.id()));
            assertEquals(s.hashCode(), SemaphoreSet.ofId(s.id()).hashCode());
            assertTrue(
                    s.toString().contains("semid " + s.id() + ", key 0x00000000, 2 semaphores"),
                    s.toString());
            SemaphoreInfo info = SemaphoreSet.info();
            assertEquals(Limit.SEMVMX.value(), info.maxValue());
            assertEquals(Limit.SEMOPM.value(), info.maxOperations());
            assertEquals(Limit.SEMMSL.value(), info.maxSetSize());
            assertEquals(Limit.SEMMNI.value(), info.maxSets());
            assertTrue(info.setsInUse() >= 1);
            assertTrue(info.semaphoresInUse() >= 2);
        } finally {
            s.remove();
        }
    }

    @Test
    void the_lock_excludes_threads_of_this_jvm_and_is_not_reentrant() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1, 1);
        try {
            SemaphoreLock lock = SemaphoreLock.on(s, 0);
            try (var held = s.lock(0)) {
                assertEquals(0, s.get(0));
                assertTrue(held.lock().isHeldByCurrentThread());
                assertThrows(IllegalStateException.class, lock::lock);
                assertTrue(
                        CompletableFuture.supplyAsync(
                                        () -> {
                                            try {
                                                return lock.tryLock().isEmpty()
                                                        && lock.tryLock(Duration.ofMillis(50))
                                                                .isEmpty();
                                            } catch (IpcException e) {
                                                throw new RuntimeException(e);
                                            }
                                        })
                                .get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, s.get(0));
            assertFalse(lock.isHeldByCurrentThread());

            // 4 platform threads x 300 unprotected read-modify-writes: exact only under mutual
            // exclusion.
            int[] counter = {0};
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(
                        Thread.ofPlatform()
                                .start(
                                        () -> {
                                            for (int i = 0; i < 300; i++) {
                                                try (var _ = lock.lock()) {
                                                    int v = counter[0];
                                                    Thread.onSpinWait();
                                                    counter[0] = v + 1;
                                                } catch (IpcException e) {
                                                    throw new RuntimeException(e);
                                                }
                                            }
                                        }));
            }
            for (Thread t : threads) {
                t.join(60_000);
                assertFalse(t.isAlive());
            }
            assertEquals(1200, counter[0]);
            assertEquals(1, s.get(0));
        } finally {
            s.remove();
        }
    }

    @Test
    void many_virtual_threads_contending_for_the_lock_do_not_pin_every_carrier() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 1, 1);
        ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor();
        try {
            SemaphoreLock lock = SemaphoreLock.on(s, 0);
            AtomicInteger done = new AtomicInteger();
            int n = 4 * Runtime.getRuntime().availableProcessors() + 8;
            for (int i = 0; i < n; i++) {
                vts.submit(
                        () -> {
                            try (var _ = lock.lock()) {
                                Thread.sleep(2); // unmounts: needs a free carrier to resume
                                done.incrementAndGet();
                            }
                            return null;
                        });
            }
            vts.shutdown();
            // Without the in-JVM gate, waiters blocked in semop pin every carrier and the holder
            // can never resume from its sleep: this would time out.
            assertTrue(
                    vts.awaitTermination(60, TimeUnit.SECONDS),
                    "virtual threads starved: " + done.get() + "/" + n);
            assertEquals(n, done.get());
            assertEquals(1, s.get(0));
        } finally {
            s.remove(); // wakes any thread still in semop (EIDRM), so the executor can end
            vts.shutdownNow();
            assertTrue(vts.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void counting_semaphore_acquires_and_releases_n() throws Exception {
        SemaphoreSet s = SemaphoreSet.createPrivate(0600, 2, 5, 0);
        try {
            CountingSemaphore pool = CountingSemaphore.withUndo(s, 0);
            pool.acquire(3);
            assertEquals(2, pool.available());
            assertFalse(pool.tryAcquire(3));
            assertFalse(pool.tryAcquire(3, Duration.ofMillis(30)));
            assertTrue(pool.tryAcquire(2));
            pool.release(5);
            assertEquals(5, pool.available());

            CountingSemaphore items = CountingSemaphore.withoutUndo(s, 1);
            var consumer =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    items.acquire(2);
                                } catch (IpcException e) {
                                    throw new RuntimeException(e);
                                }
                            });
            items.release();
            await("the consumer waits for a second unit", () -> ncnt(s, 1) == 1);
            assertFalse(consumer.isDone());
            assertEquals(1, items.available(), "it took nothing while it waits");
            items.release();
            consumer.get(10, TimeUnit.SECONDS);
            assertEquals(0, items.available());
            assertThrows(IllegalArgumentException.class, () -> items.release(0));
        } finally {
            s.remove();
        }
    }
}
