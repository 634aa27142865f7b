package io.jipc.examples;

/**
 * One of the seed's classic programs, runnable as {@code ./jipc example NAME [ARGS...]}. Each has a
 * C twin under {@code src/main/c} that speaks the same protocol. Implementations are listed in
 * {@code META-INF/services/io.jipc.examples.Example}.
 */
public interface Example {
    /**
     * The name used on the command line, e.g. {@code "mq-receiver"}.
     *
     * @return the name
     */
    String name();

    /**
     * One line saying what the program does and which end it is.
     *
     * @return the description
     */
    String description();

    /**
     * The file name of the C twin under {@code src/main/c}, e.g. {@code "mq_receiver.c"}.
     *
     * @return the C source's file name
     */
    String cTwin();

    /**
     * Runs the program.
     *
     * @param args its arguments
     * @return the process exit code
     * @throws Exception if the program fails
     */
    int run(String... args) throws Exception;
}
