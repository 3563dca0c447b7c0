package dev.fapi2lambda.core.keys;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/** Signs JWTs through the key service: header with kid and typ, payload, one remote signature. */
public final class JwtSigner {
    private final KeyService keys;

    public JwtSigner(KeyService keys) {
        this.keys = keys;
    }

    public String sign(JWSAlgorithm algorithm, JOSEObjectType type, JWTClaimsSet claims) {
        JWSHeader header = new JWSHeader.Builder(algorithm)
                .keyID(keys.activeKey(algorithm).getKeyID())
                .type(type)
                .build();
        Base64URL headerPart = header.toBase64URL();
        Base64URL payloadPart = new Payload(claims.toJSONObject()).toBase64URL();
        byte[] signingInput = (headerPart + "." + payloadPart).getBytes(StandardCharsets.US_ASCII);
        Base64URL signature = keys.sign(algorithm, signingInput);
        try {
            return new SignedJWT(headerPart, payloadPart, signature).serialize();
        } catch (ParseException e) {
            throw new IllegalStateException("a JWT this server built did not parse", e);
        }
    }
}
