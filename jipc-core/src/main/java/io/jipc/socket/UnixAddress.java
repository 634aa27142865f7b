package io.jipc.socket;

import io.jipc.internal.linux.SockaddrUn;
import io.jipc.internal.linux.Sockets;

import java.lang.foreign.MemorySegment;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The address of a Unix-domain socket ({@man unix(7)}): a filesystem path, a Linux
 * <em>abstract</em> name (no file; it vanishes with the last socket bound to it; {@code toString()}
 * shows it as {@code @name}, like {@code ss} and {@code /proc/net/unix}), or unnamed (an unbound
 * socket or one end of a socketpair).
 *
 * <p>Both kinds take at most 107 bytes (UTF-8): {@code sun_path} is 108 bytes and a path needs its
 * NUL, an abstract name its leading NUL. An abstract name is encoded with exactly its bytes
 * (address length {@code 2 + 1 + n}, as {@code ss} and most C programs do), not padded with NULs.
 */
public final class UnixAddress {
    private static final int MAX = Sockets.SUN_PATH_MAX - 1;

    /** The address of an unbound socket or of a socketpair's end. */
    public static final UnixAddress UNNAMED = new UnixAddress(null, null);

    private final Path path;
    private final byte[] abstractName;

    private UnixAddress(Path path, byte[] abstractName) {
        this.path = path;
        this.abstractName = abstractName;
    }

    /**
     * The address of a socket file.
     *
     * @param path the path (relative paths are relative to the working directory at each call)
     * @return the address
     * @throws IllegalArgumentException if the path is empty or longer than 107 bytes
     */
    public static UnixAddress of(Path path) {
        byte[] b = path.toString().getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > MAX) {
            throw new IllegalArgumentException(
                    "path=" + path + " must be 1.." + MAX + " bytes long (sun_path)");
        }
        return new UnixAddress(path, null);
    }

    /**
     * The JDK's address as a jipc address.
     *
     * @param address a JDK Unix-domain address
     * @return the same path
     */
    public static UnixAddress of(UnixDomainSocketAddress address) {
        return of(address.getPath());
    }

    /**
     * A Linux abstract name (no file in the filesystem; network-namespace scoped).
     *
     * @param name the name without the leading NUL, 1..107 bytes in UTF-8
     * @return the address
     */
    public static UnixAddress ofAbstract(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > MAX) {
            throw new IllegalArgumentException(
                    "name=" + name + " must be 1.." + MAX + " bytes long (sun_path)");
        }
        return new UnixAddress(null, b);
    }

    /**
     * Whether this is an abstract name.
     *
     * @return true for an abstract name
     */
    public boolean isAbstract() {
        return abstractName != null;
    }

    /**
     * The path of a socket file.
     *
     * @return the path, or empty for an abstract or unnamed address
     */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /**
     * The abstract name.
     *
     * @return the name without its leading NUL, or empty for a path or unnamed address
     */
    public Optional<String> abstractName() {
        return abstractName == null
                ? Optional.empty()
                : Optional.of(new String(abstractName, StandardCharsets.UTF_8));
    }

    /**
     * Writes the {@code sockaddr_un} into {@code s} (at least {@code sizeof(struct sockaddr_un)});
     * returns its length.
     */
    int encode(MemorySegment s) {
        if (path != null) {
            return SockaddrUn.encode(s, path.toString().getBytes(StandardCharsets.UTF_8), false);
        }
        return SockaddrUn.encode(s, abstractName, abstractName != null);
    }

    /** Reads a {@code sockaddr_un} of {@code len} bytes the kernel wrote. */
    static UnixAddress decode(MemorySegment s, int len) {
        SockaddrUn.Name n = SockaddrUn.decode(s, len);
        if (n == null) {
            return UNNAMED;
        }
        if (n.isAbstract()) {
            return new UnixAddress(null, n.bytes());
        }
        return new UnixAddress(Path.of(new String(n.bytes(), StandardCharsets.UTF_8)), null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnixAddress a
                && Objects.equals(path, a.path)
                && Arrays.equals(abstractName, a.abstractName);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(path) * 31 + Arrays.hashCode(abstractName);
    }

    /** The path, {@code @name} for an abstract name, or {@code (unnamed)}. */
    @Override
    public String toString() {
        if (path != null) {
            return path.toString();
        }
        if (abstractName != null) {
            return "@" + new String(abstractName, StandardCharsets.UTF_8);
        }
        return "(unnamed)";
    }
}
