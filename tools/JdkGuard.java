import java.io.IOException;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassElement;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the base layer of jipc-core's multi-release jar: for every class of the library, a copy
 * with class-file version 61 (Java 17) whose every method body, static initialiser included, throws
 * the one-sentence error of {@code io.jipc.internal.RequiresJdk25} ("jipc: needs a JDK 25 or
 * newer, and this is Java 17.0.15 (...); install one, ..."). The real classes go to
 * {@code META-INF/versions/25/}, which only a JDK 25 or newer reads.
 *
 * <p>Without this layer a Java 17 or 21 JVM fails on jipc's class-file version 69 with a
 * {@code UnsupportedClassVersionError} naming an internal class, or, on the module path, with an
 * {@code InvalidModuleDescriptorException} before {@code main} runs. With it, the module
 * descriptor resolves, the program starts, and its first use of jipc says what to install. The
 * public API of both layers is identical by construction (the JDK's {@code jar} tool checks it
 * when it adds the versioned layer).
 *
 * <p>Run on a JDK 24 or newer (java.lang.classfile): {@code java tools/JdkGuard.java CLASSES OUT}.
 */
public final class JdkGuard {
    private JdkGuard() {
    }

    /** Java 17: the oldest JDK whose users get the sentence instead of the JVM's error. */
    private static final int VERSION = ClassFile.JAVA_17_VERSION;

    private static final ClassDesc GUARD = ClassDesc.of("io.jipc.internal.RequiresJdk25");
    private static final ClassDesc ERROR = ClassDesc.of("java.lang.UnsupportedClassVersionError");
    private static final MethodTypeDesc TOO_OLD = MethodTypeDesc.of(ERROR);

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: JdkGuard CLASSES OUT");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        deleteTree(out);
        ClassFile cf = ClassFile.of(ClassFile.ConstantPoolSharingOption.NEW_POOL);
        List<Path> classes;
        try (Stream<Path> s = Files.walk(in)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        for (Path p : classes) {
            ClassModel model = cf.parse(Files.readAllBytes(p));
            byte[] stub = cf.transformClass(model, JdkGuard::stub);
            Path target = out.resolve(in.relativize(p).toString());
            Files.createDirectories(target.getParent());
            Files.write(target, stub);
        }
        Path guard = out.resolve("io/jipc/internal/RequiresJdk25.class");
        Files.createDirectories(guard.getParent());
        Files.write(guard, guardClass(cf));
        System.out.println("JdkGuard: " + classes.size() + " classes stubbed for Java 17 to 24 in " + out);
    }

    /** Version 61; every method that has code gets {@code throw RequiresJdk25.tooOld();}. */
    private static void stub(ClassBuilder cb, ClassElement e) {
        switch (e) {
            case ClassFileVersion v -> cb.withVersion(VERSION, 0);
            case MethodModel m when m.code().isPresent() -> cb.transformMethod(m, (mb, me) -> {
                if (me instanceof CodeModel) {
                    mb.withCode(code -> code.invokestatic(GUARD, "tooOld", TOO_OLD).athrow());
                } else {
                    mb.with(me);
                }
            });
            default -> cb.with(e);
        }
    }

    /**
     * {@code public final class RequiresJdk25 { public static UnsupportedClassVersionError
     * tooOld() }}: the error whose message is the same sentence as the ./jipc launcher's.
     */
    private static byte[] guardClass(ClassFile cf) {
        ClassDesc string = ConstantDescs.CD_String;
        ClassDesc system = ClassDesc.of("java.lang.System");
        MethodTypeDesc getProperty = MethodTypeDesc.of(string, string);
        MethodTypeDesc concat = MethodTypeDesc.of(string, string);
        return cf.build(GUARD, cb -> cb
                .withVersion(VERSION, 0)
                .withFlags(AccessFlag.PUBLIC, AccessFlag.FINAL, AccessFlag.SUPER)
                .withMethodBody("tooOld", TOO_OLD, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> code
                        .new_(ERROR)
                        .dup()
                        .ldc("jipc: needs a JDK 25 or newer, and this is Java ")
                        .ldc("java.version")
                        .invokestatic(system, "getProperty", getProperty)
                        .invokevirtual(string, "concat", concat)
                        .ldc(" (")
                        .invokevirtual(string, "concat", concat)
                        .ldc("java.home")
                        .invokestatic(system, "getProperty", getProperty)
                        .invokevirtual(string, "concat", concat)
                        .ldc("); install one, e.g. Temurin 25, and use its java (or set JAVA_HOME to it).")
                        .invokevirtual(string, "concat", concat)
                        .invokespecial(ERROR, ConstantDescs.INIT_NAME, MethodTypeDesc.of(ConstantDescs.CD_void, string))
                        .areturn()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
