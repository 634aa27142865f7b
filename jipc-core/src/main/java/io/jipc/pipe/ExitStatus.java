package io.jipc.pipe;

/**
 * How a child process ended (the {@code wstatus} of {@man waitpid(2)}): it exited with a code, or a
 * signal killed it.
 *
 * @param code the exit code (0-255) when it exited, -1 when a signal killed it
 * @param signal the signal number that killed it, 0 when it exited
 */
public record ExitStatus(int code, int signal) {

    /**
     * Decodes a {@code wstatus} ({@code WIFEXITED}, {@code WEXITSTATUS}, {@code WTERMSIG}).
     *
     * @param wstatus what waitpid stored
     * @return the status
     */
    static ExitStatus of(int wstatus) {
        int sig = wstatus & 0x7f;
        return sig == 0 ? new ExitStatus((wstatus >> 8) & 0xff, 0) : new ExitStatus(-1, sig);
    }

    /**
     * Whether the process exited (called exit or returned from main).
     *
     * @return true if it exited
     */
    public boolean exited() {
        return signal == 0;
    }

    /**
     * Whether it exited with code 0.
     *
     * @return true on success
     */
    public boolean success() {
        return signal == 0 && code == 0;
    }

    @Override
    public String toString() {
        return exited() ? "exited with code " + code : "killed by signal " + signal;
    }
}
