package dev.fapi2lambda.core.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.util.Optional;

/** Which keys may verify which algorithm, and verification without surprises. */
public final class JwsKeys {
    private JwsKeys() {
    }

    /** FAPI 2.0 SP 5.4.1: PS256 with RSA of at least 2048 bits, ES256 with P-256. Nothing else. */
    public static boolean fits(JWSAlgorithm algorithm, JWK key) {
        if (JWSAlgorithm.PS256.equals(algorithm)) {
            return key instanceof RSAKey rsa && rsa.size() >= 2048;
        }
        if (JWSAlgorithm.ES256.equals(algorithm)) {
            return key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
        }
        return false;
    }

    public static boolean isAllowed(JWSAlgorithm algorithm) {
        return JWSAlgorithm.PS256.equals(algorithm) || JWSAlgorithm.ES256.equals(algorithm);
    }

    /** Verifies the JWT's signature with the key; false for any failure, including an unfit key. */
    public static boolean verify(SignedJWT jwt, JWK key) {
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!fits(algorithm, key)) {
            return false;
        }
        try {
            return verifier(key).map(v -> {
                try {
                    return jwt.verify(v);
                } catch (JOSEException | IllegalStateException e) {
                    return false;
                }
            }).orElse(false);
        } catch (JOSEException e) {
            return false;
        }
    }

    private static Optional<JWSVerifier> verifier(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return Optional.of(new RSASSAVerifier(rsa.toRSAPublicKey()));
        }
        if (key instanceof ECKey ec) {
            return Optional.of(new ECDSAVerifier(ec.toECPublicKey()));
        }
        return Optional.empty();
    }
}
