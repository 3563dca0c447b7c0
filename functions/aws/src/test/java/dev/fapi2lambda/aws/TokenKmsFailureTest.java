package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.MutableClock;
import dev.fapi2lambda.core.testing.TestKeys;
import dev.fapi2lambda.core.token.AuthorizationCode;
import dev.fapi2lambda.core.token.AuthorizationCodes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The token endpoint on DynamoDB Local and the KMS protocol server: its two KMS Sign requests in
 * flight at once, and what a KMS failure of either leaves behind (nothing).
 */
class TokenKmsFailureTest {
    private static final String ISSUER = "https://as.example.com";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private final MutableClock clock = new MutableClock(Instant.now());
    private final ECKey clientKey = TestKeys.ec();
    private final ECKey dpopKey = TestKeys.ec();
    private KmsProtocolServer kms;
    private DynamoDbItemStore store;
    private Components components;

    @BeforeEach
    void setUp() throws Exception {
        kms = new KmsProtocolServer();
        kms.addKey("rsa", "RSA_2048");
        kms.addKey("ec", "ECC_NIST_P256");
        store = TestDynamo.freshStore();
        KmsKeyService keys = new KmsKeyService(kms.client(), "rsa", "ec", List.of());
        components = new Components(ServerConfig.defaults(ISSUER).withDpopNonces(false), () -> store, () -> keys, clock,
                new SecureRandom());
        saveClient(JWSAlgorithm.PS256);
    }

    @AfterEach
    void tearDown() {
        kms.close();
    }

    @Test
    @DisplayName("KMS throttled beyond the retries: 503 temporarily_unavailable, the code unspent and no grant; the retry succeeds")
    void noHalfIssuedGrant() throws Exception {
        AuthorizationCodes codes = new AuthorizationCodes(store, new Secrets(new SecureRandom()));
        String code = issueCode(codes);

        kms.throttleNext.set(100);
        Response failed = handle(tokenRequest(code));
        assertEquals(503, failed.status());
        assertEquals("temporarily_unavailable", JSONObjectUtils.parse(failed.body()).get("error"));
        assertFalse(codes.peek(code, clock.instant()).orElseThrow().redeemed(), "the code is still unspent");
        assertTrue(store.get("grant#grant-1", clock.instant()).isEmpty(), "no grant was written");

        kms.throttleNext.set(0);
        long signsBefore = kms.signCalls();
        Response ok = handle(tokenRequest(code));
        assertEquals(200, ok.status(), ok.body());
        SignedJWT at = SignedJWT.parse((String) JSONObjectUtils.parse(ok.body()).get("access_token"));
        RSAKey published = (RSAKey) JWKSet.parse(components.jwks().handle(CoreFixture.get("/jwks")).body())
                .getKeyByKeyId(at.getHeader().getKeyID());
        assertTrue(at.verify(new RSASSAVerifier(published)), "the KMS-signed access token verifies against the JWKS");
        assertEquals(2, kms.signCalls() - signsBefore, "exactly two KMS Sign calls: access token and ID token");
    }

    @Test
    @DisplayName("the access token and the ID token are signed at once: both KMS Sign requests are in flight together")
    void signaturesTogether() throws Exception {
        components = new Components(ServerConfig.defaults(ISSUER).withDpopNonces(false), () -> store,
                () -> new KmsKeyService(kms.patientClient(), "rsa", "ec", List.of()), clock, new SecureRandom());
        String code = issueCode();
        kms.expectTogether("Sign", 2);
        Response ok = handle(tokenRequest(code));
        assertEquals(200, ok.status(), ok.body());
        assertFalse(kms.arrivedApart("Sign"), "one Sign request waited in vain for the other");
        Map<String, Object> body = JSONObjectUtils.parse(ok.body());
        for (String token : List.of("access_token", "id_token")) {
            SignedJWT jwt = SignedJWT.parse((String) body.get(token));
            RSAKey published = (RSAKey) JWKSet.parse(components.jwks().handle(CoreFixture.get("/jwks")).body())
                    .getKeyByKeyId(jwt.getHeader().getKeyID());
            assertTrue(jwt.verify(new RSASSAVerifier(published)), token + " verifies against the JWKS");
        }
    }

    @Test
    @DisplayName("KMS refuses only the ID token's key: 503 temporarily_unavailable, the code unspent and no grant; the retry succeeds")
    void idTokenKeyRefused() throws Exception {
        saveClient(JWSAlgorithm.ES256);
        AuthorizationCodes codes = new AuthorizationCodes(store, new Secrets(new SecureRandom()));
        String code = issueCode(codes);
        kms.disabledKey = "ec";
        Response failed = handle(tokenRequest(code));
        assertEquals(503, failed.status(), failed.body());
        assertEquals("temporarily_unavailable", JSONObjectUtils.parse(failed.body()).get("error"));
        assertFalse(codes.peek(code, clock.instant()).orElseThrow().redeemed(), "the code is still unspent");
        assertTrue(store.get("grant#grant-1", clock.instant()).isEmpty(), "no grant was written");

        kms.disabledKey = null;
        Response ok = handle(tokenRequest(code));
        assertEquals(200, ok.status(), ok.body());
        SignedJWT idToken = SignedJWT.parse((String) JSONObjectUtils.parse(ok.body()).get("id_token"));
        assertEquals(JWSAlgorithm.ES256, idToken.getHeader().getAlgorithm());
    }

    @Test
    @DisplayName("a token request refused for one signature answers only once its other signature has ended")
    void refusedAfterTheOtherSign() throws Exception {
        saveClient(JWSAlgorithm.ES256);
        String code = issueCode();
        kms.disabledKey = "rsa";   // the access token's Sign fails at once (not retried)
        kms.slowKey = "ec";        // the ID token's Sign takes 500 ms
        kms.slowMillis = 500;
        Response failed = handle(tokenRequest(code));
        assertEquals(503, failed.status(), failed.body());
        assertEquals(1, kms.signsAnswered.getOrDefault("ec", new AtomicInteger()).get(),
                "the 503 went out while the ID token's Sign was still running");
    }

    /** bank-app, private_key_jwt, DPoP required, its ID tokens signed with {@code idTokenAlg}. */
    private void saveClient(JWSAlgorithm idTokenAlg) {
        new ClientRepository(store).save(new Client("bank-app", AuthMethod.PRIVATE_KEY_JWT,
                new JWKSet(clientKey.toPublicJWK()), List.of("https://bank.example/cb"), Set.of("openid"), true,
                idTokenAlg));
    }

    private String issueCode() throws Exception {
        return issueCode(new AuthorizationCodes(store, new Secrets(new SecureRandom())));
    }

    private String issueCode(AuthorizationCodes codes) throws Exception {
        return codes.issue(new AuthorizationCode("bank-app", "https://bank.example/cb", List.of("openid"),
                Hashes.sha256Url(VERIFIER), Optional.of("n-1"), "alice", clock.instant(),
                Optional.of(dpopKey.computeThumbprint().toString()), "grant-1"), clock.instant().plusSeconds(60));
    }

    private Response handle(dev.fapi2lambda.core.http.Request request) {
        try {
            return components.token().handle(request);
        } catch (dev.fapi2lambda.core.error.OAuthException e) {
            return dev.fapi2lambda.core.error.ErrorResponses.render(e);
        }
    }

    private dev.fapi2lambda.core.http.Request tokenRequest(String code) {
        String body = Forms.of(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", "https://bank.example/cb", "code_verifier", VERIFIER)) + "&"
                + Jwts.assertionFields(Jwts.clientAssertion(clientKey, "bank-app", ISSUER, clock.instant()));
        return CoreFixture.post("/token", body,
                Map.of("DPoP", Jwts.dpopProof(dpopKey, "POST", ISSUER + "/token", clock.instant())));
    }
}
