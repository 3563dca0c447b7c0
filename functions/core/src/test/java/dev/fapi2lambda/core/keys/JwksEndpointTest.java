package dev.fapi2lambda.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import dev.fapi2lambda.core.testing.TestKeys;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The server's JWKS and its JWT signing (C-DISC-7, C-TOK-12). */
class JwksEndpointTest {
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private final RSAKey rsa = TestKeys.rsa();
    private final ECKey ec = TestKeys.ec();
    private final JwkKeyService keys = new JwkKeyService(List.of(rsa, ec));

    private static List<Map<String, Object>> published(KeyService keys) throws Exception {
        Response response = new JwksEndpoint(keys).handle(CoreFixture.get(Paths.JWKS));
        assertEquals(200, response.status());
        return JWKSet.parse(response.body()).getKeys().stream().map(JWK::toJSONObject).toList();
    }

    private JWK publishedKey(String kid) throws Exception {
        Response response = new JwksEndpoint(keys).handle(CoreFixture.get(Paths.JWKS));
        return JWKSet.parse(response.body()).getKeyByKeyId(kid);
    }

    @Test
    @DisplayName("C-DISC-7 the JWKS holds public keys only: no private member such as d")
    void publicKeysOnly() throws Exception {
        List<Map<String, Object>> keys = published(this.keys);
        assertEquals(2, keys.size());
        keys.forEach(k -> assertTrue(PRIVATE_MEMBERS.stream().noneMatch(k::containsKey), k::toString));
    }

    @Test
    @DisplayName("C-DISC-7 the JWKS strips private parts even if a key service hands it private keys")
    void endpointStripsPrivateParts() throws Exception {
        KeyService leaky = new KeyService() {
            public List<JWK> publicKeys() {
                return List.of(rsa, ec);
            }

            public JWK activeKey(JWSAlgorithm algorithm) {
                throw new UnsupportedOperationException();
            }

            public Base64URL sign(JWSAlgorithm algorithm, byte[] signingInput) {
                throw new UnsupportedOperationException();
            }
        };
        published(leaky).forEach(k -> assertTrue(PRIVATE_MEMBERS.stream().noneMatch(k::containsKey), k::toString));
    }

    @Test
    @DisplayName("C-DISC-7 JwkKeyService hands out public keys only, for publishing and as active keys")
    void keyServiceExposesPublicKeysOnly() {
        keys.publicKeys().forEach(k -> assertFalse(k.isPrivate(), k::toString));
        KeyService.ALGORITHMS.forEach(alg -> assertFalse(keys.activeKey(alg).isPrivate(), alg::toString));
    }

    @Test
    @DisplayName("C-DISC-7 every published key has kid equal to its RFC 7638 thumbprint, use sig and alg")
    void everyKeyHasKidUseAndAlg() throws Exception {
        for (Map<String, Object> json : published(keys)) {
            JWK key = JWK.parse(json);
            assertEquals(key.computeThumbprint().toString(), key.getKeyID());
            assertEquals("sig", json.get("use"));
            assertTrue(Set.of("PS256", "ES256").contains((String) json.get("alg")), json::toString);
        }
    }

    @Test
    @DisplayName("C-DISC-7 a key held without use is published with use sig")
    void missingUseIsAddedAsSig() throws Exception {
        ECKey noUse = new ECKeyGenerator(Curve.P_256).algorithm(JWSAlgorithm.ES256).keyIDFromThumbprint(true).generate();
        List<Map<String, Object>> published = published(new JwkKeyService(List.of(rsa, noUse)));
        published.forEach(k -> assertEquals("sig", k.get("use"), k::toString));
    }

    @Test
    @DisplayName("C-DISC-7 kids are unique across the JWKS, including a previous key still published")
    void kidsAreUnique() throws Exception {
        ECKey previous = TestKeys.ec();
        List<Map<String, Object>> published = published(new JwkKeyService(List.of(rsa, ec, previous)));
        Set<Object> kids = new HashSet<>();
        published.forEach(k -> assertTrue(kids.add(k.get("kid")), () -> "duplicate kid " + k.get("kid")));
        assertEquals(3, kids.size());
    }

    @Test
    @DisplayName("C-TOK-12 a PS256 JWT signed by JwtSigner verifies against the published RSA key and carries kid and typ")
    void ps256JwtVerifiesWithPublishedKey() throws Exception {
        SignedJWT jwt = SignedJWT.parse(new JwtSigner(keys).sign(JWSAlgorithm.PS256, JOSEObjectType.JWT,
                new JWTClaimsSet.Builder().subject("alice").build()));
        assertEquals(JWSAlgorithm.PS256, jwt.getHeader().getAlgorithm());
        assertEquals(rsa.getKeyID(), jwt.getHeader().getKeyID());
        assertEquals(JOSEObjectType.JWT, jwt.getHeader().getType());
        JWK key = publishedKey(jwt.getHeader().getKeyID());
        assertNotNull(key);
        assertTrue(jwt.verify(new RSASSAVerifier(key.toRSAKey())));
        assertEquals("alice", jwt.getJWTClaimsSet().getSubject());
    }

    @Test
    @DisplayName("C-TOK-12 an ES256 JWT signed by JwtSigner verifies against the published EC key and carries kid and typ")
    void es256JwtVerifiesWithPublishedKey() throws Exception {
        JOSEObjectType type = new JOSEObjectType("at+jwt");
        SignedJWT jwt = SignedJWT.parse(new JwtSigner(keys).sign(JWSAlgorithm.ES256, type,
                new JWTClaimsSet.Builder().subject("alice").build()));
        assertEquals(ec.getKeyID(), jwt.getHeader().getKeyID());
        assertEquals(type, jwt.getHeader().getType());
        JWK key = publishedKey(jwt.getHeader().getKeyID());
        assertNotNull(key);
        assertTrue(jwt.verify(new ECDSAVerifier(key.toECKey())));
        assertFalse(jwt.verify(new ECDSAVerifier(TestKeys.ec().toECPublicKey())));
    }

    @Test
    @DisplayName("C-DISC-7 POST to the JWKS is refused with 405")
    void postIsMethodNotAllowed() {
        OAuthAssertions.assertError(405, "invalid_request",
                () -> new JwksEndpoint(keys).handle(CoreFixture.post(Paths.JWKS, Map.of())));
    }
}
