package io.jipc.struct;

import java.util.List;

/** A laid-out C type: a {@link Scalar}, an array or a struct whose members have offsets. */
sealed interface Node permits Scalar, Node.Array, Node.Struct {

    /** The size in bytes ({@code sizeof}); 0 for a flexible array. */
    long size();

    /** The alignment in bytes under the packing the node was laid out with. */
    long align();

    /** The C spelling of the type, e.g. {@code int}, {@code char[32]}, {@code struct}. */
    String cName();

    /**
     * An array; {@code length < 0} for a flexible array member.
     *
     * @param element the element type
     * @param length the element count, or -1
     */
    record Array(Node element, long length) implements Node {
        @Override
        public long size() {
            return length < 0 ? 0 : element.size() * length;
        }

        @Override
        public long align() {
            return element.align();
        }

        boolean flexible() {
            return length < 0;
        }

        /** The innermost element type. */
        Node base() {
            return element instanceof Array a ? a.base() : element;
        }

        /** The dimensions, e.g. {@code [2][3]}. */
        String dims() {
            return "["
                    + (length < 0 ? "" : length)
                    + "]"
                    + (element instanceof Array a ? a.dims() : "");
        }

        @Override
        public String cName() {
            return base().cName() + dims();
        }

        /** An array of 8-bit integers, which carries strings or raw bytes. */
        boolean ofBytes() {
            return element instanceof Scalar s && s.size() == 1;
        }
    }

    /**
     * A member of a struct.
     *
     * @param name the member name
     * @param type its type
     * @param offset its offset from the start of the struct
     */
    record Member(String name, Node type, long offset) {}

    /**
     * A struct with its members placed.
     *
     * @param members the members in declaration order
     * @param size {@code sizeof}, tail padding included, flexible member excluded
     * @param align {@code _Alignof}
     */
    record Struct(List<Member> members, long size, long align) implements Node {
        @Override
        public String cName() {
            return "struct";
        }

        /** The C member list, e.g. {@code char name[32]; struct { int x; } p;}. */
        String declaration() {
            StringBuilder b = new StringBuilder();
            for (Member m : members) {
                if (!b.isEmpty()) {
                    b.append(' ');
                }
                Node base = m.type() instanceof Array a ? a.base() : m.type();
                b.append(
                        base instanceof Struct s
                                ? "struct { " + s.declaration() + " }"
                                : base.cName());
                b.append(' ').append(m.name());
                if (m.type() instanceof Array a) {
                    b.append(a.dims());
                }
                b.append(';');
            }
            return b.toString();
        }

        /** Places members one after another under a packing. */
        static final class Builder {
            private final Packing packing;
            private final List<Member> members = new java.util.ArrayList<>();
            private long end;
            private long align = 1;

            Builder(Packing packing) {
                this.packing = packing;
            }

            boolean has(String name) {
                return members.stream().anyMatch(m -> m.name().equals(name));
            }

            boolean isEmpty() {
                return members.isEmpty();
            }

            void add(String name, Node type) {
                long a = packing == Packing.PACKED ? 1 : type.align();
                long offset = (end + a - 1) / a * a;
                members.add(new Member(name, type, offset));
                end = offset + type.size();
                align = Math.max(align, a);
            }

            Struct build() {
                return new Struct(List.copyOf(members), (end + align - 1) / align * align, align);
            }
        }
    }
}
