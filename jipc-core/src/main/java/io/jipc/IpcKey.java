package io.jipc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A System V IPC key ({@code key_t}): the name under which unrelated processes find the same
 * message queue, semaphore set or shared memory segment.
 *
 * <p>Keys usually come from {@link #ftok(Path, int)}, exactly as C's {@man ftok(3)} computes them,
 * so a Java and a C process that call {@code ftok} on the same file with the same project id meet
 * on the same object. Beware: {@code ftok} keeps only the low 16 bits of the inode and 8 bits of
 * the device, so different files can collide; and the key changes if the file is deleted and
 * re-created. {@link #PRIVATE} ({@code IPC_PRIVATE}) always creates a new object.
 *
 * @param value the 32-bit key as C's {@code key_t} holds it
 */
public record IpcKey(int value) {

    /** {@code IPC_PRIVATE}: a key that always creates a new, unnamed object. */
    public static final IpcKey PRIVATE = new IpcKey(0);

    /**
     * A key from its numeric value.
     *
     * @param value the key
     * @return the key
     */
    public static IpcKey of(int value) {
        return new IpcKey(value);
    }

    /**
     * Computes the key {@man ftok(3)} gives for a file and a project id: {@code (proj & 0xff) << 24
     * | (st_dev & 0xff) << 16 | (st_ino & 0xffff)}, as glibc does.
     *
     * @param path an existing file (symbolic links are followed, as {@man stat(2)} does)
     * @param proj the project id, 1..255 (glibc keeps 8 bits; 0 is refused as ambiguous)
     * @return the key
     * @throws java.nio.file.NoSuchFileException if the path does not exist or is empty (as C's
     *     {@code ftok("")} fails with {@code ENOENT})
     * @throws java.nio.file.AccessDeniedException if a directory on the path is not searchable
     * @throws IOException if the file cannot be examined
     * @throws IllegalArgumentException if {@code proj} is outside 1..255
     */
    public static IpcKey ftok(Path path, int proj) throws IOException {
        if (proj < 1 || proj > 255) {
            throw new IllegalArgumentException("proj=" + proj + " (must be 1..255)");
        }
        if (path.toString().isEmpty()) {
            // stat("") fails with ENOENT, so ftok("") does; Java would resolve "" to the current
            // directory.
            throw new java.nio.file.NoSuchFileException(
                    "", null, "ENOENT: ftok(3) of an empty path fails, as stat(2) of it does");
        }
        long dev = ((Number) Files.getAttribute(path, "unix:dev")).longValue();
        long ino = ((Number) Files.getAttribute(path, "unix:ino")).longValue();
        return new IpcKey(
                (int) ((ino & 0xffff) | ((dev & 0xff) << 16) | ((long) (proj & 0xff) << 24)));
    }

    /**
     * Computes the key {@man ftok(3)} gives for a file and a project character, as the classic C
     * programs write it: {@code ftok("/etc/services", 'g')}.
     *
     * @param path an existing file
     * @param proj a character whose code is 1..255
     * @return the key
     * @throws java.nio.file.NoSuchFileException if the path does not exist
     * @throws IOException if the file cannot be examined
     * @throws IllegalArgumentException if the character's code is outside 1..255
     */
    public static IpcKey ftok(Path path, char proj) throws IOException {
        return ftok(path, (int) proj);
    }

    /**
     * Parses a key written as hexadecimal ({@code 0x67001234}, up to 8 digits, as {@code ipcs}
     * prints it) or as a decimal {@code int} (negative allowed, as {@code key_t} is signed).
     *
     * @param text the text
     * @return the key
     * @throws IllegalArgumentException if the text is not a 32-bit key
     */
    public static IpcKey parse(String text) {
        String t = text.trim();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                String hex = t.substring(2);
                if (hex.isEmpty() || hex.length() > 8) {
                    throw new NumberFormatException();
                }
                return new IpcKey(Integer.parseUnsignedInt(hex, 16));
            }
            return new IpcKey(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "key="
                            + text
                            + " is not a key (expected 0x followed by up to 8 hex digits, or a decimal int)",
                    e);
        }
    }

    /**
     * Whether this is {@code IPC_PRIVATE}.
     *
     * @return true for key 0
     */
    public boolean isPrivate() {
        return value == 0;
    }

    /**
     * The key as C prints it with {@code "0x%08x"}, e.g. {@code "0x67001234"}.
     *
     * @return the hexadecimal form
     */
    @Override
    public String toString() {
        return String.format("0x%08x", value);
    }
}
