package io.jipc.cli;

import java.lang.reflect.InvocationTargetException;

/**
 * The entry point of the runnable jars ({@code java -jar jipc.jar ...}), compiled for Java 8 so
 * that any JVM can load it: on a JDK older than 25 it prints the same one sentence as the {@code
 * ./jipc} launcher and exits with 1, instead of the JVM's {@code UnsupportedClassVersionError}
 * about class-file version 69; on a JDK 25 or newer it runs {@link Main}.
 */
public final class JarMain {
    /** The feature release jipc needs. */
    static final int MIN_JAVA = 25;

    private JarMain() {}

    /**
     * Checks the JVM's version, then runs the {@code jipc} command line.
     *
     * @param args the arguments of {@code jipc}
     * @throws Throwable what the command line throws (it normally exits instead)
     */
    public static void main(String[] args) throws Throwable {
        String spec = System.getProperty("java.specification.version", "0");
        int feature = Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec);
        if (feature < MIN_JAVA) {
            System.err.println(
                    "jipc: needs a JDK "
                            + MIN_JAVA
                            + " or newer, and this is Java "
                            + System.getProperty("java.version")
                            + " ("
                            + System.getProperty("java.home")
                            + "); install one, e.g. Temurin "
                            + MIN_JAVA
                            + ", and use its java (or set JAVA_HOME to it).");
            System.exit(1);
        }
        try {
            // By name: this class is compiled for Java 8 and must not link Main (Java 25) itself.
            Class.forName("io.jipc.cli.Main")
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
