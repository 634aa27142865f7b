package io.jipc.struct;

/** The C scalar types, with their x86_64 (LP64) sizes; each is aligned to its size. */
enum Scalar implements Node {
    CHAR("char", 1, true),
    SIGNED_CHAR("signed char", 1, true),
    UNSIGNED_CHAR("unsigned char", 1, false),
    SHORT("short", 2, true),
    UNSIGNED_SHORT("unsigned short", 2, false),
    INT("int", 4, true),
    UNSIGNED_INT("unsigned int", 4, false),
    LONG("long", 8, true),
    UNSIGNED_LONG("unsigned long", 8, false),
    LONG_LONG("long long", 8, true),
    UNSIGNED_LONG_LONG("unsigned long long", 8, false),
    INT8("int8_t", 1, true),
    UINT8("uint8_t", 1, false),
    INT16("int16_t", 2, true),
    UINT16("uint16_t", 2, false),
    INT32("int32_t", 4, true),
    UINT32("uint32_t", 4, false),
    INT64("int64_t", 8, true),
    UINT64("uint64_t", 8, false),
    SIZE_T("size_t", 8, false),
    SSIZE_T("ssize_t", 8, true),
    PID_T("pid_t", 4, true),
    KEY_T("key_t", 4, true),
    UID_T("uid_t", 4, false),
    GID_T("gid_t", 4, false),
    FLOAT("float", 4, true),
    DOUBLE("double", 8, true);

    private final String cName;
    private final int size;
    private final boolean signed;

    Scalar(String cName, int size, boolean signed) {
        this.cName = cName;
        this.size = size;
        this.signed = signed;
    }

    @Override
    public String cName() {
        return cName;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long align() {
        return size;
    }

    boolean signed() {
        return signed;
    }

    boolean floating() {
        return this == FLOAT || this == DOUBLE;
    }

    /** The scalar named by a single identifier (typedef names, float, double), or null. */
    static Scalar named(String word) {
        for (Scalar s : values()) {
            if (s.ordinal() >= INT8.ordinal() && s.cName.equals(word)) {
                return s;
            }
        }
        return null;
    }
}
