package io.jipc.examples;

/**
 * The options of the counter examples ({@code sem-counter}, {@code psem-counter}): {@code [java=N]
 * [c=N c-binary=PATH] [rounds=R]}, as NAME=VALUE (what {@code jipc example} passes through), {@code
 * --NAME VALUE} or {@code --NAME=VALUE}.
 *
 * @param java Java child processes
 * @param c C child processes
 * @param cBinary the compiled C twin, for {@code c > 0}
 * @param rounds increments per child
 */
record CounterRun(int java, int c, String cBinary, int rounds) {

    /**
     * Parses the options.
     *
     * @param args the arguments
     * @param example the example's name, e.g. {@code sem-counter}
     * @param cSource the C twin's file, e.g. {@code sem_counter.c}
     * @return the run
     * @throws IllegalArgumentException with the problem, for the usage message
     */
    static CounterRun parse(String[] args, String example, String cSource) {
        int java = 20;
        int c = 0;
        int rounds = 1;
        String cBinary = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name;
            String value;
            if (a.contains("=")) {
                name = a.substring(a.startsWith("--") ? 2 : 0, a.indexOf('='));
                value = a.substring(a.indexOf('=') + 1);
            } else if (a.startsWith("--") && i + 1 < args.length) {
                name = a.substring(2);
                value = args[++i];
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
            switch (name) {
                case "java" -> java = count(name, value);
                case "c" -> c = count(name, value);
                case "c-binary" -> cBinary = value;
                case "rounds" -> rounds = count(name, value);
                default -> throw new IllegalArgumentException("unknown option '" + name + "'");
            }
        }
        if (c > 0 && cBinary == null) {
            String exe = cSource.replaceFirst("\\.c$", "");
            throw new IllegalArgumentException(
                    "c=N needs c-binary=PATH (compile: ./jipc example --source "
                            + example
                            + " > "
                            + cSource
                            + " && gcc -O2 -o "
                            + exe
                            + " "
                            + cSource
                            + ")");
        }
        return new CounterRun(java, c, cBinary, rounds);
    }

    /** A count of processes or rounds: a number >= 0. */
    private static int count(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + "=" + value + " is not a count (a number >= 0)");
    }
}
