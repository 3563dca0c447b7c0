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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The KMS key service with the real SDK client against a server speaking the KMS JSON protocol
 * (KmsProtocolServer): public keys, DIGEST signing, DER to JOSE transcoding, errors to 503.
 */
class KmsKeyServiceTest {
    private KmsProtocolServer kms;
    private KmsKeyService keys;

    @BeforeEach
    void setUp() throws Exception {
        kms = new KmsProtocolServer();
        kms.addKey("rsa-1", "RSA_3072");
        kms.addKey("ec-1", "ECC_NIST_P256");
        kms.addKey("ec-0", "ECC_NIST_P256");
        keys = new KmsKeyService(kms.client(), "rsa-1", "ec-1", List.of("ec-0"));
    }

    @AfterEach
    void tearDown() {
        kms.close();
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
        long reads = kms.requests.size();
        keys.publicKeys();
        keys.activeKey(JWSAlgorithm.ES256);
        assertEquals(reads, kms.requests.size(), "public keys are read once per container");
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
    @DisplayName("the signing input is hashed locally and sent as MessageType DIGEST, SigV4-signed, to the active key")
    void digestIsSent() throws Exception {
        String jwt = new JwtSigner(keys).sign(JWSAlgorithm.ES256, JOSEObjectType.JWT, new JWTClaimsSet.Builder().build());
        Map<String, Object> sign = kms.requests.stream().filter(r -> "Sign".equals(r.get("_op"))).findFirst().orElseThrow();
        String signingInput = jwt.substring(0, jwt.lastIndexOf('.'));
        assertEquals("DIGEST", sign.get("MessageType"));
        assertEquals("ECDSA_SHA_256", sign.get("SigningAlgorithm"));
        assertEquals("ec-1", sign.get("KeyId"));
        assertEquals(Base64.getEncoder().encodeToString(Hashes.sha256(signingInput.getBytes(StandardCharsets.US_ASCII))),
                sign.get("Message"));
        assertTrue(kms.authorizations.stream().allMatch(a -> a.startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")));
    }

    @Test
    @DisplayName("throttling is retried by the SDK within 3 attempts, then the signature is returned")
    void throttlingRetried() throws Exception {
        kms.throttleNext.set(2);
        SignedJWT jwt = SignedJWT.parse(new JwtSigner(keys).sign(JWSAlgorithm.ES256, JOSEObjectType.JWT,
                new JWTClaimsSet.Builder().build()));
        assertEquals(3, kms.signCalls());
        assertTrue(jwt.verify(new ECDSAVerifier(((ECKey) keys.activeKey(JWSAlgorithm.ES256)).toECPublicKey())));
    }

    @Test
    @DisplayName("throttling beyond the bound: 503 temporarily_unavailable, never a 500")
    void throttlingExhausted() {
        kms.throttleNext.set(100);
        OAuthException e = assertThrows(OAuthException.class, () -> keys.sign(JWSAlgorithm.PS256, new byte[] {1}));
        assertEquals(503, e.status());
        assertEquals("temporarily_unavailable", e.error());
        assertEquals(3, kms.signCalls(), "a small bound: 3 attempts");
    }

    @Test
    @DisplayName("a disabled key: 503 temporarily_unavailable")
    void disabledKey() {
        kms.disabledKey = "ec-1";
        OAuthException e = assertThrows(OAuthException.class, () -> keys.sign(JWSAlgorithm.ES256, new byte[] {1}));
        assertEquals(503, e.status());
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
