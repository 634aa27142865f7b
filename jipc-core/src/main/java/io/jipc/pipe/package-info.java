/**
 * Anonymous pipes (pipe(2)), named pipes (mkfifo(3)) and child processes that inherit chosen
 * descriptors.
 */
package io.jipc.pipe;
