package io.jipc.testkit;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * A small seeded property runner: a property is checked on {@code tries} inputs drawn by a {@link
 * Gen generator}, edge cases first, then random inputs that start small and grow.
 *
 * <p>Every run has one seed: {@code -Djipc.seed=N} when given (Maven passes it on to the test
 * JVMs), otherwise a fresh one. Try {@code i} draws from a {@link Random} made from the seed and
 * {@code i} alone, so the same seed gives the same inputs. A failing try throws an {@link
 * AssertionError} that names the property, the seed, the try and the input, with the failure as its
 * cause; rerun with {@code -Djipc.seed=N} to see it again. There is no shrinking: inputs start
 * small instead.
 *
 * <pre>{@code
 * Props.forAll("a key reads back", 100, Gen.ints(), k -> assertEquals(k, parse(print(k))));
 * }</pre>
 */
public final class Props {
    /** The system property that fixes the seed of every property run. */
    public static final String SEED_PROPERTY = "jipc.seed";

    private Props() {}

    /**
     * A property: passes by returning, fails by throwing.
     *
     * @param <T> the input's type
     */
    @FunctionalInterface
    public interface Check<T> {
        /**
         * Checks the property on one input.
         *
         * @param input the input
         * @throws Exception when the property does not hold (as any {@link AssertionError} does)
         */
        void check(T input) throws Exception;
    }

    /**
     * Checks a property on {@code tries} inputs, with the seed of {@code -Djipc.seed} or a fresh
     * one.
     *
     * @param <T> the input's type
     * @param name what the property says, as the failure names it
     * @param tries how many inputs to check
     * @param generator draws the inputs
     * @param property the check
     * @throws AssertionError naming the property, seed, try and input of the first failing try
     */
    public static <T> void forAll(
            String name, int tries, Gen<T> generator, Check<? super T> property) {
        forAll(name, seed(), tries, generator, property);
    }

    /**
     * Checks a property on {@code tries} inputs drawn with a given seed (what {@code -Djipc.seed}
     * does for every property at once).
     *
     * @param <T> the input's type
     * @param name what the property says, as the failure names it
     * @param seed the seed
     * @param tries how many inputs to check
     * @param generator draws the inputs
     * @param property the check
     * @throws AssertionError naming the property, seed, try and input of the first failing try
     */
    public static <T> void forAll(
            String name, long seed, int tries, Gen<T> generator, Check<? super T> property) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries=" + tries + " (must be 1 or more)");
        }
        for (int i = 0; i < tries; i++) {
            String where =
                    "property '"
                            + name
                            + "' failed on try "
                            + (i + 1)
                            + " of "
                            + tries
                            + " (seed "
                            + seed
                            + "; rerun with -D"
                            + SEED_PROPERTY
                            + "="
                            + seed
                            + ")";
            T input;
            try {
                input = generator.next(new Sample(seed, i, tries, true));
            } catch (RuntimeException e) {
                throw new AssertionError(where + "\n  the generator failed: " + e, e);
            }
            try {
                property.check(input);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(
                        where + "\n  input: " + describe(input) + "\n  failure: " + e, e);
            }
        }
    }

    /**
     * The seed of this run: {@code -Djipc.seed=N} when given, otherwise a fresh random one.
     *
     * @return the seed
     * @throws IllegalArgumentException when {@code jipc.seed} is not a decimal long
     */
    static long seed() {
        String given = System.getProperty(SEED_PROPERTY);
        if (given == null || given.isBlank()) {
            return ThreadLocalRandom.current().nextLong();
        }
        try {
            return Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "-D" + SEED_PROPERTY + "=" + given + " is not a decimal long", e);
        }
    }

    /**
     * An input as a failure shows it: text quoted with every character outside printable ASCII
     * escaped, arrays and lists element by element, records component by component.
     *
     * @param value the input
     * @return its description
     */
    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case CharSequence text -> '"' + escape(text) + '"';
            case Character c -> "'" + escape(String.valueOf(c)) + "'";
            case List<?> list -> list.stream().map(Props::describe).toList().toString();
            case Record r -> {
                StringBuilder b = new StringBuilder(r.getClass().getSimpleName()).append('[');
                RecordComponent[] components = r.getClass().getRecordComponents();
                for (int i = 0; i < components.length; i++) {
                    Object component;
                    try {
                        components[i].getAccessor().setAccessible(true);
                        component = components[i].getAccessor().invoke(r);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        component = "<" + e + ">";
                    }
                    b.append(i == 0 ? "" : ", ")
                            .append(components[i].getName())
                            .append('=')
                            .append(describe(component));
                }
                yield b.append(']').toString();
            }
            default -> {
                if (!value.getClass().isArray()) {
                    yield String.valueOf(value);
                }
                StringBuilder b = new StringBuilder("[");
                for (int i = 0; i < Array.getLength(value); i++) {
                    b.append(i == 0 ? "" : ", ").append(describe(Array.get(value, i)));
                }
                yield b.append(']').toString();
            }
        };
    }

    private static String escape(CharSequence text) {
        StringBuilder b = new StringBuilder();
        text.chars()
                .forEach(
                        c -> {
                            switch (c) {
                                case '\n' -> b.append("\\n");
                                case '\t' -> b.append("\\t");
                                case '\r' -> b.append("\\r");
                                case '"' -> b.append("\\\"");
                                case '\\' -> b.append("\\\\");
                                default ->
                                        b.append(
                                                c >= 0x20 && c < 0x7f
                                                        ? String.valueOf((char) c)
                                                        : String.format("\\u%04x", c));
                            }
                        });
        return b.toString();
    }

    /**
     * What a generator draws one input from: the try's random source, and how far the try is, which
     * decides whether edge cases are due and how large inputs may be. Inputs start small: the
     * {@linkplain #size() size} grows with the try over the first half of the tries and is full for
     * the second half.
     */
    public static final class Sample {
        private final Random random;
        private final int index;
        private final int tries;
        private final boolean edges;

        Sample(long seed, int index, int tries, boolean edges) {
            this(new Random(mix(seed + 0x9e3779b97f4a7c15L * index)), index, tries, edges);
        }

        private Sample(Random random, int index, int tries, boolean edges) {
            this.random = random;
            this.index = index;
            this.tries = tries;
            this.edges = edges;
        }

        /**
         * The random source of this try (made from the seed and the try number).
         *
         * @return the source
         */
        public Random random() {
            return random;
        }

        /**
         * The try, from 0.
         *
         * @return the try's index
         */
        public int index() {
            return index;
        }

        /**
         * How large inputs may be in this try, from a small fraction to 1: {@code (index + 1) /
         * ceil(tries / 2)}, at most 1.
         *
         * @return the fraction of the full size
         */
        public double size() {
            return Math.min(1.0, (index + 1) / Math.ceil(tries / 2.0));
        }

        /**
         * A random count from 0 to {@code max} scaled by the {@linkplain #size() size}.
         *
         * @param max the largest count of the full size
         * @return the count
         */
        public int upTo(int max) {
            return random.nextInt((int) Math.ceil(size() * max) + 1);
        }

        /**
         * The edge case of this try when one is due ({@code edgeCases.get(index())}, while edge
         * cases are on), otherwise a random value.
         *
         * @param <T> the value's type
         * @param edgeCases the edge cases, in the order they are tried
         * @param random draws a random value
         * @return the value
         */
        public <T> T edgeOr(List<T> edgeCases, Supplier<T> random) {
            return edges && index < edgeCases.size() ? edgeCases.get(index) : random.get();
        }

        /**
         * This sample without edge cases, for the parts of a larger input (the elements of a list
         * are random, not all the same edge case).
         *
         * @return the sample for the parts
         */
        public Sample parts() {
            return edges ? new Sample(random, index, tries, false) : this;
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }
}
