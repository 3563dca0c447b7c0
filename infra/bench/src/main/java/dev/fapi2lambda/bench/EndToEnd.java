package dev.fapi2lambda.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Complete flows (discovery, PAR, authorize, login, consent, token, userinfo) through the local
 * server with K concurrent FapiClients for a fixed time: flows/s, per-step p50/p95/p99, errors.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "End to end: complete flows through the local HTTPS server with K concurrent clients.")
final class EndToEnd implements Callable<Integer> {
    @Option(names = "--clients", split = ",", description = "K concurrent clients, one run each (default: ${DEFAULT-VALUE})")
    List<Integer> clients = List.of(1, 2, 4);

    @Option(names = "--seconds", description = "per run (default ${DEFAULT-VALUE})")
    int seconds = 30;

    @Option(names = "--warmup-flows", description = "sequential flows before the runs, not measured (default ${DEFAULT-VALUE})")
    int warmupFlows = 5;

    @Option(names = "--backend", description = "local (LocalApp, as serve --in-memory) or aws (SDK clients to DynamoDB "
            + "Local's server and the KMS protocol server, requests counted) (default: ${DEFAULT-VALUE})")
    String backend = "local";

    @Option(names = "--max-idle-connections", description = "sun.net.httpserver.maxIdleConnections of the local "
            + "server (JDK default 200; 0 keeps the default). Each flow is a new client with its own TLS contexts, so "
            + "connections churn far faster than with real browsers; past the cap the JDK HttpServer closes a "
            + "connection right after answering on it, and the browser's next POST on it fails (default: ${DEFAULT-VALUE})")
    int maxIdleConnections = 10_000;

    @Option(names = "--nagle", description = "sun.net.httpserver.nodelay=false: Nagle on, the JDK HttpServer's own "
            + "default, so small responses wait for the client's delayed ACK (~40 ms on Linux). The local server turns "
            + "TCP_NODELAY on unless the property is set (LocalServer), so without this option the run is the server "
            + "as it ships (default: ${DEFAULT-VALUE})")
    boolean nagle;

    @Option(names = "--out", description = "result JSON (default: target/bench-results/e2e-<backend>[-nagle].json)")
    Path out;

    @Override
    public Integer call() throws Exception {
        String jdk = BenchHome.thisJdk();
        if (maxIdleConnections > 0) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", String.valueOf(maxIdleConnections));
        }
        if (nagle) {
            System.setProperty("sun.net.httpserver.nodelay", "false");
        }
        Map<String, Object> result = Results.header("e2e", jdk);
        result.put("httpserverNodelay", !nagle);   // LocalServer's default unless --nagle
        result.put("httpserverMaxIdleConnections", maxIdleConnections > 0 ? maxIdleConnections : "JDK default (200)");
        List<String> lines = new ArrayList<>();
        try (Backend server = Backend.start(backend, BenchHome.target().resolve("bench-work").resolve("e2e-" + backend))) {
            System.out.println("end to end on " + jdk + ", " + Runtime.getRuntime().availableProcessors() + " cores; "
                    + server.describe() + "; issuer " + server.server.issuer() + "; TCP_NODELAY " + !nagle);
            result.put("backend", server.describe());
            int warmErrors = 0;
            for (int i = 0; i < warmupFlows; i++) {
                Flows.Result r = Flows.run(server.server, null);
                if (!r.ok()) {
                    warmErrors++;
                    System.err.println("warm-up flow failed at " + r.failedStep() + ": " + r.error());
                }
            }
            result.put("warmupFlows", warmupFlows);
            result.put("warmupErrors", warmErrors);
            Map<String, Object> runs = new LinkedHashMap<>();
            for (int k : clients) {
                runs.put(String.valueOf(k), run(server, k, lines));
            }
            result.put("runs", runs);
        }
        System.out.println();
        System.out.println("End to end, ms per step (JDK: " + jdk + ", backend " + backend + ", server TCP_NODELAY "
                + !nagle + ")");
        lines.forEach(System.out::println);
        Results.write(out == null ? Results.defaultOut("e2e-" + backend + (nagle ? "-nagle" : "")) : out, result);
        return 0;
    }

    private Map<String, Object> run(Backend server, int k, List<String> lines) throws Exception {
        List<Flows.Result> results = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> before = server.counter == null ? Map.of() : server.counter.attempts();
        if (server.server.serverMs() != null) {
            server.server.serverMs().clear();
        }
        ExecutorService pool = Executors.newFixedThreadPool(k);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    results.add(Flows.run(server.server, null));
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Map<String, Long> calls = server.counter == null ? Map.of()
                : CallCounter.diff(server.counter.attempts(), before);

        List<Flows.Result> ok = results.stream().filter(Flows.Result::ok).toList();
        Map<String, Long> errors = new LinkedHashMap<>();
        results.stream().filter(r -> !r.ok()).forEach(r -> errors.merge(r.failedStep(), 1L, Long::sum));
        Map<String, String> firstErrors = new LinkedHashMap<>();
        results.stream().filter(r -> !r.ok()).forEach(r -> firstErrors.putIfAbsent(r.failedStep(), r.error()));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", k);
        m.put("seconds", Stats.round(elapsed));
        m.put("flows", ok.size());
        m.put("errors", results.size() - ok.size());
        m.put("errorsByStep", errors);
        m.put("firstErrorByStep", firstErrors);
        m.put("flowsPerSecond", Stats.round(ok.size() / elapsed));
        Map<String, Object> steps = new LinkedHashMap<>();
        lines.add(String.format("K=%d: %d flows in %.1f s = %.2f flows/s, errors %d%s", k, ok.size(), elapsed,
                ok.size() / elapsed, results.size() - ok.size(), errors.isEmpty() ? "" : " " + errors));
        String format = "  %-26s %8s %8s %8s %8s%n";
        lines.add(String.format(format, "step", "p50", "p95", "p99", "max").stripTrailing());
        List<String> names = new ArrayList<>(Flows.STEPS);
        names.add("flow (all steps)");
        names.add("flow without login");
        for (String step : names) {
            Stats s = new Stats(ok.stream().map(r -> value(r, step)).toList());
            steps.put(step, s.summary());
            lines.add(String.format(format, step, fmt(s.median()), fmt(s.percentile(95)), fmt(s.percentile(99)),
                    fmt(s.max())).stripTrailing());
        }
        m.put("stepsMs", steps);
        if (server.server.serverMs() != null) {
            Map<String, Object> routes = new LinkedHashMap<>();
            lines.add(String.format(format, "server side, per request", "p50", "p95", "p99", "max").stripTrailing());
            new java.util.TreeMap<>(server.server.serverMs()).forEach((route, times) -> {
                Stats s;
                synchronized (times) {
                    s = new Stats(new ArrayList<>(times));
                }
                routes.put(route, s.summary());
                lines.add(String.format(format, route, fmt(s.median()), fmt(s.percentile(95)), fmt(s.percentile(99)),
                        fmt(s.max())).stripTrailing());
            });
            m.put("serverSideMsPerRequest", routes);
        }
        if (server.counter != null && !ok.isEmpty()) {
            Map<String, Object> perFlow = new LinkedHashMap<>();
            calls.forEach((op, n) -> perFlow.put(op, Stats.round((double) n / results.size())));
            m.put("awsRequestsPerFlow", perFlow);
            long dynamo = calls.entrySet().stream().filter(e -> e.getKey().startsWith("DynamoDB")).mapToLong(Map.Entry::getValue).sum();
            long sign = calls.getOrDefault("KMS.Sign", 0L);
            lines.add(String.format("  AWS requests per flow (all flows of the run): DynamoDB %.2f, KMS Sign %.2f",
                    (double) dynamo / results.size(), (double) sign / results.size()));
        }
        lines.add("");
        return m;
    }

    private static double value(Flows.Result r, String step) {
        return switch (step) {
            case "flow (all steps)" -> r.ms().values().stream().mapToDouble(Double::doubleValue).sum();
            case "flow without login" -> r.ms().entrySet().stream().filter(e -> !"login".equals(e.getKey()))
                    .mapToDouble(Map.Entry::getValue).sum();
            default -> r.ms().get(step);
        };
    }

    private static String fmt(double v) {
        return String.format("%.1f", v);
    }
}
