package dev.fapi2lambda.core.dpop;

import com.nimbusds.jose.jwk.JWK;

/**
 * A DPoP proof that passed every check.
 *
 * @param jkt       RFC 7638 thumbprint (base64url SHA-256) of the proof's public key: the binding value
 * @param publicKey the proof's public key
 * @param jti       the proof's identifier
 */
public record DpopProof(String jkt, JWK publicKey, String jti) {
}
