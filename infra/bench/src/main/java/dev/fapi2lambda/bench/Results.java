package dev.fapi2lambda.bench;

import com.nimbusds.jose.shaded.gson.GsonBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON result file every benchmark writes, with where and on what it ran. */
final class Results {
    private Results() {
    }

    static Map<String, Object> header(String benchmark, String jdk) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", benchmark);
        m.put("date", Instant.now().toString());
        m.put("jdk", jdk);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("gitWhenRunStarted", git());
        m.put("loadAverageAtStart", loadAverage());
        if (loadAverage() > 0.5) {
            System.out.println("NOTE: load average " + loadAverage() + " at start: other processes share these "
                    + Runtime.getRuntime().availableProcessors() + " cores; expect noise (ratios in one run hold better)");
        }
        try {
            m.put("host", InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            m.put("host", "?");
        }
        return m;
    }

    /** HEAD and uncommitted product files when the run started (the jars are what was last built; best effort). */
    static String git() {
        try {
            String head = run("git", "rev-parse", "--short", "HEAD");
            String dirty = run("git", "status", "--porcelain", "--", "functions", "infra/local", "events", "template.yaml");
            return head + (dirty.isBlank() ? "" : " + uncommitted changes in " + dirty.lines().count() + " product files");
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "?";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }

    /** The 1-minute load average (Linux), or -1. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static void write(Path out, Map<String, Object> result) throws IOException {
        result.put("loadAverageAtEnd", loadAverage());
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(out, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .disableHtmlEscaping().create().toJson(result) + "\n");
        System.out.println("wrote " + out.toAbsolutePath());
    }

    static Path defaultOut(String name) {
        return BenchHome.target().resolve("bench-results").resolve(name + ".json");
    }
}
