package io.jipc;

import io.jipc.internal.linux.LibC;
import io.jipc.internal.linux.Platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What this process may do with IPC objects: its effective user, the Linux capabilities that bypass
 * IPC permission checks or raise IPC limits, and the IPC namespace it lives in. See {@man
 * capabilities(7)}, {@man ipc_namespaces(7)}.
 */
public final class Capabilities {
    private Capabilities() {}

    /** The capabilities that matter to IPC, with their numbers from linux/capability.h. */
    public enum Capability {
        /** Bypass file read/write/execute permission checks. */
        CAP_DAC_OVERRIDE(1),
        /** Lock memory ({@code SHM_LOCK}, {@code SHM_HUGETLB} beyond the group limit). */
        CAP_IPC_LOCK(14),
        /** Bypass permission checks on System V IPC objects. */
        CAP_IPC_OWNER(15),
        /** {@code IPC_SET}/{@code IPC_RMID} on objects one does not own, among much else. */
        CAP_SYS_ADMIN(21),
        /**
         * Raise a queue's {@code msg_qbytes} above {@code msgmnb}, a pipe above {@code
         * pipe-max-size}.
         */
        CAP_SYS_RESOURCE(24);

        private final int bit;

        Capability(int bit) {
            this.bit = bit;
        }

        /**
         * The capability's number.
         *
         * @return the bit index in the capability sets
         */
        public int bit() {
            return bit;
        }
    }

    /**
     * The effective user id ({@man geteuid(2)}).
     *
     * @return the uid
     */
    public static int effectiveUid() {
        return LibC.geteuid();
    }

    /**
     * The IPC capabilities in this process's effective set ({@code CapEff} of {@code
     * /proc/self/status}).
     *
     * @return the capabilities held
     */
    public static Set<Capability> effective() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    Set<Capability> held = EnumSet.noneOf(Capability.class);
                    for (Capability c : Capability.values()) {
                        if ((mask & (1L << c.bit)) != 0) {
                            held.add(c);
                        }
                    }
                    return held;
                }
            }
            return EnumSet.noneOf(Capability.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status", e);
        }
    }

    /**
     * The IPC namespace, as {@code readlink /proc/self/ns/ipc} shows it ({@code ipc:[4026531839]}).
     * Processes in different IPC namespaces never see each other's System V objects.
     *
     * @return the namespace, or empty if it cannot be read
     */
    public static Optional<String> ipcNamespace() {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc/self/ns/ipc")).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Why jipc cannot run here, or empty when this platform (Linux x86_64) is supported.
     *
     * @return the reason, if any
     */
    public static Optional<String> unsupportedReason() {
        return Optional.ofNullable(Platform.unsupportedReason());
    }
}
