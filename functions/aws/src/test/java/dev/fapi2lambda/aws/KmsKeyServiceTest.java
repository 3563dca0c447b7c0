package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.keys.JwtSigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The KMS key service with the real SDK client against a server speaking the KMS JSON protocol
 * (KmsProtocolServer): the contract, plus what only this server can show: the request KMS
 * receives (DIGEST, SigV4) and the error mapping (throttling, a disabled key) to 503.
 */
class KmsKeyServiceTest extends KmsKeyServiceContract {
    private KmsProtocolServer kms;

    @Override
    KmsKeyService keyService() throws Exception {
        kms = new KmsProtocolServer();
        kms.addKey("rsa-1", "RSA_3072");
        kms.addKey("ec-1", "ECC_NIST_P256");
        kms.addKey("ec-0", "ECC_NIST_P256");
        return new KmsKeyService(kms.client(), "rsa-1", "ec-1", List.of("ec-0"));
    }

    @AfterEach
    void tearDown() {
        kms.close();
    }

    @Test
    @DisplayName("public keys are read from KMS once per container, at construction")
    void publicKeysReadOnce() {
        long reads = kms.requests.size();
        keys.publicKeys();
        keys.activeKey(JWSAlgorithm.ES256);
        assertEquals(3, reads, "one GetPublicKey per key");
        assertEquals(reads, kms.requests.size());
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
    @DisplayName("C-DISC-7 a key whose spec does not match its algorithm fails at container start, naming the key")
    void keySpecMustMatchAlgorithm() throws Exception {
        kms.addKey("rsa-2", "RSA_2048");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new KmsKeyService(kms.client(), "rsa-1", "rsa-2", List.of()));
        assertTrue(e.getMessage().contains("rsa-2") && e.getMessage().contains("ES256 needs ECC_NIST_P256"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new KmsKeyService(kms.client(), "ec-1", "ec-0", List.of()));
        assertTrue(e.getMessage().contains("ec-1") && e.getMessage().contains("PS256 needs RSA_*"), e.getMessage());
    }

    @Test
    @DisplayName("C-DISC-7 a key spec neither RSA nor P-256 (here P-384), even as a previous key, fails at container start")
    void unsupportedKeySpec() throws Exception {
        kms.addKey("ec-384", "ECC_NIST_P384", p384());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new KmsKeyService(kms.client(), "rsa-1", "ec-1", List.of("ec-384")));
        assertTrue(e.getMessage().contains("ec-384") && e.getMessage().contains("ECC_NIST_P384"), e.getMessage());
    }

    @Test
    @DisplayName("C-DISC-7 a key reported as P-256 whose public key is on another curve fails at container start")
    void curveMustBeP256() throws Exception {
        kms.addKey("ec-lying", "ECC_NIST_P256", p384());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new KmsKeyService(kms.client(), "rsa-1", "ec-lying", List.of()));
        assertTrue(e.getMessage().contains("not on P-256"), e.getMessage());
    }

    @Test
    @DisplayName("a key that is not for signing (KeyUsage ENCRYPT_DECRYPT) fails at container start")
    void keyUsageMustBeSignVerify() {
        kms.keyUsage = "ENCRYPT_DECRYPT";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new KmsKeyService(kms.client(), "rsa-1", "ec-1", List.of()));
        assertTrue(e.getMessage().contains("rsa-1") && e.getMessage().contains("SIGN_VERIFY"), e.getMessage());
    }

    @Test
    @DisplayName("a key GetPublicKey refuses (here disabled) fails at container start, naming the key")
    void getPublicKeyRefused() {
        kms.disabledKey = "ec-0";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new KmsKeyService(kms.client(), "rsa-1", "ec-1", List.of("ec-0")));
        assertTrue(e.getMessage().contains("ec-0"), e.getMessage());
    }

    private static KeyPair p384() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        return generator.generateKeyPair();
    }
}
