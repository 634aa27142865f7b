package io.jipc.struct;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The C type of a record component, written as in a C declaration without the member name: a type
 * name, array dimensions, or both. The type may be left out, and is then taken from the Java type.
 *
 * <pre>{@code
 * record MsgSt(@C("uint32_t") int math,      // unsigned 32-bit: Java int holds the bits
 *              @C("unsigned short") int n,   // a wider Java type holds the value itself
 *              @C("[32]") String name,       // char name[32], NUL-terminated
 *              @C("uint8_t[]") byte[] tail,  // flexible array member (last component only)
 *              @C("[2][3]") int[][] grid,    // int grid[2][3]
 *              @C("[4]") Point[] points) {}  // nested structs need no annotation, arrays need a length
 * }</pre>
 *
 * <p>Without the annotation, {@code byte}, {@code short}, {@code int}, {@code long}, {@code float}
 * and {@code double} are {@code signed char}, {@code short}, {@code int}, {@code long}, {@code
 * float} and {@code double}, and a record component is a nested struct. A Java type at least as
 * wide as the C type is required; an unsigned C type as wide as the Java type keeps its bits (as
 * {@link Integer#toUnsignedLong} reads them).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface C {
    /**
     * The C type and/or dimensions, e.g. {@code "uint32_t"}, {@code "char[32]"}, {@code "[4]"},
     * {@code "uint8_t[]"}.
     *
     * @return the declaration text
     */
    String value();
}
