package io.jipc.bench;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.jipc.Cpus;
import io.jipc.RawDescriptor;
import io.jipc.channel.Channel;
import io.jipc.channel.ChannelKind;
import io.jipc.channel.ChannelReader;
import io.jipc.channel.ChannelWriter;
import io.jipc.channel.IdleStrategy;
import io.jipc.pipe.Child;
import io.jipc.pipe.Spawn;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The Java-side pairs of the {@code channel} and {@code channel-park} mechanisms: a driver JVM
 * ({@link #main}) and a peer JVM it starts, through one of three implementations, all running
 * {@link Protocol} over two one-way rings (one per direction), of 1 MiB for jipc and Agrona:
 *
 * <ul>
 *   <li>{@code java}: jipc's {@code io.jipc.channel} (SPSC channels in two memfds the peer inherits
 *       as fds 3 and 4);
 *   <li>{@code agrona}: Agrona's {@code OneToOneRingBuffer} over an {@code UnsafeBuffer} wrapping a
 *       mapped file under /dev/shm (the like-for-like driverless ring);
 *   <li>{@code aeron}: Aeron IPC ({@code aeron:ipc?mtu=8192}: its default IPC term length, as Aeron
 *       users run it; an exclusive publication and a subscription per direction, one stream id
 *       each) through a media driver embedded in the driver JVM (threading mode SHARED, back-off
 *       idle strategy).
 * </ul>
 *
 * Like the other Java pairs, each side pins its measuring thread to its placement's CPU and runs an
 * untimed dry run of the protocol before the timed one. Waiting: {@code channel} busy-spins on both
 * sides (jipc {@link IdleStrategy#spinning()}, Agrona/Aeron {@code BusySpinIdleStrategy}); {@code
 * channel-park} sleeps: jipc in a futex wait at once ({@code IdleStrategy.of(0, 0)}), Agrona and
 * Aeron, which have no blocking wait, with their {@code BackoffIdleStrategy} (Aeron's defaults: 10
 * spins, 20 yields, then parkNanos 1 µs doubling to 1 ms).
 *
 * <pre>
 *   ChannelPair IMPL MECH WARMUP ROUNDS N64 N4K CPU CPU_PEER          (driver: prints the results)
 *   ChannelPair peer IMPL MECH WARMUP ROUNDS N64 N4K CPU DRY ARG...   (started by the driver)
 * </pre>
 */
final class ChannelPair {
    /** Bytes of each ring (each direction), for every implementation. */
    static final int CAPACITY = 1 << 20;

    private static final int THERE = 1001;
    private static final int BACK = 1002;
    private static final String AERON_CHANNEL = "aeron:ipc?mtu=8192";

    private ChannelPair() {}

    /** The implementations of the channel mechanisms. */
    static final List<String> IMPLS = List.of("java", "c", "aeron", "agrona");

    /**
     * Whether Agrona and Aeron are on the class path (they are bench dependencies; a runnable jar
     * may leave them out).
     *
     * @return null if present, else why not
     */
    static String aeronMissing() {
        try {
            Class.forName("io.aeron.Aeron", false, ChannelPair.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            return "Aeron/Agrona (io.aeron:aeron-all) is not on the class path";
        }
    }

    /** The JVM options Agrona needs on JDK 25 (its UnsafeApi). */
    static List<String> agronaOptions() {
        return List.of(
                "--add-exports",
                "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Daeron.print.configuration=false");
    }

    /**
     * The driver: opens its side, starts the peer JVM, pins its measuring thread, runs the protocol
     * (after an untimed dry run and a quiet JIT, like the other Java pairs) and prints the results
     * in {@code bench_peer.c}'s format. Exits 1 with one line on stderr on failure.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("peer")) {
            peer(args);
            return;
        }
        Peer.watchParent();
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            String impl = args[0];
            Mechanism m = Mechanism.of(args[1]);
            int warm = Integer.parseInt(args[2]);
            int rounds = Integer.parseInt(args[3]);
            long n64 = Long.parseLong(args[4]);
            long n4k = Long.parseLong(args[5]);
            int cpu = Integer.parseInt(args[6]);
            int dry = Protocol.dryRounds(rounds, args[6].equals(args[7]));
            List<String> cmd = jvm();
            cmd.addAll(
                    List.of(
                            "peer", impl, m.id(), args[2], args[3], args[4], args[5], args[7],
                            "" + dry));
            Spawn spawn;
            Link link;
            switch (impl) {
                case "java" -> {
                    Channel there = Channel.createAnonymous(CAPACITY, ChannelKind.SPSC);
                    Channel back = Channel.createAnonymous(CAPACITY, ChannelKind.SPSC);
                    undo.add(there::close);
                    undo.add(back::close);
                    spawn =
                            Spawn.of(cmd)
                                    .fd(3, there.descriptor().orElseThrow())
                                    .fd(4, back.descriptor().orElseThrow());
                    link = new JipcLink(back, there, m);
                }
                case "agrona" -> {
                    Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "jipc-bench-agrona-");
                    undo.add(() -> deleteAll(dir));
                    Path there = dir.resolve("there");
                    Path back = dir.resolve("back");
                    AgronaLink.create(there);
                    AgronaLink.create(back);
                    cmd.addAll(List.of(there.toString(), back.toString()));
                    spawn = Spawn.of(cmd);
                    link = new AgronaLink(back, there, m, undo);
                }
                case "aeron" -> {
                    Path dir =
                            Path.of(
                                    "/dev/shm",
                                    "jipc-bench-aeron-" + ProcessHandle.current().pid());
                    MediaDriver driver =
                            MediaDriver.launch(
                                    new MediaDriver.Context()
                                            .aeronDirectoryName(dir.toString())
                                            .threadingMode(ThreadingMode.SHARED)
                                            .sharedIdleStrategy(new BackoffIdleStrategy())
                                            .dirDeleteOnStart(true)
                                            .dirDeleteOnShutdown(true)
                                            .printConfigurationOnStart(false));
                    undo.add(driver::close);
                    undo.add(() -> deleteAll(dir));
                    cmd.add(dir.toString());
                    spawn = Spawn.of(cmd);
                    link = new AeronLink(dir, BACK, THERE, m, undo);
                }
                default -> throw new IllegalArgumentException("unknown implementation " + impl);
            }
            Child child = spawn.start();
            Protocol.Run r;
            try (link;
                    Cpus.Pinning _ = Cpus.pinCurrentThread(cpu)) {
                if (link instanceof AeronLink a) {
                    a.awaitConnected();
                }
                if (Protocol.DRY_RUN) {
                    Protocol.parent(link, m, 0, dry, Protocol.dry(n64), Protocol.dry(n4k));
                    Protocol.awaitJitQuiet();
                }
                r = Protocol.parent(link, m, warm, rounds, n64, n4k);
            }
            var status = child.waitFor(Duration.ofSeconds(30));
            if (status.isEmpty() || !status.get().success()) {
                throw new IOException(
                        "the "
                                + impl
                                + " peer "
                                + (status.isEmpty()
                                        ? "did not exit"
                                        : "ended with " + status.get()));
            }
            System.out.print(r.format());
            System.out.flush();
        } catch (Throwable e) {
            System.err.println("jipc bench channel driver " + String.join(" ", args) + ": " + e);
            Harness.undo(undo);
            System.exit(1);
        }
        Harness.undo(undo);
        System.exit(0);
    }

    private static void peer(String[] a) {
        Peer.watchParent();
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            String impl = a[1];
            Mechanism m = Mechanism.of(a[2]);
            int warm = Integer.parseInt(a[3]);
            int rounds = Integer.parseInt(a[4]);
            long n64 = Long.parseLong(a[5]);
            long n4k = Long.parseLong(a[6]);
            int cpu = Integer.parseInt(a[7]);
            int dry = Integer.parseInt(a[8]);
            Link link =
                    switch (impl) {
                        case "java" -> {
                            Channel there;
                            Channel back;
                            try (RawDescriptor d3 = new RawDescriptor(3);
                                    RawDescriptor d4 = new RawDescriptor(4)) {
                                there = Channel.open(d3);
                                back = Channel.open(d4);
                            }
                            undo.add(there::close);
                            undo.add(back::close);
                            yield new JipcLink(there, back, m);
                        }
                        case "agrona" -> new AgronaLink(Path.of(a[9]), Path.of(a[10]), m, undo);
                        case "aeron" -> new AeronLink(Path.of(a[9]), THERE, BACK, m, undo);
                        default ->
                                throw new IllegalArgumentException(
                                        "unknown implementation " + impl);
                    };
            try (link;
                    Cpus.Pinning _ = Cpus.pinCurrentThread(cpu)) {
                if (link instanceof AeronLink l) {
                    l.awaitConnected();
                }
                if (Protocol.DRY_RUN) {
                    Protocol.child(link, m, 0, dry, Protocol.dry(n64), Protocol.dry(n4k));
                    Protocol.awaitJitQuiet();
                }
                Protocol.child(link, m, warm, rounds, n64, n4k);
            }
        } catch (Throwable e) {
            System.err.println("jipc bench channel peer " + String.join(" ", a) + ": " + e);
            Harness.undo(undo);
            System.exit(1);
        }
        Harness.undo(undo);
        System.exit(0);
    }

    /**
     * Runs one round of every pair of a channel mechanism in one placement: Java (jipc), C (jipc),
     * Aeron, Agrona. Busy-spinning sides that share one CPU only measure the scheduler's time
     * slice: {@code channel} skips the {@code same} placement.
     */
    static void runAll(
            Mechanism m,
            Harness.Params p,
            Harness.Where w,
            Path tmp,
            Consumer<String> progress,
            BiConsumer<String, Harness.Pair> attempt,
            BiConsumer<String, String> skip) {
        if (m == Mechanism.CHANNEL && w.placement() == Placement.SAME) {
            for (String impl : IMPLS) {
                skip.accept(
                        impl,
                        "same skipped: two busy-spinning sides on one CPU only measure the scheduler's time"
                                + " slice (channel-park shows this placement)");
            }
            return;
        }
        attempt.accept(
                "java",
                () ->
                        Harness.external(
                                command("java", m, p, w), new ArrayList<>(), tmp, "the Java pair"));
        Optional<Path> c = compileC(progress);
        if (c.isPresent()) {
            attempt.accept(
                    "c",
                    () ->
                            Harness.external(
                                    List.of(
                                            c.get().toString(),
                                            m.id(),
                                            "" + p.warmup(),
                                            "" + p.rounds(),
                                            "" + p.n64(),
                                            "" + p.n4k(),
                                            "" + w.self(),
                                            "" + w.peer()),
                                    new ArrayList<>(),
                                    tmp,
                                    "the C pair"));
        } else {
            skip.accept("c", Harness.buildFailure());
        }
        String missing = aeronMissing();
        for (String impl : List.of("aeron", "agrona")) {
            if (missing != null) {
                skip.accept(impl, missing);
            } else {
                attempt.accept(
                        impl,
                        () ->
                                Harness.external(
                                        command(impl, m, p, w),
                                        new ArrayList<>(),
                                        tmp,
                                        "the " + impl + " pair"));
            }
        }
    }

    /**
     * Compiles channel_bench.c against the channel header shipped in the jar: the header goes to
     * {@code ~/.cache/jipc/include-HASH/}, whose name (part of the flags) changes with it.
     */
    private static Optional<Path> compileC(Consumer<String> progress) {
        try (InputStream in = ChannelPair.class.getResourceAsStream("jipc_channel.h")) {
            if (in == null) {
                return Harness.build(
                        "jipc_channel.h", "missing", List.of(), progress); // says what is missing
            }
            byte[] h = in.readAllBytes();
            String hash =
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(h))
                            .substring(0, 12);
            Path dir = Harness.cache().resolve("include-" + hash);
            if (!Files.exists(dir.resolve("jipc_channel.h"))) {
                Files.createDirectories(dir);
                Path t = dir.resolve("jipc_channel.h.tmp" + ProcessHandle.current().pid());
                Files.write(t, h);
                Files.move(t, dir.resolve("jipc_channel.h"), StandardCopyOption.ATOMIC_MOVE);
            }
            return Harness.build(
                    "channel_bench.c", "channel_bench", List.of("-I", dir.toString()), progress);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return Harness.build(
                    "channel_bench.c", "channel_bench", List.of("-I", "/nonexistent"), progress);
        }
    }

    /** The command of a JVM like this one, with what Agrona needs. */
    private static List<String> jvm() {
        List<String> cmd = JavaPair.jvm(ChannelPair.class.getName());
        cmd.addAll(1, agronaOptions());
        return cmd;
    }

    /** The driver's command for one run, from the harness. */
    static List<String> command(String impl, Mechanism m, Harness.Params p, Harness.Where w) {
        List<String> cmd = jvm();
        cmd.addAll(
                List.of(
                        impl,
                        m.id(),
                        "" + p.warmup(),
                        "" + p.rounds(),
                        "" + p.n64(),
                        "" + p.n4k(),
                        "" + w.self(),
                        "" + w.peer()));
        return cmd;
    }

    private static void deleteAll(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    // ---- the three links ------------------------------------------------------------------------

    /** jipc: a reader on one channel, a writer on the other. */
    static final class JipcLink extends Link {
        private final ChannelReader in;
        private final ChannelWriter out;

        JipcLink(Channel in, Channel out, Mechanism m) throws IOException {
            IdleStrategy idle =
                    m == Mechanism.CHANNEL ? IdleStrategy.spinning() : IdleStrategy.of(0, 0);
            this.in = in.reader().idleStrategy(idle);
            this.out = out.writer().idleStrategy(idle);
        }

        @Override
        void send(int n) throws IOException {
            out.send(buf.clear().limit(n));
        }

        @Override
        int receive(int n) throws IOException {
            buf.clear();
            return in.receive(buf);
        }

        @Override
        public void close() throws IOException {
            in.close();
            out.close();
            super.close();
        }
    }

    /** Agrona: a OneToOneRingBuffer per direction over a mapped /dev/shm file. */
    static final class AgronaLink extends Link {
        private final OneToOneRingBuffer in;
        private final OneToOneRingBuffer out;
        private final org.agrona.concurrent.IdleStrategy idle;
        private final UnsafeBuffer src;
        private int got;

        static void create(Path file) throws IOException {
            try (FileChannel fc =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE)) {
                fc.write(
                        java.nio.ByteBuffer.allocate(1),
                        CAPACITY + RingBufferDescriptor.TRAILER_LENGTH - 1);
            }
        }

        AgronaLink(Path in, Path out, Mechanism m, List<AutoCloseable> undo) throws IOException {
            this.in = new OneToOneRingBuffer(map(in, undo));
            this.out = new OneToOneRingBuffer(map(out, undo));
            this.idle =
                    m == Mechanism.CHANNEL ? new BusySpinIdleStrategy() : new BackoffIdleStrategy();
            this.src = new UnsafeBuffer(seg.address(), Link.BIG);
        }

        private static UnsafeBuffer map(Path file, List<AutoCloseable> undo) throws IOException {
            java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
            undo.add(arena::close);
            try (FileChannel fc =
                    FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                java.lang.foreign.MemorySegment s =
                        fc.map(FileChannel.MapMode.READ_WRITE, 0, fc.size(), arena);
                return new UnsafeBuffer(s.address(), (int) s.byteSize());
            }
        }

        @Override
        void send(int n) {
            idle.reset();
            while (!out.write(1, src, 0, n)) {
                idle.idle();
            }
        }

        @Override
        int receive(int n) {
            idle.reset();
            while (in.read(this::copy, 1) == 0) {
                idle.idle();
            }
            return got;
        }

        private void copy(int type, org.agrona.MutableDirectBuffer b, int index, int length) {
            b.getBytes(index, buf.clear(), length);
            got = length;
        }
    }

    /** Aeron: a publication and a subscription on aeron:ipc, one stream id per direction. */
    static final class AeronLink extends Link {
        private final Aeron aeron;
        private final ExclusivePublication out;
        private final Subscription in;
        private final org.agrona.concurrent.IdleStrategy idle;
        private final UnsafeBuffer src;
        private int got;

        AeronLink(Path dir, int inStream, int outStream, Mechanism m, List<AutoCloseable> undo) {
            this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.toString()));
            undo.add(aeron::close);
            this.out = aeron.addExclusivePublication(AERON_CHANNEL, outStream);
            this.in = aeron.addSubscription(AERON_CHANNEL, inStream);
            this.idle =
                    m == Mechanism.CHANNEL ? new BusySpinIdleStrategy() : new BackoffIdleStrategy();
            this.src = new UnsafeBuffer(seg.address(), Link.BIG);
        }

        /** Waits until the other side's subscription and publication are there. */
        void awaitConnected() throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!out.isConnected() || !in.isConnected()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Aeron peer did not connect within 30 s");
                }
                Thread.sleep(1);
            }
        }

        @Override
        void send(int n) {
            idle.reset();
            while (out.offer(src, 0, n) < 0) {
                idle.idle();
            }
        }

        @Override
        int receive(int n) {
            idle.reset();
            while (in.poll(this::copy, 1) == 0) {
                idle.idle();
            }
            return got;
        }

        private void copy(
                org.agrona.DirectBuffer b,
                int offset,
                int length,
                io.aeron.logbuffer.Header header) {
            b.getBytes(offset, buf.clear(), length);
            got = length;
        }
    }
}
