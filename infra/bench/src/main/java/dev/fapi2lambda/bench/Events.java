package dev.fapi2lambda.bench;

import com.nimbusds.jose.util.JSONObjectUtils;
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

    /** The event JSON, as functions/aws's SampleEvents writes events/*.json. */
    String toEventJson() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", path);
        event.put("path", path);
        event.put("httpMethod", method);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("Host", "as.example.com");
        h.put("User-Agent", "sample-client/1.0");
        h.put("X-Forwarded-For", "203.0.113.10");
        h.put("X-Forwarded-Proto", "https");
        h.putAll(headers);
        event.put("headers", h);
        Map<String, Object> mh = new LinkedHashMap<>();
        h.forEach((k, v) -> mh.put(k, List.of(v)));
        event.put("multiValueHeaders", mh);
        if (query.isEmpty()) {
            event.put("queryStringParameters", null);
            event.put("multiValueQueryStringParameters", null);
        } else {
            event.put("queryStringParameters", new LinkedHashMap<>(query));
            Map<String, Object> mq = new LinkedHashMap<>();
            query.forEach((k, v) -> mq.put(k, List.of(v)));
            event.put("multiValueQueryStringParameters", mq);
        }
        event.put("pathParameters", null);
        event.put("stageVariables", null);
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("sourceIp", "203.0.113.10");
        identity.put("userAgent", "sample-client/1.0");
        identity.put("clientCert", null);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "123456789012");
        context.put("apiId", "a1b2c3d4e5");
        context.put("domainName", "as.example.com");
        context.put("httpMethod", method);
        context.put("path", path);
        context.put("protocol", "HTTP/1.1");
        context.put("requestId", java.util.UUID.randomUUID().toString());
        context.put("requestTimeEpoch", System.currentTimeMillis());
        context.put("resourcePath", path);
        context.put("stage", "prod");
        context.put("identity", identity);
        event.put("requestContext", context);
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return JSONObjectUtils.toJSONString(event);
    }
}
