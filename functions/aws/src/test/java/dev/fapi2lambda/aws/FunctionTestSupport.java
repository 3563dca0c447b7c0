package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

/**
 * The real *Function classes fed the sample events of events/ through their RequestStreamHandler
 * entry point (Context null), against a fresh DynamoDB Local table, at the instant the samples were
 * made. Every table starts with the two sample clients and the DPoP nonce of that instant's
 * window, so nonces are required (the default) and the samples' proofs carry the right one.
 */
abstract class FunctionTestSupport {
    protected final MutableClock clock = new MutableClock(SampleEvents.AT);
    protected DynamoDbItemStore store;
    protected Components components;

    @BeforeEach
    void freshTable() {
        store = freshSampleTable();
        components = components(store);
    }

    /** A new table with what every sample event needs: the two sample clients and the window's nonce. */
    static DynamoDbItemStore freshSampleTable() {
        DynamoDbItemStore fresh = TestDynamo.freshStore();
        SampleTable.clients(fresh);
        SampleTable.dpopNonce(fresh);
        return fresh;
    }

    /** The deployment of the samples: the sample issuer, its mTLS host, nonces on, the sample server keys. */
    static ServerConfig config() {
        return ServerConfig.defaults(SampleEvents.ISSUER).withMtls(SampleEvents.MTLS_BASE_URL);
    }

    Components components(ItemStore itemStore) {
        return new Components(config(), () -> itemStore, SampleEvents::keyService, clock, new SecureRandom());
    }

    /** Feeds the event to the function as Lambda does and reads the JSON it writes (a proxy response, or a policy). */
    static Map<String, Object> invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler function, String event)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSONObjectUtils.parse(out.toString(StandardCharsets.UTF_8));
    }

    static Map<String, Object> invoke(ApiFunction function, SampleEvents.Event event, String requestId) throws Exception {
        return invoke(function, event.json(requestId));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> headers(Map<String, Object> response) {
        return (Map<String, String>) (Map<?, ?>) response.get("headers");
    }

    /** The Set-Cookie values (payload 1.0 multiValueHeaders). */
    @SuppressWarnings("unchecked")
    static List<String> cookies(Map<String, Object> response) {
        Object multi = response.get("multiValueHeaders");
        if (!(multi instanceof Map<?, ?> map) || !(map.get("Set-Cookie") instanceof List<?> list)) {
            return List.of();
        }
        return (List<String>) list;
    }

    static long status(Map<String, Object> response) {
        return (Long) response.get("statusCode");
    }

    static String body(Map<String, Object> response) {
        return (String) response.get("body");
    }

    static Map<String, Object> json(Map<String, Object> response) throws Exception {
        return JSONObjectUtils.parse(body(response));
    }

    /** The proxy integration's response: statusCode, headers (strings), body (a string), not base64. */
    static void assertProxyShape(Map<String, Object> response) {
        assertInstanceOf(Long.class, response.get("statusCode"), "statusCode");
        assertInstanceOf(Map.class, response.get("headers"), "headers");
        headers(response).forEach((k, v) -> assertInstanceOf(String.class, v, "header " + k));
        assertInstanceOf(String.class, response.get("body"), "body");
        assertEquals(false, response.get("isBase64Encoded"));
        if (status(response) >= 400) {
            assertEquals("no-store", headers(response).get("Cache-Control"), "an error is never cached: " + body(response));
        }
    }

    /** An OAuth error response: the status, the error code, no-store. */
    static Map<String, Object> assertError(Map<String, Object> response, long status, String error) throws Exception {
        assertProxyShape(response);
        assertEquals(status, status(response), body(response));
        Map<String, Object> json = json(response);
        assertEquals(error, json.get("error"), body(response));
        return json;
    }

    /** An HTML page of the authorization endpoint: status, no-store, no redirect. */
    static void assertPage(Map<String, Object> response, long status, String contains) {
        assertProxyShape(response);
        assertEquals(status, status(response), body(response));
        assertTrue(headers(response).get("Content-Type").startsWith("text/html"));
        assertEquals("no-store", headers(response).get("Cache-Control"));
        assertFalse(headers(response).containsKey("Location"));
        assertTrue(body(response).contains(contains), body(response));
    }

    /**
     * Verifies an access token as a relying party would with Nimbus: against the JWK Set the JWKS
     * function serves (events/jwks.json), typ at+jwt, PS256 or ES256, iss and aud the issuer,
     * at the samples' instant.
     */
    JWTClaimsSet verifyWithPublishedKeys(String accessToken) throws Exception {
        Map<String, Object> response = invoke(new JwksFunction(components), SampleEvents.read("jwks.json"));
        assertEquals(200L, status(response));
        JWKSet published = JWKSet.parse(body(response));
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(published)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(SampleEvents.ISSUER,
                new JWTClaimsSet.Builder().issuer(SampleEvents.ISSUER).build(),
                Set.of("sub", "exp", "iat", "jti", "client_id", "cnf")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
        return processor.process(accessToken, null);
    }

    // ---- editing an event, for the variants a test needs ----

    @SuppressWarnings("unchecked")
    static String edit(String eventJson, java.util.function.Consumer<Map<String, Object>> change) throws Exception {
        Map<String, Object> event = JSONObjectUtils.parse(eventJson);
        change.accept(event);
        return JSONObjectUtils.toJSONString(event);
    }

    /** The event without requestContext.identity.clientCert: the same request on a connection without a certificate. */
    static String withoutClientCert(String eventJson) throws Exception {
        return edit(eventJson, e -> identity(e).put("clientCert", null));
    }

    /** The event with another certificate in requestContext.identity.clientCert. */
    static String withClientCert(String eventJson, String pem) throws Exception {
        return edit(eventJson, e -> {
            Map<String, Object> cert = new LinkedHashMap<>();
            cert.put("clientCertPem", pem);
            identity(e).put("clientCert", cert);
        });
    }

    /** The event with a header set (both header maps), or removed if {@code value} is null. */
    @SuppressWarnings("unchecked")
    static String withHeader(String eventJson, String name, String value) throws Exception {
        return edit(eventJson, e -> {
            Map<String, Object> single = (Map<String, Object>) e.get("headers");
            Map<String, Object> multi = (Map<String, Object>) e.get("multiValueHeaders");
            single.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            multi.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            if (value != null) {
                single.put(name, value);
                multi.put(name, List.of(value));
            }
        });
    }

    static String withBody(String eventJson, String body) throws Exception {
        return edit(eventJson, e -> e.put("body", body));
    }

    static String withMethod(String eventJson, String method) throws Exception {
        return edit(eventJson, e -> e.put("httpMethod", method));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> identity(Map<String, Object> event) {
        Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
        return (Map<String, Object>) context.get("identity");
    }
}
