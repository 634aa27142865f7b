package io.jipc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * The property runner: what a failure says, reproducible seeds, edge cases first, small inputs
 * first.
 */
class PropsTest {

    record Case(String text, int number, byte[] bytes, List<Boolean> flags) {}

    private static final Gen<Case> CASES =
            s ->
                    new Case(
                            Gen.strings(20).next(s),
                            Gen.ints().next(s),
                            Gen.bytes(10).next(s),
                            Gen.bools().list(0, 4).next(s));

    /** The inputs a run with this seed checks, as a failure would show them. */
    private static <T> List<String> inputs(long seed, int tries, Gen<T> gen) {
        List<String> seen = new ArrayList<>();
        Props.forAll("records", seed, tries, gen, v -> seen.add(Props.describe(v)));
        return seen;
    }

    @Test
    void a_failure_names_the_property_the_seed_the_try_and_the_input() {
        List<Integer> seen = new ArrayList<>();
        Props.forAll("record", 4242L, 200, Gen.ints(0, 1000), seen::add);
        int firstOdd = 0;
        while (seen.get(firstOdd) % 2 == 0) {
            firstOdd++;
        }
        AssertionError e =
                assertThrows(
                        AssertionError.class,
                        () ->
                                Props.forAll(
                                        "every number is even",
                                        4242L,
                                        200,
                                        Gen.ints(0, 1000),
                                        n -> assertEquals(0, n % 2, "the rest of " + n)));
        assertEquals(
                "property 'every number is even' failed on try "
                        + (firstOdd + 1)
                        + " of 200 (seed 4242;"
                        + " rerun with -Djipc.seed=4242)\n  input: "
                        + seen.get(firstOdd)
                        + "\n  failure: "
                        + e.getCause(),
                e.getMessage());
        assertTrue(
                e.getCause().getMessage().startsWith("the rest of " + seen.get(firstOdd)),
                e.getCause().getMessage());
    }

    @Test
    void an_exception_fails_the_property_and_text_is_shown_escaped() {
        IllegalStateException thrown = new IllegalStateException("refused");
        AssertionError e =
                assertThrows(
                        AssertionError.class,
                        () ->
                                Props.forAll(
                                        "never throws",
                                        7L,
                                        10,
                                        s ->
                                                new Case(
                                                        "a\n\u0000\u00e9\"",
                                                        -1,
                                                        new byte[] {1, -2},
                                                        List.of(true)),
                                        c -> {
                                            throw thrown;
                                        }));
        assertSame(thrown, e.getCause());
        assertTrue(e.getMessage().contains("try 1 of 10 (seed 7;"), e.getMessage());
        assertTrue(
                e.getMessage()
                        .endsWith(
                                "\n  input: Case[text=\"a\\n\\u0000\\u00e9\\\"\", number=-1, bytes=[1, -2],"
                                        + " flags=[true]]\n  failure: "
                                        + thrown),
                e.getMessage());

        AssertionError broken =
                assertThrows(
                        AssertionError.class,
                        () ->
                                Props.forAll(
                                        "any",
                                        7L,
                                        10,
                                        s -> s.index() < 3 ? s.index() : Integer.parseInt("x"),
                                        n -> {}));
        assertTrue(
                broken.getMessage().startsWith("property 'any' failed on try 4 of 10 (seed 7;"),
                broken.getMessage());
        assertTrue(
                broken.getMessage()
                        .contains("the generator failed: java.lang.NumberFormatException"),
                broken.getMessage());
    }

    @Test
    void the_same_seed_draws_the_same_inputs_and_another_seed_others() {
        List<String> first = inputs(99L, 300, CASES);
        assertEquals(300, first.size(), "one check per try");
        assertEquals(first, inputs(99L, 300, CASES));
        assertNotEquals(first.subList(10, 300), inputs(100L, 300, CASES).subList(10, 300));
    }

    @Test
    void the_seed_comes_from_jipc_seed_or_is_fresh() {
        String given = System.getProperty(Props.SEED_PROPERTY);
        try {
            System.setProperty(Props.SEED_PROPERTY, " -1234567890123 ");
            assertEquals(-1234567890123L, Props.seed());
            System.setProperty(Props.SEED_PROPERTY, "0x12");
            assertEquals(
                    "-Djipc.seed=0x12 is not a decimal long",
                    assertThrows(IllegalArgumentException.class, Props::seed).getMessage());
            System.clearProperty(Props.SEED_PROPERTY);
            assertNotEquals(Props.seed(), Props.seed());
        } finally {
            if (given == null) {
                System.clearProperty(Props.SEED_PROPERTY);
            } else {
                System.setProperty(Props.SEED_PROPERTY, given);
            }
        }
    }

    @Test
    void edge_cases_come_first() {
        assertEquals(
                List.of(
                        0,
                        1,
                        -1,
                        Integer.MIN_VALUE,
                        Integer.MAX_VALUE,
                        Integer.MIN_VALUE + 1,
                        Integer.MAX_VALUE - 1),
                firstOf(7, Gen.ints()));
        assertEquals(
                List.of(0, 1, 256, 255, 2, 254),
                firstOf(6, Gen.ints(0, 256, 1, 255)),
                "in the range: 0, 1, -1, the ends and their neighbours, the boundaries and theirs");
        assertEquals(List.of(1L, 255L, 2L, 254L), firstOf(4, Gen.longs(1, 255)));
        assertEquals(List.of(false, true), firstOf(2, Gen.bools()));
        assertEquals(List.of("a", "b", "c"), firstOf(3, Gen.choice("a", "b", "c")));
        assertEquals("", firstOf(1, Gen.strings("xyz", 5)).get(0));
        assertEquals("", firstOf(1, Gen.strings(5)).get(0));
        assertEquals(0, firstOf(1, Gen.bytes(5)).get(0).length);
        assertEquals(3, firstOf(1, Gen.ints().list(3, 9)).get(0).size());
    }

    @Test
    void small_inputs_come_before_large_ones() {
        List<String> texts = firstOf(300, Gen.strings("ab", 60));
        for (int i = 0; i < texts.size(); i++) {
            int bound = (int) Math.ceil(Math.min(1.0, (i + 1) / 150.0) * 60);
            assertTrue(
                    texts.get(i).length() <= bound,
                    "try " + i + ": " + texts.get(i).length() + " > " + bound);
        }
        assertTrue(
                texts.subList(0, 30).stream().allMatch(t -> t.length() <= 12),
                texts.subList(0, 30).toString());
        assertTrue(
                texts.subList(150, 300).stream().anyMatch(t -> t.length() >= 50),
                texts.subList(150, 300).toString());

        List<Integer> ints = firstOf(200, Gen.ints());
        assertTrue(
                ints.subList(7, 20).stream().allMatch(n -> Math.abs((long) n) < 1 << 13),
                ints.subList(7, 20).toString());
        assertTrue(
                ints.subList(100, 200).stream().anyMatch(n -> Math.abs((long) n) > 1 << 30),
                ints.subList(100, 200).toString());
        assertTrue(
                ints.subList(100, 200).stream().anyMatch(n -> Math.abs((long) n) < 1 << 10),
                "small values stay frequent: " + ints.subList(100, 200));
    }

    @Test
    void numbers_stay_in_their_range() {
        for (long[] range :
                new long[][] {
                    {1, 255},
                    {-5, -3},
                    {0, 0},
                    {01000, 077777},
                    {0, 1L << 30},
                    {Long.MIN_VALUE, Long.MAX_VALUE},
                    {Long.MIN_VALUE, -7},
                    {7, Long.MAX_VALUE}
                }) {
            Props.forAll(
                    "in " + range[0] + ".." + range[1],
                    55L,
                    500,
                    Gen.longs(range[0], range[1]),
                    v -> assertTrue(v >= range[0] && v <= range[1], v + " outside"));
        }
        Props.forAll(
                "lists",
                56L,
                500,
                Gen.ints(-32768, 32767).list(1, 6),
                l -> assertTrue(l.size() >= 1 && l.size() <= 6, l.toString()));
    }

    private static <T> List<T> firstOf(int tries, Gen<T> gen) {
        List<T> seen = new ArrayList<>();
        Props.forAll("record", 1L, tries, gen, seen::add);
        return seen;
    }
}
