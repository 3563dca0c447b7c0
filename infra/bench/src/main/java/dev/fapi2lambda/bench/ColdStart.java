package dev.fapi2lambda.bench;

import dev.fapi2lambda.aws.BenchSamples;
import dev.fapi2lambda.aws.JwksServer;
import dev.fapi2lambda.aws.KmsProtocolServer;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.fapi2lambda.core.keys.JwkKeyService;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Cold start of each function: a fresh JVM per run loads the handler from the Lambda jar and
 * serves one event against DynamoDB Local (a server process, over HTTP, or HTTPS with --tls) and the
 * local key service, beside a baseline handler (SDK DynamoDB client + one GetItem + one ES256
 * signature) in the same run, targets interleaved round-robin. The figure is process start as the
 * parent sees it (System.nanoTime before ProcessBuilder.start to the child's READY line); the
 * child's own "JVM start time to response" is reported beside it.
 */
@Command(name = "coldstart", mixinStandardHelpOptions = true,
        description = "Cold start per function vs a minimal SDK+ES256 handler, in fresh JVMs.")
final class ColdStart implements Callable<Integer> {
    static final List<String> LAMBDA_DEFAULT_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");
    /** template.yaml's JAVA_TOOL_OPTIONS, read from the template itself (null: it sets none). */
    static final String DEPLOYED_TOOL_OPTIONS = BenchHome.deployedJavaToolOptions();
    /** The status each target must answer (the authorizer's Allow counts as 200). */
    static final Map<String, Integer> EXPECTED = Map.ofEntries(Map.entry("baseline", 200), Map.entry("discovery", 200),
            Map.entry("jwks", 200), Map.entry("par", 201), Map.entry("authorize", 200), Map.entry("token", 200),
            Map.entry("userinfo", 200), Map.entry("introspect", 200), Map.entry("revoke", 200),
            Map.entry("authorizer", 200), Map.entry("accounts", 200));

    /** Handshakes (with one request each) made to each TLS front before the first fresh JVM. */
    static final int TLS_FRONT_WARMUP = 300;

    @Option(names = "--runs", description = "measured runs per target and variant (default ${DEFAULT-VALUE})")
    int runs = 10;

    @Option(names = "--warmup", description = "unmeasured runs per target first (page cache) (default ${DEFAULT-VALUE})")
    int warmup = 1;

    @Option(names = "--emulator-warmup", description = "rounds of every kind of DynamoDB request sent to DynamoDB "
            + "Local before the first run, so that no function is charged for the emulator's own JIT warm-up "
            + "(default ${DEFAULT-VALUE}; 0: none)")
    int emulatorWarmup = 400;

    @Option(names = "--targets", split = ",", description = "default: ${DEFAULT-VALUE}")
    List<String> targets = List.of("baseline", "discovery", "jwks", "par", "authorize", "token", "userinfo", "introspect",
            "revoke", "authorizer", "accounts");

    @Option(names = "--variants", split = ",", description = "deployed (template.yaml's flags), cds (+ AppCDS archive "
            + "from a training run), aot (+ JDK 25 AOT cache from a training run), jvm-default (no flags); "
            + "default: ${DEFAULT-VALUE}, as template.yaml deploys (no archive)")
    List<String> variants = List.of("deployed");

    @Option(names = "--mode", description = "components: *Function(Components) with DynamoDbItemStore on the endpoint "
            + "and the local key service from a keys file; default: the no-argument constructor, everything from "
            + "the environment, KMS via the KMS protocol server (default: ${DEFAULT-VALUE})")
    String mode = "components";

    @Option(names = "--jvm-arg", description = "an extra JVM flag for every target's fresh JVMs, the baseline's "
            + "and any training run's too, for experiments (repeatable; {target} is replaced by the target's name)")
    List<String> jvmArgs = List.of();

    @Option(names = "--tls", description = "every backend (DynamoDB Local, the KMS protocol server, the JWKS "
            + "server) behind a TLS front on the loopback (an RSA 2048 leaf and intermediate, like an AWS "
            + "endpoint's), the fresh JVMs (the baseline's too) trusting the JDK's cacerts plus the fronts' root, "
            + "so that each pays the TLS handshakes it pays in AWS (default: plain HTTP)")
    boolean tls;

    @Option(names = "--child-cpus", description = "pin every fresh JVM (the baseline's too) to these CPUs with "
            + "taskset (Linux; a list such as 1, 0-1 or 0,2), e.g. 1 for the CPU time of a 1,769 MB Lambda function. "
            + "taskset gives whole CPUs only: a pinned JVM sees them, while Lambda's JVM sees 2 up to 3,008 MB and "
            + "gets CPU time by memory. Run the parent under taskset on the other CPUs (DynamoDB Local inherits "
            + "its CPUs) to keep the emulators off the child's (default: not pinned)")
    String childCpus;

    @Spec
    CommandSpec spec;

    @Option(names = "--java", description = "the java of the fresh JVMs (default: this JVM's)")
    Path java;

    @Option(names = "--work", description = "scratch folder (default: target/bench-work/coldstart)")
    Path work;

    @Option(names = "--out", description = "result JSON (default: target/bench-results/coldstart.json)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (childCpus != null && !childCpus.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
            throw new ParameterException(spec.commandLine(), "--child-cpus: a CPU list such as 1, 0-1 or 0,2, not "
                    + childCpus);
        }
        Path javaHome = java == null ? Path.of(System.getProperty("java.home")) : java.toAbsolutePath();
        if (Files.isRegularFile(javaHome)) {   // given the binary
            javaHome = javaHome.getParent().getParent();
        }
        String javaBin = javaHome.resolve("bin").resolve("java").toString();
        String jdk = BenchHome.describeJdk(javaHome);
        Path dir = work == null ? BenchHome.target().resolve("bench-work").resolve("coldstart") : work;
        deleteTree(dir);
        Files.createDirectories(dir);
        System.out.println("cold start: fresh JVMs on " + jdk + "; mode " + mode + (tls ? "; TLS" : "; plain HTTP")
                + "; " + runs + " runs (+" + warmup + " warm-up) per target and variant; "
                + Runtime.getRuntime().availableProcessors() + " cores"
                + (childCpus == null ? "" : "; fresh JVMs pinned to CPUs " + childCpus));

        // The server keys: RSA 3072 (template.yaml's Ps256Key) and P-256, in the local key service's file.
        RSAKey rsa = new RSAKeyGenerator(3072).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.PS256)
                .keyIDFromThumbprint(true).generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                .keyIDFromThumbprint(true).generate();
        Path keysFile = dir.resolve("keys.jwks");
        ColdStartPrep.writeKeys(keysFile, List.<JWK>of(rsa, ec));
        Path baselineKey = dir.resolve("baseline-es256.pk8");
        Files.write(baselineKey, ec.toECPrivateKey().getEncoded());

        Map<String, Object> result = Results.header("coldstart", jdk);
        result.put("mode", mode);
        result.put("lambdaDefaultFlags", LAMBDA_DEFAULT_FLAGS);
        result.put("deployedJavaToolOptions", DEPLOYED_TOOL_OPTIONS);
        result.put("extraJvmArgs", jvmArgs);
        result.put("tls", tls);
        result.put("childCpus", childCpus == null ? "not pinned" : childCpus);
        // The issuer's JWKS, which the authorizer fetches on its first request: the keys its access
        // tokens are signed with (the sample server keys where the sample events are used).
        List<JWK> published = "components".equals(mode) ? BenchSamples.serverKeys() : List.<JWK>of(rsa, ec);
        try (DynamoLocalProcess dynamoLocal = DynamoLocalProcess.start(dir.resolve("dynamodb-local.log"));
             KmsProtocolServer kms = "default".equals(mode) ? new KmsProtocolServer() : null;
             JwksServer jwks = new JwksServer(published);
             // Without --tls, plain HTTP on the loopback: no TLS handshake is in the figures, the
             // baseline's or the functions'. With it, one TLS front per backend.
             TlsFronts fronts = tls ? new TlsFronts() : null) {
            URI dynamoEndpoint = fronts == null ? dynamoLocal.endpoint() : fronts.front(dynamoLocal.endpoint());
            URI kmsEndpoint = kms == null ? null : fronts == null ? kms.endpoint() : fronts.front(kms.endpoint());
            URI jwksUri = fronts == null ? URI.create(jwks.uri()) : fronts.front(URI.create(jwks.uri()));
            List<String> trust = fronts == null ? List.of() : List.of("-Djavax.net.ssl.trustStore="
                    + fronts.trustStore(javaHome, dir.resolve("truststore.p12")), "-Djavax.net.ssl.trustStoreType=PKCS12");
            DynamoDbClient dynamo = Sdk.dynamo(dynamoLocal.endpoint(), null);
            if (kms != null) {
                kms.addKey("ps256-key", "RSA_3072", new KeyPair(rsa.toPublicKey(), rsa.toPrivateKey()));
                kms.addKey("es256-key", "ECC_NIST_P256", new KeyPair(ec.toPublicKey(), ec.toPrivateKey()));
            }
            ColdStartPrep prep = new ColdStartPrep(dynamo, new JwkKeyService(List.of(rsa, ec)), keysFile,
                    "components".equals(mode), BenchHome.events(), dir.resolve("events"));
            if (emulatorWarmup > 0) {
                double warmMs = prep.warmEmulator(emulatorWarmup);
                System.out.printf("DynamoDB Local warmed: %d rounds of 12 requests, %.1f ms a round at the end%n",
                        emulatorWarmup, warmMs);
                result.put("emulatorWarmup", Map.of("rounds", emulatorWarmup, "msPerRoundOf12Requests", warmMs));
            }
            if (fronts != null) {
                fronts.warm(TLS_FRONT_WARMUP);
                System.out.println("TLS fronts warmed: " + TLS_FRONT_WARMUP + " handshakes each");
            }
            Map<String, String> common = new LinkedHashMap<>();
            common.put("AWS_REGION", Sdk.REGION.id());
            common.put("AWS_DEFAULT_REGION", Sdk.REGION.id());
            common.put("AWS_ACCESS_KEY_ID", Sdk.ACCESS_KEY);
            common.put("AWS_SECRET_ACCESS_KEY", Sdk.SECRET_KEY);
            common.put("AWS_SESSION_TOKEN", "bench-session");
            common.put("DYNAMODB_ENDPOINT", dynamoEndpoint.toString());
            common.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint.toString());
            common.put("ISSUER", ColdStartPrep.ISSUER);
            common.put("MTLS_BASE_URL", ColdStartPrep.MTLS_BASE_URL);
            common.put("BASELINE_KEY", baselineKey.toString());
            // template.yaml: API_AUDIENCE for every function (Globals), the rest for the authorizer.
            common.put("API_AUDIENCE", ColdStartPrep.API_AUDIENCE);
            common.put("JWKS_URI", jwksUri.toString());
            common.put("RESOURCE_BASE_URL", ColdStartPrep.ISSUER);
            common.put("RESOURCE_MTLS_BASE_URL", ColdStartPrep.MTLS_BASE_URL);
            if (kms != null) {
                common.put("AWS_ENDPOINT_URL_KMS", kmsEndpoint.toString());
                common.put("KMS_PS256_KEY_ID", "ps256-key");
                common.put("KMS_ES256_KEY_ID", "es256-key");
            }
            String classPath = BenchHome.launcherJar() + File.pathSeparator + BenchHome.lambdaJar();
            Runner runner = new Runner(javaBin, classPath, common, prep, dir.resolve("logs"), childCpus);

            Map<String, Object> byVariant = new LinkedHashMap<>();
            List<String[]> table = new ArrayList<>();
            for (String variant : variants) {
                Map<String, List<Run>> measured = new LinkedHashMap<>();
                targets.forEach(t -> measured.put(t, new ArrayList<>()));
                Map<String, List<String>> flags = new LinkedHashMap<>();
                for (String target : targets) {
                    flags.put(target, flags(variant, target, dir, runner, trust));
                }
                for (int r = -warmup; r < runs; r++) {
                    for (String target : targets) {
                        Run run = runner.run(target, flags.get(target), toolOptions(variant, target), mode);
                        if (r >= 0) {
                            measured.get(target).add(run);
                        }
                    }
                }
                byVariant.put(variant, summarize(variant, measured, flags, table));
            }
            result.put("variants", byVariant);
            result.put("sources", runner.sources);
            printTable(jdk, table);
        }
        Results.write(out == null ? Results.defaultOut("coldstart") : out, result);
        return 0;
    }

    /** The JVM flags of a target in a variant; trains the archive first where the variant has one. */
    private List<String> flags(String variant, String target, Path dir, Runner runner, List<String> trust)
            throws Exception {
        List<String> f = new ArrayList<>();
        if (!"jvm-default".equals(variant)) {
            f.addAll(LAMBDA_DEFAULT_FLAGS);
        }
        f.addAll(trust);
        // The experiment's flags come before any training run, so an archive is trained with them too.
        jvmArgs.forEach(a -> f.add(a.replace("{target}", target)));
        switch (variant) {
            case "deployed", "jvm-default" -> {
            }
            case "cds" -> f.add("-XX:SharedArchiveFile=" + train(target, f,
                    dir.resolve("cds").resolve(target + ".jsa"), "-XX:ArchiveClassesAtExit=", variant, runner));
            case "aot" -> f.add("-XX:AOTCache=" + train(target, f,
                    dir.resolve("aot").resolve(target + ".aot"), "-XX:AOTCacheOutput=", variant, runner));
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        }
        return f;
    }

    /** One training run with {@code flags} that writes {@code archive} through {@code writeFlag}; the archive. */
    private Path train(String target, List<String> flags, Path archive, String writeFlag, String variant,
                       Runner runner) throws Exception {
        Files.createDirectories(archive.getParent());
        List<String> training = new ArrayList<>(flags);
        training.add(writeFlag + archive);
        runner.run(target, training, toolOptions(variant, target), mode);
        requireFile(archive, variant + " training run of " + target);
        return archive;
    }

    /** The functions get template.yaml's JAVA_TOOL_OPTIONS; the baseline runs on Lambda's defaults alone. */
    private static String toolOptions(String variant, String target) {
        return "baseline".equals(target) || "jvm-default".equals(variant) ? null : DEPLOYED_TOOL_OPTIONS;
    }

    private static void requireFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(what + " wrote no " + file + " (see the logs folder)");
        }
    }

    /** One measured cold start. */
    record Run(double parentMs, double jvmStartToReadyMs, double preMainMs, double initMs, double invokeMs, int status,
               boolean ok) {
    }

    private Map<String, Object> summarize(String variant, Map<String, List<Run>> measured, Map<String, List<String>> flags,
                                          List<String[]> table) {
        Map<String, Object> v = new LinkedHashMap<>();
        double baseline = measured.containsKey("baseline")
                ? new Stats(measured.get("baseline").stream().map(Run::parentMs).toList()).median() : Double.NaN;
        double baselineChild = measured.containsKey("baseline")
                ? new Stats(measured.get("baseline").stream().map(Run::jvmStartToReadyMs).toList()).median() : Double.NaN;
        measured.forEach((target, list) -> {
            Stats parent = new Stats(list.stream().map(Run::parentMs).toList());
            Stats child = new Stats(list.stream().map(Run::jvmStartToReadyMs).toList());
            Stats preMain = new Stats(list.stream().map(Run::preMainMs).toList());
            Stats init = new Stats(list.stream().map(Run::initMs).toList());
            Stats invoke = new Stats(list.stream().map(Run::invokeMs).toList());
            long errors = list.stream().filter(r -> !r.ok()).count();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("flags", flags.get(target));
            t.put("javaToolOptions", toolOptions(variant, target));
            t.put("processStartToReadyMs", parent.summary());
            t.put("jvmStartToReadyMs", child.summary());
            t.put("jvmStartToMainMs", preMain.summary());
            t.put("initMs", init.summary());
            t.put("firstInvokeMs", invoke.summary());
            t.put("ratioToBaseline", Stats.round(parent.median() / baseline));
            t.put("ratioToBaselineJvmStart", Stats.round(child.median() / baselineChild));
            t.put("statuses", list.stream().map(Run::status).toList());
            t.put("errors", errors);
            t.put("runs", list);
            v.put(target, t);
            table.add(new String[] {variant, target, fmt(parent.median()), fmt(parent.min()) + "-" + fmt(parent.max()),
                    fmt(child.median()), fmt(preMain.median()), fmt(init.median()), fmt(invoke.median()),
                    String.format("%.2f", parent.median() / baseline), String.valueOf(errors)});
        });
        return v;
    }

    private static String fmt(double ms) {
        return String.format("%.0f", ms);
    }

    private static void printTable(String jdk, List<String[]> rows) {
        System.out.println();
        System.out.println("Cold start, median ms (JDK: " + jdk + ")");
        String format = "%-12s %-10s %9s %11s %10s %9s %7s %8s %9s %6s%n";
        System.out.printf(format, "variant", "target", "process", "min-max", "jvm-start", "pre-main", "init", "invoke",
                "x baseline", "errors");
        for (String[] row : rows) {
            System.out.printf(format, (Object[]) row);
        }
        System.out.println("process = ProcessBuilder.start to the READY line, as the parent sees it; jvm-start = the "
                + "JVM's start time to response; init = handler construction; invoke = first handleRequest.");
    }

    /** Spawns and times the fresh JVMs. */
    static final class Runner {
        private final String javaBin;
        /** taskset's CPU list for every fresh JVM, or null. */
        private final String cpus;
        private final String classPath;
        private final Map<String, String> common;
        private final ColdStartPrep prep;
        private final Path logs;
        private int count;
        final Map<String, String> sources = new LinkedHashMap<>();

        Runner(String javaBin, String classPath, Map<String, String> common, ColdStartPrep prep, Path logs,
               String cpus) throws IOException {
            this.cpus = cpus;
            this.javaBin = javaBin;
            this.classPath = classPath;
            this.common = common;
            this.prep = prep;
            this.logs = logs;
            Files.createDirectories(logs);
        }

        Run run(String target, List<String> flags, String toolOptions, String mode) throws Exception {
            ColdStartPrep.Prepared prepared = prep.prepare(target);
            sources.put(target, prepared.source());
            List<String> command = new ArrayList<>();
            if (cpus != null) {
                command.addAll(List.of("taskset", "-c", cpus));
            }
            command.add(javaBin);
            command.addAll(flags);
            command.addAll(List.of("-cp", classPath, "dev.fapi2lambda.bench.child.ColdStartChild", target,
                    prepared.eventFile().toString(), mode));
            ProcessBuilder builder = new ProcessBuilder(command);
            Map<String, String> env = builder.environment();
            env.remove("JAVA_TOOL_OPTIONS");
            env.remove("JDK_JAVA_OPTIONS");
            env.remove("_JAVA_OPTIONS");
            env.putAll(common);
            env.putAll(prepared.env());
            env.put("COLDSTART_PRINT_RESPONSE", "1");
            if (toolOptions != null) {
                env.put("JAVA_TOOL_OPTIONS", toolOptions);
            }
            Path log = logs.resolve(String.format("%04d-%s.log", ++count, target));
            builder.redirectError(log.toFile());
            long spawnedAtMillis = System.currentTimeMillis();
            long t0 = System.nanoTime();
            Process process = builder.start();
            double parentMs = Double.NaN;
            String detail = null;
            String response = "";
            StringBuilder other = new StringBuilder();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.equals("READY")) {
                        parentMs = (System.nanoTime() - t0) / 1e6;
                    } else if (line.startsWith("DETAIL ")) {
                        detail = line;
                    } else if (line.startsWith("RESPONSE ")) {
                        response = line.substring(9);
                    } else {
                        other.append(line).append('\n');
                    }
                }
            }
            if (!other.isEmpty()) {
                Files.writeString(logs.resolve(log.getFileName() + ".out"), other);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(target + " did not exit within 60 s (" + log + ")");
            }
            if (detail == null || Double.isNaN(parentMs)) {
                throw new IllegalStateException(target + " printed no READY/DETAIL, exit " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            Map<String, String> d = new LinkedHashMap<>();
            for (String part : detail.substring(7).split(" ")) {
                d.put(part.substring(0, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
            }
            long jvmStart = Long.parseLong(d.get("jvmStart"));
            long main = Long.parseLong(d.get("main"));
            long init = Long.parseLong(d.get("init"));
            long ready = Long.parseLong(d.get("ready"));
            int status = "none".equals(d.get("status")) ? -1 : Integer.parseInt(d.get("status"));
            boolean ok = status == EXPECTED.get(target) && didTheWork(target, response)
                    && (!"revoke".equals(target) || prep.grantsRevoked(prepared.table()));
            if (!ok) {
                System.err.println("WARNING " + target + " answered " + status + " (expected " + EXPECTED.get(target)
                        + "): " + response.substring(0, Math.min(400, response.length())) + "; see " + log);
            }
            if (jvmStart < spawnedAtMillis - 5) {
                System.err.println("WARNING clock: the JVM start time precedes the spawn by " + (spawnedAtMillis - jvmStart)
                        + " ms");
            }
            return new Run(Stats.round(parentMs), ready - jvmStart, main - jvmStart, init - main, ready - init, status, ok);
        }
    }

    /**
     * Where the status alone does not show that the function did its work: introspection answers
     * 200 for any token, so its answer must say the token is active. (Revocation answers 200 for
     * any token too: the Runner checks its table afterwards, see ColdStartPrep.grantsRevoked.)
     */
    static boolean didTheWork(String target, String response) {
        if (!"introspect".equals(target)) {
            return true;
        }
        try {
            Object body = com.nimbusds.jose.util.JSONObjectUtils.parse(response).get("body");
            return body instanceof String json && Boolean.TRUE.equals(com.nimbusds.jose.util.JSONObjectUtils.parse(json)
                    .get("active"));
        } catch (java.text.ParseException e) {
            return false;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
