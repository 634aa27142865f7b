package io.jipc.examples;

import io.jipc.sysv.MessageQueue;

/**
 * The active end of the seed's message queue pair (twin of {@code mq_sender.c}): opens the queue
 * the receiver created ({@code ftok("/etc/services", 'g')}), sends one {@link MqProtocol} record
 * with type 1 and prints {@code ok!}. Without arguments it sends "Alan" with random scores.
 *
 * <p>Run: {@code ./jipc example mq-sender [NAME MATH CHINESE]} while {@code mq-receiver} runs.
 */
public final class MqSender implements Example {
    /** Creates the example (a service). */
    public MqSender() {}

    @Override
    public String name() {
        return "mq-sender";
    }

    @Override
    public String description() {
        return "Message queue, active end: send one score record to the receiver. [NAME MATH CHINESE]";
    }

    @Override
    public String cTwin() {
        return "mq_sender.c";
    }

    @Override
    public int run(String... args) throws Exception {
        MqProtocol record = MqProtocol.fromArgs(args);
        MessageQueue q = MessageQueue.open(MqProtocol.key());
        q.send(MqProtocol.MTYPE, record.encode());
        System.out.println("ok!");
        return 0;
    }

    /**
     * Runs the example.
     *
     * @param args {@code [NAME MATH CHINESE]}
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new MqSender(), args);
    }
}
