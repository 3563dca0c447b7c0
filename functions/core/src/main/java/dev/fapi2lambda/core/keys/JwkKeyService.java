package dev.fapi2lambda.core.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.fapi2lambda.core.crypto.JwsKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key port over private JWKs held in memory: the local key service (keys from a file) and
 * tests. The first key that fits an algorithm is its active key; the others are still published.
 */
public final class JwkKeyService implements KeyService {
    private final List<JWK> publicKeys;
    private final Map<JWSAlgorithm, JWK> active = new LinkedHashMap<>();
    private final Map<JWSAlgorithm, JWSSigner> signers = new LinkedHashMap<>();

    public JwkKeyService(List<JWK> privateKeys) {
        this.publicKeys = privateKeys.stream().map(JWK::toPublicJWK).toList();
        for (JWSAlgorithm algorithm : ALGORITHMS) {
            JWK key = privateKeys.stream().filter(k -> JwsKeys.fits(algorithm, k)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no key for " + algorithm));
            active.put(algorithm, key.toPublicJWK());
            signers.put(algorithm, signer(key));
        }
    }

    private static JWSSigner signer(JWK key) {
        try {
            return key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("key " + key.getKeyID() + " cannot sign", e);
        }
    }

    @Override
    public List<JWK> publicKeys() {
        return publicKeys;
    }

    @Override
    public JWK activeKey(JWSAlgorithm algorithm) {
        JWK key = active.get(algorithm);
        if (key == null) {
            throw new IllegalArgumentException("no key for " + algorithm);
        }
        return key;
    }

    @Override
    public Base64URL sign(JWSAlgorithm algorithm, byte[] signingInput) {
        try {
            return signers.get(algorithm).sign(new JWSHeader(algorithm), signingInput);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with the " + algorithm + " key failed", e);
        }
    }
}
