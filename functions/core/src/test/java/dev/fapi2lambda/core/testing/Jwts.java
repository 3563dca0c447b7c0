package dev.fapi2lambda.core.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.config.Params;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Builders for the JWTs clients send: client assertions and DPoP proofs, valid unless a test bends them. */
public final class Jwts {
    private Jwts() {
    }

    public static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JWSSigner signer(JWK key) throws JOSEException {
        if (key instanceof OctetSequenceKey oct) {
            return new MACSigner(oct);
        }
        return key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
    }

    /**
     * A JWS built by hand from raw header and payload JSON, for what Nimbus' builders refuse to make
     * (a private key in {@code jwk}, an {@code aud} array of one value). Signed with {@code key}
     * under the header's {@code alg}.
     */
    public static String compact(JWK key, Map<String, Object> header, Map<String, Object> payload) {
        String signingInput = base64url(header) + "." + base64url(payload);
        try {
            JWSAlgorithm alg = JWSAlgorithm.parse((String) header.get("alg"));
            Base64URL signature = signer(key).sign(new JWSHeader(alg), signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + signature;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured JWT (RFC 7519 6): header {"alg":"none",...}, payload, and an empty signature. */
    public static String unsecured(Map<String, Object> header, Map<String, Object> payload) {
        return base64url(header) + "." + base64url(payload) + ".";
    }

    private static String base64url(Map<String, Object> json) {
        return Base64URL.encode(JSONObjectUtils.toJSONString(json).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The claims of a valid client assertion: iss = sub = client_id, aud = issuer, 60 s lifetime, fresh jti. */
    public static JWTClaimsSet.Builder assertionClaims(String clientId, String issuer, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(clientId).subject(clientId).audience(issuer)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** The claims of a valid DPoP proof: fresh jti, htm, htu, iat. */
    public static JWTClaimsSet.Builder dpopClaims(String htm, String htu, Instant now) {
        return new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString()).claim("htm", htm).claim("htu", htu).issueTime(Date.from(now));
    }

    /** The header of a valid DPoP proof signed by {@code key}: its alg, typ dpop+jwt, its public jwk. */
    public static JWSHeader.Builder dpopHeader(JWK key) {
        return new JWSHeader.Builder(TestKeys.algFor(key)).type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK());
    }

    /** A valid private_key_jwt assertion for the issuer, changed by {@code change}. */
    public static String clientAssertion(JWK key, String clientId, String issuer, Instant now,
                                         UnaryOperator<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder claims = assertionClaims(clientId, issuer, now);
        JWSHeader header = new JWSHeader.Builder(TestKeys.algFor(key)).keyID(key.getKeyID()).build();
        return sign(key, header, change.apply(claims).build());
    }

    public static String clientAssertion(JWK key, String clientId, String issuer, Instant now) {
        return clientAssertion(key, clientId, issuer, now, c -> c);
    }

    /** A valid DPoP proof for the method and URL, changed by {@code change}. */
    public static String dpopProof(JWK key, String htm, String htu, Instant now,
                                   UnaryOperator<JWTClaimsSet.Builder> change) {
        return sign(key, dpopHeader(key).build(), change.apply(dpopClaims(htm, htu, now)).build());
    }

    public static String dpopProof(JWK key, String htm, String htu, Instant now) {
        return dpopProof(key, htm, htu, now, c -> c);
    }

    /** The form fields of private_key_jwt. */
    public static String assertionFields(String assertion) {
        return Params.CLIENT_ASSERTION_TYPE + "=" + Forms.encode(Params.JWT_BEARER) + "&"
                + Params.CLIENT_ASSERTION + "=" + Forms.encode(assertion);
    }

    public static JWSAlgorithm alg(JWK key) {
        return TestKeys.algFor(key);
    }
}
