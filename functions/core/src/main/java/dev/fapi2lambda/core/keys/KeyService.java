package dev.fapi2lambda.core.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import java.util.List;

/**
 * The signing-key port: AWS KMS in Lambda, a key file locally. The core builds the JWS signing
 * input; the key service only signs it, so no private key ever has to live in the core.
 */
public interface KeyService {
    /** PS256 (RSA) and ES256 (P-256): FAPI 2.0 SP 5.4.1. */
    List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256);

    /** Public keys to publish: the active key of each algorithm and any previous keys still valid. */
    List<JWK> publicKeys();

    /** The public key that signs with this algorithm now; its kid is the RFC 7638 thumbprint. */
    JWK activeKey(JWSAlgorithm algorithm);

    /** Signs the JWS signing input with the active key and returns the JWS signature (R||S for ES256). */
    Base64URL sign(JWSAlgorithm algorithm, byte[] signingInput);
}
