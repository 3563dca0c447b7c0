package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.keys.JwkKeyService;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.testing.MutableClock;
import dev.fapi2lambda.core.testing.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real *Function classes fed the sample events of events/ through their RequestStreamHandler
 * entry point, against DynamoDB Local, at the instant the samples were made.
 */
class FunctionsTest {
    private final MutableClock clock = new MutableClock(SampleEvents.AT);
    private DynamoDbItemStore store;
    private Components components;

    @BeforeEach
    void setUp() throws Exception {
        store = TestDynamo.freshStore();
        components = components(store);
        new ClientRepository(store).save(new Client(SampleEvents.CLIENT_ID, AuthMethod.PRIVATE_KEY_JWT,
                new JWKSet(SampleEvents.clientKey().toPublicJWK()), List.of(SampleEvents.REDIRECT_URI),
                Set.of("openid", "accounts"), true));
    }

    private Components components(ItemStore itemStore) {
        JwkKeyService keys = new JwkKeyService(List.of(TestKeys.rsa(), TestKeys.ec()));
        // The sample events carry no DPoP nonce (a nonce is random); nonces have their own test below.
        return new Components(ServerConfig.defaults(SampleEvents.ISSUER).withDpopNonces(false), () -> itemStore, () -> keys, clock,
                new SecureRandom());
    }

    @Test
    @DisplayName("C-DISC-1 events/discovery.json: 200 with the configured issuer")
    void discovery() throws Exception {
        Map<String, Object> response = invoke(new DiscoveryFunction(components), SampleEvents.read("discovery.json"));
        assertEquals(200L, response.get("statusCode"));
        Map<String, Object> body = JSONObjectUtils.parse((String) response.get("body"));
        assertEquals(SampleEvents.ISSUER, body.get("issuer"));
        assertEquals(SampleEvents.ISSUER + "/par", body.get("pushed_authorization_request_endpoint"));
    }

    @Test
    @DisplayName("C-DISC-7 events/jwks.json: public keys with kid, use and alg")
    void jwks() throws Exception {
        Map<String, Object> response = invoke(new JwksFunction(components), SampleEvents.read("jwks.json"));
        assertEquals(200L, response.get("statusCode"));
        JWKSet keys = JWKSet.parse((String) response.get("body"));
        assertEquals(2, keys.getKeys().size());
        keys.getKeys().forEach(k -> {
            assertFalse(k.isPrivate());
            assertEquals("sig", k.getKeyUse().identifier());
        });
    }

    @Test
    @DisplayName("C-PAR-2 events/par.json: 201 with a request_uri, stored by its hash with the proof's DPoP key")
    void par() throws Exception {
        Map<String, Object> response = invoke(new ParFunction(components), SampleEvents.read("par.json"));
        assertEquals(201L, response.get("statusCode"), String.valueOf(response.get("body")));
        Map<String, Object> body = JSONObjectUtils.parse((String) response.get("body"));
        String requestUri = (String) body.get("request_uri");
        assertTrue(requestUri.startsWith("urn:ietf:params:oauth:request_uri:"));
        assertEquals(60L, body.get("expires_in"));
        assertEquals("no-store", headers(response).get("Cache-Control"));
        Item stored = store.list("par#").get(0);
        assertFalse(stored.attributes().containsValue(requestUri), "the request_uri value is never stored");
        assertEquals(SampleEvents.dpopKey().computeThumbprint().toString(), stored.string("dpopJkt").orElseThrow());
    }

    @Test
    @DisplayName("C-PAR-8 events/par.json sent twice: the assertion's jti is accepted once (DynamoDB conditional write)")
    void parReplay() throws Exception {
        assertEquals(201L, invoke(new ParFunction(components), SampleEvents.read("par.json")).get("statusCode"));
        Map<String, Object> second = invoke(new ParFunction(components), SampleEvents.read("par.json"));
        assertEquals(401L, second.get("statusCode"));
        assertEquals("invalid_client", JSONObjectUtils.parse((String) second.get("body")).get("error"));
    }

    @Test
    @DisplayName("C-PAR-8 events/par.json two minutes later: the client assertion has expired")
    void parExpired() throws Exception {
        clock.advance(Duration.ofMinutes(2));
        Map<String, Object> response = invoke(new ParFunction(components), SampleEvents.read("par.json"));
        assertEquals(401L, response.get("statusCode"));
    }

    @Test
    @DisplayName("C-PAR-1 events/par.json as GET: 405 with Allow: POST")
    void parGet() throws Exception {
        String event = SampleEvents.read("par.json").replace("\"httpMethod\": \"POST\"", "\"httpMethod\": \"GET\"");
        Map<String, Object> response = invoke(new ParFunction(components), event);
        assertEquals(405L, response.get("statusCode"));
        assertEquals("POST", headers(response).get("Allow"));
    }

    @Test
    @DisplayName("an unexpected fault is 500 server_error with the request id, and no stack trace or detail")
    void unexpectedFault() throws Exception {
        ItemStore broken = new ItemStore() {
            @Override
            public Optional<Item> get(String pk, Instant now) {
                throw new IllegalStateException("secret detail: table fapi2 unreachable");
            }

            @Override
            public void put(Item item) {
                throw new IllegalStateException();
            }

            @Override
            public boolean putIfAbsent(Item item, Instant now) {
                throw new IllegalStateException();
            }

            @Override
            public Optional<Item> consume(String pk, Instant now) {
                throw new IllegalStateException();
            }

            @Override
            public Optional<Item> update(String pk, Map<String, Object> set, Map<String, Object> expected,
                                         Optional<String> unlessSet, Instant now) {
                throw new IllegalStateException();
            }

            @Override
            public long increment(String pk, String attribute, Instant expiresAt, Instant now) {
                throw new IllegalStateException();
            }

            @Override
            public List<Item> list(String prefix) {
                throw new IllegalStateException();
            }
        };
        Map<String, Object> response = invoke(new ParFunction(components(broken)), SampleEvents.read("par.json"));
        assertEquals(500L, response.get("statusCode"));
        String body = (String) response.get("body");
        Map<String, Object> json = JSONObjectUtils.parse(body);
        assertEquals("server_error", json.get("error"));
        assertTrue(body.contains("c6af9ac6-7b61-11e6-9a41-93e8deadbeef"));
        assertFalse(body.contains("secret detail"));
        assertFalse(body.contains("at dev.fapi2lambda"));
    }

    @Test
    @DisplayName("a body that is not UTF-8 is 400 invalid_request, not 500")
    void invalidUtf8() throws Exception {
        String event = "{\"httpMethod\":\"POST\",\"path\":\"/par\",\"multiValueHeaders\":{\"Content-Type\":"
                + "[\"application/x-www-form-urlencoded\"]},\"body\":\"/2E9Yg==\",\"isBase64Encoded\":true,\"requestContext\":{}}";
        Map<String, Object> response = invoke(new ParFunction(components), event);
        assertEquals(400L, response.get("statusCode"));
        assertEquals("invalid_request", JSONObjectUtils.parse((String) response.get("body")).get("error"));
    }

    static Map<String, Object> invoke(ApiFunction function, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSONObjectUtils.parse(out.toString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> headers(Map<String, Object> response) {
        return (Map<String, String>) (Map<?, ?>) response.get("headers");
    }
}
