package dev.fapi2lambda.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where the built pieces are: infra/bench/target (this jar, lib/, the launcher and the Lambda jar). */
final class BenchHome {
    private BenchHome() {
    }

    static Path target() {
        try {
            Path here = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return here.getParent().toAbsolutePath();   // target/fapi2-bench.jar or target/classes
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path lib() {
        return target().resolve("lib");
    }

    static Path launcherJar() {
        return require(target().resolve("fapi2-bench-launcher.jar"));
    }

    static Path lambdaJar() {
        return require(target().resolve("fapi2-aws-lambda.jar"));
    }

    /** Every jar of lib/, as a class path (DynamoDB Local's server runs on it). */
    static String libClassPath() {
        try (var files = Files.list(lib())) {
            List<String> jars = new ArrayList<>();
            files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> jars.add(p.toString()));
            return String.join(java.io.File.pathSeparator, jars);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no " + lib() + ": build with mvn package first", e);
        }
    }

    /** The repository's events/ folder: above the working directory, or above this jar. */
    static Path events() {
        return findUp(Path.of("").toAbsolutePath(), "events")
                .or(() -> findUp(target(), "events"))
                .orElseThrow(() -> new IllegalStateException("no events/ folder above " + Path.of("").toAbsolutePath()));
    }

    /**
     * The JAVA_TOOL_OPTIONS value template.yaml (beside events/) gives the functions, or null when it
     * sets none: the cold start runs the functions with exactly what is deployed.
     */
    static String deployedJavaToolOptions() {
        Path template = events().getParent().resolve("template.yaml");
        try {
            String value = null;
            for (String line : Files.readAllLines(template)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*JAVA_TOOL_OPTIONS:\\s*(.*?)\\s*$")
                        .matcher(line);
                if (m.matches()) {
                    if (value != null) {
                        throw new IllegalStateException(template + " sets JAVA_TOOL_OPTIONS more than once");
                    }
                    value = m.group(1).replaceAll("\\s+#.*$", "").replaceAll("^'(.*)'$", "$1").replaceAll("^\"(.*)\"$", "$1");
                }
            }
            return value == null || value.isBlank() ? null : value;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + template, e);
        }
    }

    private static Optional<Path> findUp(Path from, String name) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(name)) && Files.exists(dir.resolve("pom.xml"))) {
                return Optional.of(dir.resolve(name));
            }
        }
        return Optional.empty();
    }

    private static Path require(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: build with mvn package first");
        }
        return file;
    }

    /** "Temurin 25.0.1+8 (/usr/lib/jvm/...)" for the JVM at java.home. */
    static String describeJdk(Path javaHome) {
        Path release = javaHome.resolve("release");
        String version = "?";
        String vendor = "";
        try {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_RUNTIME_VERSION=")) {
                    version = line.substring(line.indexOf('=') + 1).replace("\"", "");
                } else if (line.startsWith("IMPLEMENTOR=")) {
                    vendor = line.substring(line.indexOf('=') + 1).replace("\"", "");
                }
            }
        } catch (java.io.IOException e) {
            return javaHome.toString();
        }
        return (vendor + " " + version).trim() + " (" + javaHome + ")";
    }

    static String thisJdk() {
        return describeJdk(Path.of(System.getProperty("java.home")));
    }
}
