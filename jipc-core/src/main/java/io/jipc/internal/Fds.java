package io.jipc.internal;

import io.jipc.Descriptor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reaches the {@link OwnedFd} behind a public {@link Descriptor} without a public accessor: every
 * fd-backed class of the library registers how to get at its {@code OwnedFd} in a static
 * initialiser ({@code Fds.register(UnixSocket.class, s -> s.fd)}), so the lookup always finds it
 * for an instance (its class is initialised).
 *
 * <p>{@link #owned(Descriptor)} returns {@code null} for a {@code Descriptor} implemented outside
 * the library; such a descriptor is used through its number ({@link Descriptor#fd()}).
 */
public final class Fds {
    private static final Map<Class<?>, Function<Object, OwnedFd>> OWNERS =
            new ConcurrentHashMap<>();

    private Fds() {}

    /**
     * Registers how instances of {@code type} (and its subclasses) reach their descriptor.
     *
     * @param <T> the type
     * @param type a class of the library that implements {@link Descriptor}
     * @param owner the accessor
     */
    public static <T extends Descriptor> void register(
            Class<T> type, Function<? super T, OwnedFd> owner) {
        OWNERS.put(type, o -> owner.apply(type.cast(o)));
    }

    /**
     * The owned descriptor behind {@code d}.
     *
     * @param d a descriptor
     * @return its {@code OwnedFd}, or {@code null} if {@code d} is not a class of the library
     */
    public static OwnedFd owned(Descriptor d) {
        for (Class<?> c = d.getClass(); c != null; c = c.getSuperclass()) {
            Function<Object, OwnedFd> f = OWNERS.get(c);
            if (f != null) {
                return f.apply(d);
            }
        }
        return null;
    }

    /**
     * Begins a use of {@code d}'s number: pair with {@link #release(Descriptor)}. For a {@code
     * Descriptor} of the library the number cannot be closed until then.
     *
     * @param d the descriptor
     * @return its number
     * @throws java.nio.channels.ClosedChannelException if it is closed
     */
    public static int acquire(Descriptor d) throws java.nio.channels.ClosedChannelException {
        OwnedFd o = owned(d);
        if (o != null) {
            return o.acquire();
        }
        if (!d.isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
        return d.fd();
    }

    /**
     * Ends a use begun by {@link #acquire(Descriptor)}.
     *
     * @param d the descriptor
     */
    public static void release(Descriptor d) {
        OwnedFd o = owned(d);
        if (o != null) {
            o.release();
        }
    }
}
