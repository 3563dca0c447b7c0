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
import java.security.PublicKey;
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
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * The key port on AWS KMS (DESIGN.md 4): the signing input is hashed here and KMS signs the
 * digest (MessageType DIGEST); KMS's DER ECDSA signature becomes JOSE R||S. Public keys are read
 * once per container; kid is the RFC 7638 thumbprint.
 */
public final class KmsKeyService implements KeyService {
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
        this.active = Map.of(JWSAlgorithm.PS256, publicKey(ps256KeyId), JWSAlgorithm.ES256, publicKey(es256KeyId));
        List<JWK> all = new ArrayList<>(List.of(active.get(JWSAlgorithm.PS256), active.get(JWSAlgorithm.ES256)));
        previousKeyIds.stream().map(String::trim).filter(id -> !id.isEmpty()).map(this::publicKey).forEach(all::add);
        this.published = List.copyOf(all);
    }

    private JWK publicKey(String keyId) {
        byte[] der = kms.getPublicKey(r -> r.keyId(keyId)).publicKey().asByteArray();
        try {
            PublicKey key;
            try {
                key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notRsa) {
                key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            }
            if (key instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.PS256)
                        .keyIDFromThumbprint().build();
            }
            return new ECKey.Builder(Curve.P_256, (ECPublicKey) key).keyUse(KeyUse.SIGNATURE)
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
