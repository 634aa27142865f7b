package io.jipc.examples;

import io.jipc.IpcKey;
import io.jipc.RemovedException;
import io.jipc.sysv.Message;
import io.jipc.sysv.MessageQueue;
import io.jipc.sysv.Select;

/**
 * The passive end of the seed's message queue pair (twin of {@code mq_receiver.c}): runs first,
 * creates the queue {@code ftok("/etc/services", 'g')} with mode 0600, and prints every {@link
 * MqProtocol} record it receives. With a COUNT it stops after that many and removes the queue;
 * without one it runs until interrupted (Ctrl-C), and removes the queue then too.
 *
 * <p>Run: {@code ./jipc example mq-receiver [COUNT]}, then {@code ./jipc example mq-sender} in
 * another terminal.
 */
public final class MqReceiver implements Example {
    /** Creates the example (a service). */
    public MqReceiver() {}

    @Override
    public String name() {
        return "mq-receiver";
    }

    @Override
    public String description() {
        return "Message queue, passive end: create ftok(/etc/services,'g'), print received scores. [COUNT]";
    }

    @Override
    public String cTwin() {
        return "mq_receiver.c";
    }

    @Override
    public int run(String... args) throws Exception {
        long count = args.length > 0 ? Long.parseLong(args[0]) : Long.MAX_VALUE;
        IpcKey key = MqProtocol.key();
        MessageQueue q = MessageQueue.create(key, 0600);
        // A System V queue outlives this process: remove it however we stop (Ctrl-C included).
        Thread cleanup =
                new Thread(
                        () -> {
                            try {
                                q.remove();
                            } catch (Exception alreadyGone) {
                                // removed by someone else
                            }
                        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        System.err.println("mq-receiver: waiting on msqid " + q.id() + " (key " + key + ")");
        try {
            for (long i = 0; i < count; i++) {
                Message m = q.receive(Select.any(), MqProtocol.BODY_SIZE);
                System.out.print(MqProtocol.decode(m.body()).describe());
                System.out.flush();
            }
        } catch (RemovedException e) {
            System.err.println("mq-receiver: the queue was removed");
            return 1;
        }
        return 0;
    }

    /**
     * Runs the example.
     *
     * @param args {@code [COUNT]}
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new MqReceiver(), args);
    }
}
