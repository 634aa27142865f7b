package io.jipc.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

/**
 * The C twins of {@link HotPathBench}: {@code src/main/c/hot_path.c}, compiled by gcc into a shared
 * library on first use and called through one downcall per batch of rounds. This is the benchmark's
 * own yardstick, not a use of the library: jipc's calls go through the public API in {@link
 * HotPathBench}; here C code makes the same calls with nothing in between.
 */
@SuppressWarnings("restricted")
final class CTwins {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    final MethodHandle mqSendReceive;
    final MethodHandle mqTryReceiveEmpty;
    final MethodHandle semUpDown;
    final MethodHandle semTryDownOnZero;
    final MethodHandle shmHandoff;
    final MethodHandle fdWriteRead;
    final MethodHandle sockSendReceive;
    final MethodHandle sockSendmsgRecvmsg;

    private CTwins(SymbolLookup lib) {
        Linker l = Linker.nativeLinker();
        mqSendReceive =
                l.downcallHandle(
                        find(lib, "mq_send_receive"),
                        FunctionDescriptor.of(LONG, INT, PTR, PTR, LONG));
        mqTryReceiveEmpty =
                l.downcallHandle(
                        find(lib, "mq_try_receive_empty"), FunctionDescriptor.of(LONG, INT, LONG));
        semUpDown =
                l.downcallHandle(find(lib, "sem_up_down"), FunctionDescriptor.of(LONG, INT, LONG));
        semTryDownOnZero =
                l.downcallHandle(
                        find(lib, "sem_try_down_on_zero"), FunctionDescriptor.of(LONG, INT, LONG));
        shmHandoff =
                l.downcallHandle(
                        find(lib, "shm_handoff"),
                        FunctionDescriptor.of(LONG, INT, PTR, PTR, PTR, LONG));
        fdWriteRead =
                l.downcallHandle(
                        find(lib, "fd_write_read"),
                        FunctionDescriptor.of(LONG, INT, INT, PTR, PTR, LONG));
        sockSendReceive =
                l.downcallHandle(
                        find(lib, "sock_send_receive"),
                        FunctionDescriptor.of(LONG, INT, INT, PTR, PTR, LONG));
        sockSendmsgRecvmsg =
                l.downcallHandle(
                        find(lib, "sock_sendmsg_recvmsg"),
                        FunctionDescriptor.of(LONG, INT, INT, PTR, PTR, LONG, INT));
    }

    /**
     * libc's {@code semop} as any FFM binding links it (errno captured, not critical): the
     * yardstick of what the downcall itself costs, without jipc around it.
     */
    static final MethodHandle SEMOP =
            Linker.nativeLinker()
                    .downcallHandle(
                            Linker.nativeLinker().defaultLookup().find("semop").orElseThrow(),
                            FunctionDescriptor.of(INT, INT, PTR, LONG),
                            Linker.Option.captureCallState("errno"));

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name)
                .orElseThrow(() -> new IllegalStateException("hot_path.c has no " + name));
    }

    /**
     * Builds (once) and loads the twins.
     *
     * @return the twins
     * @throws IllegalStateException if gcc cannot build them
     */
    static CTwins load() {
        Path so =
                Harness.build("hot_path.c", "hot_path.so", List.of("-shared", "-fPIC"), line -> {})
                        .orElseThrow(() -> new IllegalStateException(Harness.buildFailure()));
        return new CTwins(SymbolLookup.libraryLookup(so, Arena.global()));
    }

    /** Fails a benchmark whose C loop saw a failed call. */
    static long check(long bad, String what) {
        if (bad != 0) {
            throw new IllegalStateException(what + ": " + bad + " failed rounds in C");
        }
        return bad;
    }
}
