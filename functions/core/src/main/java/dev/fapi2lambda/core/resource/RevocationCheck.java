package dev.fapi2lambda.core.resource;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.token.TokenIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether an access token was revoked: its grant revoked (code replay, refresh token revocation)
 * or its own jti revoked (RFC 7009). Reads the table, and remembers answers for a short bounded
 * time: with {@code cacheFor} zero every request reads; a revoked answer is kept until the token expires.
 * Without this check, the access token's short lifetime bounds the exposure.
 */
public final class RevocationCheck {
    private final ItemStore store;
    private final Duration cacheFor;
    private final Map<String, Instant> liveUntil = new ConcurrentHashMap<>();
    /** Revoked tokens seen, until they expire (then they fail on exp anyway): bounded by live tokens. */
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

    public RevocationCheck(ItemStore store, Duration cacheFor) {
        this.store = store;
        this.cacheFor = cacheFor;
    }

    public boolean isRevoked(JWTClaimsSet claims, Instant now) {
        Object gid = claims.getClaim(TokenIssuer.GRANT_CLAIM);
        String jti = claims.getJWTID();
        if (gid == null || jti == null) {
            return true;
        }
        String key = gid + " " + jti;
        Instant revokedUntil = revoked.get(key);
        if (revokedUntil != null && now.isBefore(revokedUntil)) {
            return true;
        }
        Instant until = liveUntil.get(key);
        if (until != null && now.isBefore(until)) {
            return false;
        }
        boolean grantRevoked = store.get("grant#" + gid, now).map(g -> g.flag("revoked")).orElse(true);
        boolean tokenRevoked = store.get(revokedTokenKey(jti), now).isPresent();
        if (grantRevoked || tokenRevoked) {
            Instant exp = claims.getExpirationTime() == null ? now : claims.getExpirationTime().toInstant();
            revoked.put(key, exp);
            revoked.entrySet().removeIf(e -> !now.isBefore(e.getValue()));
            return true;
        }
        if (!cacheFor.isZero()) {
            liveUntil.put(key, now.plus(cacheFor));
            liveUntil.entrySet().removeIf(e -> e.getValue().isBefore(now));
        }
        return false;
    }

    /** The item recording a revoked access token (RFC 7009), kept until the token expires. */
    public static String revokedTokenKey(String jti) {
        return "revokedat#" + jti;
    }
}
