package dev.fapi2lambda.local;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns an HTTP exchange into the API Gateway REST API proxy event (payload 1.0) as API Gateway
 * builds it: single- and multi-value headers and query, the body as text (or base64 when it is
 * not UTF-8), requestContext with a request id. The plain port sends no client certificate.
 */
final class LocalEvents {
    private LocalEvents() {
    }

    static byte[] toEvent(HttpExchange exchange, byte[] body) {
        String path = exchange.getRequestURI().getRawPath();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", path);
        event.put("path", path);
        event.put("httpMethod", exchange.getRequestMethod());
        Map<String, Object> headers = new LinkedHashMap<>();
        Map<String, Object> multiHeaders = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name, values.get(values.size() - 1));
            multiHeaders.put(name, new ArrayList<>(values));
        });
        event.put("headers", headers);
        event.put("multiValueHeaders", multiHeaders);
        Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
        Map<String, Object> singleQuery = new LinkedHashMap<>();
        query.forEach((k, v) -> singleQuery.put(k, v.get(v.size() - 1)));
        event.put("queryStringParameters", query.isEmpty() ? null : singleQuery);
        event.put("multiValueQueryStringParameters", query.isEmpty() ? null : new LinkedHashMap<>(query));
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        identity.put("userAgent", exchange.getRequestHeaders().getFirst("User-Agent"));
        identity.put("clientCert", clientCert(exchange));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("resourcePath", path);
        context.put("httpMethod", exchange.getRequestMethod());
        context.put("path", path);
        context.put("stage", "local");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("requestTimeEpoch", System.currentTimeMillis());
        context.put("identity", identity);
        event.put("requestContext", context);
        putBody(event, body);
        return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * On the mTLS port, the verified peer certificate, shaped as API Gateway shapes it
     * (requestContext.identity.clientCert); on the plain port, null.
     */
    private static Map<String, Object> clientCert(HttpExchange exchange) {
        if (!(exchange instanceof com.sun.net.httpserver.HttpsExchange https)) {
            return null;
        }
        try {
            java.security.cert.Certificate[] chain = https.getSSLSession().getPeerCertificates();
            java.security.cert.X509Certificate leaf = (java.security.cert.X509Certificate) chain[0];
            Map<String, Object> cert = new LinkedHashMap<>();
            cert.put("clientCertPem", LocalTls.pem(leaf));
            cert.put("subjectDN", leaf.getSubjectX500Principal().getName());
            cert.put("issuerDN", leaf.getIssuerX500Principal().getName());
            cert.put("serialNumber", leaf.getSerialNumber().toString(16));
            return cert;
        } catch (java.io.IOException noCertificate) {
            return null;
        }
    }

    /** The REQUEST authorizer event API Gateway builds for the same exchange (no body, plus methodArn). */
    static byte[] toAuthorizerEvent(HttpExchange exchange) {
        try {
            Map<String, Object> event = JSONObjectUtils.parse(new String(toEvent(exchange, new byte[0]), StandardCharsets.UTF_8));
            event.remove("body");
            event.remove("isBase64Encoded");
            event.put("type", "REQUEST");
            event.put("methodArn", "arn:aws:execute-api:local:000000000000:local/local/" + exchange.getRequestMethod()
                    + exchange.getRequestURI().getRawPath());
            return JSONObjectUtils.toJSONString(event).getBytes(StandardCharsets.UTF_8);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putBody(Map<String, Object> event, byte[] body) {
        if (body.length == 0) {
            event.put("body", null);
            event.put("isBase64Encoded", false);
            return;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            event.put("body", text);
            event.put("isBase64Encoded", false);
        } catch (CharacterCodingException notUtf8) {
            event.put("body", Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", true);
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return value;
        }
    }
}
