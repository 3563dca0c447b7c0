package dev.fapi2lambda.bench;

import dev.fapi2lambda.bench.jmh.CryptoFloorBenchmark;
import dev.fapi2lambda.bench.jmh.TokenBenchmark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * JMH: the token request in-process beside the crypto floor it cannot avoid, once per JIT
 * configuration (c2: the JVM's default tiered compilation; c1: template.yaml's
 * -XX:TieredStopAtLevel=1, which a warm Lambda container keeps for its whole life).
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "JMH: token request processing (TokenEndpoint.handle) vs the bare crypto floor.")
final class TokenThroughput implements Callable<Integer> {
    @Option(names = "--jit", split = ",", description = "c2 (JVM default), c1 (-XX:TieredStopAtLevel=1, as deployed); "
            + "default: ${DEFAULT-VALUE}")
    List<String> jits = List.of("c2", "c1");

    @Option(names = "--rsa-bits", description = "PS256 key size (default ${DEFAULT-VALUE}, template.yaml's RSA_3072)")
    int rsaBits = 3072;

    @Option(names = "--batch", description = "token requests minted per iteration (default ${DEFAULT-VALUE})")
    int batch = 1500;

    @Option(names = "--warmup-iterations", description = "default ${DEFAULT-VALUE}")
    int warmupIterations = 3;

    @Option(names = "--iterations", description = "default ${DEFAULT-VALUE}")
    int iterations = 5;

    @Option(names = "--seconds", description = "per iteration (default ${DEFAULT-VALUE})")
    int seconds = 2;

    @Option(names = "--forks", description = "default ${DEFAULT-VALUE}")
    int forks = 1;

    @Option(names = "--out", description = "result JSON (default: target/bench-results/token.json)")
    Path out;

    @Override
    public Integer call() throws Exception {
        String jdk = BenchHome.thisJdk();
        System.out.println("token throughput: JMH on " + jdk + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, RSA " + rsaBits);
        Path outFile = out == null ? Results.defaultOut("token") : out;
        Map<String, Object> result = Results.header("token", jdk);
        result.put("rsaBits", rsaBits);
        result.put("sha256PerRequestInFloor", CryptoFloorBenchmark.SHA256_PER_REQUEST);
        Map<String, Object> byJit = new LinkedHashMap<>();
        List<String[]> rows = new ArrayList<>();
        for (String jit : jits) {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(TokenBenchmark.class.getName() + "\\.")
                    .include(CryptoFloorBenchmark.class.getName() + "\\.")
                    .param("rsaBits", String.valueOf(rsaBits))
                    .param("batch", String.valueOf(batch))
                    .warmupIterations(warmupIterations).warmupTime(TimeValue.seconds(seconds))
                    .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds))
                    .forks(forks).threads(1)
                    .shouldFailOnError(true)
                    .resultFormat(ResultFormatType.JSON)
                    .result(outFile.resolveSibling(outFile.getFileName().toString().replaceFirst("\\.json$", "")
                            + "-jmh-" + jit + ".json").toString());
            if ("c1".equals(jit)) {
                options.jvmArgsAppend("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
            } else if (!"c2".equals(jit)) {
                throw new IllegalArgumentException("unknown --jit " + jit);
            }
            java.nio.file.Files.createDirectories(outFile.toAbsolutePath().getParent());
            Map<String, double[]> scores = new LinkedHashMap<>();
            for (RunResult run : new Runner(options.build()).run()) {
                String name = run.getParams().getBenchmark();
                name = name.substring(name.lastIndexOf('.') + 1);
                scores.put(name, new double[] {run.getPrimaryResult().getScore(), run.getPrimaryResult().getScoreError()});
            }
            byJit.put(jit, summarize(jit, scores, rows));
        }
        result.put("jit", byJit);
        System.out.println();
        System.out.println("Token request vs crypto floor, µs/op (JDK: " + jdk + ", RSA " + rsaBits + ")");
        String format = "%-4s %-38s %12s %10s%n";
        System.out.printf(format, "jit", "benchmark", "µs/op", "± (99.9%)");
        rows.forEach(r -> System.out.printf(format, (Object[]) r));
        Results.write(outFile, result);
        return 0;
    }

    private static Map<String, Object> summarize(String jit, Map<String, double[]> scores, List<String[]> rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        scores.forEach((name, s) -> {
            m.put(name + "Us", Stats.round(s[0]));
            m.put(name + "ErrorUs", Stats.round(s[1]));
            rows.add(new String[] {jit, name, String.format("%.1f", s[0]), String.format("%.1f", s[1])});
        });
        double token = scores.getOrDefault("tokenRequest", new double[] {Double.NaN})[0];
        double floor = scores.getOrDefault("floor", new double[] {Double.NaN})[0];
        // The request signs its two tokens at once: its like-for-like floor is floorSignaturesAtOnce.
        // The keys of earlier runs (overheadUs, tokenOverFloor) keep their meaning: the sequential floor.
        double tokenError = scores.getOrDefault("tokenRequest", new double[] {Double.NaN, Double.NaN})[1];
        double[] atOnce = scores.getOrDefault("floorSignaturesAtOnce", new double[] {Double.NaN, Double.NaN});
        double ratio = token / atOnce[0];
        // The ratio's error from the two 99.9 % half-widths (relative errors added in quadrature).
        double ratioError = ratio * Math.hypot(tokenError / token, atOnce[1] / atOnce[0]);
        m.put("overheadUs", Stats.round(token - floor));
        m.put("tokenOverFloor", Stats.round(token / floor));
        m.put("overheadOverFloorAtOnceUs", Stats.round(token - atOnce[0]));
        m.put("tokenOverFloorAtOnce", Stats.round(ratio));
        m.put("tokenOverFloorAtOnceError", Stats.round(ratioError));
        m.put("tokenRequestsPerSecondOneClient", Stats.round(1e6 / token));
        rows.add(new String[] {jit, "=> token / floor, signatures at once", String.format("%.2f", ratio),
                String.format("%.2f", ratioError)});
        rows.add(new String[] {jit, "=> overhead µs (at once)", String.format("%.1f", token - atOnce[0]), ""});
        rows.add(new String[] {jit, "=> token / floor, one after the other", String.format("%.2f", token / floor), ""});
        return m;
    }
}
