import com.sun.source.doctree.DocTree;
import com.sun.source.doctree.UnknownInlineTagTree;

import jdk.javadoc.doclet.Taglet;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.lang.model.element.Element;

/**
 * The {@code {@man NAME(SECTION)}} inline tag of jipc's Javadoc: a link to the Linux man page on
 * man7.org, e.g. {@code {@man msgget(2)}} becomes {@code <a
 * href="https://man7.org/linux/man-pages/man2/msgget.2.html"><code>msgget(2)</code></a>}.
 *
 * <p>One tag, so that every page of the API site links man pages the same way and the URL form
 * lives in one place. In source (an IDE's hover, the sources jar) the tag reads as what it names.
 * javac's doclint accepts it; the javadoc tool gets this taglet through the POM. The test {@code
 * ManPageLinksTest} fails on a man page named in plain text instead.
 */
public final class ManTaglet implements Taglet {
    private static final Pattern PAGE =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_.+-]*)\\(([1-8])([a-z]*)\\)");

    /** Creates the taglet (the javadoc tool instantiates it). */
    public ManTaglet() {}

    @Override
    public Set<Location> getAllowedLocations() {
        return EnumSet.allOf(Location.class);
    }

    @Override
    public boolean isInlineTag() {
        return true;
    }

    @Override
    public String getName() {
        return "man";
    }

    @Override
    public String toString(List<? extends DocTree> tags, Element element) {
        StringBuilder b = new StringBuilder();
        for (DocTree tag : tags) {
            String text =
                    tag instanceof UnknownInlineTagTree u
                            ? u.getContent().stream()
                                    .map(Object::toString)
                                    .collect(Collectors.joining())
                                    .strip()
                            : "";
            Matcher m = PAGE.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "{@man " + text + "}: expected NAME(SECTION), e.g. {@man msgget(2)}");
            }
            b.append("<a href=\"")
                    .append(url(m.group(1), m.group(2) + m.group(3)))
                    .append("\"><code>")
                    .append(m.group(1))
                    .append('(')
                    .append(m.group(2))
                    .append(m.group(3))
                    .append(")</code></a>");
        }
        return b.toString();
    }

    /** The man7.org page of {@code name} in {@code section} (e.g. "2", "3p"). */
    static String url(String name, String section) {
        return "https://man7.org/linux/man-pages/man"
                + section
                + "/"
                + name
                + "."
                + section
                + ".html";
    }
}
