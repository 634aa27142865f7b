package io.jipc.bench;

import java.util.Locale;

/** The mechanisms {@code jipc bench} measures between two processes. */
public enum Mechanism {
    /** An anonymous pipe in each direction (pipe(2)); jipc {@code io.jipc.pipe.Pipe}. */
    PIPE("pipe", "pipe"),
    /** A named pipe in each direction (mkfifo(3)); jipc {@code io.jipc.pipe.Fifo}. */
    FIFO("fifo", "FIFO"),
    /** One System V message queue, a message type per direction (msgsnd(2), msgrcv(2)). */
    MQ("mq", "SysV message queue"),
    /** System V semaphore ping-pong without payload (semop(2)). */
    SEM("sem", "SysV semaphores"),
    /** System V shared memory, handed over with a semaphore handshake (shmat(2), semop(2)). */
    SHM("shm", "SysV shm + semaphores"),
    /** Unix-domain stream socket through jipc's {@code UnixSocket} on a socketpair (unix(7)). */
    UDS_STREAM("uds-stream", "UDS stream"),
    /** Unix-domain datagram socket through jipc's {@code UnixSocket} on a socketpair. */
    UDS_DGRAM("uds-dgram", "UDS datagram"),
    /** Unix-domain seqpacket socket through jipc's {@code UnixSocket} on a socketpair. */
    UDS_SEQPACKET("uds-seqpacket", "UDS seqpacket"),
    /** TCP over loopback with TCP_NODELAY (tcp(7)), JDK {@code SocketChannel}. */
    TCP("tcp", "TCP loopback"),
    /**
     * UDP over loopback (udp(7)), JDK {@code DatagramChannel}; throughput counts delivered
     * datagrams.
     */
    UDP("udp", "UDP loopback"),
    /**
     * A POSIX message queue per direction (mq_send(3), mq_receive(3)); jipc {@code
     * PosixMessageQueue}.
     */
    POSIX_MQ("posix-mq", "POSIX message queue"),
    /**
     * Named POSIX semaphore ping-pong without payload (sem_post(3), sem_wait(3)); jipc {@code
     * NamedSemaphore}.
     */
    POSIX_SEM("posix-sem", "POSIX semaphores"),
    /**
     * jipc's shared-memory channel ({@code io.jipc.channel}, {@code c/include/jipc_channel.h}),
     * both sides busy-spinning while they wait; beside Aeron IPC and Agrona's ring buffer ({@link
     * ChannelPair}).
     */
    CHANNEL("channel", "channel (spin)"),
    /** The same channel with both sides sleeping in a futex wait at once (no spin, no yield). */
    CHANNEL_PARK("channel-park", "channel (futex)");

    private final String id;
    private final String label;

    Mechanism(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /**
     * The short name used on the command line and in JSON.
     *
     * @return e.g. {@code uds-dgram}
     */
    public String id() {
        return id;
    }

    /**
     * A readable name for tables and charts.
     *
     * @return e.g. {@code UDS datagram}
     */
    public String label() {
        return label;
    }

    /**
     * Whether the mechanism carries a payload (semaphores alone do not: no MB/s for them).
     *
     * @return false for {@link #SEM} and {@link #POSIX_SEM}
     */
    public boolean carriesData() {
        return this != SEM && this != POSIX_SEM;
    }

    /**
     * Whether this is a shared-memory channel row, whose pairs are jipc in Java and C, Aeron IPC
     * and Agrona ({@link ChannelPair}).
     *
     * @return true for {@link #CHANNEL} and {@link #CHANNEL_PARK}
     */
    public boolean isChannel() {
        return this == CHANNEL || this == CHANNEL_PARK;
    }

    /**
     * The mechanism with this short name.
     *
     * @param id a short name, e.g. {@code mq}
     * @return the mechanism
     * @throws IllegalArgumentException if no mechanism has that name
     */
    public static Mechanism of(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        for (Mechanism m : values()) {
            if (m.id.equals(s)) {
                return m;
            }
        }
        StringBuilder all = new StringBuilder();
        for (Mechanism m : values()) {
            all.append(all.isEmpty() ? "" : ", ").append(m.id);
        }
        throw new IllegalArgumentException("unknown mechanism '" + id + "' (known: " + all + ")");
    }
}
