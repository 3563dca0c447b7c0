package dev.fapi2lambda.core.client;

import static dev.fapi2lambda.core.testing.CoreFixture.CLIENT_ID;
import static dev.fapi2lambda.core.testing.CoreFixture.ISSUER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import dev.fapi2lambda.core.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** private_key_jwt at PAR and token (RFC 7523 3, FAPI 2.0 SP 5.3.2.1). Every failure is 401 invalid_client. */
class ClientAuthenticationTest {
    private final CoreFixture f = new CoreFixture();

    private Instant now() {
        return f.clock.instant();
    }

    private Date in(int seconds) {
        return Date.from(now().plusSeconds(seconds));
    }

    /** A client-1 assertion signed with its EC key, changed by {@code change}. */
    private String assertion(UnaryOperator<JWTClaimsSet.Builder> change) {
        return Jwts.clientAssertion(f.clientEcKey, CLIENT_ID, ISSUER, now(), change);
    }

    private Client authenticate(String body, Map<String, String> headers) {
        Request request = CoreFixture.post(Paths.PAR, body, headers);
        return f.clientAuthentication.authenticate(request, Form.of(request, f.config.maxBodyBytes()));
    }

    private Client authenticate(String assertion) {
        return authenticate(Jwts.assertionFields(assertion), Map.of());
    }

    private void assertAccepted(String assertion) {
        assertEquals(CLIENT_ID, authenticate(assertion).clientId());
    }

    private void assertRejected(String assertion) {
        OAuthAssertions.assertError(401, "invalid_client", () -> authenticate(assertion));
    }

    private void assertBodyRejected(String body, Map<String, String> headers) {
        OAuthAssertions.assertError(401, "invalid_client", () -> authenticate(body, headers));
    }

    private static Map<String, Object> header(JWSAlgorithm alg, JWK key) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg.getName());
        header.put("kid", key.getKeyID());
        return header;
    }

    @Test
    @DisplayName("C-PAR-8 a valid ES256 assertion signed with the client's EC key authenticates the client")
    void validEcAssertionIsAccepted() {
        assertAccepted(f.assertion());
    }

    @Test
    @DisplayName("C-CRY-2 a valid PS256 assertion signed with the client's RSA key authenticates the client")
    void validRsaPs256AssertionIsAccepted() {
        assertAccepted(Jwts.clientAssertion(f.clientRsaKey, CLIENT_ID, ISSUER, now()));
    }

    @Test
    @DisplayName("C-PAR-7 a hand-built assertion with aud as the issuer string is accepted (control for the array case)")
    void handBuiltAssertionWithAudStringIsAccepted() {
        Map<String, Object> payload = Jwts.assertionClaims(CLIENT_ID, ISSUER, now()).build().toJSONObject();
        assertEquals(ISSUER, payload.get("aud"));
        assertAccepted(Jwts.compact(f.clientEcKey, header(JWSAlgorithm.ES256, f.clientEcKey), payload));
    }

    @Test
    @DisplayName("C-PAR-7 assertion aud as an array, even holding only the issuer, is rejected with invalid_client")
    void audArrayIsRejected() {
        Map<String, Object> payload = Jwts.assertionClaims(CLIENT_ID, ISSUER, now()).build().toJSONObject();
        payload.put("aud", List.of(ISSUER));
        assertRejected(Jwts.compact(f.clientEcKey, header(JWSAlgorithm.ES256, f.clientEcKey), payload));
    }

    @Test
    @DisplayName("C-PAR-7 assertion aud = the PAR endpoint URL is rejected with invalid_client")
    void audParUrlIsRejected() {
        assertRejected(assertion(c -> c.audience(f.config.url(Paths.PAR))));
    }

    @Test
    @DisplayName("C-PAR-7 assertion aud = the token endpoint URL is rejected with invalid_client")
    void audTokenUrlIsRejected() {
        assertRejected(assertion(c -> c.audience(f.config.url(Paths.TOKEN))));
    }

    @ParameterizedTest(name = "iat {0} s in the future")
    @ValueSource(ints = {8, 10})
    @DisplayName("C-PAR-8 assertion iat up to 10 s in the future is accepted")
    void iatSlightlyInFutureIsAccepted(int seconds) {
        assertAccepted(assertion(c -> c.issueTime(in(seconds)).expirationTime(in(seconds + 60))));
    }

    @ParameterizedTest(name = "iat {0} s in the future")
    @ValueSource(ints = {11, 61})
    @DisplayName("C-PAR-8 assertion iat more than 10 s in the future is rejected with invalid_client")
    void iatFarInFutureIsRejected(int seconds) {
        assertRejected(assertion(c -> c.issueTime(in(seconds)).expirationTime(in(seconds + 60))));
    }

    @Test
    @DisplayName("C-PAR-8 assertion nbf 61 s in the future is rejected with invalid_client")
    void nbfFarInFutureIsRejected() {
        assertRejected(assertion(c -> c.notBeforeTime(in(61)).expirationTime(in(120))));
    }

    @Test
    @DisplayName("C-PAR-8 assertion without exp is rejected with invalid_client")
    void missingExpIsRejected() {
        assertRejected(assertion(c -> c.expirationTime(null)));
    }

    @Test
    @DisplayName("C-PAR-8 assertion whose exp is in the past is rejected with invalid_client")
    void pastExpIsRejected() {
        assertRejected(assertion(c -> c.issueTime(in(-30)).expirationTime(in(-1))));
    }

    @Test
    @DisplayName("C-PAR-8 assertion whose exp is exactly now is rejected with invalid_client")
    void expEqualToNowIsRejected() {
        assertRejected(assertion(c -> c.issueTime(in(-30)).expirationTime(in(0))));
    }

    @Test
    @DisplayName("C-PAR-8 assertion living more than 10 minutes from iat to exp is rejected with invalid_client")
    void lifetimeOverTenMinutesIsRejected() {
        assertRejected(assertion(c -> c.issueTime(in(-300)).expirationTime(in(301))));
    }

    @Test
    @DisplayName("C-PAR-8 assertion whose iss differs from sub is rejected with invalid_client")
    void issDifferentFromSubIsRejected() {
        assertRejected(assertion(c -> c.subject(CoreFixture.OTHER_CLIENT_ID)));
    }

    @Test
    @DisplayName("C-PAR-8 assertion without sub is rejected with invalid_client")
    void missingSubIsRejected() {
        assertRejected(assertion(c -> c.subject(null)));
    }

    @Test
    @DisplayName("C-PAR-8 assertion whose iss is not a registered client is rejected with invalid_client")
    void unknownIssuerIsRejected() {
        ECKey stranger = TestKeys.ec();
        assertRejected(Jwts.clientAssertion(stranger, "client-unknown", ISSUER, now()));
    }

    @Test
    @DisplayName("C-PAR-8 a client_id parameter different from the assertion iss is rejected with invalid_client")
    void clientIdParameterMismatchIsRejected() {
        String body = Jwts.assertionFields(f.assertion()) + "&client_id=" + CoreFixture.OTHER_CLIENT_ID;
        assertBodyRejected(body, Map.of());
    }

    @Test
    @DisplayName("C-CRY-2 an RS256 assertion signed with the client's registered RSA key is rejected with invalid_client")
    void rs256IsRejected() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(f.clientRsaKey.getKeyID()).build();
        assertRejected(Jwts.sign(f.clientRsaKey, header, Jwts.assertionClaims(CLIENT_ID, ISSUER, now()).build()));
    }

    @Test
    @DisplayName("C-CRY-2 an HS256 assertion is rejected with invalid_client")
    void hs256IsRejected() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).build();
        assertRejected(Jwts.sign(TestKeys.hmac(), header, Jwts.assertionClaims(CLIENT_ID, ISSUER, now()).build()));
    }

    @Test
    @DisplayName("C-CRY-2 an unsecured assertion with alg none is rejected with invalid_client")
    void algNoneIsRejected() {
        Map<String, Object> payload = Jwts.assertionClaims(CLIENT_ID, ISSUER, now()).build().toJSONObject();
        assertRejected(Jwts.unsecured(Map.of("alg", "none"), payload));
    }

    @Test
    @DisplayName("C-CRY-2 an assertion signed by an unregistered key is rejected even when that key is in the jwk header")
    void keyFromJwkHeaderIsNotTrusted() {
        ECKey attacker = TestKeys.ec();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(attacker.toPublicJWK()).build();
        assertRejected(Jwts.sign(attacker, header, Jwts.assertionClaims(CLIENT_ID, ISSUER, now()).build()));
    }

    @Test
    @DisplayName("C-CRY-2 an assertion whose kid names another key than the one that signed it is rejected")
    void kidNamingAnotherKeyIsRejected() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(f.clientRsaKey.getKeyID()).build();
        assertRejected(Jwts.sign(f.clientEcKey, header, Jwts.assertionClaims(CLIENT_ID, ISSUER, now()).build()));
    }

    @Test
    @DisplayName("C-PAR-8 assertion without jti is rejected with invalid_client")
    void missingJtiIsRejected() {
        assertRejected(assertion(c -> c.jwtID(null)));
    }

    @Test
    @DisplayName("C-PAR-8 the same assertion sent twice is rejected the second time with invalid_client")
    void replayedAssertionIsRejected() {
        String assertion = f.assertion();
        assertAccepted(assertion);
        assertRejected(assertion);
    }

    @Test
    @DisplayName("C-PAR-8 a jti is accepted again only after the first assertion carrying it has expired")
    void jtiIsReusableOnlyAfterFirstExpiry() {
        assertAccepted(assertion(c -> c.jwtID("jti-1")));               // exp = now + 60 s
        f.clock.advance(Duration.ofSeconds(59));
        assertRejected(assertion(c -> c.jwtID("jti-1")));               // first assertion still live
        f.clock.advance(Duration.ofSeconds(1));
        assertAccepted(assertion(c -> c.jwtID("jti-1")));               // first exp has passed
    }

    @Test
    @DisplayName("C-PAR-8 a wrong client_assertion_type is rejected with invalid_client")
    void wrongAssertionTypeIsRejected() {
        String body = "client_assertion_type=" + Forms.encode("urn:ietf:params:oauth:client-assertion-type:saml2-bearer")
                + "&client_assertion=" + Forms.encode(f.assertion());
        assertBodyRejected(body, Map.of());
    }

    @Test
    @DisplayName("C-PAR-1 a request without any client authentication is rejected with invalid_client")
    void noClientAuthenticationIsRejected() {
        assertBodyRejected("client_id=" + CLIENT_ID, Map.of());
    }

    @Test
    @DisplayName("C-PAR-1 an Authorization header is rejected with invalid_client even beside a valid assertion")
    void authorizationHeaderIsRejected() {
        assertBodyRejected(Jwts.assertionFields(f.assertion()), Map.of("Authorization", "Basic Y2xpZW50LTE6c2VjcmV0"));
    }

    @Test
    @DisplayName("C-PAR-8 a client_assertion that is not a JWT is rejected with invalid_client")
    void notAJwtIsRejected() {
        assertRejected("this-is-not-a-jwt");
    }
}
