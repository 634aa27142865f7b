package io.jipc.cli;

import io.jipc.Capabilities;
import io.jipc.Limit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code jipc doctor}: the JDK, the kernel, the IPC limits and what this machine can do. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = "Show the JDK, kernel, IPC limits (with where each is set) and capabilities.")
final class DoctorCommand extends Subcommand {
    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    ExitCode execute() throws Exception {
        Map<String, Object> report = report();
        PrintWriter out = out();
        if (json) {
            out.println(Json.write(report));
        } else {
            print(out, report);
        }
        return ExitCode.OK;
    }

    static Map<String, Object> report() throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("jipc", Main.Version.version());
        r.put("java", Runtime.version().toString());
        r.put("java_vendor", System.getProperty("java.vendor"));
        r.put("java_home", System.getProperty("java.home"));
        r.put("kernel", read("/proc/sys/kernel/ostype") + " " + read("/proc/sys/kernel/osrelease"));
        r.put("arch", System.getProperty("os.arch"));
        Optional<String> unsupported = Capabilities.unsupportedReason();
        r.put("platform_supported", unsupported.isEmpty());
        if (unsupported.isPresent()) {
            r.put("platform_problem", unsupported.get());
            return r;
        }
        int uid = Capabilities.effectiveUid();
        r.put("euid", uid);
        r.put("root", uid == 0);
        List<String> caps = new ArrayList<>();
        Capabilities.effective().forEach(c -> caps.add(c.name()));
        r.put("capabilities", caps);
        r.put("ipc_namespace", Capabilities.ipcNamespace().orElse(null));
        r.put(
                "mqueue_mount",
                io.jipc.posix.PosixObjects.mqueueMount().map(Path::toString).orElse(null));
        r.put("gcc", which("gcc").orElse(null));
        Map<String, Object> huge = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("HugePages_Total:")
                    || line.startsWith("HugePages_Free:")
                    || line.startsWith("Hugepagesize:")) {
                String[] kv = line.split(":\\s*");
                huge.put(kv[0].toLowerCase(java.util.Locale.ROOT), kv[1].trim());
            }
        }
        r.put("hugepages", huge);
        Map<String, Object> limits = new LinkedHashMap<>();
        for (Limit l : Limit.values()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("value", l.exactValue());
            one.put("source", l.source());
            l.ipcInfo().ifPresent(v -> one.put("ipc_info", v));
            limits.put(l.cName(), one);
        }
        r.put("limits", limits);
        return r;
    }

    private static void print(PrintWriter out, Map<String, Object> r) {
        out.printf("jipc        %s%n", r.get("jipc"));
        out.printf(
                "java        %s (%s) %s%n",
                r.get("java"), r.get("java_vendor"), r.get("java_home"));
        out.printf("kernel      %s %s%n", r.get("kernel"), r.get("arch"));
        if (!(Boolean) r.get("platform_supported")) {
            out.printf("platform    NOT SUPPORTED: %s%n", r.get("platform_problem"));
            return;
        }
        out.printf(
                "user        euid %s%s%n", r.get("euid"), (Boolean) r.get("root") ? " (root)" : "");
        out.printf(
                "caps        %s%n",
                ((List<?>) r.get("capabilities")).isEmpty()
                        ? "none of the IPC ones"
                        : String.join(
                                " ",
                                ((List<?>) r.get("capabilities"))
                                        .stream().map(Object::toString).toList()));
        out.printf("ipc ns      %s%n", r.get("ipc_namespace"));
        out.printf(
                "mqueue      %s%n",
                r.get("mqueue_mount") != null
                        ? "mounted at " + r.get("mqueue_mount") + " (jipc ls lists POSIX queues)"
                        : "not mounted: POSIX queues work but cannot be listed;"
                                + " mount -t mqueue none /dev/mqueue");
        out.printf(
                "gcc         %s%n",
                r.get("gcc") == null
                        ? "not found (C peers and C benchmarks are skipped)"
                        : r.get("gcc"));
        Map<?, ?> huge = (Map<?, ?>) r.get("hugepages");
        out.printf(
                "hugepages   total %s, free %s, size %s%n",
                huge.get("hugepages_total"), huge.get("hugepages_free"), huge.get("hugepagesize"));
        out.println("limits");
        ((Map<?, ?>) r.get("limits"))
                .forEach(
                        (name, v) -> {
                            Map<?, ?> one = (Map<?, ?>) v;
                            out.printf(
                                    "  %-14s %-22s %s%n",
                                    name, one.get("value"), one.get("source"));
                        });
    }

    private static String read(String file) throws IOException {
        // readAllLines, not readString: /proc files may report a wrong st_size.
        return String.join(" ", Files.readAllLines(Path.of(file))).trim();
    }

    private static Optional<String> which(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }
}
