package io.jipc.examples;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The registry of examples ({@link Example} services), by name. */
public final class Examples {
    private Examples() {}

    /**
     * Every example, sorted by name.
     *
     * @return name to example
     */
    public static Map<String, Example> all() {
        Map<String, Example> m = new TreeMap<>();
        for (Example e : ServiceLoader.load(Example.class, Examples.class.getClassLoader())) {
            m.put(e.name(), e);
        }
        return m;
    }

    /**
     * Runs an example as its own {@code main}: exits with the code it returns; arguments it cannot
     * use ({@link UsageError}) are one line on standard error and exit 2.
     *
     * @param example the example
     * @param args its arguments
     * @throws Exception what the example throws
     */
    public static void main(Example example, String[] args) throws Exception {
        int code;
        try {
            code = example.run(args);
        } catch (UsageError e) {
            System.err.println(
                    example.name() + ": " + e.reason() + "; the arguments are " + e.synopsis());
            code = 2;
        }
        System.exit(code);
    }

    /**
     * One example by name.
     *
     * @param name the name
     * @return the example, if there is one by that name
     */
    public static Optional<Example> named(String name) {
        return Optional.ofNullable(all().get(name));
    }
}
