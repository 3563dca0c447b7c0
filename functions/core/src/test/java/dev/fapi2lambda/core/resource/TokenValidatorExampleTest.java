package dev.fapi2lambda.core.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.dpop.DpopNonces;
import dev.fapi2lambda.core.dpop.DpopProofValidator;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Headers;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.keys.JwkKeyService;
import dev.fapi2lambda.core.keys.JwtSigner;
import dev.fapi2lambda.core.testing.DpopResourceCases;
import dev.fapi2lambda.core.testing.InMemoryItemStore;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.MutableClock;
import dev.fapi2lambda.core.testing.TestKeys;
import dev.fapi2lambda.core.token.Grant;
import dev.fapi2lambda.core.token.Grants;
import dev.fapi2lambda.core.token.TokenIssuer;
import dev.fapi2lambda.core.userinfo.AccessTokenVerifier;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's "any Java resource server" example, as a test: a plain Java resource server builds
 * a TokenValidator over the issuer's JWKS, turns its HTTP request into a {@link Request}, calls
 * validate, and reads subject, client and scopes; a failure is an OAuthException with the 401 and
 * the WWW-Authenticate challenge to send.
 */
class TokenValidatorExampleTest {
    private static final String ISSUER = "https://as.example.com";
    private static final String RESOURCE = "https://api.example.com/accounts";

    @Test
    @DisplayName("README: a plain Java resource server validates a DPoP-bound access token")
    void readmeExample() {
        MutableClock clock = MutableClock.at("2026-11-24T12:00:00Z");
        InMemoryItemStore itemStore = new InMemoryItemStore();   // the issuer's table (DynamoDbItemStore in AWS)
        // The issuer's side, to have a token: its keys, published as a JWKS, and a grant and token of alice.
        JwkKeyService issuerKeys = new JwkKeyService(List.of(TestKeys.rsa(), TestKeys.ec()));
        String jwks = new JWKSet(issuerKeys.publicKeys()).toString();
        ECKey dpopKey = TestKeys.ec();
        Grant grant = new Grant("g1", "client-1", "alice", List.of("openid", "accounts"), clock.instant(),
                Optional.of(TestKeys.thumbprint(dpopKey)), Optional.empty(), "h", false, clock.instant().plus(Duration.ofDays(1)));
        itemStore.transact(java.util.List.of(new Grants(itemStore).create(grant)), clock.instant());
        String accessToken = new TokenIssuer(ServerConfig.defaults(ISSUER).withApiAudience(RESOURCE),
                new JwtSigner(issuerKeys), new Secrets(new SecureRandom())).accessToken(grant, clock.instant());

        // The resource server, as the README shows it (KeySource.http(jwksUri, clock) in real life).
        ServerConfig config = ServerConfig.defaults(ISSUER);
        KeySource keys = new KeySource(() -> jwks, clock, Duration.ofMinutes(10), Duration.ofSeconds(30));
        TokenValidator validator = new TokenValidator(
                new AccessTokenVerifier(ISSUER, RESOURCE, keys, keys::forUnknownKid, Duration.ofSeconds(10)),
                new DpopProofValidator(config, itemStore, DpopNonces.NOT_REQUIRED, clock),
                Optional.of(new RevocationCheck(itemStore, Duration.ofSeconds(30))),
                clock);

        // One incoming request, GET /accounts with the token and a DPoP proof of the bound key, as a Request.
        String proof = Jwts.dpopProof(dpopKey, "GET", RESOURCE, clock.instant(),
                claims -> claims.claim("ath", DpopResourceCases.ath(accessToken)));
        Request request = new Request("GET", "/accounts", Headers.of(Map.of(
                "Authorization", List.of("DPoP " + accessToken), "DPoP", List.of(proof))),
                Map.of(), new byte[0], Optional.empty(), "request-1");

        ValidatedToken token = validator.validate(request, RESOURCE);
        assertEquals("alice", token.subject());
        assertEquals("client-1", token.clientId());
        assertEquals(List.of("openid", "accounts"), token.scopes());

        // The same request again is a replayed proof: an OAuthException with the 401 and the challenge to send.
        OAuthException replay = assertThrows(OAuthException.class, () -> validator.validate(request, RESOURCE));
        assertEquals(401, replay.status());
        assertTrue(replay.headers().get("WWW-Authenticate").startsWith("DPoP error=\"invalid_dpop_proof\""));
    }
}
