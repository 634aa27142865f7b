package io.jipc.sysv;

import io.jipc.IpcKey;
import io.jipc.internal.linux.Structs;

/**
 * The ownership and permissions of a System V object: C's {@code struct ipc_perm} (see {@man
 * sysvipc(7)}), as every status call reports it.
 *
 * @param key the key the object was created with ({@link IpcKey#PRIVATE} for a private object)
 * @param uid the owner's user id
 * @param gid the owner's group id
 * @param cuid the creator's user id
 * @param cgid the creator's group id
 * @param mode the permission bits (the low 9 bits, like {@code 0600}), plus the kernel's state bits
 *     above them for shared memory ({@code SHM_DEST} 01000, {@code SHM_LOCKED} 02000)
 * @param seq the slot usage sequence number
 */
public record IpcPermissions(IpcKey key, int uid, int gid, int cuid, int cgid, int mode, int seq) {

    static IpcPermissions of(Structs.IpcPerm p) {
        return new IpcPermissions(
                IpcKey.of(p.key()), p.uid(), p.gid(), p.cuid(), p.cgid(), p.mode(), p.seq());
    }

    /**
     * The permission bits only, e.g. {@code 0600}.
     *
     * @return {@code mode & 0777}
     */
    public int permissionBits() {
        return mode & 0777;
    }

    /**
     * The permission bits in octal as {@code ipcs} prints them, e.g. {@code "600"}.
     *
     * @return the octal text
     */
    public String modeOctal() {
        return Integer.toOctalString(permissionBits());
    }
}
