package io.jipc.struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads C member lists ({@code "char name[32]; int math;"}) and the type texts of {@link C}
 * annotations. Every problem is a {@link StructParseException} naming the column.
 */
final class Parser {
    private static final Set<String> TYPE_WORDS =
            Set.of("signed", "unsigned", "char", "short", "int", "long");
    private static final Set<String> KEYWORDS =
            Set.of(
                    "auto",
                    "break",
                    "case",
                    "char",
                    "const",
                    "continue",
                    "default",
                    "do",
                    "double",
                    "else",
                    "enum",
                    "extern",
                    "float",
                    "for",
                    "goto",
                    "if",
                    "inline",
                    "int",
                    "long",
                    "register",
                    "restrict",
                    "return",
                    "short",
                    "signed",
                    "sizeof",
                    "static",
                    "struct",
                    "switch",
                    "typedef",
                    "union",
                    "unsigned",
                    "void",
                    "volatile",
                    "while",
                    "_Bool",
                    "_Alignas",
                    "_Atomic");
    private static final long MAX_SIZE = Integer.MAX_VALUE;

    private record Token(String text, int pos, char kind) {
        // kind: 'w' word, 'n' number, 'p' punctuation or anything else, 'e' end
    }

    private final String src;
    private final Packing packing;
    private final List<Token> tokens = new ArrayList<>();
    private int i;

    private Parser(String src, Packing packing) {
        this.src = src;
        this.packing = packing;
        tokenize();
    }

    /** Parses a member list, or a whole {@code struct tag { ... };}, into a laid-out struct. */
    static Node.Struct parse(String declaration, Packing packing) {
        Parser p = new Parser(declaration, packing);
        if (p.is("struct") && (p.peek(1).text.equals("{") || p.peek(2).text.equals("{"))) {
            int save = p.i;
            Node.Struct whole = p.structSpecifier(true);
            if (p.is(";") && p.peek(1).kind == 'e' || p.peek(0).kind == 'e') {
                return whole;
            }
            p.i = save;
        }
        return p.members(true, false, "");
    }

    /** A {@link C} annotation: an optional type, then optional dimensions (-1 for {@code []}). */
    record Annotation(Scalar type, List<Long> dims) {}

    static Annotation annotation(String text) {
        Parser p = new Parser(text, Packing.NATIVE);
        Scalar type = p.is("[") ? null : p.scalar();
        List<Long> dims = p.dims();
        if (p.peek(0).kind != 'e') {
            throw p.error(p.peek(0), "expected '[' or the end, found " + p.found(p.peek(0)));
        }
        return new Annotation(type, dims);
    }

    static boolean isKeyword(String name) {
        return KEYWORDS.contains(name);
    }

    private void tokenize() {
        int n = src.length();
        int k = 0;
        while (k < n) {
            char c = src.charAt(k);
            if (Character.isWhitespace(c)) {
                k++;
            } else if (src.startsWith("/*", k)) {
                int end = src.indexOf("*/", k + 2);
                if (end < 0) {
                    throw new StructParseException(src, k, "unterminated comment");
                }
                k = end + 2;
            } else if (src.startsWith("//", k)) {
                int end = src.indexOf('\n', k);
                k = end < 0 ? n : end + 1;
            } else if (Character.isLetter(c) || c == '_') {
                int s = k;
                while (k < n
                        && (Character.isLetterOrDigit(src.charAt(k)) || src.charAt(k) == '_')) {
                    k++;
                }
                tokens.add(new Token(src.substring(s, k), s, 'w'));
            } else if (c >= '0' && c <= '9') {
                int s = k;
                while (k < n && Character.isLetterOrDigit(src.charAt(k))) {
                    k++;
                }
                tokens.add(new Token(src.substring(s, k), s, 'n'));
            } else {
                tokens.add(new Token(String.valueOf(c), k, 'p'));
                k++;
            }
        }
        tokens.add(new Token("", n, 'e'));
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(i + ahead, tokens.size() - 1));
    }

    private boolean is(String text) {
        return peek(0).text.equals(text) && peek(0).kind != 'e';
    }

    private Token next() {
        Token t = peek(0);
        if (t.kind != 'e') {
            i++;
        }
        return t;
    }

    private StructParseException error(Token at, String problem) {
        return new StructParseException(src, at.pos, problem);
    }

    private String found(Token t) {
        return t.kind == 'e' ? "the end" : "'" + t.text + "'";
    }

    private void expect(String text, String what) {
        Token t = next();
        if (!t.text.equals(text) || t.kind == 'e') {
            throw error(t, "expected '" + text + "'" + what + ", found " + found(t));
        }
    }

    /** Members up to the end of the text ({@code top}) or a closing brace. */
    private Node.Struct members(boolean top, boolean braced, String context) {
        Node.Struct.Builder b = new Node.Struct.Builder(packing);
        Token flexible = null;
        while (!(braced ? is("}") : peek(0).kind == 'e')) {
            if (peek(0).kind == 'e') {
                throw error(
                        peek(0), "expected '}' to close the struct" + context + ", found the end");
            }
            Token start = peek(0);
            if (flexible != null) {
                throw error(
                        start,
                        "a flexible array member must be the last member, but '"
                                + flexible.text
                                + "' is followed by another");
            }
            if (is(";")) {
                throw error(start, "expected a member declaration, found ';'");
            }
            Node type = typeSpecifier();
            while (true) {
                Token nameTok = peek(0);
                if (is("*")) {
                    throw error(
                            nameTok,
                            "pointers are not supported: an address means nothing in another process");
                }
                if (nameTok.kind != 'w' || isKeyword(nameTok.text)) {
                    throw error(
                            nameTok,
                            "expected a member name after '"
                                    + type.cName()
                                    + "', found "
                                    + found(nameTok));
                }
                next();
                if (b.has(nameTok.text)) {
                    throw error(nameTok, "duplicate member '" + nameTok.text + "'");
                }
                Token dimsAt = peek(0);
                List<Long> dims = dims();
                if (is(":")) {
                    throw error(peek(0), "bit-fields are not supported");
                }
                if (is("(")) {
                    throw error(peek(0), "function members are not supported");
                }
                Node member = array(type, dims, dimsAt);
                if (member instanceof Node.Array a && a.flexible()) {
                    if (!top) {
                        throw error(
                                nameTok,
                                "a flexible array member is allowed only in the outermost struct");
                    }
                    if (b.isEmpty()) {
                        throw error(
                                nameTok, "a flexible array member needs another member before it");
                    }
                    flexible = nameTok;
                }
                if (member.size() > MAX_SIZE) {
                    throw error(
                            dimsAt,
                            "member '"
                                    + nameTok.text
                                    + "' is too large ("
                                    + member.size()
                                    + " bytes)");
                }
                b.add(nameTok.text, member);
                if (is(",")) {
                    next();
                    if (flexible != null) {
                        throw error(peek(0), "a flexible array member must be the last member");
                    }
                    continue;
                }
                expect(";", " after member '" + nameTok.text + "'");
                break;
            }
        }
        if (b.isEmpty()) {
            throw error(peek(0), "a struct needs at least one member");
        }
        Node.Struct s = b.build();
        if (s.size() > MAX_SIZE) {
            throw error(peek(0), "struct is too large (" + s.size() + " bytes)");
        }
        return s;
    }

    private Node typeSpecifier() {
        while (is("const") || is("volatile")) {
            next();
        }
        if (is("struct")) {
            return structSpecifier(false);
        }
        Scalar s = scalar();
        while (is("const") || is("volatile")) {
            next();
        }
        return s;
    }

    /** {@code struct [tag] { members }}. */
    private Node.Struct structSpecifier(boolean top) {
        Token kw = next();
        String tag = "";
        if (peek(0).kind == 'w' && !isKeyword(peek(0).text)) {
            tag = " " + next().text;
        }
        if (!is("{")) {
            throw error(
                    peek(0),
                    "expected '{': a nested struct must be defined in place, as 'struct"
                            + tag
                            + " { ... } name;', found "
                            + found(peek(0)));
        }
        next();
        Node.Struct s =
                members(top, true, tag.isEmpty() ? " opened at column " + (kw.pos + 1) : tag);
        next();
        return s;
    }

    private Scalar scalar() {
        Token first = peek(0);
        if (first.kind != 'w') {
            throw error(first, "expected a type, found " + found(first));
        }
        if (first.text.equals("union") || first.text.equals("enum")) {
            throw error(first, first.text + "s are not supported");
        }
        if (!TYPE_WORDS.contains(first.text)) {
            Scalar named = Scalar.named(first.text);
            if (named == null) {
                throw error(
                        first,
                        "unknown type '"
                                + first.text
                                + "' (known: char, short, int, long, long long,"
                                + " their signed/unsigned forms, int8_t..uint64_t, float, double, size_t, ssize_t, pid_t,"
                                + " key_t, uid_t, gid_t, struct { ... })");
            }
            next();
            return named;
        }
        int signed = 0;
        int unsigned = 0;
        int chars = 0;
        int shorts = 0;
        int ints = 0;
        int longs = 0;
        while (peek(0).kind == 'w' && TYPE_WORDS.contains(peek(0).text)) {
            Token t = next();
            switch (t.text) {
                case "signed" -> signed++;
                case "unsigned" -> unsigned++;
                case "char" -> chars++;
                case "short" -> shorts++;
                case "int" -> ints++;
                default -> longs++;
            }
            boolean bad =
                    signed + unsigned > 1
                            || chars + shorts + Math.min(longs, 1) > 1
                            || ints > 1
                            || longs > 2
                            || chars > 0 && ints > 0;
            if (bad) {
                throw error(
                        t,
                        "'"
                                + t.text
                                + "' cannot be combined with '"
                                + src.substring(first.pos, t.pos).trim()
                                + "'");
            }
        }
        if (is("double") && longs > 0) {
            throw error(peek(0), "long double is not supported");
        }
        boolean u = unsigned > 0;
        if (chars > 0) {
            return signed > 0 ? Scalar.SIGNED_CHAR : u ? Scalar.UNSIGNED_CHAR : Scalar.CHAR;
        }
        if (shorts > 0) {
            return u ? Scalar.UNSIGNED_SHORT : Scalar.SHORT;
        }
        if (longs == 2) {
            return u ? Scalar.UNSIGNED_LONG_LONG : Scalar.LONG_LONG;
        }
        if (longs == 1) {
            return u ? Scalar.UNSIGNED_LONG : Scalar.LONG;
        }
        return u ? Scalar.UNSIGNED_INT : Scalar.INT;
    }

    /** {@code [N]...}, with {@code []} (-1) allowed first only. */
    private List<Long> dims() {
        List<Long> dims = new ArrayList<>();
        while (is("[")) {
            next();
            Token t = next();
            if (t.text.equals("]") && t.kind == 'p') {
                if (!dims.isEmpty()) {
                    throw error(t, "only the first dimension of an array may be left empty");
                }
                dims.add(-1L);
                continue;
            }
            long n;
            try {
                n = t.kind == 'n' ? parseLength(t.text) : -1;
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n <= 0) {
                throw error(t, "expected a positive array length, found " + found(t));
            }
            dims.add(n);
            expect("]", " after the array length");
        }
        return dims;
    }

    private static long parseLength(String text) {
        long n =
                text.startsWith("0x") || text.startsWith("0X")
                        ? Long.parseLong(text.substring(2), 16)
                        : Long.parseLong(text);
        if (n > MAX_SIZE) {
            throw new NumberFormatException();
        }
        return n;
    }

    private Node array(Node type, List<Long> dims, Token at) {
        Node t = type;
        for (int k = dims.size() - 1; k >= 0; k--) {
            if (t.size() * Math.max(dims.get(k), 1) > MAX_SIZE) {
                throw error(at, "array is too large");
            }
            t = new Node.Array(t, dims.get(k));
        }
        return t;
    }

    /** Wraps a type in dimensions, for record components (position: the annotation's start). */
    static Node arrayOf(Node type, List<Long> dims, String annotation) {
        return new Parser(annotation, Packing.NATIVE).array(type, dims, new Token("", 0, 'e'));
    }
}
