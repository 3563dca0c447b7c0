package dev.fapi2lambda.core.token;

import static dev.fapi2lambda.core.testing.CoreFixture.CLIENT_ID;
import static dev.fapi2lambda.core.testing.CoreFixture.ISSUER;
import static dev.fapi2lambda.core.testing.CoreFixture.OTHER_CLIENT_ID;
import static dev.fapi2lambda.core.testing.CoreFixture.USERNAME;
import static dev.fapi2lambda.core.testing.OAuthAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.crypto.JwsKeys;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.Flow;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import dev.fapi2lambda.core.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The token endpoint: authorization_code with PKCE and DPoP, refresh_token without rotation (C-TOK-1..7, 10..12). */
class TokenEndpointTest {
    private final CoreFixture f = new CoreFixture();
    private final Flow flow = new Flow(f);
    private final ECKey dpopKey = TestKeys.ec();

    private Instant now() {
        return f.clock.instant();
    }

    /** Redeems {@code code} as client-1 with the form changed by the pairs and this DPoP header (none if null). */
    private Response redeem(String code, String dpopProof, String... pairs) {
        return flow.token(Forms.with(flow.codeForm(CLIENT_ID, code), pairs), dpopProof);
    }

    private Response refresh(String clientId, String refreshToken, JWK key) {
        return flow.token(flow.refreshForm(clientId, refreshToken), flow.tokenProof(key));
    }

    /** The verified claims of a JWT the server signed: kid names a published key that verifies it. */
    private SignedJWT verifiedByServer(String jwt, JWSAlgorithm alg) throws Exception {
        SignedJWT parsed = SignedJWT.parse(jwt);
        assertEquals(alg, parsed.getHeader().getAlgorithm());
        String kid = parsed.getHeader().getKeyID();
        assertEquals(f.serverKeys.activeKey(alg).getKeyID(), kid);
        JWK key = f.serverKeys.publicKeys().stream().filter(k -> kid.equals(k.getKeyID())).findFirst().orElseThrow();
        assertTrue(JwsKeys.verify(parsed, key), "signature");
        return parsed;
    }

    private static String gid(String accessToken) throws Exception {
        return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim(TokenIssuer.GRANT_CLAIM);
    }

    @Test
    @DisplayName("C-TOK-6 a code redeemed with PKCE and a DPoP proof of the PAR key gets 200, token_type DPoP, no-store and a DPoP-Nonce")
    void codeRedemptionSucceeds() {
        Response response = redeem(flow.code(dpopKey), flow.tokenProof(dpopKey));
        Map<String, Object> body = OAuthAssertions.json(response);
        assertEquals(200, response.status(), response.body());
        assertEquals("DPoP", body.get("token_type"));
        assertEquals(300L, body.get("expires_in"));
        assertEquals("openid accounts", body.get("scope"));
        assertEquals("no-store", response.header("Cache-Control"));
        assertEquals(flow.nonce(), response.header("DPoP-Nonce"));
    }

    @Test
    @DisplayName("C-TOK-6 the access token is an RFC 9068 at+jwt, PS256 with kid, every claim, cnf.jkt = proof key thumbprint")
    void accessTokenIsRfc9068AndDpopBound() throws Exception {
        Instant authTime = now();
        String code = flow.code(dpopKey);
        f.clock.advance(Duration.ofSeconds(7));
        Map<String, Object> body = flow.redeem(CLIENT_ID, code, dpopKey);
        SignedJWT at = verifiedByServer((String) body.get("access_token"), JWSAlgorithm.PS256);
        assertEquals(new JOSEObjectType("at+jwt"), at.getHeader().getType());
        JWTClaimsSet c = at.getJWTClaimsSet();
        assertEquals(ISSUER, c.getIssuer());
        assertEquals(USERNAME, c.getSubject());
        assertEquals(List.of(ISSUER), c.getAudience());
        assertEquals(CLIENT_ID, c.getStringClaim("client_id"));
        assertEquals("openid accounts", c.getStringClaim("scope"));
        assertEquals(now(), c.getIssueTime().toInstant());
        assertEquals(now().plus(Duration.ofMinutes(5)), c.getExpirationTime().toInstant());
        assertTrue(Base64.getUrlDecoder().decode(c.getJWTID()).length >= 16, c.getJWTID());
        assertEquals(authTime.getEpochSecond(), c.getLongClaim("auth_time"));
        assertEquals(Map.of("jkt", TestKeys.thumbprint(dpopKey)), c.getJSONObjectClaim("cnf"));
    }

    @Test
    @DisplayName("C-TOK-12 with openid the ID token is PS256 with kid, aud = client_id, the nonce echoed intact and auth_time")
    void idTokenForOpenid() throws Exception {
        String nonce = ("n-0S6_WzA2Mj.~" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789").substring(0, 64);
        Instant authTime = now();
        Map<String, Object> body = flow.tokens(dpopKey, "nonce", nonce);
        JWTClaimsSet id = verifiedByServer((String) body.get("id_token"), JWSAlgorithm.PS256).getJWTClaimsSet();
        assertEquals(64, nonce.length());
        assertEquals(ISSUER, id.getIssuer());
        assertEquals(USERNAME, id.getSubject());
        assertEquals(List.of(CLIENT_ID), id.getAudience());
        assertEquals(nonce, id.getStringClaim("nonce"));
        assertEquals(authTime.getEpochSecond(), id.getLongClaim("auth_time"));
        assertFalse(flow.tokens(TestKeys.ec(), "scope", "accounts").containsKey("id_token"), "no openid, no ID token");
    }

    @Test
    @DisplayName("C-TOK-12 a client registered with ES256 gets an ES256 ID token signed by the server's EC key")
    void idTokenWithClientAlgorithm() throws Exception {
        ECKey clientKey = TestKeys.ec();
        flow.register(CoreFixture.client("client-es", clientKey, Set.of("openid"), JWSAlgorithm.ES256), clientKey);
        String code = flow.code("client-es", dpopKey, "scope", "openid");
        Map<String, Object> body = flow.redeem("client-es", code, dpopKey);
        JWTClaimsSet id = verifiedByServer((String) body.get("id_token"), JWSAlgorithm.ES256).getJWTClaimsSet();
        assertEquals(List.of("client-es"), id.getAudience());
        verifiedByServer((String) body.get("access_token"), JWSAlgorithm.PS256);
    }

    @Test
    @DisplayName("C-TOK-1 a code used twice is 400 invalid_grant and revokes the grant: its refresh token stops working")
    void codeReplayRevokesGrant() throws Exception {
        String code = flow.code(dpopKey);
        Map<String, Object> first = flow.redeem(CLIENT_ID, code, dpopKey);
        f.clock.advance(Duration.ofSeconds(1));
        assertError(400, "invalid_grant", () -> redeem(code, flow.tokenProof(dpopKey)));
        assertTrue(f.grants.find(gid((String) first.get("access_token")), now()).orElseThrow().revoked());
        assertError(400, "invalid_grant", () -> refresh(CLIENT_ID, (String) first.get("refresh_token"), dpopKey));
    }

    @Test
    @DisplayName("C-TOK-2 a code used after 61 s is 400 invalid_grant")
    void expiredCode() {
        String code = flow.code(dpopKey);
        f.clock.advance(Duration.ofSeconds(61));
        assertError(400, "invalid_grant", () -> redeem(code, flow.tokenProof(dpopKey)));
    }

    @Test
    @DisplayName("C-TOK-3 client-1's code redeemed by client-2 is 400 invalid_grant")
    void codeOfAnotherClient() {
        String code = flow.code(dpopKey);
        assertError(400, "invalid_grant", () -> flow.token(flow.codeForm(OTHER_CLIENT_ID, code), flow.tokenProof(dpopKey)));
    }

    @Test
    @DisplayName("C-TOK-2 an unknown code is 400 invalid_grant")
    void unknownCode() {
        assertError(400, "invalid_grant", () -> redeem(f.secrets.next(), flow.tokenProof(dpopKey)));
    }

    @Test
    @DisplayName("C-TOK-2 a code naming a real request (its id) with a guessed secret is 400 invalid_grant and spends nothing")
    void guessedSecretOfARealCode() {
        String code = flow.code(dpopKey);
        String id = code.substring(0, code.indexOf('.'));
        assertError(400, "invalid_grant", () -> redeem(id + "." + f.secrets.next(), flow.tokenProof(dpopKey)));
        assertError(400, "invalid_grant", () -> redeem(id, flow.tokenProof(dpopKey)));
        assertError(400, "invalid_grant", () -> redeem(id + ".", flow.tokenProof(dpopKey)));
        // The real code was not touched: it still works, once.
        Response ok = flow.token(flow.codeForm(CLIENT_ID, code), flow.tokenProof(dpopKey));
        assertEquals(200, ok.status(), ok::body);
    }

    @Test
    @DisplayName("C-TOK-1 a guessed secret with the id of a redeemed code is no replay: invalid_grant, and the grant lives on")
    void guessedSecretOfARedeemedCode() {
        String code = flow.code(dpopKey);
        Map<String, Object> tokens = flow.redeem(CLIENT_ID, code, dpopKey);
        String id = code.substring(0, code.indexOf('.'));
        assertError(400, "invalid_grant", () -> redeem(id + "." + f.secrets.next(), flow.tokenProof(dpopKey)));
        Response refreshed = flow.token(flow.refreshForm(CLIENT_ID, (String) tokens.get("refresh_token")),
                flow.tokenProof(dpopKey));
        assertEquals(200, refreshed.status(), "not revoked: " + refreshed.body());
    }

    @Test
    @DisplayName("C-TOK-2 the id of a request that has no code yet (before consent) is no code")
    void requestWithoutCodeYet() {
        String requestUri = flow.push(dpopKey);
        String id = Flow.sha256Url(requestUri);
        assertError(400, "invalid_grant", () -> redeem(id + "." + f.secrets.next(), flow.tokenProof(dpopKey)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK", "short"})
    @DisplayName("C-TOK-4 a missing or wrong code_verifier is 400 invalid_grant")
    void wrongCodeVerifier(String verifier) {
        String code = flow.code(dpopKey);
        assertError(400, "invalid_grant", () -> redeem(code, flow.tokenProof(dpopKey),
                "code_verifier", verifier.isEmpty() ? null : verifier));
    }

    @Test
    @DisplayName("C-TOK-4 a redirect_uri other than the authorization request's is 400 invalid_grant; leaving it out is fine")
    void redirectUriMustMatch() {
        String code = flow.code(dpopKey);
        assertError(400, "invalid_grant", () -> redeem(code, flow.tokenProof(dpopKey),
                "redirect_uri", CoreFixture.REDIRECT_URI_WITH_QUERY));
        assertEquals(200, redeem(flow.code(dpopKey), flow.tokenProof(dpopKey), "redirect_uri", null).status());
    }

    @Test
    @DisplayName("C-TOK-6 no DPoP proof is 400 invalid_dpop_proof, and the code is not spent")
    void dpopProofRequired() {
        String code = flow.code(dpopKey);
        assertError(400, "invalid_dpop_proof", () -> redeem(code, null));
        assertEquals(200, redeem(code, flow.tokenProof(dpopKey)).status());
    }

    @Test
    @DisplayName("C-TOK-6 a proof by another key than the one bound at PAR is 400 invalid_dpop_proof")
    void proofKeyMustMatchParBinding() {
        String code = flow.code(dpopKey);
        assertError(400, "invalid_dpop_proof", () -> redeem(code, flow.tokenProof(TestKeys.ec())));
    }

    @Test
    @DisplayName("C-TOK-7 a proof without a nonce, or with one two windows old, is 400 use_dpop_nonce with the DPoP-Nonce to use")
    void nonceRequired() {
        String old = flow.nonce();
        f.clock.advance(Duration.ofSeconds(120));
        String code = flow.code(dpopKey);
        Response noNonce = assertError(400, "use_dpop_nonce",
                () -> redeem(code, Jwts.dpopProof(dpopKey, "POST", Flow.TOKEN_URL, now())));
        assertEquals(flow.nonce(), noNonce.header("DPoP-Nonce"));
        Response stale = assertError(400, "use_dpop_nonce",
                () -> redeem(code, flow.tokenProof(dpopKey, c -> c.claim("nonce", old))));
        assertNotEquals(old, stale.header("DPoP-Nonce"));
        assertEquals(200, redeem(code, Jwts.dpopProof(dpopKey, "POST", Flow.TOKEN_URL, now(),
                c -> c.claim("nonce", stale.header("DPoP-Nonce")))).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "client_credentials", "implicit", "urn:ietf:params:oauth:grant-type:device_code"})
    @DisplayName("C-TOK-11 other grant types are 400 unsupported_grant_type")
    void otherGrantTypes(String grantType) {
        assertError(400, "unsupported_grant_type", () -> flow.token(Forms.with(flow.codeForm(CLIENT_ID, "x"),
                "grant_type", grantType, "username", USERNAME, "password", CoreFixture.PASSWORD), flow.tokenProof(dpopKey)));
    }

    @Test
    @DisplayName("C-TOK-5 no client authentication is 401 invalid_client")
    void clientAuthenticationRequired() {
        String code = flow.code(dpopKey);
        assertError(401, "invalid_client", () -> redeem(code, flow.tokenProof(dpopKey),
                "client_assertion", null, "client_assertion_type", null, "client_id", CLIENT_ID));
    }

    @Test
    @DisplayName("C-TOK-10 the same refresh token works twice (no rotation) and gives new DPoP-bound access tokens")
    void refreshWithoutRotation() throws Exception {
        String refreshToken = (String) flow.tokens(dpopKey).get("refresh_token");
        Map<String, Object> first = OAuthAssertions.json(refresh(CLIENT_ID, refreshToken, dpopKey));
        f.clock.advance(Duration.ofSeconds(31));
        Response again = refresh(CLIENT_ID, refreshToken, dpopKey);
        Map<String, Object> second = OAuthAssertions.json(again);
        assertEquals(200, again.status(), again.body());
        assertEquals(flow.nonce(), again.header("DPoP-Nonce"));
        assertEquals(refreshToken, first.get("refresh_token"));
        assertEquals(refreshToken, second.get("refresh_token"));
        assertEquals("DPoP", second.get("token_type"));
        assertNotEquals(first.get("access_token"), second.get("access_token"));
        JWTClaimsSet at = verifiedByServer((String) second.get("access_token"), JWSAlgorithm.PS256).getJWTClaimsSet();
        assertEquals(Map.of("jkt", TestKeys.thumbprint(dpopKey)), at.getJSONObjectClaim("cnf"));
        assertEquals(now(), at.getIssueTime().toInstant());
    }

    @Test
    @DisplayName("C-TOK-10 the refresh token has only RFC 6749 A.17 characters and >= 128 random bits")
    void refreshTokenCharacters() {
        String refreshToken = (String) flow.tokens(dpopKey).get("refresh_token");
        assertTrue(refreshToken.chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7E), refreshToken);
        String random = refreshToken.substring(refreshToken.indexOf('.') + 1);
        assertTrue(Base64.getUrlDecoder().decode(random).length >= 16, refreshToken);
    }

    @Test
    @DisplayName("C-TOK-10 a refresh token of client-1 used by client-2 is 400 invalid_grant")
    void refreshByAnotherClient() {
        String refreshToken = (String) flow.tokens(dpopKey).get("refresh_token");
        assertError(400, "invalid_grant", () -> refresh(OTHER_CLIENT_ID, refreshToken, dpopKey));
    }

    @Test
    @DisplayName("C-TOK-10 a refresh token used with another DPoP key is 400 invalid_dpop_proof")
    void refreshWithAnotherKey() {
        String refreshToken = (String) flow.tokens(dpopKey).get("refresh_token");
        assertError(400, "invalid_dpop_proof", () -> refresh(CLIENT_ID, refreshToken, TestKeys.ec()));
    }

    @Test
    @DisplayName("C-TOK-10 an unknown, garbage or altered refresh token is 400 invalid_grant")
    void unknownRefreshToken() {
        String refreshToken = (String) flow.tokens(dpopKey).get("refresh_token");
        String grantId = refreshToken.substring(0, refreshToken.indexOf('.'));
        for (String bad : List.of("garbage", "." + f.secrets.next(), f.secrets.next() + "." + f.secrets.next(),
                grantId + "." + f.secrets.next(), grantId)) {
            assertError(400, "invalid_grant", () -> refresh(CLIENT_ID, bad, dpopKey));
        }
    }

    @Test
    @DisplayName("C-TOK-10 a refresh token after its grant's 30-day lifetime is 400 invalid_grant")
    void refreshAfterGrantLifetime() {
        String refreshToken = (String) flow.tokens(dpopKey).get("refresh_token");
        f.clock.advance(Duration.ofDays(30).minusSeconds(1));
        assertEquals(200, refresh(CLIENT_ID, refreshToken, dpopKey).status());
        f.clock.advance(Duration.ofSeconds(1));
        assertError(400, "invalid_grant", () -> refresh(CLIENT_ID, refreshToken, dpopKey));
    }

    @Test
    @DisplayName("C-TOK-9 GET is 405 with Allow: POST")
    void getIsMethodNotAllowed() {
        Response response = assertError(405, "invalid_request", () -> f.token.handle(CoreFixture.get("/token")));
        assertEquals("POST", response.header("Allow"));
    }
}
