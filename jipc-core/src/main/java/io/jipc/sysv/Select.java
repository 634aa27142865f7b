package io.jipc.sysv;

/**
 * Which message a receive takes from a {@link MessageQueue}: the {@code msgtyp} argument of {@man
 * msgrcv(2)} and its {@code MSG_EXCEPT} flag, named by what they select.
 *
 * <ul>
 *   <li>{@link #any()}: the first message on the queue ({@code msgtyp == 0});
 *   <li>{@link #type(long) type(t)}: the first message of type {@code t} ({@code msgtyp == t});
 *   <li>{@link #upTo(long) upTo(t)}: the first message of the lowest type {@code <= t} ({@code
 *       msgtyp == -t});
 *   <li>{@link #except(long) except(t)}: the first message whose type is not {@code t} ({@code
 *       msgtyp == t} with {@code MSG_EXCEPT}).
 * </ul>
 *
 * <p>A selector is an immutable value: keep one in a field rather than building it per call.
 *
 * @param msgtyp the {@code msgtyp} argument exactly as C passes it
 * @param except whether {@code MSG_EXCEPT} is set (only with a positive {@code msgtyp})
 */
public record Select(long msgtyp, boolean except) {

    private static final Select ANY = new Select(0, false);

    /**
     * Checks the combination.
     *
     * @throws IllegalArgumentException if {@code except} is set with a {@code msgtyp <= 0}
     */
    public Select {
        if (except && msgtyp <= 0) {
            throw new IllegalArgumentException(
                    "msgtyp=" + msgtyp + " with MSG_EXCEPT (needs a type > 0)");
        }
    }

    /**
     * The first message, whatever its type ({@code msgtyp == 0}).
     *
     * @return the selector
     */
    public static Select any() {
        return ANY;
    }

    /**
     * The first message of exactly this type ({@code msgtyp == type}).
     *
     * @param type the type, greater than 0
     * @return the selector
     * @throws IllegalArgumentException if {@code type <= 0}
     */
    public static Select type(long type) {
        return new Select(positive(type), false);
    }

    /**
     * The first message of the lowest type that is at most {@code type} ({@code msgtyp == -type}):
     * a priority queue where low types come first.
     *
     * @param type the highest type accepted, greater than 0
     * @return the selector
     * @throws IllegalArgumentException if {@code type <= 0}
     */
    public static Select upTo(long type) {
        return new Select(-positive(type), false);
    }

    /**
     * The first message whose type is not {@code type} ({@code MSG_EXCEPT}).
     *
     * @param type the type to skip, greater than 0
     * @return the selector
     * @throws IllegalArgumentException if {@code type <= 0}
     */
    public static Select except(long type) {
        return new Select(positive(type), true);
    }

    private static long positive(long type) {
        if (type <= 0) {
            throw new IllegalArgumentException("type=" + type + " (must be > 0)");
        }
        return type;
    }

    /**
     * The selector as C would write the call, e.g. {@code "msgtyp=-6"} or {@code
     * "msgtyp=3|MSG_EXCEPT"}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return "msgtyp=" + msgtyp + (except ? "|MSG_EXCEPT" : "");
    }
}
