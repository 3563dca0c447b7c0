package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.store.ItemStore;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The events of events/ as a set: each one fed to the function that serves its path, with the
 * table seeded as it needs, succeeds with a proxy-shaped response; against an empty table each
 * one that fails says so with no-store; each was made at {@link SampleEvents#AT}; the sample
 * events chain into one flow (revocation and introspection included); the protected API's two
 * events go through the DPoP authorizer as deployed and the accounts function; and one set of
 * functions serves them all without building a client or loading a key per request (issue 6: all
 * of that happens once per container).
 */
class SampleEventsTest extends FunctionTestSupport {
    /** What each event needs in the table besides the clients and the nonce, and the status it earns. */
    private record Need(Consumer<ItemStore> seed, long status) {
    }

    private static final Map<String, Need> NEEDS = needs();

    private static Map<String, Need> needs() {
        Map<String, Need> needs = new LinkedHashMap<>();
        needs.put("discovery.json", new Need(s -> { }, 200));
        needs.put("oauth-metadata.json", new Need(s -> { }, 200));
        needs.put("jwks.json", new Need(s -> { }, 200));
        needs.put("par.json", new Need(s -> { }, 201));
        needs.put("par-mtls.json", new Need(s -> { }, 201));
        needs.put("authorize.json", new Need(SampleTable::pushedRequest, 200));
        needs.put("authorize-login.json", new Need(s -> {
            SampleTable.startedRequest(s);
            SampleTable.user(s);
        }, 200));
        needs.put("token.json", new Need(SampleTable::code, 200));
        needs.put("token-refresh.json", new Need(SampleTable::grant, 200));
        needs.put("token-mtls.json", new Need(SampleTable::mtlsCode, 200));
        needs.put("userinfo.json", new Need(s -> {
            SampleTable.grant(s);
            SampleTable.user(s);
        }, 200));
        needs.put("userinfo-mtls.json", new Need(s -> {
            SampleTable.mtlsGrant(s);
            SampleTable.user(s);
        }, 200));
        needs.put("introspect.json", new Need(SampleTable::grant, 200));
        needs.put("revoke.json", new Need(SampleTable::grant, 200));
        return needs;
    }

    static Stream<String> files() {
        return SampleEvents.FILES.keySet().stream();
    }

    /** The authorization server's events and the protected API's. */
    static Stream<String> allFiles() {
        return Stream.concat(files(), SampleEvents.RESOURCE_FILES.keySet().stream());
    }

    private ApiFunction function(String file, Components with) throws Exception {
        return SampleEvents.FILES.get(file).getConstructor(Components.class).newInstance(with);
    }

    @Test
    @DisplayName("events/ holds exactly the sample events, one per route (and the protected API's), each with its function")
    void inventory() throws IOException {
        TreeSet<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(SampleEvents.EVENTS)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(present::add);
        }
        assertEquals(new TreeSet<>(allFiles().toList()), present);
        assertEquals(SampleEvents.FILES.keySet(), NEEDS.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    @DisplayName("each event, seeded as it needs, through the function Routes assigns to its path: success, proxy shape")
    void eachEventSucceeds(String file) throws Exception {
        String event = SampleEvents.read(file);
        String path = (String) JSONObjectUtils.parse(event).get("path");
        assertEquals(SampleEvents.FILES.get(file), Routes.functions(components).get(path).getClass(),
                "the function serving " + path);
        NEEDS.get(file).seed().accept(store);
        Map<String, Object> response = invoke(function(file, components), event);
        assertProxyShape(response);
        assertEquals(NEEDS.get(file).status(), status(response), body(response));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    @DisplayName("each event against an empty table: only metadata succeeds; every error is no-store with a proxy shape")
    void eachEventAgainstAnEmptyTable(String file) throws Exception {
        DynamoDbItemStore empty = TestDynamo.freshStore();
        Map<String, Object> response = invoke(function(file, components(empty)), SampleEvents.read(file));
        assertProxyShape(response);
        boolean metadata = List.of("discovery.json", "oauth-metadata.json", "jwks.json").contains(file);
        assertEquals(metadata, status(response) < 400, file + ": " + status(response) + " " + body(response));
        if (!metadata) {
            assertEquals("no-store", headers(response).get("Cache-Control"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allFiles")
    @DisplayName("each event was made at SampleEvents.AT: request time, every JWT's iat, every proof's nonce")
    void madeAtTheSampleInstant(String file) throws Exception {
        Map<String, Object> event = JSONObjectUtils.parse(SampleEvents.read(file));
        Map<String, Object> context = JSONObjectUtils.getJSONObject(event, "requestContext");
        assertEquals(SampleEvents.AT.toEpochMilli(), context.get("requestTimeEpoch"));
        Map<String, Object> headers = JSONObjectUtils.getJSONObject(event, "headers");
        Map<String, Object> multi = JSONObjectUtils.getJSONObject(event, "multiValueHeaders");
        headers.forEach((k, v) -> assertEquals(List.of(v), multi.get(k), "multiValueHeaders." + k));
        assertEquals(file.contains("mtls") ? "mtls.as.example.com" : "as.example.com", context.get("domainName"));
        assertEquals(file.contains("mtls"), JSONObjectUtils.getJSONObject(context, "identity").get("clientCert") != null);

        List<String> jwts = new ArrayList<>();
        if (headers.get("DPoP") instanceof String proof) {
            JWTClaimsSet claims = SampleEvents.claimsOf(proof).orElseThrow();
            assertEquals(SampleEvents.DPOP_NONCE, claims.getStringClaim("nonce"), "the proof carries the sample nonce");
            jwts.add(proof);
        }
        if (headers.get("Authorization") instanceof String authorization) {
            jwts.add(authorization.substring(authorization.indexOf(' ') + 1));
        }
        if (event.get("body") instanceof String body) {
            for (String pair : body.split("&")) {
                if (pair.startsWith("client_assertion=")) {
                    jwts.add(URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8));
                }
            }
        }
        for (String jwt : jwts) {
            assertEquals(Date.from(SampleEvents.AT), SampleEvents.claimsOf(jwt).orElseThrow().getIssueTime(), jwt);
        }
    }

    @Test
    @DisplayName("the sample events chain: token.json's grant is the one userinfo.json's access token names")
    void tokenThenUserinfo() throws Exception {
        SampleTable.code(store);
        SampleTable.user(store);
        Map<String, Object> token = invoke(new TokenFunction(components), SampleEvents.read("token.json"));
        assertEquals(200L, status(token), body(token));
        Map<String, Object> userinfo = invoke(new UserinfoFunction(components), SampleEvents.read("userinfo.json"));
        assertEquals(200L, status(userinfo), body(userinfo));
        assertEquals(SampleEvents.USERNAME, json(userinfo).get("sub"));

        // and a replay of the code revokes that grant, so the same userinfo request (a fresh proof) is refused
        invoke(new TokenFunction(components), SampleEvents.token("sample-assertion-replay", "sample-proof-replay"), "replay");
        String token2 = SampleEvents.accessTokenOf(SampleEvents.read("userinfo.json"));
        Map<String, Object> after = invoke(new UserinfoFunction(components),
                SampleEvents.userinfo(token2, "sample-proof-userinfo-2"), "userinfo-2");
        assertError(after, 401, "invalid_token");
    }

    @Test
    @DisplayName("the mTLS sample events chain: token-mtls.json's grant is the one userinfo-mtls.json's access token names")
    void mtlsTokenThenUserinfo() throws Exception {
        SampleTable.mtlsCode(store);
        SampleTable.user(store);
        Map<String, Object> token = invoke(new TokenFunction(components), SampleEvents.read("token-mtls.json"));
        assertEquals(200L, status(token), body(token));
        Map<String, Object> userinfo = invoke(new UserinfoFunction(components), SampleEvents.read("userinfo-mtls.json"));
        assertEquals(200L, status(userinfo), body(userinfo));
        assertFalse(headers(userinfo).containsKey("WWW-Authenticate"));
        assertTrue(json(userinfo).containsKey("sub"));
    }

    @Test
    @DisplayName("introspect.json: the sample client's access token is active, with whose it is (RFC 7662 2.2)")
    void introspectionOfTheSampleToken() throws Exception {
        SampleTable.grant(store);
        Map<String, Object> response = invoke(new IntrospectionFunction(components), SampleEvents.read("introspect.json"));
        assertEquals(200L, status(response), body(response));
        Map<String, Object> answer = json(response);
        assertEquals(true, answer.get("active"), body(response));
        assertEquals(SampleEvents.CLIENT_ID, answer.get("client_id"));
        assertEquals(SampleEvents.USERNAME, answer.get("sub"));
        assertEquals("DPoP", answer.get("token_type"));
    }

    @Test
    @DisplayName("revoke.json revokes the sample grant (RFC 7009): token-refresh.json is then refused, and the grant's "
            + "access token introspects as inactive")
    void revocationThenRefresh() throws Exception {
        SampleTable.grant(store);
        Map<String, Object> revoked = invoke(new RevocationFunction(components), SampleEvents.read("revoke.json"));
        assertEquals(200L, status(revoked), body(revoked));
        assertError(invoke(new TokenFunction(components), SampleEvents.read("token-refresh.json")), 400, "invalid_grant");
        Map<String, Object> after = invoke(new IntrospectionFunction(components),
                SampleEvents.introspect(SampleEvents.accessToken(false), "sample-assertion-introspect-2"), "introspect-2");
        assertEquals(Map.of("active", false), json(after));
    }

    /** The authorizer as template.yaml deploys it (fromEnvironment), on {@code table} at the samples' instant. */
    private DpopAuthorizerFunction authorizer(String jwksUri, ItemStore table) {
        Environment env = new Environment(Map.of("ISSUER", SampleEvents.ISSUER, "API_AUDIENCE", SampleEvents.API_AUDIENCE,
                "JWKS_URI", jwksUri, "RESOURCE_BASE_URL", SampleEvents.ISSUER,
                "RESOURCE_MTLS_BASE_URL", SampleEvents.MTLS_BASE_URL, "TABLE_NAME", "unused"));
        return DpopAuthorizerFunction.fromEnvironment(env, () -> table, clock);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statement(Map<String, Object> policy) {
        return ((List<Map<String, Object>>) ((Map<String, Object>) policy.get("policyDocument")).get("Statement")).get(0);
    }

    @Test
    @DisplayName("authorizer.json through the authorizer as deployed (JWKS over HTTP): Allow for GET /accounts with the "
            + "caller; accounts.json, what API Gateway then sends the API, carries that caller and gets its accounts; "
            + "a replayed proof is denied; the JWKS is fetched once, not per request")
    void authorizerThenAccounts() throws Exception {
        SampleTable.grant(store);
        try (JwksServer jwks = new JwksServer(SampleEvents.serverKeys())) {
            DpopAuthorizerFunction authorizer = authorizer(jwks.uri(), store);
            Map<String, Object> policy = invoke(authorizer, SampleEvents.read("authorizer.json"));
            assertEquals("Allow", statement(policy).get("Effect"), String.valueOf(policy));
            assertEquals(SampleEvents.METHOD_ARN, statement(policy).get("Resource"));
            Map<String, Object> allowed = JSONObjectUtils.getJSONObject(policy, "context");
            Map<String, Object> passedOn = JSONObjectUtils.getJSONObject(JSONObjectUtils.getJSONObject(
                    JSONObjectUtils.parse(SampleEvents.read("accounts.json")), "requestContext"), "authorizer");
            for (String key : List.of("sub", "client_id", "scope")) {
                assertEquals(allowed.get(key), passedOn.get(key), "requestContext.authorizer." + key);
            }
            assertEquals(policy.get("principalId"), passedOn.get("principalId"));
            Map<String, Object> accounts = invoke(new AccountsFunction(), SampleEvents.read("accounts.json"));
            assertProxyShape(accounts);
            assertEquals(200L, status(accounts), body(accounts));
            assertEquals(SampleEvents.USERNAME, json(accounts).get("sub"));

            assertEquals("Deny", statement(invoke(authorizer, SampleEvents.read("authorizer.json"))).get("Effect"),
                    "the same proof again is a replay");
            String token = SampleEvents.accessTokenOf(SampleEvents.read("authorizer.json"));
            Map<String, Object> again = invoke(authorizer,
                    SampleEvents.authorizer(token, "sample-proof-accounts-2").json("accounts-2"));
            assertEquals("Allow", statement(again).get("Effect"), String.valueOf(again));
            assertEquals(1, jwks.fetches.get(), "JWKS fetches");
        }
    }

    @Test
    @DisplayName("authorizer.json against an empty table (another nonce, no grant): Deny, use_dpop_nonce with the table's nonce")
    void authorizerAgainstAnEmptyTable() throws Exception {
        try (JwksServer jwks = new JwksServer(SampleEvents.serverKeys())) {
            Map<String, Object> policy = invoke(authorizer(jwks.uri(), TestDynamo.freshStore()),
                    SampleEvents.read("authorizer.json"));
            assertEquals("Deny", statement(policy).get("Effect"));
            // The proof's nonce is not this table's: RFC 9449 9, the error and a fresh nonce for the 401.
            Map<String, Object> denied = JSONObjectUtils.getJSONObject(policy, "context");
            assertEquals("use_dpop_nonce", denied.get(GatewayResponses.ERROR), String.valueOf(denied));
            assertTrue(denied.get(GatewayResponses.DPOP_NONCE) instanceof String nonce && !nonce.isEmpty()
                    && !nonce.equals(SampleEvents.DPOP_NONCE), String.valueOf(denied));
        }
    }

    @Test
    @DisplayName("nothing per request: every sample event, then a second token and userinfo request, through one set of "
            + "functions on the KMS key service; the store and the key service (each with its SDK client) are built "
            + "once and the KMS public keys read once, all before the first request")
    void nothingPerRequest() throws Exception {
        try (KmsProtocolServer kms = new KmsProtocolServer()) {
            List<JWK> keys = SampleEvents.serverKeys();
            kms.addKey("ps256", "RSA_2048", keys.get(0).toRSAKey().toKeyPair());
            kms.addKey("es256", "ECC_NIST_P256", keys.get(1).toECKey().toKeyPair());
            // Each event gets a fresh table, as in eachEventSucceeds, behind the one store the functions hold.
            AtomicReference<ItemStore> table = new AtomicReference<>();
            ItemStore tables = (ItemStore) Proxy.newProxyInstance(ItemStore.class.getClassLoader(),
                    new Class<?>[] {ItemStore.class}, (proxy, method, args) -> {
                        try {
                            return method.invoke(table.get(), args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            AtomicInteger storeBuilds = new AtomicInteger();
            AtomicInteger keyServiceBuilds = new AtomicInteger();
            Components container = new Components(config(), () -> {
                storeBuilds.incrementAndGet();
                return tables;
            }, () -> {
                keyServiceBuilds.incrementAndGet();
                return new KmsKeyService(kms.client(), "ps256", "es256", List.of());
            }, clock, new SecureRandom());
            Map<Class<? extends ApiFunction>, ApiFunction> functions = new LinkedHashMap<>();
            for (String file : NEEDS.keySet()) {
                if (!functions.containsKey(SampleEvents.FILES.get(file))) {
                    functions.put(SampleEvents.FILES.get(file), function(file, container));
                }
            }
            assertEquals(List.of(1, 1), List.of(storeBuilds.get(), keyServiceBuilds.get()), "built with the functions");
            assertEquals(2, kms.requests.stream().filter(r -> "GetPublicKey".equals(r.get("_op"))).count(),
                    "one GetPublicKey per key, while the functions are built");
            long atInit = kms.requests.size();

            for (Map.Entry<String, Need> each : NEEDS.entrySet()) {
                table.set(freshSampleTable());
                each.getValue().seed().accept(table.get());
                Map<String, Object> response = invoke(functions.get(SampleEvents.FILES.get(each.getKey())),
                        SampleEvents.read(each.getKey()));
                assertEquals(each.getValue().status(), status(response), each.getKey() + ": " + body(response));
            }
            table.set(freshSampleTable());
            SampleTable.code(table.get());
            SampleTable.user(table.get());
            Map<String, Object> token = invoke(functions.get(TokenFunction.class),
                    SampleEvents.token("sample-assertion-again", "sample-proof-again"), "again");
            assertEquals(200L, status(token), body(token));
            Map<String, Object> userinfo = invoke(functions.get(UserinfoFunction.class),
                    SampleEvents.userinfo((String) json(token).get("access_token"), "sample-proof-userinfo-again"),
                    "userinfo-again");
            assertEquals(200L, status(userinfo), body(userinfo));

            assertEquals(List.of(1, 1), List.of(storeBuilds.get(), keyServiceBuilds.get()), "nothing built per request");
            List<Object> inRequests = kms.requests.subList((int) atInit, kms.requests.size()).stream()
                    .map(r -> r.get("_op")).distinct().toList();
            assertEquals(List.of("Sign"), inRequests, "requests only sign: no key is loaded per request");
        }
    }
}
