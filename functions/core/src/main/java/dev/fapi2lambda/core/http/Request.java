package dev.fapi2lambda.core.http;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the core sees it, whoever delivered it (API Gateway or the local server).
 *
 * @param method            the HTTP method, upper case
 * @param path              the path the client called, without query
 * @param headers           the headers, case-insensitive
 * @param query             the query parameters with every value
 * @param body              the raw body (empty when none)
 * @param clientCertificate the TLS client certificate verified by the front door (mTLS host only)
 * @param requestId         an identifier for logs
 */
public record Request(String method, String path, Headers headers, Map<String, List<String>> query, byte[] body,
                      Optional<X509Certificate> clientCertificate, String requestId) {

    public Request {
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    public boolean isPost() {
        return "POST".equals(method);
    }
}
