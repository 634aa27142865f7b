package io.jipc.channel;

import java.util.List;

/**
 * A snapshot of a channel's shared state ({@link Channel#status()}), read without taking any role:
 * positions move while it is taken, so figures are consistent only with themselves.
 *
 * @param kind SPSC or MPSC
 * @param capacity the data area in bytes
 * @param maxMessage the longest message
 * @param head the reader's position (bytes consumed since creation)
 * @param tail the claim position (bytes claimed since creation)
 * @param messages committed messages waiting between head and the first uncommitted record
 * @param reader the reader's pid, or 0 if no reader is attached
 * @param readerAlive whether that reader's process runs
 * @param readerWaiting whether the reader announced that it sleeps (waiters bit of the reader
 *     signal)
 * @param writersWaiting whether writers announced that they wait for room
 * @param abandoned claims of dead writers the readers skipped so far
 * @param writers the occupied entries of the writer table
 */
public record ChannelStatus(
        ChannelKind kind,
        long capacity,
        int maxMessage,
        long head,
        long tail,
        long messages,
        int reader,
        boolean readerAlive,
        boolean readerWaiting,
        boolean writersWaiting,
        long abandoned,
        List<Writer> writers) {

    /**
     * Creates a status; copies the list.
     *
     * @param kind SPSC or MPSC
     * @param capacity the data area in bytes
     * @param maxMessage the longest message
     * @param head the reader's position
     * @param tail the claim position
     * @param messages committed messages waiting
     * @param reader the reader's pid or 0
     * @param readerAlive whether the reader runs
     * @param readerWaiting whether the reader sleeps
     * @param writersWaiting whether writers wait for room
     * @param abandoned claims skipped
     * @param writers the occupied writer entries
     */
    public ChannelStatus {
        writers = List.copyOf(writers);
    }

    /**
     * Bytes claimed and not yet consumed ({@code tail - head}).
     *
     * @return the bytes in use
     */
    public long used() {
        return tail - head;
    }

    /**
     * One occupied entry of the writer table.
     *
     * @param slot the entry's index
     * @param pid the writer's pid
     * @param alive whether the writer's process runs (a dead writer's entry stays until reused)
     * @param claimPosition the position of the writer's last claim
     * @param claimSize the bytes of its last claim (with padding)
     */
    public record Writer(int slot, int pid, boolean alive, long claimPosition, long claimSize) {}
}
