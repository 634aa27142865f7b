package io.jipc.sysv;

import io.jipc.IpcKey;

/**
 * Run as an unprivileged user by {@link MessageQueueTest}: tries each operation on a queue it may
 * not use and prints one line per operation, {@code NAME: OUTCOME}, where OUTCOME is the
 * exception's simple class name and errno, or {@code ok}.
 */
public final class MqPermissionChild {
    private MqPermissionChild() {}

    interface Op {
        Object run() throws Exception;
    }

    /**
     * Entry point.
     *
     * @param args the queue's key (hex) and id
     */
    public static void main(String[] args) {
        IpcKey key = IpcKey.parse(args[0]);
        int id = Integer.parseInt(args[1]);
        report("open", () -> MessageQueue.open(key));
        report("create", () -> MessageQueue.create(key, 0600));
        report("send", () -> MessageQueue.ofId(id).trySend(1, new byte[] {1}));
        report("receive", () -> MessageQueue.ofId(id).tryReceive(Select.any(), 8));
        report("status", () -> MessageQueue.ofId(id).status());
        report(
                "key",
                () -> {
                    IpcKey seen =
                            MessageQueue.ofId(id)
                                    .key(); // IPC_STAT is refused: read from /proc/sysvipc/msg
                    if (!seen.equals(key)) {
                        throw new IllegalStateException("key " + seen + " instead of " + key);
                    }
                    return seen;
                });
        report(
                "remove",
                () -> {
                    MessageQueue.ofId(id).remove();
                    return null;
                });
    }

    private static void report(String name, Op op) {
        String outcome;
        try {
            op.run();
            outcome = "ok";
        } catch (io.jipc.IpcException e) {
            outcome = e.getClass().getSimpleName() + " " + e.errno() + " | " + e.getMessage();
        } catch (Exception e) {
            outcome = e.toString();
        }
        System.out.println(name + ": " + outcome);
    }
}
