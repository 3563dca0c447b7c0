package dev.fapi2lambda.aws;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Headers;
import dev.fapi2lambda.core.http.Request;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the API Gateway REST API proxy event (payload 1.0) into the core's Request, with the JSON
 * support nimbus-jose-jwt carries. The stock APIGatewayProxyRequestEvent class has no
 * requestContext.identity.clientCert and would drop the mTLS certificate without a word, so the
 * event is read here, field by field.
 */
public final class ApiGatewayEvents {
    private ApiGatewayEvents() {
    }

    public static Request read(InputStream input) throws IOException {
        return fromJson(new String(input.readAllBytes(), StandardCharsets.UTF_8));
    }

    public static Request fromJson(String json) {
        Map<String, Object> event;
        try {
            event = JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw new IllegalArgumentException("the Lambda event is not a JSON object", e);
        }
        Map<String, Object> context = object(event, "requestContext");
        String requestId = context.get("requestId") instanceof String id ? id : "unknown";
        return new Request(
                String.valueOf(event.getOrDefault("httpMethod", "")).toUpperCase(java.util.Locale.ROOT),
                String.valueOf(event.getOrDefault("path", "/")),
                Headers.of(multiValues(event, "headers", "multiValueHeaders")),
                multiValues(event, "queryStringParameters", "multiValueQueryStringParameters"),
                body(event),
                clientCertificate(object(object(context, "identity"), "clientCert")),
                requestId);
    }

    /** payload 1.0 carries every value in multiValue*; the single-value map is the fallback. */
    private static Map<String, List<String>> multiValues(Map<String, Object> event, String single, String multi) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (event.get(multi) instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                List<String> list = new ArrayList<>();
                if (v instanceof List<?> items) {
                    items.forEach(i -> list.add(String.valueOf(i)));
                }
                values.put(String.valueOf(k), list);
            });
        } else if (event.get(single) instanceof Map<?, ?> map) {
            map.forEach((k, v) -> values.put(String.valueOf(k), List.of(String.valueOf(v))));
        }
        return values;
    }

    private static byte[] body(Map<String, Object> event) {
        if (!(event.get("body") instanceof String body)) {
            return new byte[0];
        }
        if (Boolean.TRUE.equals(event.get("isBase64Encoded"))) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw OAuthException.invalidRequest("request body is not valid base64");
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The certificate API Gateway verified against the mTLS truststore. It is the only source of a
     * client certificate; headers are never consulted.
     */
    private static Optional<X509Certificate> clientCertificate(Map<String, Object> clientCert) {
        if (!(clientCert.get("clientCertPem") instanceof String pem) || pem.isBlank()) {
            return Optional.empty();
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return Optional.of((X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("requestContext.identity.clientCert.clientCertPem is not a certificate", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String name) {
        return parent.get(name) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
