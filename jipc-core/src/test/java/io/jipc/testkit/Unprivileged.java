package io.jipc.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jipc.Capabilities;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Child processes as the unprivileged user {@code nobody} (uid and gid 65534), for permission
 * tests: {@code setpriv --reuid=65534 --regid=65534 --clear-groups}. Such a child cannot read a
 * clone that lives in a 0700 directory (a home directory) nor the Maven repository, so what it runs
 * (the class path, a gcc-built peer) is first copied to a directory readable by all, made once per
 * test JVM under {@code java.io.tmpdir} and deleted when the JVM exits. Only root can switch users:
 * elsewhere the calling test is skipped with the reason.
 */
public final class Unprivileged {
    /** The uid (and gid) of nobody. */
    public static final int UID = 65534;

    private static final Map<Path, Path> COPIES = new ConcurrentHashMap<>();

    /**
     * Numbers the copies of {@link #readable}: each gets a name of its own, whatever the threads.
     */
    private static final AtomicInteger NEXT_COPY = new AtomicInteger();

    private static Path dir;
    private static String classPath;

    /** Why children cannot run as nobody here ("" when they can), decided once. */
    private static String unavailable;

    private Unprivileged() {}

    /** Skips the calling test, with the reason, unless children can be run as nobody. */
    public static void assumeAvailable() {
        assumeTrue(isAvailable(), unavailable);
    }

    /**
     * Whether children can be run as nobody here: root, setpriv(1) works, and nobody can run this
     * JDK and reach the directory under {@code java.io.tmpdir} that holds the copies.
     *
     * @return true if so
     */
    public static synchronized boolean isAvailable() {
        if (unavailable == null) {
            unavailable = whyNot();
        }
        return unavailable.isEmpty();
    }

    private static String whyNot() {
        if (Capabilities.effectiveUid() != 0
                || !Files.isExecutable(Path.of("/usr/bin/setpriv"))
                || Processes.run(
                                        Duration.ofSeconds(30),
                                        prefix(List.of("true")).toArray(String[]::new))
                                .exitCode()
                        != 0) {
            return "running a child as nobody (uid 65534) needs root and setpriv(1); this test is skipped as uid "
                    + Capabilities.effectiveUid();
        }
        Path home = Path.of(System.getProperty("java.home"));
        Path copies = dir();
        // As nobody: the JDK's java and its module image, then the directory of the copies.
        List<String> probe =
                prefix(
                        List.of(
                                "sh",
                                "-c",
                                "test -x \"$1\" && test -r \"$2\" || exit 3; "
                                        + "test -r \"$3\" && test -x \"$3\" || exit 4",
                                "sh",
                                home.resolve("bin/java").toString(),
                                home.resolve("lib/modules").toString(),
                                copies.toString()));
        return switch (Processes.run(Duration.ofSeconds(30), probe.toArray(String[]::new))
                .exitCode()) {
            case 0 -> "";
            case 3 ->
                    "nobody (uid 65534) cannot run the JDK at "
                            + home
                            + " (a directory on its path is not readable by "
                            + "all); install the JDK where everyone can read it to run this test";
            case 4 ->
                    "nobody (uid 65534) cannot reach "
                            + copies
                            + " under java.io.tmpdir ("
                            + copies.getParent()
                            + "); point -Djava.io.tmpdir at a directory everyone can search to run this test";
            default -> "cannot check what nobody (uid 65534) may read here (sh as nobody failed)";
        };
    }

    /**
     * {@code command} run as nobody; its program and files must be readable by all (see {@link
     * #readable(Path)}).
     *
     * @param command the command
     * @return the command prefixed with setpriv
     */
    public static List<String> command(List<String> command) {
        assumeAvailable();
        return prefix(command);
    }

    private static List<String> prefix(List<String> command) {
        List<String> all =
                new ArrayList<>(
                        List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups"));
        all.addAll(command);
        return all;
    }

    /**
     * A child JVM running {@code main} as nobody, with a class path readable by all.
     *
     * @param main the class with a {@code main} method
     * @param args its arguments
     * @return the command
     */
    public static List<String> java(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(ChildJvm.command(main, args));
        cmd.set(cmd.indexOf("-cp") + 1, classPath());
        return command(cmd);
    }

    /**
     * A copy of a file (e.g. a C peer built under {@code target/}) that nobody can read and run.
     *
     * @param file the file
     * @return the copy
     */
    public static Path readable(Path file) {
        return COPIES.computeIfAbsent(
                file.toAbsolutePath(),
                f ->
                        copy(
                                f,
                                dir().resolve(
                                                "bin-"
                                                        + NEXT_COPY.incrementAndGet()
                                                        + "-"
                                                        + f.getFileName())));
    }

    private static synchronized String classPath() {
        if (classPath == null) {
            List<String> entries = new ArrayList<>();
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(e).toAbsolutePath();
                if (Files.exists(p)) {
                    entries.add(copy(p, dir().resolve("cp-" + entries.size())).toString());
                }
            }
            classPath = String.join(File.pathSeparator, entries);
        }
        return classPath;
    }

    private static synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("jipc-nobody-");
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path d = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(d)));
        }
        return dir;
    }

    /**
     * Copies a file or a directory tree; everything readable (and directories searchable) by all.
     */
    private static Path copy(Path from, Path to) {
        try {
            if (Files.isDirectory(from)) {
                Files.walkFileTree(
                        from,
                        new SimpleFileVisitor<>() {
                            @Override
                            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
                                    throws IOException {
                                Path t = to.resolve(from.relativize(d).toString());
                                Files.createDirectories(t);
                                Files.setPosixFilePermissions(
                                        t, PosixFilePermissions.fromString("rwxr-xr-x"));
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFile(Path f, BasicFileAttributes a)
                                    throws IOException {
                                Path t = to.resolve(from.relativize(f).toString());
                                Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                                Files.setPosixFilePermissions(
                                        t,
                                        PosixFilePermissions.fromString(
                                                Files.isExecutable(f) ? "rwxr-xr-x" : "rw-r--r--"));
                                return FileVisitResult.CONTINUE;
                            }
                        });
                return to;
            }
            Path t =
                    to.getFileName().toString().startsWith("cp-")
                                    && from.toString().endsWith(".jar")
                            ? Path.of(to + ".jar")
                            : to;
            Files.copy(from, t, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(
                    t,
                    PosixFilePermissions.fromString(
                            Files.isExecutable(from) ? "rwxr-xr-x" : "rw-r--r--"));
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " for nobody", e);
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }
}
