package dev.fapi2lambda.core.resource;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.token.TokenIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        return lookup(claims, now, List.of()).revoked();
    }

    /** Whether the token is revoked, and the items the caller asked to read along (one request for all). */
    public record Lookup(boolean revoked, Map<String, Item> items) {
    }

    /**
     * Checks the token and reads {@code alsoRead} in the same request (a consistent batch read), so
     * a resource that needs an item per request (userinfo: the user) pays one read, not two.
     */
    public Lookup lookup(JWTClaimsSet claims, Instant now, List<String> alsoRead) {
        Object gid = claims.getClaim(TokenIssuer.GRANT_CLAIM);
        String jti = claims.getJWTID();
        if (gid == null || jti == null) {
            return new Lookup(true, Map.of());
        }
        String key = gid + " " + jti;
        Instant revokedUntil = revoked.get(key);
        if (revokedUntil != null && now.isBefore(revokedUntil)) {
            return new Lookup(true, Map.of());
        }
        Instant until = liveUntil.get(key);
        if (until != null && now.isBefore(until)) {
            return new Lookup(false, alsoRead.isEmpty() ? Map.of() : store.getAll(alsoRead, now));
        }
        String grantKey = "grant#" + gid;
        String tokenKey = revokedTokenKey(jti);
        List<String> keys = new ArrayList<>(List.of(grantKey, tokenKey));
        keys.addAll(alsoRead);
        Map<String, Item> items = store.getAll(keys, now);
        boolean grantRevoked = Optional.ofNullable(items.get(grantKey)).map(g -> g.flag("revoked")).orElse(true);
        boolean tokenRevoked = items.containsKey(tokenKey);
        if (grantRevoked || tokenRevoked) {
            Instant exp = claims.getExpirationTime() == null ? now : claims.getExpirationTime().toInstant();
            revoked.put(key, exp);
            revoked.entrySet().removeIf(e -> !now.isBefore(e.getValue()));
            return new Lookup(true, Map.of());
        }
        if (!cacheFor.isZero()) {
            liveUntil.put(key, now.plus(cacheFor));
            liveUntil.entrySet().removeIf(e -> e.getValue().isBefore(now));
        }
        Map<String, Item> asked = new HashMap<>();
        alsoRead.forEach(k -> Optional.ofNullable(items.get(k)).ifPresent(item -> asked.put(k, item)));
        return new Lookup(false, asked);
    }

    /** The item recording a revoked access token (RFC 7009), kept until the token expires. */
    public static String revokedTokenKey(String jti) {
        return "revokedat#" + jti;
    }
}
