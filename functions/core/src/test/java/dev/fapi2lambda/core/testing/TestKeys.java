package dev.fapi2lambda.core.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/** Fresh keys for tests, with kid = RFC 7638 thumbprint. */
public final class TestKeys {
    private TestKeys() {
    }

    public static ECKey ec() {
        return ec(Curve.P_256);
    }

    /** An EC key on any curve (P-384 and others are for negative tests: FAPI 2.0 allows P-256 only). */
    public static ECKey ec(Curve curve) {
        try {
            return new ECKeyGenerator(curve).keyUse(KeyUse.SIGNATURE)
                    .algorithm(Curve.P_256.equals(curve) ? JWSAlgorithm.ES256 : null)
                    .keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey rsa() {
        return rsa(2048);
    }

    public static RSAKey rsa(int bits) {
        try {
            return new RSAKeyGenerator(bits, true).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.PS256)
                    .keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 256-bit symmetric key, for HS256 negative tests. */
    public static OctetSequenceKey hmac() {
        try {
            return new OctetSequenceKeyGenerator(256).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RFC 7638 SHA-256 thumbprint of the key, base64url: what DPoP binds (jkt, dpop_jkt). */
    public static String thumbprint(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JWSAlgorithm algFor(JWK key) {
        return key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.PS256;
    }
}
