package io.jipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The one native choke point: only io.jipc.internal.linux links C code, and it is not exported. */
class NativeBoundaryTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Pattern NATIVE = Pattern.compile(
            "java\\.lang\\.foreign\\.(Linker|SymbolLookup|FunctionDescriptor|\\*)\\b|\\bLinker\\.|SymbolLookup\\.|downcallHandle");

    @Test
    void only_the_native_package_touches_the_linker() throws IOException {
        List<String> offenders;
        int scanned;
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> java = files.filter(p -> p.toString().endsWith(".java")).toList();
            scanned = java.size();
            offenders = java.stream()
                    .filter(p -> !p.startsWith(MAIN.resolve("io/jipc/internal/linux")))
                    .filter(p -> {
                        try {
                            return NATIVE.matcher(Files.readString(p)).find();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(Path::toString).toList();
        }
        assertTrue(scanned > 10, "scanned " + scanned + " files from " + MAIN.toAbsolutePath());
        assertEquals(List.of(), offenders);
    }

    @Test
    void the_module_exports_no_internal_package() throws IOException {
        String moduleInfo = Files.readString(MAIN.resolve("module-info.java"));
        assertTrue(moduleInfo.contains("exports io.jipc;"));
        assertTrue(moduleInfo.contains("exports io.jipc.sysv;"));
        assertFalse(Pattern.compile("exports\\s+io\\.jipc\\.internal").matcher(moduleInfo).find());
        assertFalse(moduleInfo.contains("opens"));
    }
}
