package dev.fapi2lambda.core.testing;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.fapi2lambda.core.authorize.AuthorizeEndpoint;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientAuthentication;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.dpop.DpopNonces;
import dev.fapi2lambda.core.dpop.DpopProofValidator;
import dev.fapi2lambda.core.dpop.WindowedDpopNonces;
import dev.fapi2lambda.core.http.Headers;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.keys.JwkKeyService;
import dev.fapi2lambda.core.keys.JwtSigner;
import dev.fapi2lambda.core.par.ParEndpoint;
import dev.fapi2lambda.core.par.PushedRequests;
import dev.fapi2lambda.core.token.AuthorizationCodes;
import dev.fapi2lambda.core.token.CodeGrant;
import dev.fapi2lambda.core.token.Grants;
import dev.fapi2lambda.core.token.RefreshGrant;
import dev.fapi2lambda.core.token.TokenEndpoint;
import dev.fapi2lambda.core.token.TokenIssuer;
import dev.fapi2lambda.core.user.PasswordHasher;
import dev.fapi2lambda.core.user.User;
import dev.fapi2lambda.core.user.UserRepository;
import dev.fapi2lambda.core.userinfo.AccessTokenVerifier;
import dev.fapi2lambda.core.userinfo.UserinfoEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The core wired for a unit test: fixed clock, in-memory store, one registered client "client-1"
 * with an EC and an RSA key, and a second client "client-2". PAR checks DPoP proofs without
 * nonces; authorize, token and userinfo are wired as in production (DPoP nonces on, over the
 * store), with one user {@link #USERNAME} and server signing keys (PS256 and ES256) shared by all
 * fixtures.
 */
public final class CoreFixture {
    public static final String ISSUER = "https://as.example.test";
    public static final String CLIENT_ID = "client-1";
    public static final String OTHER_CLIENT_ID = "client-2";
    public static final String REDIRECT_URI = "https://client.example.test/cb";
    public static final String REDIRECT_URI_WITH_QUERY = "https://client.example.test/cb?dummy1=lorem&dummy2=ipsum";
    public static final String USERNAME = "alice";
    public static final String PASSWORD = "correct horse battery staple";
    /** The RFC 7636 appendix B verifier of the code_challenge in {@link #validParParams()}. */
    public static final String CODE_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /** Alice's profile claims, as userinfo releases them by scope. */
    public static final Map<String, String> USER_CLAIMS = Map.of("name", "Alice Example", "given_name", "Alice",
            "family_name", "Example", "email", "alice@example.test", "email_verified", "true");

    public final MutableClock clock = MutableClock.at("2026-11-24T12:00:00Z");
    public final ServerConfig config = ServerConfig.defaults(ISSUER);
    /** The in-memory store, counting every call (each is one DynamoDB request in production). */
    public final CountingItemStore store = new CountingItemStore(new InMemoryItemStore());
    public final ClientRepository clients = new ClientRepository(store);
    public final ECKey clientEcKey = TestKeys.ec();
    public final RSAKey clientRsaKey = TestKeys.rsa();
    public final ECKey otherClientKey = TestKeys.ec();
    public final ClientAuthentication clientAuthentication = new ClientAuthentication(config, clients, store, clock);
    public final DpopProofValidator dpop = new DpopProofValidator(config, store, DpopNonces.NOT_REQUIRED, clock);
    public final PushedRequests pushedRequests = new PushedRequests(store);
    public final ParEndpoint par = new ParEndpoint(config, clientAuthentication, dpop, pushedRequests,
            new Secrets(new SecureRandom()), clock);

    public final Secrets secrets = new Secrets(new SecureRandom());
    /** The server's signing keys: one RSA (PS256) and one P-256 (ES256) key, generated once for all tests. */
    public final JwkKeyService serverKeys = ServerKeys.SHARED;
    public final UserRepository users = new UserRepository(store);
    public final WindowedDpopNonces dpopNonces = new WindowedDpopNonces(store, secrets, config.dpopNonceWindow());
    /** DPoP proofs as token and userinfo check them: with the server nonce. */
    public final DpopProofValidator dpopWithNonces = new DpopProofValidator(config, store, dpopNonces, clock);
    public final AuthorizationCodes codes = new AuthorizationCodes(store, secrets);
    public final Grants grants = new Grants(store);
    public final TokenIssuer tokenIssuer = new TokenIssuer(config, new JwtSigner(serverKeys), secrets);
    public final AuthorizeEndpoint authorize = new AuthorizeEndpoint(config, clients, pushedRequests, store, codes,
            secrets, clock);
    public final TokenEndpoint token = new TokenEndpoint(config, clientAuthentication, dpopWithNonces, dpopNonces,
            new CodeGrant(config, codes, grants, tokenIssuer, clock), new RefreshGrant(config, grants, tokenIssuer, clock),
            clock);
    public final UserinfoEndpoint userinfo = new UserinfoEndpoint(config, new dev.fapi2lambda.core.resource.TokenValidator(
            new AccessTokenVerifier(ISSUER, ISSUER, serverKeys::publicKeys), dpopWithNonces,
            java.util.Optional.of(new dev.fapi2lambda.core.resource.RevocationCheck(store, java.time.Duration.ZERO)), clock),
            dpopNonces, clock);

    public CoreFixture() {
        clients.save(client(CLIENT_ID, new JWKSet(List.of(clientEcKey.toPublicJWK(), clientRsaKey.toPublicJWK())), false));
        clients.save(client(OTHER_CLIENT_ID, new JWKSet(otherClientKey.toPublicJWK()), false));
        // 1000 iterations keep the tests fast; verification reads the count from the stored hash.
        users.save(new User(USERNAME, new PasswordHasher(new SecureRandom(), 1000).hash(PASSWORD.toCharArray()),
                USER_CLAIMS));
    }

    private static final class ServerKeys {
        static final JwkKeyService SHARED = new JwkKeyService(List.of(TestKeys.rsa(), TestKeys.ec()));
    }

    /** A client like client-1 with one key, its own scopes and ID token algorithm. */
    public static Client client(String id, JWK key, Set<String> scopes, JWSAlgorithm idTokenAlg) {
        return new Client(id, AuthMethod.PRIVATE_KEY_JWT, new JWKSet(key.toPublicJWK()),
                List.of(REDIRECT_URI, REDIRECT_URI_WITH_QUERY), scopes, false, idTokenAlg);
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
