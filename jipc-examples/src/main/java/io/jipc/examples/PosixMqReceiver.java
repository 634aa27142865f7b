package io.jipc.examples;

import io.jipc.posix.PosixMessage;
import io.jipc.posix.PosixMessageQueue;

/**
 * The passive end of the message queue pair on a POSIX queue (twin of {@code pmq_receiver.c}; the
 * System V pair is {@code mq-receiver}/{@code mq-sender}): runs first, creates the queue {@code
 * "/jipc-scores"} (mode 0600, 10 messages of 40 bytes: the seed's {@code struct msg_st} without
 * {@code mtype}) and prints every record it receives with its priority, highest priority first.
 * With a COUNT it stops after that many; without one it runs until interrupted (Ctrl-C). Either way
 * it unlinks the queue's name.
 *
 * <p>Run: {@code ./jipc example pmq-receiver [COUNT]}, then {@code ./jipc example pmq-sender} in
 * another terminal (or the C twin {@code pmq_sender}).
 */
public final class PosixMqReceiver implements Example {
    /** Creates the example (a service). */
    public PosixMqReceiver() {}

    @Override
    public String name() {
        return "pmq-receiver";
    }

    @Override
    public String description() {
        return "POSIX message queue, passive end: create /jipc-scores, print received scores by priority. [COUNT]";
    }

    @Override
    public String cTwin() {
        return "pmq_receiver.c";
    }

    @Override
    public int run(String... args) throws Exception {
        long count = args.length > 0 ? Long.parseLong(args[0]) : Long.MAX_VALUE;
        try (PosixMessageQueue q =
                PosixMessageQueue.create(MqProtocol.POSIX_QUEUE, 0600, 10, MqProtocol.BODY_SIZE)) {
            // A POSIX queue outlives this process until its name is unlinked: do it however we
            // stop.
            Thread cleanup =
                    new Thread(
                            () -> {
                                try {
                                    PosixMessageQueue.unlink(MqProtocol.POSIX_QUEUE);
                                } catch (Exception alreadyGone) {
                                    // unlinked by someone else
                                }
                            });
            Runtime.getRuntime().addShutdownHook(cleanup);
            System.err.println("pmq-receiver: waiting on " + q.name());
            for (long i = 0; i < count; i++) {
                PosixMessage m = q.receive();
                System.out.print(
                        "PRIORITY = "
                                + m.priority()
                                + "\n"
                                + MqProtocol.decode(m.body()).describe());
                System.out.flush();
            }
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
        Examples.main(new PosixMqReceiver(), args);
    }
}
