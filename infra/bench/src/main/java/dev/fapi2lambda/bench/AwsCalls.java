package dev.fapi2lambda.bench;

import com.nimbusds.oauth2.sdk.Scope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * DynamoDB and KMS requests per complete flow, per endpoint: sequential flows through the local
 * HTTPS front over Components with real SDK clients (DynamoDB Local's server over HTTP, the KMS
 * protocol server), counted by an ExecutionInterceptor on each client, read between the steps.
 */
@Command(name = "aws-calls", mixinStandardHelpOptions = true,
        description = "DynamoDB and KMS requests per complete flow, per endpoint (SDK ExecutionInterceptor).")
final class AwsCalls implements Callable<Integer> {
    static final int DYNAMO_TARGET = 10;
    static final int KMS_SIGN_TARGET = 2;
    static final int KMS_SIGN_TARGET_WITHOUT_ID_TOKEN = 1;

    @Option(names = "--flows", description = "sequential complete flows (default ${DEFAULT-VALUE})")
    int flows = 20;

    @Option(names = "--out", description = "result JSON (default: target/bench-results/aws-calls.json)")
    Path out;

    @Option(names = "--flows-without-openid", description = "sequential flows with scope accounts only, after the "
            + "others: /token signs no ID token, so the target is exactly 1 Sign (default ${DEFAULT-VALUE})")
    int flowsWithoutOpenid = 10;

    @Override
    public Integer call() throws Exception {
        String jdk = BenchHome.thisJdk();
        Map<String, Object> result = Results.header("aws-calls", jdk);
        Map<String, Long> startup;
        Counted openid;
        Counted api;
        try (Backend server = Backend.start("aws", BenchHome.target().resolve("bench-work").resolve("aws-calls"))) {
            System.out.println("AWS requests per flow on " + jdk + "; " + server.describe());
            result.put("backend", server.describe());
            startup = server.counter.attempts();
            openid = count(server, Flows.SCOPE, flows);
            api = count(server, Flows.SCOPE_WITHOUT_OPENID, flowsWithoutOpenid);
        }
        result.put("startupRequests", startup);
        result.put("flows", openid.perFlow.size());
        result.put("errors", openid.errors);
        result.put("flowsWithoutOpenid", api.perFlow.size());
        result.put("errorsWithoutOpenid", api.errors);
        if (openid.perFlow.isEmpty() || (flowsWithoutOpenid > 0 && api.perFlow.isEmpty())) {
            Results.write(out == null ? Results.defaultOut("aws-calls") : out, result);
            return 1;
        }

        System.out.println();
        System.out.println("AWS requests (HTTP requests sent by the SDK clients, retries included) — JDK: " + jdk);
        System.out.println("container start (Seed + KMS public keys, once per container): " + startup);
        System.out.println();
        System.out.println("== scope \"" + Flows.SCOPE + "\": with an ID token (target: exactly " + KMS_SIGN_TARGET
                + " Sign per flow)");
        Map<String, Object> first = describe("first flow (cold DPoP nonce cache)", openid.first(), KMS_SIGN_TARGET);
        Counted steadyFlows = openid.steady();
        Map<String, Object> steady = describe("flows " + (openid.perFlow.size() > 1 ? 2 : 1) + ".." + openid.perFlow.size()
                + " (steady state; min-max where the flows differ)", steadyFlows, KMS_SIGN_TARGET);
        result.put("firstFlow", first);
        result.put("steadyState", steady);
        result.put("steadyStateTotals", totals(steadyFlows.perFlow, KMS_SIGN_TARGET));
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("dynamoDbPerFlowAtMost", DYNAMO_TARGET);
        targets.put("kmsSignPerFlowExactly", KMS_SIGN_TARGET);
        if (!api.perFlow.isEmpty()) {
            System.out.println();
            System.out.println("== scope \"" + Flows.SCOPE_WITHOUT_OPENID + "\": no ID token, the flow ends at /token"
                    + " (target: exactly " + KMS_SIGN_TARGET_WITHOUT_ID_TOKEN + " Sign per flow)");
            result.put("withoutOpenid", describe("flows 1.." + api.perFlow.size()
                    + " (after the others, so the nonce window and the client cache are warm)", api,
                    KMS_SIGN_TARGET_WITHOUT_ID_TOKEN));
            result.put("withoutOpenidTotals", totals(api.perFlow, KMS_SIGN_TARGET_WITHOUT_ID_TOKEN));
            targets.put("kmsSignPerFlowWithoutIdTokenExactly", KMS_SIGN_TARGET_WITHOUT_ID_TOKEN);
        }
        result.put("targets", targets);
        Results.write(out == null ? Results.defaultOut("aws-calls") : out, result);
        return 0;
    }

    /** Per flow and step: requests by operation, DynamoDB requests by item kind, HTTP requests to the front. */
    private record Counted(List<Map<String, Map<String, Long>>> perFlow, List<Map<String, Map<String, Long>>> items,
                           List<Map<String, Map<String, Long>>> http, int errors) {
        Counted first() {
            return new Counted(perFlow.subList(0, 1), items.subList(0, 1), http.subList(0, 1), 0);
        }

        /** Every flow but the first, or the one flow if there is only one. */
        Counted steady() {
            int from = perFlow.size() > 1 ? 1 : 0;
            return new Counted(perFlow.subList(from, perFlow.size()), items.subList(from, items.size()),
                    http.subList(from, http.size()), 0);
        }
    }

    /** {@code n} sequential flows of {@code scope}, the counters read after each step. */
    private static Counted count(Backend server, Scope scope, int n) {
        List<Map<String, Map<String, Long>>> perFlow = new ArrayList<>();
        List<Map<String, Map<String, Long>>> itemsPerFlow = new ArrayList<>();
        List<Map<String, Map<String, Long>>> httpPerFlow = new ArrayList<>();
        int errors = 0;
        for (int i = 0; i < n; i++) {
            Map<String, Map<String, Long>> steps = new LinkedHashMap<>();
            Map<String, Map<String, Long>> items = new LinkedHashMap<>();
            Map<String, Map<String, Long>> http = new LinkedHashMap<>();
            List<Map<String, Long>> last = new ArrayList<>(List.of(server.counter.attempts(), server.counter.items(),
                    server.server.httpRequests().get()));
            Flows.Result r = Flows.run(server.server, scope, step -> {
                List<Map<String, Long>> now = List.of(server.counter.attempts(), server.counter.items(),
                        server.server.httpRequests().get());
                steps.put(step, CallCounter.diff(now.get(0), last.get(0)));
                items.put(step, CallCounter.diff(now.get(1), last.get(1)));
                http.put(step, CallCounter.diff(now.get(2), last.get(2)));
                for (int j = 0; j < 3; j++) {
                    last.set(j, now.get(j));
                }
            });
            if (!r.ok()) {
                errors++;
                System.err.println("flow " + (i + 1) + " (scope " + scope + ") failed at " + r.failedStep() + ": "
                        + r.error());
                continue;
            }
            perFlow.add(steps);
            itemsPerFlow.add(items);
            httpPerFlow.add(http);
        }
        return new Counted(perFlow, itemsPerFlow, httpPerFlow, errors);
    }

    /** Per step: each operation's count, as one number if every flow agrees or as min-max. */
    private static Map<String, Object> describe(String title, Counted counted, int signTarget) {
        List<Map<String, Map<String, Long>>> flows = counted.perFlow;
        List<Map<String, Map<String, Long>>> items = counted.items;
        List<Map<String, Map<String, Long>>> http = counted.http;
        System.out.println();
        System.out.println(title);
        String format = "  %-10s %-9s %-62s %s%n";
        System.out.printf(format, "step", "DynamoDB", "DynamoDB by operation", "KMS");
        Map<String, Object> out = new LinkedHashMap<>();
        for (String step : Flows.STEPS) {
            if (flows.stream().noneMatch(f -> f.containsKey(step))) {
                continue;
            }
            TreeSet<String> ops = new TreeSet<>();
            flows.forEach(f -> ops.addAll(f.getOrDefault(step, Map.of()).keySet()));
            Map<String, String> counts = new TreeMap<>();
            for (String op : ops) {
                long min = flows.stream().mapToLong(f -> f.getOrDefault(step, Map.of()).getOrDefault(op, 0L)).min().orElse(0);
                long max = flows.stream().mapToLong(f -> f.getOrDefault(step, Map.of()).getOrDefault(op, 0L)).max().orElse(0);
                counts.put(op, min == max ? String.valueOf(min) : min + "-" + max);
            }
            long dMin = flows.stream().mapToLong(f -> sum(f.getOrDefault(step, Map.of()), "DynamoDB")).min().orElse(0);
            long dMax = flows.stream().mapToLong(f -> sum(f.getOrDefault(step, Map.of()), "DynamoDB")).max().orElse(0);
            StringBuilder dynamoOps = new StringBuilder();
            StringBuilder kmsOps = new StringBuilder();
            counts.forEach((op, n) -> (op.startsWith("DynamoDB") ? dynamoOps : kmsOps)
                    .append(op.substring(op.indexOf('.') + 1)).append(' ').append(n).append(", "));
            System.out.printf(format, step, dMin == dMax ? String.valueOf(dMin) : dMin + "-" + dMax,
                    trim(dynamoOps), trim(kmsOps));
            Map<String, String> itemCounts = ranges(items, step);
            Map<String, String> httpCounts = ranges(http, step);
            Map<String, Object> stepOut = new LinkedHashMap<>();
            stepOut.put("requests", counts);
            stepOut.put("dynamoDbByItem", itemCounts);
            stepOut.put("http", httpCounts);
            out.put(step, stepOut);
            System.out.printf("  %-10s %-9s   items: %s%n", "", "", join(itemCounts));
            System.out.printf("  %-10s %-9s   HTTP:  %s%n", "", "", join(httpCounts));
        }
        // Whole flows, not sums of per-step extremes: which flows cost what, and why the others differ.
        TreeMap<Long, Integer> flowsByTotal = new TreeMap<>();
        TreeMap<Long, Integer> nonceFlowsByTotal = new TreeMap<>();
        long[] signs = {Long.MAX_VALUE, Long.MIN_VALUE};
        for (int i = 0; i < flows.size(); i++) {
            long total = flows.get(i).values().stream().mapToLong(m -> sum(m, "DynamoDB")).sum();
            long sign = flows.get(i).values().stream().mapToLong(m -> m.getOrDefault("KMS.Sign", 0L)).sum();
            signs[0] = Math.min(signs[0], sign);
            signs[1] = Math.max(signs[1], sign);
            boolean drewNonce = items.get(i).values().stream().anyMatch(m -> m.entrySet().stream()
                    .anyMatch(e -> e.getKey().endsWith(" dpopnonce#") && e.getValue() > 0));
            (drewNonce ? nonceFlowsByTotal : flowsByTotal).merge(total, 1, Integer::sum);
        }
        String sign = signs[0] == signs[1] ? String.valueOf(signs[0]) : signs[0] + "-" + signs[1];
        boolean signMet = signs[0] == signTarget && signs[1] == signTarget;
        if (!flowsByTotal.isEmpty()) {
            System.out.printf("  per flow: DynamoDB %s (target <= %d: %s), KMS Sign %s (target exactly %d: %s)%n",
                    byTotal(flowsByTotal), DYNAMO_TARGET, flowsByTotal.lastKey() <= DYNAMO_TARGET ? "met" : "NOT met",
                    sign, signTarget, signMet ? "met" : "NOT met");
        }
        if (!nonceFlowsByTotal.isEmpty()) {
            System.out.printf("  flows that fetched a DPoP nonce (once per nonce window and container, not per flow):"
                    + " DynamoDB %s (target <= %d: %s), KMS Sign %s (target exactly %d: %s)%n",
                    byTotal(nonceFlowsByTotal), DYNAMO_TARGET, nonceFlowsByTotal.lastKey() <= DYNAMO_TARGET ? "met" : "NOT met",
                    sign, signTarget, signMet ? "met" : "NOT met");
        }
        out.put("dynamoDbPerFlowByTotal", flowsByTotal);
        out.put("dynamoDbPerFlowByTotalWithNonceWindow", nonceFlowsByTotal);
        return out;
    }

    /** Each key's count at {@code step}: one number if every flow agrees, else min-max. */
    private static Map<String, String> ranges(List<Map<String, Map<String, Long>>> flows, String step) {
        TreeSet<String> keys = new TreeSet<>();
        flows.forEach(f -> keys.addAll(f.getOrDefault(step, Map.of()).keySet()));
        Map<String, String> out = new TreeMap<>();
        for (String key : keys) {
            long min = flows.stream().mapToLong(f -> f.getOrDefault(step, Map.of()).getOrDefault(key, 0L)).min().orElse(0);
            long max = flows.stream().mapToLong(f -> f.getOrDefault(step, Map.of()).getOrDefault(key, 0L)).max().orElse(0);
            out.put(key, min == max ? String.valueOf(min) : min + "-" + max);
        }
        return out;
    }

    /** "10 (18 flows), 11 (1 flow)". */
    private static String byTotal(TreeMap<Long, Integer> flowsByTotal) {
        StringBuilder b = new StringBuilder();
        flowsByTotal.forEach((total, n) -> b.append(total).append(" (").append(n).append(n == 1 ? " flow), " : " flows), "));
        return b.substring(0, b.length() - 2);
    }

    private static String join(Map<String, String> counts) {
        if (counts.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> b.append(k).append(" x").append(v).append(", "));
        return b.substring(0, b.length() - 2);
    }

    private static Map<String, Object> totals(List<Map<String, Map<String, Long>>> flows, int signTarget) {
        List<Double> dynamo = new ArrayList<>();
        List<Double> sign = new ArrayList<>();
        for (Map<String, Map<String, Long>> f : flows) {
            dynamo.add((double) f.values().stream().mapToLong(m -> sum(m, "DynamoDB")).sum());
            sign.add((double) f.values().stream().mapToLong(m -> m.getOrDefault("KMS.Sign", 0L)).sum());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dynamoDbPerFlow", new Stats(dynamo).summary());
        m.put("kmsSignPerFlow", new Stats(sign).summary());
        m.put("dynamoDbTargetMet", new Stats(dynamo).max() <= DYNAMO_TARGET);
        m.put("kmsSignTargetMet", new Stats(sign).min() == signTarget && new Stats(sign).max() == signTarget);
        return m;
    }

    private static long sum(Map<String, Long> counts, String service) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(service)).mapToLong(Map.Entry::getValue).sum();
    }

    private static String trim(StringBuilder b) {
        return b.length() == 0 ? "-" : b.substring(0, b.length() - 2);
    }
}
