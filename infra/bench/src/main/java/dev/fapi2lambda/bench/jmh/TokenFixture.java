package dev.fapi2lambda.bench.jmh;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientAuthentication;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.dpop.DpopProofValidator;
import dev.fapi2lambda.core.dpop.WindowedDpopNonces;
import dev.fapi2lambda.core.http.Headers;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.keys.JwkKeyService;
import dev.fapi2lambda.core.keys.JwtSigner;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.InMemoryItemStore;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.token.AuthorizationCode;
import dev.fapi2lambda.core.token.AuthorizationCodes;
import dev.fapi2lambda.core.token.CodeGrant;
import dev.fapi2lambda.core.token.Grants;
import dev.fapi2lambda.core.token.RefreshGrant;
import dev.fapi2lambda.core.token.TokenEndpoint;
import dev.fapi2lambda.core.token.TokenIssuer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The token endpoint wired as functions/core's CoreFixture wires it (and as Components does):
 * private_key_jwt client authentication, DPoP with server nonces over the store, the code grant
 * issuing a PS256 access token and a PS256 ID token through the local key service, on an
 * InMemoryItemStore, at a fixed instant. It also mints what each request needs: a fresh code in
 * the store, a fresh client assertion and a fresh DPoP proof with the nonce.
 */
public final class TokenFixture {
    public static final String ISSUER = "https://as.example.test";
    public static final String CLIENT_ID = "client-1";
    public static final String REDIRECT_URI = "https://client.example.test/cb";
    public static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    public static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    public static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    /** Keys that outlive one fixture (a trial's). */
    public record Keys(RSAKey serverRsa, ECKey serverEc, ECKey client, ECKey dpop, String dpopJkt) {
        public static Keys generate(int rsaBits) throws Exception {
            RSAKey rsa = new RSAKeyGenerator(rsaBits).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.PS256)
                    .keyIDFromThumbprint(true).generate();
            ECKey ec = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true).generate();
            ECKey client = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
            ECKey dpop = new ECKeyGenerator(Curve.P_256).generate();
            return new Keys(rsa, ec, client, dpop, dpop.computeThumbprint().toString());
        }
    }

    private final Keys keys;
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ServerConfig config = ServerConfig.defaults(ISSUER);
    private final InMemoryItemStore store = new InMemoryItemStore();
    private final Secrets secrets = new Secrets(new SecureRandom());
    private final WindowedDpopNonces nonces = new WindowedDpopNonces(store, secrets, config.dpopNonceWindow());
    private final AuthorizationCodes codes = new AuthorizationCodes(store, secrets);
    private final TokenEndpoint token;

    public TokenFixture(Keys keys) {
        this.keys = keys;
        ClientRepository clients = new ClientRepository(store);
        clients.save(new Client(CLIENT_ID, AuthMethod.PRIVATE_KEY_JWT, new JWKSet(keys.client().toPublicJWK()),
                List.of(REDIRECT_URI), Set.of("openid", "accounts"), true));
        Grants grants = new Grants(store);
        TokenIssuer issuer = new TokenIssuer(config,
                new JwtSigner(new JwkKeyService(List.of(keys.serverRsa(), keys.serverEc()))), secrets);
        this.token = new TokenEndpoint(config, new ClientAuthentication(config, clients, store, clock),
                new DpopProofValidator(config, store, nonces, clock), nonces,
                new CodeGrant(config, codes, grants, issuer, clock), new RefreshGrant(config, grants, issuer, clock), clock);
    }

    public TokenEndpoint endpoint() {
        return token;
    }

    /** A complete, valid token request: a fresh code (stored now), assertion and DPoP proof. */
    public Request nextRequest() {
        String code = codes.issue(new AuthorizationCode(CLIENT_ID, REDIRECT_URI, List.of("openid", "accounts"), CHALLENGE,
                Optional.of("n-0S6_WzA2Mj"), "alice", NOW.minusSeconds(5), Optional.of(keys.dpopJkt()), secrets.next()),
                NOW.plusSeconds(60));
        String nonce = nonces.current(NOW).orElseThrow();
        Map<String, String> form = Forms.params("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT_URI, "code_verifier", VERIFIER,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", Jwts.clientAssertion(keys.client(), CLIENT_ID, ISSUER, NOW));
        String proof = Jwts.dpopProof(keys.dpop(), "POST", ISSUER + Paths.TOKEN, NOW, c -> c.claim("nonce", nonce));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/x-www-form-urlencoded"));
        headers.put("DPoP", List.of(proof));
        return new Request("POST", Paths.TOKEN, Headers.of(headers), Map.of(),
                Forms.of(form).getBytes(StandardCharsets.UTF_8), Optional.empty(), "bench");
    }
}
