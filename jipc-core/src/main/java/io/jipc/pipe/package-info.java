/**
 * The pipe family: anonymous pipes ({@man pipe(2)}, {@man pipe(7)}), named pipes or FIFOs ({@man
 * mkfifo(3)}, {@man fifo(7)}) and child processes ({@man posix_spawn(3)}) that inherit exactly the
 * descriptors chosen for them, as stdin, stdout or any fd number.
 *
 * <p>Traps that apply here too (signals and interrupted calls, virtual threads) and what jipc does
 * about them: <a href="../doc-files/TRAPS.html">the traps</a>.
 */
package io.jipc.pipe;
