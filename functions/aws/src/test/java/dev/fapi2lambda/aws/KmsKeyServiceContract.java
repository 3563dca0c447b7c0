package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.keys.JwksEndpoint;
import dev.fapi2lambda.core.keys.JwtSigner;
import dev.fapi2lambda.core.testing.CoreFixture;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the KMS key service must do on any KMS: public keys from GetPublicKey with thumbprint kids,
 * ES256 and PS256 signatures over the digest that verify against the published JWKS. Runs on the
 * KMS protocol server (always) and on LocalStack's KMS (where Docker exists).
 */
abstract class KmsKeyServiceContract {
    KmsKeyService keys;

    /** A KMS with an RSA_3072 key, two ECC_NIST_P256 keys, and the service over them (the second EC key previous). */
    abstract KmsKeyService keyService() throws Exception;

    @BeforeEach
    void setUpKeys() throws Exception {
        keys = keyService();
    }

    @Test
    @DisplayName("C-DISC-7 public keys from GetPublicKey: kid is the RFC 7638 thumbprint, previous keys still published")
    void publicKeys() throws Exception {
        assertEquals(3, keys.publicKeys().size());
        for (JWK key : keys.publicKeys()) {
            assertFalse(key.isPrivate());
            assertEquals(key.computeThumbprint().toString(), key.getKeyID());
        }
        assertTrue(keys.activeKey(JWSAlgorithm.PS256) instanceof RSAKey);
        assertEquals(3072, ((RSAKey) keys.activeKey(JWSAlgorithm.PS256)).size());
        assertTrue(keys.activeKey(JWSAlgorithm.ES256) instanceof ECKey);
    }

    @Test
    @DisplayName("ES256: KMS's DER signature is transcoded to R||S and verifies against the JWKS (100 signatures)")
    void es256() throws Exception {
        ECDSAVerifier verifier = new ECDSAVerifier(((ECKey) published(keys.activeKey(JWSAlgorithm.ES256).getKeyID())).toECPublicKey());
        for (int i = 0; i < 100; i++) {
            SignedJWT jwt = SignedJWT.parse(new JwtSigner(keys).sign(JWSAlgorithm.ES256, JOSEObjectType.JWT,
                    new JWTClaimsSet.Builder().subject("s" + i).build()));
            assertEquals(64, jwt.getSignature().decode().length);
            assertTrue(jwt.verify(verifier), "signature " + i);
        }
    }

    @Test
    @DisplayName("PS256: RSASSA_PSS_SHA_256 over the digest verifies against the JWKS")
    void ps256() throws Exception {
        RSASSAVerifier verifier = new RSASSAVerifier(((RSAKey) published(keys.activeKey(JWSAlgorithm.PS256).getKeyID())).toRSAPublicKey());
        for (int i = 0; i < 5; i++) {
            SignedJWT jwt = SignedJWT.parse(new JwtSigner(keys).sign(JWSAlgorithm.PS256, new JOSEObjectType("at+jwt"),
                    new JWTClaimsSet.Builder().subject("s" + i).build()));
            assertEquals(keys.activeKey(JWSAlgorithm.PS256).getKeyID(), jwt.getHeader().getKeyID());
            assertTrue(jwt.verify(verifier));
        }
    }

    @Test
    @DisplayName("the JWKS endpoint over KMS publishes exactly the keys that verify the tokens")
    void jwksEndpoint() throws Exception {
        String body = new JwksEndpoint(keys).handle(CoreFixture.get("/jwks")).body();
        JWKSet set = JWKSet.parse(body);
        assertEquals(3, set.getKeys().size());
        set.getKeys().forEach(k -> assertEquals("sig", k.getKeyUse().identifier()));
    }

    private JWK published(String kid) throws Exception {
        return JWKSet.parse(new JwksEndpoint(keys).handle(CoreFixture.get("/jwks")).body()).getKeyByKeyId(kid);
    }
}
