package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.DpopResourceCases;
import dev.fapi2lambda.core.testing.DpopResourceCases.Context;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.TestKeys;
import dev.fapi2lambda.core.token.Grant;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Revocation at the Lambda authorizer (README "Protecting an API"): with checking on, a revoked
 * grant's access tokens are denied invalid_token; with it off they keep working until they expire
 * (the short lifetime bounds the exposure); with a cache, a live answer is reused for at most the
 * cache's age, so a revocation takes effect within it.
 */
class DpopAuthorizerRevocationTest {
    private static final RSAKey DPOP_KEY = TestKeys.rsa();
    private AuthorizerHarness harness;
    private Grant grant;
    private String token;

    @BeforeEach
    void setUp() {
        harness = new AuthorizerHarness();
        grant = harness.grant(DPOP_KEY);
        token = harness.accessToken(grant);
    }

    /** A fresh valid request (new proof: new jti, iat now, the current nonce) decided by the authorizer. */
    private Map<String, Object> call(DpopAuthorizerFunction authorizer) throws Exception {
        Context context = new Context(token, DPOP_KEY, AuthorizerHarness.AUDIENCE, harness.nonce(), harness.clock.instant());
        return AuthorizerHarness.decide(authorizer, AuthorizerHarness.event(DpopResourceCases.valid(context)));
    }

    private static void assertAllow(Map<String, Object> decision) {
        assertEquals("Allow", AuthorizerHarness.effect(decision), AuthorizerHarness.context(decision).toString());
    }

    private static void assertRevoked(Map<String, Object> decision) {
        Map<String, Object> context = AuthorizerHarness.context(decision);
        assertEquals("Deny", AuthorizerHarness.effect(decision), context.toString());
        assertEquals("invalid_token", context.get(GatewayResponses.ERROR));
        assertTrue(((String) context.get(GatewayResponses.ERROR_DESCRIPTION)).contains("revoked"), context.toString());
        Response response = GatewayResponses.denied(context);
        assertEquals(401, response.status());
        assertTrue(response.headers().get("WWW-Authenticate").startsWith("DPoP error=\"invalid_token\""));
    }

    @Test
    @DisplayName("revocation checking on: a revoked grant's access token is denied invalid_token at once")
    void revokedGrantDenied() throws Exception {
        DpopAuthorizerFunction authorizer = harness.authorizer(Optional.of(Duration.ZERO));
        assertAllow(call(authorizer));
        harness.grants.revoke(grant.id(), harness.clock.instant());
        assertRevoked(call(authorizer));
    }

    @Test
    @DisplayName("revocation checking off: a revoked grant's access token is still allowed (its lifetime bounds the exposure)")
    void revocationOff() throws Exception {
        harness.grants.revoke(grant.id(), harness.clock.instant());
        assertAllow(call(harness.authorizer(Optional.empty())));
        // The same token where revocation is checked: the grant really is revoked.
        assertRevoked(call(harness.authorizer(Optional.of(Duration.ZERO))));
        // And once the token's own lifetime (5 minutes) is over, it is refused without any revocation check.
        harness.clock.advance(harness.config.accessTokenLifetime().plusSeconds(1));
        Map<String, Object> expired = call(harness.authorizer(Optional.empty()));
        assertEquals("Deny", AuthorizerHarness.effect(expired));
        assertEquals("invalid_token", AuthorizerHarness.context(expired).get(GatewayResponses.ERROR));
    }

    @Test
    @DisplayName("revocation cache of 30 s: a grant revoked after an Allow is allowed within the 30 s and refused after")
    void cacheIsBounded() throws Exception {
        DpopAuthorizerFunction authorizer = harness.authorizer(Optional.of(Duration.ofSeconds(30)));
        assertAllow(call(authorizer));
        harness.grants.revoke(grant.id(), harness.clock.instant());
        harness.clock.advance(Duration.ofSeconds(29));
        assertAllow(call(authorizer));
        harness.clock.advance(Duration.ofSeconds(2));
        assertRevoked(call(authorizer));
        // A revoked answer is kept: later requests stay refused.
        harness.clock.advance(Duration.ofSeconds(40));
        assertRevoked(call(authorizer));
    }

    @Test
    @DisplayName("an unknown grant (never saved, or gone) is denied when revocation is checked")
    void unknownGrantDenied() throws Exception {
        Grant unsaved = new Grant("never-saved", AuthorizerHarness.CLIENT_ID, AuthorizerHarness.SUBJECT,
                AuthorizerHarness.SCOPES, harness.clock.instant(), grant.dpopJkt(), Optional.empty(), "hash", false,
                harness.clock.instant().plus(Duration.ofDays(1)));
        token = harness.accessToken(unsaved);
        assertRevoked(call(harness.authorizer(Optional.of(Duration.ZERO))));
        assertAllow(call(harness.authorizer(Optional.empty())));
    }

    @Test
    @DisplayName("RFC 7009: an access token revoked at /revoke is denied by the authorizer; the grant's other tokens are not")
    void revokedAccessTokenDenied() throws Exception {
        ECKey clientKey = TestKeys.ec();
        new ClientRepository(harness.store).save(CoreFixture.client(AuthorizerHarness.CLIENT_ID,
                new JWKSet(clientKey.toPublicJWK()), true));
        DpopAuthorizerFunction authorizer = harness.authorizer(Optional.of(Duration.ZERO));
        String sibling = harness.accessToken(grant);
        assertAllow(call(authorizer));

        String assertion = Jwts.clientAssertion(clientKey, AuthorizerHarness.CLIENT_ID, AuthorizerHarness.ISSUER,
                harness.clock.instant());
        Response revoked = harness.components.revoke().handle(CoreFixture.post("/revoke",
                "token=" + Forms.encode(token) + "&" + Jwts.assertionFields(assertion), Map.of()));
        assertEquals(200, revoked.status(), revoked.body());
        assertRevoked(call(authorizer));

        assertNotEquals(SignedJWT.parse(sibling).getJWTClaimsSet().getJWTID(), SignedJWT.parse(token).getJWTClaimsSet().getJWTID());
        token = sibling;
        assertAllow(call(authorizer));
    }
}
