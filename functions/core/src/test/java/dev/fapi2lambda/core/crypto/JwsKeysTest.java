package dev.fapi2lambda.core.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.TestKeys;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The algorithm and key rules every signature check of the core relies on (FAPI 2.0 SP 5.4.1, C-CRY-2). */
class JwsKeysTest {
    private final RSAKey rsa = TestKeys.rsa();
    private final ECKey ec = TestKeys.ec();

    private static SignedJWT signed(com.nimbusds.jose.jwk.JWK key, JWSAlgorithm alg) throws Exception {
        return SignedJWT.parse(Jwts.sign(key, new JWSHeader(alg), new JWTClaimsSet.Builder().subject("s").build()));
    }

    @Test
    @DisplayName("C-CRY-2 only PS256 and ES256 are allowed; RS256, HS256, EdDSA and none are not")
    void onlyPs256AndEs256AreAllowed() {
        assertTrue(JwsKeys.isAllowed(JWSAlgorithm.PS256));
        assertTrue(JwsKeys.isAllowed(JWSAlgorithm.ES256));
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.HS256, JWSAlgorithm.ES384, JWSAlgorithm.PS384,
                JWSAlgorithm.EdDSA, new JWSAlgorithm("none"))) {
            assertFalse(JwsKeys.isAllowed(alg), alg::getName);
        }
    }

    @Test
    @DisplayName("C-CRY-2 PS256 fits only RSA keys of at least 2048 bits, ES256 only P-256 keys; RS256 fits none")
    void keysFitTheirAlgorithmOnly() {
        assertTrue(JwsKeys.fits(JWSAlgorithm.PS256, rsa));
        assertTrue(JwsKeys.fits(JWSAlgorithm.ES256, ec));
        assertFalse(JwsKeys.fits(JWSAlgorithm.PS256, TestKeys.rsa(1024)));
        assertFalse(JwsKeys.fits(JWSAlgorithm.ES256, TestKeys.ec(Curve.P_384)));
        assertFalse(JwsKeys.fits(JWSAlgorithm.PS256, ec));
        assertFalse(JwsKeys.fits(JWSAlgorithm.ES256, rsa));
        assertFalse(JwsKeys.fits(JWSAlgorithm.RS256, rsa));
    }

    @Test
    @DisplayName("C-CRY-2 verify accepts a PS256 or ES256 signature with the signing key and nothing else")
    void verify() throws Exception {
        assertTrue(JwsKeys.verify(signed(rsa, JWSAlgorithm.PS256), rsa.toPublicJWK()));
        assertTrue(JwsKeys.verify(signed(ec, JWSAlgorithm.ES256), ec.toPublicJWK()));
        assertFalse(JwsKeys.verify(signed(ec, JWSAlgorithm.ES256), TestKeys.ec().toPublicJWK()));
        assertFalse(JwsKeys.verify(signed(rsa, JWSAlgorithm.RS256), rsa.toPublicJWK()));
    }
}
