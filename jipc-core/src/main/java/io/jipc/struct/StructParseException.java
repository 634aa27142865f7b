package io.jipc.struct;

/**
 * A C struct declaration (or a record's {@link C} annotation) that cannot be understood. The
 * message names the position, e.g. {@code at column 4: expected a member name after 'int', found
 * ';' in "int;"}.
 */
public final class StructParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The declaration text that was parsed. */
    private final String source;

    /** Where the problem is: the index of the character in {@link #source()}. */
    private final int position;

    StructParseException(String source, int position, String problem) {
        super("at column " + (position + 1) + ": " + problem + " in \"" + source + "\"");
        this.source = source;
        this.position = position;
    }

    /**
     * The declaration text that was parsed.
     *
     * @return the text
     */
    public String source() {
        return source;
    }

    /**
     * Where the problem is.
     *
     * @return a zero-based character index into {@link #source()} (its length when the text ended
     *     too early)
     */
    public int position() {
        return position;
    }
}
