package io.jipc.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * The one place that links C functions: the {@link Linker}, the symbol lookup, errno capture and
 * the per-thread scratch memory every wrapper uses.
 *
 * <p>Conventions of every wrapper in this package (one holder class per C function, linked on first
 * use, and a static method named like the C function):
 *
 * <ul>
 *   <li>A call that fails returns the <em>negated errno</em> ({@code -ENOENT}, ...) instead of
 *       {@code -1}; a call that succeeds returns what the C function returned. Raw errno values
 *       never leave the library: the public layer turns them into {@code io.jipc.Errno} and
 *       exceptions at once.
 *   <li>{@code EINTR} is retried inside the wrapper of every call that can be interrupted. Calls
 *       that can block for long go through {@link Blocking} (the {@code ...Blocking} wrappers),
 *       which makes them end on {@code Thread.interrupt()}, adds timeouts and keeps them from
 *       pinning a virtual thread's carrier.
 *   <li>No system call is linked {@code Linker.Option.critical}. A critical downcall keeps the
 *       thread in the Java state, so one that sleeps in the kernel holds up every safepoint: the
 *       garbage collector and then every thread of the JVM wait for it. Whether a call sleeps is
 *       rarely provable from here: {@code O_NONBLOCK} belongs to the open file description, which
 *       other processes share and may change; "non-blocking" System V and socket calls still
 *       allocate, take sleeping locks, look paths up or fault while copying. The gain measured was
 *       0 to 5 ns a call. Only calls that never enter the kernel (the vDSO's {@code clock_gettime})
 *       are critical.
 *   <li>errno is captured with {@code Linker.Option.captureCallState("errno")} into a per-thread
 *       segment owned by an automatic arena (so a thread that ends, virtual or not, leaks nothing).
 * </ul>
 *
 * <p>Native access is checked once, at the first link: when the JVM denies it to this module
 * ({@code --illegal-native-access=deny}, and the default of a future JDK), every wrapper throws an
 * {@link IllegalCallerException} whose message is one sentence naming the flag to add ({@link
 * Platform#nativeAccessAdvice}); when the JVM only warns, that sentence is printed once on standard
 * error beside the JDK's warning.
 */
@SuppressWarnings("restricted")
public final class Native {

    static {
        Platform.requireSupported();
    }

    /** The platform's C ABI linker. */
    static final Linker LINKER = Linker.nativeLinker();

    /** glibc's symbols (the linker's default lookup holds libc). */
    static final SymbolLookup LIBC = LINKER.defaultLookup();

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();

    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private Native() {}

    /**
     * Links a C function that does not set errno (or whose errno is of no interest).
     *
     * @param name the symbol
     * @param descriptor its C signature
     * @param options extra linker options (e.g. {@code firstVariadicArg})
     * @return the downcall handle
     */
    static MethodHandle downcall(
            String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return link(name, descriptor, descriptor.toMethodType(), options);
    }

    private static MethodHandle link(
            String name, FunctionDescriptor descriptor, MethodType type, Linker.Option... options) {
        MemorySegment symbol =
                LIBC.find(name)
                        .orElseThrow(
                                () ->
                                        new UnsupportedOperationException(
                                                "the C library has no function " + name + "()"));
        String denied = Access.DENIED;
        if (denied != null) {
            return refusing(type, denied);
        }
        try {
            return LINKER.downcallHandle(symbol, descriptor, options);
        } catch (IllegalCallerException e) {
            return refusing(type, Platform.nativeAccessAdvice(Native.class.getModule(), true));
        }
    }

    /**
     * A handle of the given type that throws a new {@link IllegalCallerException} with {@code
     * message} each time it is called, linked instead of a C function when the JVM denies native
     * access (so that the sentence, not a class-initialisation error, reaches the caller).
     */
    private static MethodHandle refusing(MethodType type, String message) {
        try {
            MethodHandle make =
                    MethodHandles.lookup()
                            .findConstructor(
                                    IllegalCallerException.class,
                                    MethodType.methodType(void.class, String.class))
                            .bindTo(message);
            MethodHandle thrower =
                    MethodHandles.throwException(type.returnType(), IllegalCallerException.class);
            return MethodHandles.dropArguments(
                    MethodHandles.foldArguments(thrower, make), 0, type.parameterList());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Whether the JVM grants this module native access, decided once: {@code DENIED} is the
     * sentence to throw when it refuses, {@code null} when it grants (or only warns, in which case
     * the sentence is printed once on standard error).
     */
    private static final class Access {
        static final String DENIED = probe();

        private static String probe() {
            Module module = Native.class.getModule();
            if (module.isNativeAccessEnabled()) {
                return null;
            }
            try {
                // A restricted call: throws when the JVM denies native access, warns when it warns.
                LINKER.downcallHandle(
                        LIBC.find("getpid").orElseThrow(), FunctionDescriptor.of(C_INT));
            } catch (IllegalCallerException e) {
                return Platform.nativeAccessAdvice(module, true);
            }
            System.err.println(Platform.nativeAccessAdvice(module, false));
            return null;
        }
    }

    /**
     * Links a C function that reports failure through errno. The handle takes the capture segment
     * ({@link #errnoState()}) as its first argument.
     *
     * @param name the symbol
     * @param descriptor its C signature
     * @param options extra linker options (e.g. {@code firstVariadicArg})
     * @return the downcall handle
     */
    static MethodHandle downcallErrno(
            String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        // The capture segment is the handle's first parameter.
        MethodType type = descriptor.toMethodType().insertParameterTypes(0, MemorySegment.class);
        return link(name, descriptor, type, all);
    }

    /**
     * This thread's errno capture segment.
     *
     * @return a segment of {@code Linker.Option.captureStateLayout()}
     */
    static MemorySegment errnoState() {
        return Scratch.current().errnoState;
    }

    /**
     * The errno captured by the last call made with {@code state}.
     *
     * @param state the capture segment passed to the call
     * @return the errno value
     */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * This thread's {@code struct timespec} (16 bytes: seconds, nanoseconds) for timed calls.
     *
     * @return the segment
     */
    static MemorySegment timespec() {
        return Scratch.current().timespec;
    }

    /**
     * This thread's {@code struct pollfd} (8 bytes: fd, events, revents) for one-descriptor polls.
     *
     * @return the segment
     */
    static MemorySegment pollfd() {
        return Scratch.current().pollfd;
    }

    /**
     * This thread's {@code struct iovec} (16 bytes: base, length) for one-buffer vector calls.
     *
     * @return the segment
     */
    static MemorySegment iovec() {
        return Scratch.current().iovec;
    }

    /**
     * A per-thread native buffer of at least {@code size} bytes, for passing structs and message
     * bodies to calls that cannot take heap memory. Valid until the same thread asks again; never
     * hand it to another thread.
     *
     * @param size the number of bytes needed
     * @return a segment of exactly {@code size} bytes
     */
    public static MemorySegment scratch(long size) {
        return Scratch.current().buffer(size);
    }

    /**
     * This thread's whole scratch buffer, grown to at least {@code size} bytes: the same memory as
     * {@link #scratch(long)} uses, without the slice (so nothing is allocated once it is large
     * enough). Pass explicit lengths to the calls it goes to. Valid until the same thread asks
     * again; never hand it to another thread.
     *
     * @param size the number of bytes needed
     * @return a segment of at least {@code size} bytes
     */
    public static MemorySegment scratchAtLeast(long size) {
        return Scratch.current().room(size);
    }

    /**
     * A {@code ByteBuffer} over the whole buffer {@link #scratchAtLeast} returned last (its
     * position and limit are the caller's to set), for bulk copies to and from the caller's buffers
     * without a segment view per call.
     *
     * @return the view
     */
    public static java.nio.ByteBuffer scratchView() {
        return Scratch.current().view;
    }

    /**
     * Wraps a throwable from {@code invokeExact} (which declares {@code Throwable}).
     *
     * @param t what the handle threw
     * @return an unchecked error to throw
     */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    /** Per-thread native memory: the errno capture segment and a growable buffer. */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

        // An automatic arena per thread: freed by the GC when the thread (and so this object) is
        // gone. Arena.global() would leak one segment per thread, fatal with virtual threads.
        private final Arena arena = Arena.ofAuto();
        final MemorySegment errnoState = arena.allocate(CAPTURE_LAYOUT);
        final MemorySegment timespec = arena.allocate(Structs.TIMESPEC);
        final MemorySegment pollfd = arena.allocate(Structs.POLLFD);
        final MemorySegment iovec = arena.allocate(Structs.IOVEC);
        private MemorySegment buffer = arena.allocate(256, 16);
        java.nio.ByteBuffer view = buffer.asByteBuffer();

        static Scratch current() {
            return CURRENT.get();
        }

        MemorySegment buffer(long size) {
            return room(size).asSlice(0, size);
        }

        MemorySegment room(long size) {
            if (size < 0) {
                throw new IllegalArgumentException("size=" + size);
            }
            if (buffer.byteSize() < size) {
                long grown = Math.max(size, buffer.byteSize() * 2);
                buffer = Arena.ofAuto().allocate(grown, 16);
                view = grown <= Integer.MAX_VALUE ? buffer.asByteBuffer() : null;
            }
            return buffer;
        }
    }

    /** C type shorthands for descriptors. */
    static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;

    static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfLong C_SIZE_T = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    static final ValueLayout C_POINTER = ValueLayout.ADDRESS;
}
