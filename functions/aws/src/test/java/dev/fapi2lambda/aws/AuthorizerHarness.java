package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.dpop.WindowedDpopNonces;
import dev.fapi2lambda.core.keys.JwkKeyService;
import dev.fapi2lambda.core.keys.JwtSigner;
import dev.fapi2lambda.core.testing.DpopResourceCases;
import dev.fapi2lambda.core.testing.MutableClock;
import dev.fapi2lambda.core.testing.TestKeys;
import dev.fapi2lambda.core.token.Grant;
import dev.fapi2lambda.core.token.Grants;
import dev.fapi2lambda.core.token.TokenIssuer;
import dev.fapi2lambda.core.userinfo.AccessTokenVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The DPoP authorizer as template.yaml deploys it, fed API Gateway REQUEST authorizer events:
 * a validator from {@link Components#resourceValidator} over a fresh DynamoDB Local table (replay
 * guard, nonces, revocation), the issuer's keys, and access tokens minted by the production
 * {@link TokenIssuer} for grants saved in the same table.
 */
final class AuthorizerHarness {
    static final String ISSUER = "https://as.example.com";
    static final String API = "https://api.example.com";
    static final String MTLS_API = "https://mtls.api.example.com";
    static final String AUDIENCE = API + "/accounts";
    static final String CLIENT_ID = "client-1";
    static final String SUBJECT = "alice";
    static final List<String> SCOPES = List.of("openid", "accounts");
    static final String METHOD_ARN = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/GET/accounts";
    /** The issuer's signing keys (PS256 and ES256), made once. */
    static final JwkKeyService KEYS = new JwkKeyService(List.of(TestKeys.rsa(), TestKeys.ec()));

    /**
     * The authorizer's time: an hour ahead of real time, on a minute (a nonce window starts). Never
     * a fixed instant: DynamoDB Local's TTL sweeper deletes items whose expiresAt is in the real past,
     * which would take nonces and replay guards away under the test.
     */
    final MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES));
    final ServerConfig config = ServerConfig.defaults(ISSUER).withApiAudience(AUDIENCE);
    final DynamoDbItemStore store = TestDynamo.freshStore();
    final Components components = new Components(config, () -> store, () -> KEYS, clock, new SecureRandom());
    final Grants grants = new Grants(store);
    private final Secrets secrets = new Secrets(new SecureRandom());
    private final TokenIssuer issuer = new TokenIssuer(config, new JwtSigner(KEYS), secrets);

    /** The authorizer, with revocation read through a cache of this age (empty: not checked). */
    DpopAuthorizerFunction authorizer(Optional<Duration> revocationCache) {
        AccessTokenVerifier verifier = new AccessTokenVerifier(ISSUER, AUDIENCE, KEYS::publicKeys);
        return new DpopAuthorizerFunction(components.resourceValidator(verifier, revocationCache),
                DpopAuthorizerFunction.resourceUrls(API, Optional.of(MTLS_API)));
    }

    /** A live grant of client-1 for alice, its tokens bound to the DPoP key, saved in the table. */
    Grant grant(JWK dpopKey) {
        Grant grant = new Grant(secrets.next(), CLIENT_ID, SUBJECT, SCOPES, clock.instant().minusSeconds(30),
                Optional.of(TestKeys.thumbprint(dpopKey)), Optional.empty(), secrets.next(), false,
                clock.instant().plus(Duration.ofDays(30)));
        assertEquals(java.util.OptionalInt.empty(), store.transact(List.of(grants.create(grant)), clock.instant()));
        return grant;
    }

    String accessToken(Grant grant) {
        return issuer.accessToken(grant, clock.instant());
    }

    /** The resource's current DPoP nonce, as the validator (same table) knows it. */
    String nonce() {
        return new WindowedDpopNonces(store, secrets, config.dpopNonceWindow()).current(clock.instant()).orElseThrow();
    }

    // ---- the events ----

    /**
     * The REQUEST authorizer event API Gateway builds for the request (REST API, payload 1.0): type,
     * methodArn, resource, path, httpMethod, headers (the last value) and multiValueHeaders (all),
     * query parameters, requestContext with identity (no client certificate: the plain host).
     */
    static String event(DpopResourceCases.ResourceRequest request) {
        URI uri = URI.create(request.url());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "REQUEST");
        event.put("methodArn", METHOD_ARN);
        event.put("resource", "/accounts");
        event.put("path", uri.getRawPath());
        event.put("httpMethod", request.method());
        Map<String, Object> headers = new LinkedHashMap<>();
        Map<String, Object> multi = new LinkedHashMap<>();
        headers.put("Host", uri.getHost());
        multi.put("Host", List.of(uri.getHost()));
        headers.put("X-Forwarded-Proto", "https");
        multi.put("X-Forwarded-Proto", List.of("https"));
        request.headers().forEach((name, values) -> {
            headers.put(name, values.get(values.size() - 1));
            multi.put(name, new ArrayList<>(values));
        });
        event.put("headers", headers);
        event.put("multiValueHeaders", multi);
        Map<String, List<String>> query = query(uri.getRawQuery());
        Map<String, Object> single = new LinkedHashMap<>();
        query.forEach((k, v) -> single.put(k, v.get(v.size() - 1)));
        event.put("queryStringParameters", query.isEmpty() ? null : single);
        event.put("multiValueQueryStringParameters", query.isEmpty() ? null : new LinkedHashMap<>(query));
        event.put("pathParameters", null);
        event.put("stageVariables", null);
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("sourceIp", "203.0.113.10");
        identity.put("userAgent", "resource-client/1.0");
        identity.put("clientCert", null);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("resourceId", "abc123");
        context.put("resourcePath", "/accounts");
        context.put("httpMethod", request.method());
        context.put("path", uri.getRawPath());
        context.put("accountId", "123456789012");
        context.put("stage", "prod");
        context.put("domainName", uri.getHost());
        context.put("apiId", "a1b2c3d4e5");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("identity", identity);
        event.put("requestContext", context);
        return JSONObjectUtils.toJSONString(event);
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    /** Feeds the event to the authorizer as Lambda does (Context null) and reads its policy. */
    static Map<String, Object> decide(DpopAuthorizerFunction authorizer, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        authorizer.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSONObjectUtils.parse(out.toString(StandardCharsets.UTF_8));
    }

    /** The one statement's Effect, after checking the policy's shape (action, resource = methodArn). */
    @SuppressWarnings("unchecked")
    static String effect(Map<String, Object> decision) {
        Map<String, Object> document = (Map<String, Object>) decision.get("policyDocument");
        assertEquals("2012-10-17", document.get("Version"));
        List<Object> statements = (List<Object>) document.get("Statement");
        assertEquals(1, statements.size(), decision.toString());
        Map<String, Object> statement = (Map<String, Object>) statements.get(0);
        assertEquals("execute-api:Invoke", statement.get("Action"));
        assertEquals(METHOD_ARN, statement.get("Resource"));
        return (String) statement.get("Effect");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> context(Map<String, Object> decision) {
        return assertInstanceOf(Map.class, decision.get("context"), decision.toString());
    }
}
