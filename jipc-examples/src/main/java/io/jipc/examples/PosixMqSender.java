package io.jipc.examples;

import io.jipc.posix.Access;
import io.jipc.posix.PosixMessageQueue;

/**
 * The active end of the message queue pair on a POSIX queue (twin of {@code pmq_sender.c}): opens
 * {@code "/jipc-scores"}, which the receiver created, for writing, sends one record with the given
 * priority (default 1) and prints {@code ok!}. Without arguments it sends "Alan" with random
 * scores.
 *
 * <p>Run: {@code ./jipc example pmq-sender [NAME MATH CHINESE [PRIORITY]]} while {@code
 * pmq-receiver} runs.
 */
public final class PosixMqSender implements Example {
    /** Creates the example (a service). */
    public PosixMqSender() {}

    @Override
    public String name() {
        return "pmq-sender";
    }

    @Override
    public String description() {
        return "POSIX message queue, active end: send one score record to /jipc-scores. [NAME MATH CHINESE [PRIORITY]]";
    }

    @Override
    public String cTwin() {
        return "pmq_sender.c";
    }

    @Override
    public int run(String... args) throws Exception {
        MqProtocol record = MqProtocol.fromArgs(args);
        int priority = args.length >= 4 ? Integer.parseInt(args[3]) : 1;
        try (PosixMessageQueue q =
                PosixMessageQueue.open(MqProtocol.POSIX_QUEUE, Access.WRITE_ONLY)) {
            q.send(priority, record.encode());
        }
        System.out.println("ok!");
        return 0;
    }

    /**
     * Runs the example.
     *
     * @param args {@code [NAME MATH CHINESE [PRIORITY]]}
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        Examples.main(new PosixMqSender(), args);
    }
}
