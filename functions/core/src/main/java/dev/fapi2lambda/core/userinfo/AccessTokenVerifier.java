package dev.fapi2lambda.core.userinfo;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.crypto.JwsKeys;
import dev.fapi2lambda.core.crypto.JwtTimes;
import java.time.Duration;
import dev.fapi2lambda.core.token.TokenIssuer;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Verifies an RFC 9068 access token (RFC 9068 4): typ at+jwt, PS256/ES256, signed by a published
 * key chosen by kid, iss, aud, exp. The sender constraint and revocation are checked by the caller.
 */
public final class AccessTokenVerifier {
    private final String issuer;
    private final String audience;
    private final Supplier<List<JWK>> keys;
    private final Supplier<List<JWK>> keysForUnknownKid;
    private final Duration maxFutureSkew;

    public AccessTokenVerifier(String issuer, String audience, Supplier<List<JWK>> keys) {
        this(issuer, audience, keys, keys, Duration.ofSeconds(10));
    }

    /**
     * @param keysForUnknownKid the keys after a refresh, asked when no current key has the token's kid (rotation)
     * @param maxFutureSkew     iat/nbf up to this far in the future are accepted (FAPI 2.0: 10 s, never above 60 s)
     */
    public AccessTokenVerifier(String issuer, String audience, Supplier<List<JWK>> keys,
                               Supplier<List<JWK>> keysForUnknownKid, Duration maxFutureSkew) {
        this.issuer = issuer;
        this.audience = audience;
        this.keys = keys;
        this.keysForUnknownKid = keysForUnknownKid;
        this.maxFutureSkew = maxFutureSkew;
    }

    /** The verified claims, or empty with no reason given (a resource answers invalid_token either way). */
    public Optional<JWTClaimsSet> verify(String token, Instant now) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!dev.fapi2lambda.core.dpop.DpopProofValidator.isType(jwt.getHeader().getType(), TokenIssuer.AT_JWT) || !JwsKeys.isAllowed(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            String kid = jwt.getHeader().getKeyID();
            if (kid == null) {
                return Optional.empty();
            }
            List<JWK> candidates = keys.get().stream().filter(k -> kid.equals(k.getKeyID())).toList();
            if (candidates.isEmpty()) {
                candidates = keysForUnknownKid.get().stream().filter(k -> kid.equals(k.getKeyID())).toList();
            }
            boolean signed = candidates.stream().anyMatch(k -> JwsKeys.verify(jwt, k));
            if (!signed) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            boolean valid = issuer.equals(claims.getIssuer())
                    && claims.getAudience() != null && claims.getAudience().contains(audience)
                    && claims.getExpirationTime() != null && claims.getExpirationTime().toInstant().isAfter(now)
                    && claims.getSubject() != null
                    && JwtTimes.notInFuture("iat", claims.getIssueTime(), now, maxFutureSkew).isEmpty()
                    && JwtTimes.notInFuture("nbf", claims.getNotBeforeTime(), now, maxFutureSkew).isEmpty();
            return valid ? Optional.of(claims) : Optional.empty();
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
