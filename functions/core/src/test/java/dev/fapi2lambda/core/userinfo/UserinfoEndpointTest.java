package dev.fapi2lambda.core.userinfo;

import static dev.fapi2lambda.core.testing.CoreFixture.CLIENT_ID;
import static dev.fapi2lambda.core.testing.CoreFixture.USERNAME;
import static dev.fapi2lambda.core.testing.CoreFixture.USER_CLAIMS;
import static dev.fapi2lambda.core.testing.OAuthAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.keys.JwtSigner;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.Flow;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import dev.fapi2lambda.core.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** UserInfo as the first protected resource: DPoP-bound tokens in the header only, proof with ath and nonce (C-RS-1..4). */
class UserinfoEndpointTest {
    private final CoreFixture f = new CoreFixture();
    private final Flow flow = new Flow(f);
    private final ECKey dpopKey = TestKeys.ec();

    /** An access token of client-1 bound to {@code dpopKey}, the PAR changed by the pairs. */
    private String accessToken(String... parPairs) {
        return (String) flow.tokens(dpopKey, parPairs).get("access_token");
    }

    private Response call(String token) {
        return flow.userinfo("DPoP " + token, flow.userinfoProof(dpopKey, token));
    }

    private Map<String, Object> claimsFor(String token) {
        Response response = call(token);
        assertEquals(200, response.status(), response.body());
        return OAuthAssertions.json(response);
    }

    /** A 401 invalid_token challenged with the DPoP scheme. */
    private static void assertInvalidToken(org.junit.jupiter.api.function.Executable call) {
        Response response = assertError(401, "invalid_token", call);
        assertTrue(response.header("WWW-Authenticate").startsWith("DPoP "), response.header("WWW-Authenticate"));
    }

    private static Map<String, Object> expected(String... claims) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("sub", USERNAME);
        for (String claim : claims) {
            map.put(claim, "email_verified".equals(claim) ? Boolean.TRUE : USER_CLAIMS.get(claim));
        }
        return map;
    }

    @Test
    @DisplayName("C-RS-1 a DPoP token with a proof carrying ath and the nonce gets 200, sub and profile claims, and a DPoP-Nonce")
    void validRequest() {
        String token = accessToken("scope", "openid profile");
        Response response = call(token);
        assertEquals(200, response.status(), response.body());
        assertEquals(expected("name", "given_name", "family_name"), OAuthAssertions.json(response));
        assertEquals(flow.nonce(), response.header("DPoP-Nonce"));
        assertEquals("no-store", response.header("Cache-Control"));
    }

    @Test
    @DisplayName("C-RS-1 claims are released by scope: email gives email and email_verified only; accounts gives sub only")
    void claimsByScope() {
        ECKey clientKey = TestKeys.ec();
        flow.register(CoreFixture.client("client-mail", clientKey, Set.of("openid", "email", "accounts"),
                JWSAlgorithm.PS256), clientKey);
        String mailToken = (String) flow.redeem("client-mail", flow.code("client-mail", dpopKey, "scope", "openid email"),
                dpopKey).get("access_token");
        assertEquals(expected("email", "email_verified"), claimsFor(mailToken));
        assertEquals(expected(), claimsFor(accessToken("scope", "openid accounts")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dpop", "DPOP", "DPoP", "dPoP"})
    @DisplayName("C-RS-1 the DPoP scheme is matched case-insensitively")
    void schemeIsCaseInsensitive(String scheme) {
        String token = accessToken();
        Response response = flow.userinfo(scheme + " " + token, flow.userinfoProof(dpopKey, token));
        assertEquals(200, response.status(), response.body());
    }

    @Test
    @DisplayName("C-RS-2 a DPoP-bound token presented as Bearer (with a valid proof) is 401 invalid_token challenged with DPoP")
    void bearerDowngradeRefused() {
        String token = accessToken();
        assertInvalidToken(() -> flow.userinfo("Bearer " + token, flow.userinfoProof(dpopKey, token)));
    }

    @Test
    @DisplayName("C-RS-1 no Authorization header is 401 with a DPoP challenge")
    void noAuthorization() {
        assertInvalidToken(() -> flow.userinfo(null, flow.userinfoProof(dpopKey, accessToken())));
    }

    @Test
    @DisplayName("C-RS-1 an access_token in the query or in a form body is 400 invalid_request, even next to a valid header")
    void tokenOutsideTheHeaderRefused() {
        String token = accessToken();
        assertError(400, "invalid_request", () -> flow.userinfo(null, null, Map.of("access_token", token)));
        assertError(400, "invalid_request", () -> flow.userinfo("DPoP " + token, flow.userinfoProof(dpopKey, token),
                Map.of("access_token", token)));
        assertError(400, "invalid_request", () -> f.userinfo.handle(CoreFixture.post("/userinfo",
                Forms.of(Map.of("access_token", token)), Map.of("DPoP", flow.userinfoProof(dpopKey, token)))));
    }

    @Test
    @DisplayName("C-RS-2 a proof without ath, or with the ath of another token, is 401 invalid_dpop_proof")
    void athRequiredAndChecked() {
        String token = accessToken();
        String noAth = Jwts.dpopProof(dpopKey, "GET", Flow.USERINFO_URL, f.clock.instant(), c -> c.claim("nonce", flow.nonce()));
        String wrongAth = flow.userinfoProof(dpopKey, token, c -> c.claim("ath", Flow.sha256Url(token + "x")));
        for (String proof : new String[] {noAth, wrongAth}) {
            Response response = assertError(401, "invalid_dpop_proof", () -> flow.userinfo("DPoP " + token, proof));
            assertTrue(response.header("WWW-Authenticate").startsWith("DPoP error=\"invalid_dpop_proof\""),
                    response.header("WWW-Authenticate"));
        }
    }

    @Test
    @DisplayName("C-RS-4 a valid proof by another key (another client's) is 401 invalid_token")
    void proofByAnotherKey() {
        String token = accessToken();
        assertInvalidToken(() -> flow.userinfo("DPoP " + token, flow.userinfoProof(f.otherClientKey, token)));
    }

    @Test
    @DisplayName("C-RS-2 an access token is accepted 4 minutes after issue and is 401 invalid_token after its 5 minutes")
    void expiredToken() {
        String token = accessToken();
        f.clock.advance(Duration.ofMinutes(4));
        assertEquals(200, call(token).status());
        f.clock.advance(Duration.ofMinutes(2));
        assertInvalidToken(() -> call(token));
    }

    @Test
    @DisplayName("C-RS-2 a token signed by an unknown key under the server's kid, typed JWT, or with a tampered payload is 401")
    void forgedTokens() throws Exception {
        SignedJWT valid = SignedJWT.parse(accessToken());
        JWTClaimsSet claims = valid.getJWTClaimsSet();
        JwtSigner serverSigner = new JwtSigner(f.serverKeys);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.PS256).type(new JOSEObjectType("at+jwt"))
                .keyID(valid.getHeader().getKeyID()).build();
        String unknownKey = Jwts.sign(TestKeys.rsa(), header, claims);
        String typedJwt = serverSigner.sign(JWSAlgorithm.PS256, JOSEObjectType.JWT, claims);
        Map<String, Object> otherSubject = new LinkedHashMap<>(claims.toJSONObject());
        otherSubject.put("sub", "mallory");
        String tampered = valid.getHeader().toBase64URL() + "."
                + Base64URL.encode(JWTClaimsSet.parse(otherSubject).toString().getBytes(StandardCharsets.UTF_8)) + "."
                + valid.getSignature();
        for (String forged : new String[] {unknownKey, typedJwt, tampered}) {
            assertInvalidToken(() -> call(forged));
        }
        assertEquals(200, call(serverSigner.sign(JWSAlgorithm.PS256, new JOSEObjectType("at+jwt"), claims)).status(),
                "the same claims re-signed properly are accepted");
    }

    @Test
    @DisplayName("C-RS-3 a proof without the nonce is 401 with WWW-Authenticate DPoP error=\"use_dpop_nonce\" and the DPoP-Nonce")
    void nonceRequired() {
        String token = accessToken();
        String proof = Jwts.dpopProof(dpopKey, "GET", Flow.USERINFO_URL, f.clock.instant(),
                c -> c.claim("ath", Flow.sha256Url(token)));
        Response response = assertError(401, "use_dpop_nonce", () -> flow.userinfo("DPoP " + token, proof));
        assertTrue(response.header("WWW-Authenticate").startsWith("DPoP error=\"use_dpop_nonce\""),
                response.header("WWW-Authenticate"));
        assertEquals(flow.nonce(), response.header("DPoP-Nonce"));
    }

    @Test
    @DisplayName("C-TOK-1 after the code is replayed, the access token of its grant is 401 invalid_token")
    void revokedGrant() {
        String code = flow.code(dpopKey);
        String token = (String) flow.redeem(CLIENT_ID, code, dpopKey).get("access_token");
        assertEquals(200, call(token).status());
        assertError(400, "invalid_grant", () -> flow.token(flow.codeForm(CLIENT_ID, code), flow.tokenProof(dpopKey)));
        assertInvalidToken(() -> call(token));
    }
}
