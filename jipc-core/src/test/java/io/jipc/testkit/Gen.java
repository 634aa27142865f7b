package io.jipc.testkit;

import io.jipc.testkit.Props.Sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Draws one input of a property from a {@link Sample} ({@link Props}). A generator is a lambda; the
 * factories here give numbers with their edge cases first, text, bytes, choices and lists, and a
 * lambda that calls several generators on the same sample combines them (into a record, whose
 * components a failure then shows one by one).
 *
 * @param <T> the input's type
 */
@FunctionalInterface
public interface Gen<T> {
    /**
     * Draws one input.
     *
     * @param sample the try's random source and size
     * @return the input
     */
    T next(Sample sample);

    /**
     * This generator's inputs, transformed.
     *
     * @param <R> the new type
     * @param f the transformation
     * @return the generator of {@code f(input)}
     */
    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return s -> f.apply(next(s));
    }

    /**
     * Lists of this generator's inputs: {@code min} elements first, then lengths up to {@code max}
     * growing with the try; the elements are random (no edge cases).
     *
     * @param min the fewest elements
     * @param max the most elements
     * @return the generator of lists
     */
    default Gen<List<T>> list(int min, int max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("list of " + min + ".." + max);
        }
        return s -> {
            int n = s.edgeOr(List.of(min), () -> min + s.upTo(max - min));
            Sample parts = s.parts();
            List<T> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(next(parts));
            }
            return list;
        };
    }

    /**
     * Any int: 0, 1, -1, {@code MIN_VALUE}, {@code MAX_VALUE} and their neighbours first, then
     * random values whose magnitude grows with the try.
     *
     * @return the generator
     */
    static Gen<Integer> ints() {
        return ints(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /**
     * Ints from {@code min} to {@code max}: those of 0, 1, -1, {@code min}, {@code min + 1}, {@code
     * max}, {@code max - 1} and each boundary with its two neighbours that lie in the range first,
     * then random values near 0 (or the end nearest to it) whose distance grows with the try.
     *
     * @param min the smallest value
     * @param max the largest value
     * @param boundaries more values worth trying, with their neighbours
     * @return the generator
     */
    static Gen<Integer> ints(int min, int max, int... boundaries) {
        return longs(min, max, Arrays.stream(boundaries).asLongStream().toArray())
                .map(Long::intValue);
    }

    /**
     * Any long, as {@link #ints()} gives any int.
     *
     * @return the generator
     */
    static Gen<Long> longs() {
        return longs(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * Longs from {@code min} to {@code max}, as {@link #ints(int, int, int...)} gives ints.
     *
     * @param min the smallest value
     * @param max the largest value
     * @param boundaries more values worth trying, with their neighbours
     * @return the generator
     */
    static Gen<Long> longs(long min, long max, long... boundaries) {
        if (max < min) {
            throw new IllegalArgumentException("longs from " + min + " to " + max);
        }
        Set<Long> edges = new LinkedHashSet<>();
        List<Long> wanted = new ArrayList<>(List.of(0L, 1L, -1L, min, max, min + 1, max - 1));
        for (long b : boundaries) {
            wanted.addAll(List.of(b - 1, b, b + 1));
        }
        for (long v : wanted) {
            if (v >= min && v <= max) {
                edges.add(v);
            }
        }
        List<Long> edgeCases = List.copyOf(edges);
        long origin = min > 0 ? min : max < 0 ? max : 0;
        long above = max - origin; // as unsigned: up to 2^63
        long below = origin - min;
        return s ->
                s.edgeOr(
                        edgeCases,
                        () -> {
                            // A magnitude of a random number of bits, up to a number growing with
                            // the try: small
                            // values stay frequent, large ones come in later.
                            int bits = s.random().nextInt((int) Math.ceil(s.size() * 64) + 1);
                            long m = bits == 0 ? 0 : s.random().nextLong() >>> (64 - bits);
                            boolean up = below == 0 || above != 0 && s.random().nextBoolean();
                            long room = up ? above : below;
                            if (Long.compareUnsigned(m, room) > 0) {
                                m = Long.remainderUnsigned(m, room + 1);
                            }
                            return up ? origin + m : origin - m;
                        });
    }

    /**
     * False, then true, then either.
     *
     * @return the generator
     */
    static Gen<Boolean> bools() {
        return choice(false, true);
    }

    /**
     * One of the given values: each in order first, then any at random.
     *
     * @param <T> the values' type
     * @param values the values
     * @return the generator
     */
    @SafeVarargs
    static <T> Gen<T> choice(T... values) {
        List<T> all = new ArrayList<>(values.length);
        for (T v : values) {
            all.add(v);
        }
        return choice(all);
    }

    /**
     * One of the given values: each in order first, then any at random.
     *
     * @param <T> the values' type
     * @param values the values
     * @return the generator
     */
    static <T> Gen<T> choice(List<T> values) {
        List<T> all = List.copyOf(values);
        return s -> s.edgeOr(all, () -> all.get(s.random().nextInt(all.size())));
    }

    /**
     * The input of one of the given generators: each in order first, then any at random (give one
     * twice to draw from it twice as often).
     *
     * @param <T> the inputs' type
     * @param generators the generators
     * @return the generator
     */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... generators) {
        List<Gen<? extends T>> all = new ArrayList<>(generators.length);
        for (Gen<? extends T> g : generators) {
            all.add(g);
        }
        return s ->
                s.<Gen<? extends T>>edgeOr(all, () -> all.get(s.random().nextInt(all.size())))
                        .next(s);
    }

    /**
     * Text of up to {@code maxLength} characters of an alphabet: the empty string first, then
     * lengths growing with the try.
     *
     * @param alphabet the characters to draw from
     * @param maxLength the longest text
     * @return the generator
     */
    static Gen<String> strings(String alphabet, int maxLength) {
        if (alphabet.isEmpty()) {
            throw new IllegalArgumentException("an empty alphabet");
        }
        return text(maxLength, s -> alphabet.charAt(s.random().nextInt(alphabet.length())));
    }

    /**
     * Text of up to {@code maxLength} of any UTF-16 characters, lone surrogates, controls and
     * noncharacters included: half of them ASCII, a quarter below U+0800, a quarter anywhere up to
     * U+FFFF. The empty string first, then lengths growing with the try.
     *
     * @param maxLength the longest text
     * @return the generator
     */
    static Gen<String> strings(int maxLength) {
        return text(
                maxLength,
                s -> {
                    int kind = s.random().nextInt(4);
                    return (char) s.random().nextInt(kind < 2 ? 0x80 : kind == 2 ? 0x800 : 0x10000);
                });
    }

    private static Gen<String> text(int maxLength, Gen<Character> chars) {
        return s ->
                s.edgeOr(
                        List.of(""),
                        () -> {
                            int n = s.upTo(maxLength);
                            StringBuilder b = new StringBuilder(n);
                            for (int i = 0; i < n; i++) {
                                b.append((char) chars.next(s));
                            }
                            return b.toString();
                        });
    }

    /**
     * Byte arrays of up to {@code maxLength} random bytes: the empty array first, then lengths
     * growing with the try.
     *
     * @param maxLength the longest array
     * @return the generator
     */
    static Gen<byte[]> bytes(int maxLength) {
        return s ->
                s.edgeOr(
                        List.of(new byte[0]),
                        () -> {
                            byte[] b = new byte[s.upTo(maxLength)];
                            s.random().nextBytes(b);
                            return b;
                        });
    }
}
