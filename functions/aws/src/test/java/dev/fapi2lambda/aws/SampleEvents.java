package dev.fapi2lambda.aws;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample events in events/ and what they were made with: a fixed instant, the issuer of the
 * sample deployment, and the sample client's key (test resources; public half registered by the
 * function tests). {@code main} rewrites events/*.json; the tests read them as they are.
 */
public final class SampleEvents {
    public static final Instant AT = Instant.parse("2026-11-24T12:00:00Z");
    public static final String ISSUER = "https://as.example.com";
    public static final String CLIENT_ID = "sample-client";
    public static final String REDIRECT_URI = "https://client.example.com/callback";
    public static final Path EVENTS = locateEvents();

    private SampleEvents() {
    }

    private static Path locateEvents() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("events"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no events/ folder above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("events");
    }

    public static String read(String name) throws IOException {
        return Files.readString(EVENTS.resolve(name));
    }

    public static ECKey clientKey() throws Exception {
        return JWK.parse(new String(SampleEvents.class.getResourceAsStream("/sample-client.jwk").readAllBytes())).toECKey();
    }

    public static ECKey dpopKey() throws Exception {
        return JWK.parse(new String(SampleEvents.class.getResourceAsStream("/sample-dpop.jwk").readAllBytes())).toECKey();
    }

    public static String clientCertPem() throws IOException {
        return new String(SampleEvents.class.getResourceAsStream("/sample-client-cert.pem").readAllBytes());
    }

    static Map<String, Object> event(String method, String path, Map<String, String> headers, String body, String certPem) {
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
        event.put("queryStringParameters", null);
        event.put("multiValueQueryStringParameters", null);
        event.put("pathParameters", null);
        event.put("stageVariables", null);
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("sourceIp", "203.0.113.10");
        identity.put("userAgent", "sample-client/1.0");
        if (certPem != null) {
            Map<String, Object> cert = new LinkedHashMap<>();
            cert.put("clientCertPem", certPem);
            cert.put("subjectDN", "CN=sample-client,O=Example Bank,C=GB");
            cert.put("issuerDN", "CN=sample-client,O=Example Bank,C=GB");
            cert.put("serialNumber", "e6:7d:24:b1:e4:77:ed:0c");
            cert.put("validity", Map.of("notBefore", "Nov 24 16:00:00 2026 GMT", "notAfter", "Nov 22 16:00:00 2036 GMT"));
            identity.put("clientCert", cert);
        } else {
            identity.put("clientCert", null);
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "123456789012");
        context.put("apiId", "a1b2c3d4e5");
        context.put("domainName", certPem != null ? "mtls.as.example.com" : "as.example.com");
        context.put("httpMethod", method);
        context.put("path", path);
        context.put("protocol", "HTTP/1.1");
        context.put("requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
        context.put("requestTimeEpoch", AT.toEpochMilli());
        context.put("resourcePath", path);
        context.put("stage", "prod");
        context.put("identity", identity);
        event.put("requestContext", context);
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return event;
    }

    /** Rewrites events/*.json (run by hand when the sample changes). */
    public static void main(String[] args) throws Exception {
        ECKey client = clientKey();
        ECKey dpop = dpopKey();
        write("discovery.json", event("GET", "/.well-known/openid-configuration", Map.of("Accept", "application/json"), null, null));
        write("jwks.json", event("GET", "/jwks", Map.of("Accept", "application/json"), null, null));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", CLIENT_ID);
        params.put("response_type", "code");
        params.put("redirect_uri", REDIRECT_URI);
        params.put("scope", "openid accounts");
        params.put("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        params.put("code_challenge_method", "S256");
        params.put("state", "af0ifjsldkj");
        params.put("nonce", "n-0S6_WzA2Mj");
        params.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        params.put("client_assertion", Jwts.clientAssertion(client, CLIENT_ID, ISSUER, AT,
                c -> c.jwtID("sample-assertion-1")));
        String dpopProof = Jwts.dpopProof(dpop, "POST", ISSUER + "/par", AT, c -> c.jwtID("sample-proof-1"));
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded", "DPoP", dpopProof);
        write("par.json", event("POST", "/par", form, Forms.of(params), null));
        params.put("client_assertion", Jwts.clientAssertion(client, CLIENT_ID, ISSUER, AT,
                c -> c.jwtID("sample-assertion-2")));
        String mtlsProof = Jwts.dpopProof(dpop, "POST", "https://mtls.as.example.com/par", AT, c -> c.jwtID("sample-proof-2"));
        write("par-mtls.json", event("POST", "/par",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "DPoP", mtlsProof),
                Forms.of(params), clientCertPem()));
    }

    private static void write(String name, Map<String, Object> event) throws IOException {
        String json = JSONObjectUtils.toJSONString(event);
        Files.writeString(EVENTS.resolve(name), pretty(json) + "\n");
    }

    private static String pretty(String json) {
        return new com.nimbusds.jose.shaded.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create()
                .toJson(com.nimbusds.jose.shaded.gson.JsonParser.parseString(json));
    }

    /** Makes the two sample keys (run once; they are committed as test resources). */
    static void makeKeys(Path dir) throws IOException {
        Files.writeString(dir.resolve("sample-client.jwk"), TestKeys.ec().toJSONString());
        Files.writeString(dir.resolve("sample-dpop.jwk"), TestKeys.ec().toJSONString());
    }
}
