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
import io.jipc.RawDescriptor;
import io.jipc.internal.linux.Poll;
import io.jipc.internal.linux.Signals;
import io.jipc.socket.SocketType;
import io.jipc.socket.UnixSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/** {@link PosixSharedMemory}, {@link Memfd} and {@link EventFd} in one process. */
@ExtendWith(PosixTestNames.class)
class PosixMemoryTest {

    @Test
    void shm_create_exclusive_sizes_maps_and_unlinks() throws Exception {
        String n = name("shm");
        try (PosixSharedMemory shm = PosixSharedMemory.createExclusive(n, 0666, 10_000)) {
            assertTrue(shm.created());
            assertEquals(10_000, shm.size());
            Path file = Path.of("/dev/shm", n.substring(1));
            assertEquals(
                    "rw-rw-rw-",
                    java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(file)),
                    "the umask is not applied");
            try (Mapping a = shm.map();
                    PosixSharedMemory again = PosixSharedMemory.open(n);
                    Mapping b = again.mapReadOnly()) {
                assertEquals(10_000, a.segment().byteSize());
                a.segment().set(ValueLayout.JAVA_LONG, 9992, 0x0102030405060708L);
                assertEquals(0x0102030405060708L, b.segment().get(ValueLayout.JAVA_LONG, 9992));
                assertTrue(b.isReadOnly());
                assertThrows(IllegalArgumentException.class, () -> b.segment().fill((byte) 1));
                assertThrows(
                        IndexOutOfBoundsException.class,
                        () -> a.segment().get(ValueLayout.JAVA_BYTE, 10_000));
            }
            AlreadyExistsException ae =
                    assertThrows(
                            AlreadyExistsException.class,
                            () -> PosixSharedMemory.createExclusive(n, 0600, 1));
            assertEquals("shm_open", ae.call());
            shm.unlink();
            assertFalse(Files.exists(file));
            NotFoundException removed =
                    assertThrows(NotFoundException.class, () -> PosixSharedMemory.open(n));
            assertEquals(
                    "shm_open("
                            + n
                            + "): ENOENT (No such file or directory): no shared memory object has this"
                            + " name (create it first)",
                    removed.getMessage());
            try (Mapping m = shm.map()) {
                assertEquals(
                        0x0102030405060708L,
                        m.segment().get(ValueLayout.JAVA_LONG, 9992),
                        "the memory lives on for its holders");
            }
        }
    }

    @Test
    void shm_create_opens_and_grows_but_never_shrinks() throws Exception {
        String n = name("shm");
        try (PosixSharedMemory a = PosixSharedMemory.create(n, 0600, 4096);
                PosixSharedMemory b = PosixSharedMemory.create(n, 0600, 100)) {
            assertTrue(a.created());
            assertFalse(b.created());
            assertEquals(4096, b.size());
            try (PosixSharedMemory c = PosixSharedMemory.create(n, 0600, 8192)) {
                assertEquals(8192, a.size());
                assertEquals(8192, c.size());
            }
            a.unlink();
        }
    }

    @Test
    void a_mapping_is_invalid_after_close_and_a_closed_object_refuses_calls() throws Exception {
        String n = name("shm");
        PosixSharedMemory shm = PosixSharedMemory.createExclusive(n, 0600, 64);
        Mapping m = shm.map();
        MemorySegment seg = m.segment();
        shm.close();
        seg.set(ValueLayout.JAVA_INT, 0, 5); // closing the descriptor does not unmap
        m.close();
        m.close();
        assertFalse(m.isMapped());
        assertThrows(IllegalStateException.class, () -> seg.get(ValueLayout.JAVA_INT, 0));
        assertThrows(ClosedChannelException.class, shm::map);
        assertThrows(ClosedChannelException.class, shm::size);
        try (PosixSharedMemory ro = PosixSharedMemory.open(n, Access.READ_ONLY)) {
            assertThrows(NonWritableChannelException.class, ro::map);
            assertThrows(NonWritableChannelException.class, () -> ro.resize(10));
            try (Mapping r = ro.mapReadOnly()) {
                assertEquals(5, r.segment().get(ValueLayout.JAVA_INT, 0));
            }
        }
        assertThrows(
                IllegalArgumentException.class, () -> PosixSharedMemory.open(n, Access.WRITE_ONLY));
        assertThrows(
                IllegalArgumentException.class,
                () -> PosixSharedMemory.createExclusive(name("shm"), 0600, 0));
        assertThrows(IllegalArgumentException.class, () -> PosixSharedMemory.open("shm/x"));
        PosixSharedMemory.unlink(n);
    }

    @Test
    void a_shrink_below_a_live_mapping_of_this_process_is_refused() throws Exception {
        String n = name("shm");
        try (PosixSharedMemory shm = PosixSharedMemory.createExclusive(n, 0600, 8192);
                PosixSharedMemory other = PosixSharedMemory.open(n)) {
            shm.unlink();
            Mapping m = shm.map();
            UnnamedSemaphore s = UnnamedSemaphore.init(m.segment(), 4096, 0);
            // It once truncated the file: the release below then died of SIGBUS in sem_post.
            IpcException e = assertThrows(IpcException.class, () -> shm.resize(0));
            assertEquals(
                    "ftruncate("
                            + n
                            + "): refusing to shrink from 8192 to 0 bytes: this process maps bytes 0"
                            + " to 8192 of it (mapping of "
                            + n
                            + " (8192 bytes)), and access beyond the new end would fault"
                            + " (SIGBUS); close the mapping first",
                    e.getMessage());
            assertEquals("ftruncate", e.call());
            assertThrows(
                    IpcException.class,
                    () -> other.resize(8191),
                    "through another object on the same file too");
            assertEquals(8192, shm.size(), "nothing changed");
            s.release();
            assertTrue(s.tryAcquire());
            other.resize(16384); // growing is fine
            other.resize(8192); // and shrinking back to the mapping's end
            assertEquals(8192, shm.size());
            s.close();
            m.close();
            other.resize(0); // nobody maps it any more
            assertEquals(0, shm.size());
        }
        try (Memfd fd = Memfd.create("shrink")) {
            fd.resize(4096);
            try (Mapping ro = fd.mapReadOnly()) {
                assertThrows(IpcException.class, () -> fd.resize(100));
                assertEquals(4096, ro.segment().byteSize());
            }
            fd.resize(100);
            assertEquals(100, fd.size());
        }
    }

    @Test
    void a_zero_sized_object_cannot_be_mapped_and_says_why() throws Exception {
        try (Memfd m = Memfd.create("empty")) {
            IpcException e = assertThrows(IpcException.class, m::map);
            assertEquals(
                    "mmap(memfd empty): the object's size is 0: give it a size first",
                    e.getMessage());
        }
    }

    @Test
    void memfd_seals_hold_against_resizing_and_writing() throws Exception {
        try (Memfd m = Memfd.create("sealed", 4096)) {
            assertEquals(Set.of(), m.seals());
            try (Mapping w = m.map()) {
                w.segment().setString(0, "frame");
                IpcException busy = assertThrows(IpcException.class, () -> m.addSeals(Seal.WRITE));
                assertEquals(Errno.EBUSY, busy.errno());
            }
            m.addSeals(Seal.SHRINK, Seal.GROW, Seal.WRITE);
            assertEquals(EnumSet.of(Seal.SHRINK, Seal.GROW, Seal.WRITE), m.seals());
            IpcException grow = assertThrows(IpcException.class, () -> m.resize(8192));
            assertEquals(Errno.EPERM, grow.errno());
            assertTrue(
                    grow.getMessage().contains("a seal forbids changing the size"),
                    grow.getMessage());
            IpcException write = assertThrows(IpcException.class, m::map);
            assertEquals(Errno.EPERM, write.errno());
            try (Mapping r = m.mapReadOnly()) {
                assertEquals("frame", r.segment().getString(0));
            }
            m.addSeals(Seal.SEAL);
            assertThrows(IpcException.class, () -> m.addSeals(Seal.FUTURE_WRITE));
            assertEquals(4096, m.size());
        }
    }

    @Test
    void a_memfd_sent_over_a_unix_socket_is_adopted_and_shows_the_same_memory() throws Exception {
        try (Memfd m = Memfd.create("passed", 128);
                Mapping w = m.map();
                UnixSocket.Pair p = UnixSocket.pair(SocketType.SEQPACKET)) {
            w.segment().setString(0, "across");
            p.first().sendWithDescriptors(ByteBuffer.wrap(new byte[] {1}), m);
            RawDescriptor d = p.second().receive(ByteBuffer.allocate(1), 1).descriptors().get(0);
            try (Memfd adopted = Memfd.inherited(d.release());
                    Mapping r = adopted.mapReadOnly()) {
                assertEquals("passed", adopted.name());
                assertEquals("across", r.segment().getString(0));
            }
            IpcException notMemfd =
                    assertThrows(IpcException.class, () -> Memfd.inherited(p.first().fd()));
            assertTrue(
                    notMemfd.getMessage().contains("not a memfd but socket:["),
                    notMemfd.getMessage());
        }
    }

    @Test
    void eventfd_counter_mode_takes_the_whole_count() throws Exception {
        try (EventFd e = EventFd.create(2)) {
            assertFalse(e.isSemaphore());
            e.add(3);
            assertTrue(e.tryAdd(5));
            assertEquals(Poll.POLLIN, Signals.pollNow(e.fd(), Poll.POLLIN));
            assertEquals(10, e.take());
            assertEquals(OptionalLong.empty(), e.tryTake());
            assertEquals(OptionalLong.empty(), e.take(java.time.Duration.ofMillis(20)));
            assertEquals(0, Signals.pollNow(e.fd(), Poll.POLLIN));
            assertTrue(e.tryAdd(EventFd.MAX_VALUE));
            assertFalse(e.tryAdd(1), "the counter is full");
            assertEquals(OptionalLong.of(EventFd.MAX_VALUE), e.tryTake());
            assertThrows(IllegalArgumentException.class, () -> e.add(-1));
            assertThrows(IllegalArgumentException.class, () -> EventFd.create(1L << 32));
        }
    }

    @Test
    void eventfd_semaphore_mode_takes_one_at_a_time_and_is_adopted_with_its_mode()
            throws Exception {
        EventFd e = EventFd.createSemaphore(2);
        try (UnixSocket.Pair p = UnixSocket.pair(SocketType.SEQPACKET)) {
            assertTrue(e.isSemaphore());
            assertEquals(1, e.take());
            p.first().sendWithDescriptors(ByteBuffer.wrap(new byte[] {1}), e);
            RawDescriptor d = p.second().receive(ByteBuffer.allocate(1), 1).descriptors().get(0);
            try (EventFd adopted = EventFd.inherited(d.release())) {
                assertTrue(adopted.isSemaphore());
                assertEquals(OptionalLong.of(1), adopted.tryTake());
                assertEquals(OptionalLong.empty(), e.tryTake());
            }
            e.close();
            assertThrows(ClosedChannelException.class, () -> e.add(1));
            IpcException notEventFd =
                    assertThrows(IpcException.class, () -> EventFd.inherited(p.first().fd()));
            assertTrue(notEventFd.getMessage().contains("not an eventfd"), notEventFd.getMessage());
        } finally {
            e.close();
        }
    }
}
