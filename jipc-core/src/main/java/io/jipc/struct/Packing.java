package io.jipc.struct;

/** How members are placed in a struct. */
public enum Packing {
    /**
     * The platform ABI's rules (x86_64 System V), as gcc lays out a plain struct: every member at a
     * multiple of its alignment, and tail padding up to a multiple of the struct's alignment.
     */
    NATIVE,
    /**
     * No padding at all, as gcc does under {@code #pragma pack(1)} around the declaration: every
     * member, nested structs' members included, follows the previous one at byte alignment. This is
     * what {@code __attribute__((packed))} on every struct of a wire format gives.
     */
    PACKED
}
