package dev.fapi2lambda.core.http;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One HTTP response: status, headers (one value each), a text body, and any Set-Cookie values. */
public record Response(int status, Map<String, String> headers, String body, List<String> cookies) {

    public Response {
        headers = Map.copyOf(headers);
        cookies = List.copyOf(cookies);
    }

    public Response(int status, Map<String, String> headers, String body) {
        this(status, headers, body, List.of());
    }

    /** The same response with one more header. */
    public Response withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Response(status, more, body, cookies);
    }

    /** A JSON response that no cache may keep (RFC 6749 5.1: token and error responses). */
    public static Response json(int status, Map<String, ?> document) {
        return json(status, document, Map.of());
    }

    public static Response json(int status, Map<String, ?> document, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json;charset=UTF-8");
        headers.put("Cache-Control", "no-store");
        headers.put("Pragma", "no-cache");
        headers.putAll(extraHeaders);
        return new Response(status, headers, JSONObjectUtils.toJSONString(document));
    }

    /** A public document (discovery, JWKS) that caches may keep for a few minutes. */
    public static Response publicJson(String json) {
        return new Response(200, Map.of("Content-Type", "application/json;charset=UTF-8",
                "Cache-Control", "public, max-age=300"), json);
    }

    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
