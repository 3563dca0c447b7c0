package dev.fapi2lambda.core.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.testing.CountingItemStore;
import dev.fapi2lambda.core.testing.InMemoryItemStore;
import dev.fapi2lambda.core.testing.MutableClock;
import dev.fapi2lambda.core.token.Grant;
import dev.fapi2lambda.core.token.Grants;
import dev.fapi2lambda.core.token.TokenIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * RevocationCheck: a token is revoked when its grant is revoked (or gone) or its own jti is
 * recorded (RFC 7009); a live answer is remembered for at most {@code cacheFor}, a revoked one for
 * good; a token that names no grant or no jti fails closed.
 */
class RevocationCheckTest {
    private final MutableClock clock = MutableClock.at("2026-11-24T12:00:00Z");
    private final CountingItemStore store = new CountingItemStore(new InMemoryItemStore());
    private final Grants grants = new Grants(store);
    private Grant grant;

    @BeforeEach
    void saveGrant() {
        grant = new Grant("grant-1", "client-1", "alice", List.of("openid"), clock.instant(), Optional.of("jkt"),
                Optional.empty(), "refresh-hash", false, clock.instant().plus(Duration.ofDays(30)));
        store.transact(List.of(grants.create(grant)), clock.instant());
    }

    private static JWTClaimsSet token(String gid, String jti) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("alice");
        if (gid != null) {
            claims.claim(TokenIssuer.GRANT_CLAIM, gid);
        }
        // Access tokens always carry exp; a revoked answer is remembered until then.
        return claims.jwtID(jti).expirationTime(java.util.Date.from(Instant.parse("2100-01-01T00:00:00Z"))).build();
    }

    private Instant now() {
        return clock.instant();
    }

    @Test
    @DisplayName("a token of a live grant is not revoked; of a revoked grant it is")
    void grantRevocation() {
        RevocationCheck check = new RevocationCheck(store, Duration.ZERO);
        assertFalse(check.isRevoked(token("grant-1", "at-1"), now()));
        grants.revoke("grant-1", now());
        assertTrue(check.isRevoked(token("grant-1", "at-1"), now()));
        assertTrue(check.isRevoked(token("grant-1", "at-2"), now()), "every token of the grant");
    }

    @Test
    @DisplayName("a grant that is unknown or expired counts as revoked")
    void unknownOrExpiredGrant() {
        RevocationCheck check = new RevocationCheck(store, Duration.ZERO);
        assertTrue(check.isRevoked(token("no-such-grant", "at-1"), now()));
        clock.advance(Duration.ofDays(31));
        assertTrue(check.isRevoked(token("grant-1", "at-1"), now()));
    }

    @Test
    @DisplayName("RFC 7009: a token whose jti is recorded is revoked; its siblings are not")
    void tokenRevocation() {
        RevocationCheck check = new RevocationCheck(store, Duration.ZERO);
        store.put(Item.of(RevocationCheck.revokedTokenKey("at-1")).put("revokedAt", now().getEpochSecond())
                .expiresAt(now().plusSeconds(300)).build());
        assertTrue(check.isRevoked(token("grant-1", "at-1"), now()));
        assertFalse(check.isRevoked(token("grant-1", "at-2"), now()));
    }

    @Test
    @DisplayName("fails closed: a token without gid or without jti is treated as revoked, with no read")
    void missingClaims() {
        RevocationCheck check = new RevocationCheck(store, Duration.ofSeconds(30));
        assertTrue(check.isRevoked(token(null, "at-1"), now()));
        assertTrue(check.isRevoked(token("grant-1", null), now()));
        assertEquals(0, store.reads());
    }

    @Test
    @DisplayName("cacheFor zero: every check reads the table, so a revocation is seen at once")
    void noCache() {
        RevocationCheck check = new RevocationCheck(store, Duration.ZERO);
        assertFalse(check.isRevoked(token("grant-1", "at-1"), now()));
        int reads = store.reads();
        assertTrue(reads > 0);
        assertFalse(check.isRevoked(token("grant-1", "at-1"), now()));
        assertEquals(2 * reads, store.reads());
        grants.revoke("grant-1", now());
        assertTrue(check.isRevoked(token("grant-1", "at-1"), now()));
    }

    @Test
    @DisplayName("cacheFor 30 s: a live answer is reused (no read) until 30 s have passed, then read again")
    void cacheIsBounded() {
        RevocationCheck check = new RevocationCheck(store, Duration.ofSeconds(30));
        Instant first = now();
        assertFalse(check.isRevoked(token("grant-1", "at-1"), first));
        int reads = store.reads();
        grants.revoke("grant-1", now());
        clock.advance(Duration.ofSeconds(29));
        assertFalse(check.isRevoked(token("grant-1", "at-1"), now()), "still the cached live answer");
        assertEquals(reads, store.reads(), "no read within the cache age");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(check.isRevoked(token("grant-1", "at-1"), now()), "read again at 30 s: revoked");
        // Another token of the same grant was never cached: read, revoked.
        assertTrue(check.isRevoked(token("grant-1", "at-2"), first));
    }

    @Test
    @DisplayName("a revoked answer is kept for good, even if the item disappears")
    void revokedIsKept() {
        RevocationCheck check = new RevocationCheck(store, Duration.ofSeconds(30));
        store.put(Item.of(RevocationCheck.revokedTokenKey("at-1")).expiresAt(now().plusSeconds(10)).build());
        assertTrue(check.isRevoked(token("grant-1", "at-1"), now()));
        clock.advance(Duration.ofSeconds(11));
        int reads = store.reads();
        assertTrue(check.isRevoked(token("grant-1", "at-1"), now()));
        assertEquals(reads, store.reads(), "answered from memory");
        // A fresh check (a new container) reads the table: the item is gone, the grant live.
        assertFalse(new RevocationCheck(store, Duration.ofSeconds(30)).isRevoked(token("grant-1", "at-1"), now()));
    }
}
