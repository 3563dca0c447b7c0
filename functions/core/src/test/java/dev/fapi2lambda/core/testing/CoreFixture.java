package dev.fapi2lambda.core.testing;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientAuthentication;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.dpop.DpopNonces;
import dev.fapi2lambda.core.dpop.DpopProofValidator;
import dev.fapi2lambda.core.http.Headers;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.par.ParEndpoint;
import dev.fapi2lambda.core.par.PushedRequests;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The core wired for a unit test: fixed clock, in-memory store, one registered client "client-1"
 * with an EC and an RSA key, and a second client "client-2".
 */
public final class CoreFixture {
    public static final String ISSUER = "https://as.example.test";
    public static final String CLIENT_ID = "client-1";
    public static final String OTHER_CLIENT_ID = "client-2";
    public static final String REDIRECT_URI = "https://client.example.test/cb";
    public static final String REDIRECT_URI_WITH_QUERY = "https://client.example.test/cb?dummy1=lorem&dummy2=ipsum";

    public final MutableClock clock = MutableClock.at("2026-11-24T12:00:00Z");
    public final ServerConfig config = ServerConfig.defaults(ISSUER);
    public final InMemoryItemStore store = new InMemoryItemStore();
    public final ClientRepository clients = new ClientRepository(store);
    public final ECKey clientEcKey = TestKeys.ec();
    public final RSAKey clientRsaKey = TestKeys.rsa();
    public final ECKey otherClientKey = TestKeys.ec();
    public final ClientAuthentication clientAuthentication = new ClientAuthentication(config, clients, store, clock);
    public final DpopProofValidator dpop = new DpopProofValidator(config, store, DpopNonces.NOT_REQUIRED, clock);
    public final PushedRequests pushedRequests = new PushedRequests(store);
    public final ParEndpoint par = new ParEndpoint(config, clientAuthentication, dpop, pushedRequests,
            new Secrets(new SecureRandom()), clock);

    public CoreFixture() {
        clients.save(client(CLIENT_ID, new JWKSet(List.of(clientEcKey.toPublicJWK(), clientRsaKey.toPublicJWK())), false));
        clients.save(client(OTHER_CLIENT_ID, new JWKSet(otherClientKey.toPublicJWK()), false));
    }

    public static Client client(String id, JWKSet jwks, boolean dpopRequired) {
        return new Client(id, AuthMethod.PRIVATE_KEY_JWT, jwks, List.of(REDIRECT_URI, REDIRECT_URI_WITH_QUERY),
                Set.of("openid", "profile", "accounts"), dpopRequired);
    }

    /** A fresh valid client assertion of client-1 (EC key) for this issuer, at the clock's time. */
    public String assertion() {
        return Jwts.clientAssertion(clientEcKey, CLIENT_ID, ISSUER, clock.instant());
    }

    /** The parameters of a valid pushed authorization request of client-1, assertion included. */
    public Map<String, String> validParParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        params.put("client_assertion", assertion());
        params.put("response_type", "code");
        params.put("client_id", CLIENT_ID);
        params.put("redirect_uri", REDIRECT_URI);
        params.put("scope", "openid accounts");
        params.put("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        params.put("code_challenge_method", "S256");
        params.put("state", "af0ifjsldkj");
        params.put("nonce", "n-0S6_WzA2Mj");
        return params;
    }

    public static Request post(String path, String body, Map<String, String> headers) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of("application/x-www-form-urlencoded"));
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        return new Request("POST", path, Headers.of(h), Map.of(), body.getBytes(StandardCharsets.UTF_8),
                Optional.empty(), "test-request");
    }

    public static Request post(String path, Map<String, String> params) {
        return post(path, Forms.of(params), Map.of());
    }

    /** A request with any method, headers (each with all its values) and raw body bytes. */
    public static Request request(String method, String path, Map<String, List<String>> headers, byte[] body) {
        return new Request(method, path, Headers.of(headers), Map.of(), body, Optional.empty(), "test-request");
    }

    /** Registers one more client of this fixture, with one key, and returns its id. */
    public String register(String id, com.nimbusds.jose.jwk.JWK key, boolean dpopRequired) {
        clients.save(client(id, new JWKSet(key.toPublicJWK()), dpopRequired));
        return id;
    }

    public static Request get(String path) {
        return new Request("GET", path, Headers.empty(), Map.of(), new byte[0], Optional.empty(), "test-request");
    }
}
