/**
 * jipc: Unix inter-process communication for Java through the Foreign Function &amp; Memory API.
 *
 * <p>The module exports the public API packages only. The native boundary, {@code
 * io.jipc.internal.linux}, is the one package that touches {@code Linker}, downcall handles and C
 * struct layouts; it is not exported. Run with {@code --enable-native-access=io.jipc} (or {@code
 * ALL-UNNAMED} when the jar is on the class path) so that the JDK grants native access without a
 * warning.
 */
module io.jipc {
    exports io.jipc;
    exports io.jipc.struct;
    exports io.jipc.pipe;
    exports io.jipc.sysv;
    exports io.jipc.socket;
    exports io.jipc.posix;
    exports io.jipc.channel;
    exports io.jipc.poll;
}
