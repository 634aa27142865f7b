package io.jipc.outside;

import io.jipc.sysv.MessageQueue;

/**
 * Child of {@link NativeAccessTest}: makes a first jipc call twice and prints what happened, one
 * line per call ({@code ok} or {@code refused: MESSAGE}).
 */
public final class NativeAccessChild {
    private NativeAccessChild() {}

    /**
     * Entry point.
     *
     * @param args none
     * @throws Exception on an unexpected failure
     */
    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 2; i++) {
            try {
                MessageQueue.createPrivate(0600).remove();
                System.out.println("ok");
            } catch (IllegalCallerException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }
}
