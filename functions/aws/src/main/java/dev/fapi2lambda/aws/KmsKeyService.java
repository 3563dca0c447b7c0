package dev.fapi2lambda.aws;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.keys.KeyService;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * The key port on AWS KMS (DESIGN.md 4): the signing input is hashed here and KMS signs the
 * digest (MessageType DIGEST); KMS's DER ECDSA signature becomes JOSE R||S. Public keys are read
 * once per container; kid is the RFC 7638 thumbprint.
 */
public final class KmsKeyService implements KeyService {
    /** The KMS key spec each signing algorithm needs (C-DISC-7: RSA keys of KMS are 2048 bits or more). */
    private static final Map<JWSAlgorithm, String> SPECS = Map.of(JWSAlgorithm.PS256, "RSA_*", JWSAlgorithm.ES256,
            "ECC_NIST_P256");

    private final KmsClient kms;
    private final Map<JWSAlgorithm, String> keyIds;
    private final Map<JWSAlgorithm, JWK> active;
    private final List<JWK> published;

    /**
     * The KMS client as the functions build it: URL-connection HTTP client (cold start), and a small
     * retry bound (3 attempts, 1 s per attempt, 3 s in all) so a throttled or unavailable KMS turns
     * into a quick 503 rather than a Lambda timeout.
     */
    public static KmsClientBuilder clientBuilder() {
        return KmsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c
                        .retryStrategy(r -> r.maxAttempts(3))
                        .apiCallAttemptTimeout(Duration.ofSeconds(1))
                        .apiCallTimeout(Duration.ofSeconds(3)));
    }

    public KmsKeyService(KmsClient kms, String ps256KeyId, String es256KeyId, List<String> previousKeyIds) {
        this.kms = kms;
        this.keyIds = Map.of(JWSAlgorithm.PS256, ps256KeyId, JWSAlgorithm.ES256, es256KeyId);
        // One GetPublicKey after the other: reading them at once measured no faster at cold start
        // (infra/bench, default mode: token's init 5-10 ms longer, jwks the same), and with
        // SnapStart init runs before the snapshot anyway.
        this.active = Map.of(JWSAlgorithm.PS256, publicKey(ps256KeyId, JWSAlgorithm.PS256),
                JWSAlgorithm.ES256, publicKey(es256KeyId, JWSAlgorithm.ES256));
        List<JWK> all = new ArrayList<>(List.of(active.get(JWSAlgorithm.PS256), active.get(JWSAlgorithm.ES256)));
        previousKeyIds.stream().map(String::trim).filter(id -> !id.isEmpty()).map(id -> publicKey(id, null))
                .forEach(all::add);
        this.published = List.copyOf(all);
    }

    /**
     * One GetPublicKey, read as its KeySpec says (not by trying RSA and then EC: a failed RSA attempt
     * makes the JCA load every installed provider). {@code expected} is the algorithm the key is
     * configured for, or null for a previous key, which may be either.
     */
    private JWK publicKey(String keyId, JWSAlgorithm expected) {
        GetPublicKeyResponse response;
        try {
            response = kms.getPublicKey(r -> r.keyId(keyId));
        } catch (SdkException e) {
            throw new IllegalStateException("KMS GetPublicKey of key " + keyId + " failed", e);
        }
        String spec = String.valueOf(response.keySpecAsString());
        JWSAlgorithm algorithm = spec.startsWith("RSA_") ? JWSAlgorithm.PS256
                : spec.equals(SPECS.get(JWSAlgorithm.ES256)) ? JWSAlgorithm.ES256 : null;
        if (algorithm == null || (expected != null && !expected.equals(algorithm))) {
            throw new IllegalStateException("KMS key " + keyId + " has key spec " + spec + "; " + (expected == null
                    ? "PS256 needs RSA_*, ES256 ECC_NIST_P256" : expected + " needs " + SPECS.get(expected)));
        }
        if (!"SIGN_VERIFY".equals(response.keyUsageAsString())) {
            throw new IllegalStateException("KMS key " + keyId + " has key usage " + response.keyUsageAsString()
                    + "; signing needs SIGN_VERIFY");
        }
        byte[] der = response.publicKey().asByteArray();
        try {
            X509EncodedKeySpec encoded = new X509EncodedKeySpec(der);
            if (algorithm.equals(JWSAlgorithm.PS256)) {
                RSAPublicKey rsa = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(encoded);
                return new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.PS256)
                        .keyIDFromThumbprint().build();
            }
            ECPublicKey ec = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(encoded);
            if (Curve.forECParameterSpec(ec.getParams()) != Curve.P_256) {
                throw new IllegalStateException("KMS key " + keyId + " is not on P-256");
            }
            return new ECKey.Builder(Curve.P_256, ec).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).keyIDFromThumbprint().build();
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("KMS key " + keyId + " has an unusable public key", e);
        }
    }

    @Override
    public List<JWK> publicKeys() {
        return published;
    }

    @Override
    public JWK activeKey(JWSAlgorithm algorithm) {
        return active.get(algorithm);
    }

    @Override
    public Base64URL sign(JWSAlgorithm algorithm, byte[] signingInput) {
        SigningAlgorithmSpec spec = JWSAlgorithm.ES256.equals(algorithm)
                ? SigningAlgorithmSpec.ECDSA_SHA_256 : SigningAlgorithmSpec.RSASSA_PSS_SHA_256;
        byte[] signature;
        try {
            signature = kms.sign(r -> r.keyId(keyIds.get(algorithm)).messageType(MessageType.DIGEST)
                    .message(SdkBytes.fromByteArray(Hashes.sha256(signingInput)))
                    .signingAlgorithm(spec)).signature().asByteArray();
        } catch (SdkException e) {
            // Throttled, unavailable or a disabled key, after the SDK's own retries: tell the client to
            // come back (RFC 6749 4.1.2.1 temporarily_unavailable); nothing was written yet.
            throw OAuthException.status(503, "temporarily_unavailable", "the signing service is unavailable, retry later");
        }
        if (JWSAlgorithm.ES256.equals(algorithm)) {
            try {
                return Base64URL.encode(ECDSA.transcodeSignatureToConcat(signature, 64));
            } catch (JOSEException e) {
                throw new IllegalStateException("KMS returned a malformed ECDSA signature", e);
            }
        }
        return Base64URL.encode(signature);
    }
}
