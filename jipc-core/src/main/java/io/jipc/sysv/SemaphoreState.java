package io.jipc.sysv;

/**
 * One semaphore of a set as {@man semctl(2)} reports it, for tools like {@code jipc sem stat}.
 *
 * @param index its index in the set
 * @param value its value ({@code GETVAL})
 * @param waitingForIncrease how many processes (threads) wait for it to grow ({@code GETNCNT})
 * @param waitingForZero how many wait for it to become zero ({@code GETZCNT})
 * @param lastPid the process that made the last operation on it ({@code GETPID}), 0 if none
 */
public record SemaphoreState(
        int index, int value, int waitingForIncrease, int waitingForZero, int lastPid) {}
