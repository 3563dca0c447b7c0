package dev.fapi2lambda.bench;

import dev.fapi2lambda.core.http.Headers;
import dev.fapi2lambda.core.http.Request;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request, as an API Gateway REST API proxy event shaped like the sample events of
 * events/ (same host, headers and request context), and as the core's Request for in-process use.
 */
record Events(String method, String path, Map<String, String> headers, Map<String, String> query, String body) {

    static Events get(String path, Map<String, String> headers, Map<String, String> query) {
        return new Events("GET", path, headers, query, null);
    }

    static Events post(String path, Map<String, String> headers, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/x-www-form-urlencoded");
        h.putAll(headers);
        return new Events("POST", path, h, Map.of(), body);
    }

    Request toRequest() {
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        Map<String, List<String>> q = new LinkedHashMap<>();
        query.forEach((k, v) -> q.put(k, List.of(v)));
        return new Request(method, path, Headers.of(h), q, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
                Optional.empty(), "bench-request");
    }

    /** The event JSON, built by functions/aws's SampleEvents, which writes events/*.json. */
    String toEventJson() {
        return dev.fapi2lambda.aws.BenchSamples.eventJson(method, path, headers, query, body,
                java.util.UUID.randomUUID().toString());
    }
}
