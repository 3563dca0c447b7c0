package dev.fapi2lambda.core.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.testing.AtOnce;
import dev.fapi2lambda.core.testing.CountingItemStore;
import dev.fapi2lambda.core.testing.InMemoryItemStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Server DPoP nonces shared through the store, one per 60 s window (RFC 9449 8, 9; C-TOK-7, C-RS-3).
 * Each instance stands for one container, all sharing the store. functions/aws runs the same tests
 * over DynamoDB Local (DynamoDbWindowedDpopNoncesTest overrides {@link #newStore}).
 */
public class WindowedDpopNoncesTest {
    private static final Duration WINDOW = Duration.ofSeconds(60);
    /** The start of a window (epoch seconds divisible by 60). */
    private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
    private static final String T0_KEY = "dpopnonce#" + T0.getEpochSecond() / 60;
    private final ItemStore store = newStore();
    private final WindowedDpopNonces nonces = instance();

    /** The store under test: a fresh, empty one per test. */
    protected ItemStore newStore() {
        return new InMemoryItemStore();
    }

    private WindowedDpopNonces instance() {
        return new WindowedDpopNonces(store, new Secrets(new SecureRandom()), WINDOW);
    }

    private static void assertAccepted(DpopNonces nonces, String nonce, Instant now) {
        assertEquals(Optional.empty(), nonces.challenge(Optional.of(nonce), now), nonce);
    }

    /** Refused: the challenge names the current nonce. */
    private static void assertRefused(DpopNonces nonces, Optional<String> nonce, Instant now) {
        Optional<String> challenge = nonces.challenge(nonce, now);
        assertEquals(nonces.current(now), challenge, "the challenge carries the current nonce");
        assertTrue(challenge.isPresent());
    }

    @Test
    @DisplayName("C-RS-3 the nonce is the same throughout a window and accepted in it; the next window has a new one")
    void stableWithinWindow() {
        String nonce = nonces.current(T0).orElseThrow();
        assertEquals(nonce, nonces.current(T0.plusSeconds(59)).orElseThrow());
        assertAccepted(nonces, nonce, T0.plusSeconds(30));
        assertNotEquals(nonce, nonces.current(T0.plusSeconds(60)).orElseThrow());
    }

    @Test
    @DisplayName("C-RS-3 the previous window's nonce is still accepted, also by an instance that never saw it")
    void previousWindowAccepted() {
        String previous = nonces.current(T0).orElseThrow();
        Instant next = T0.plus(WINDOW).plusSeconds(59);
        assertAccepted(nonces, previous, next);
        assertAccepted(instance(), previous, next);
    }

    @Test
    @DisplayName("C-RS-3 a nonce two windows old is refused with the current nonce, by this and by a fresh instance")
    void twoWindowsOldRefused() {
        String old = nonces.current(T0).orElseThrow();
        Instant later = T0.plus(WINDOW.multipliedBy(2));
        assertRefused(nonces, Optional.of(old), later);
        assertRefused(instance(), Optional.of(old), later);
    }

    @Test
    @DisplayName("C-RS-3 a random string, an empty value or no nonce at all is refused")
    void randomStringRefused() {
        nonces.current(T0);
        String random = new Secrets(new SecureRandom()).next();
        assertRefused(nonces, Optional.of(random), T0);
        assertRefused(nonces, Optional.of(""), T0);
        assertRefused(nonces, Optional.empty(), T0);
    }

    @Test
    @DisplayName("C-RS-3 two instances over the same store agree on each window's nonce and accept each other's")
    void instancesAgree() {
        WindowedDpopNonces other = instance();
        String first = nonces.current(T0).orElseThrow();
        assertEquals(first, other.current(T0).orElseThrow());
        assertEquals(first, store.get(T0_KEY, T0).orElseThrow().required("nonce"));
        String second = other.current(T0.plus(WINDOW)).orElseThrow();
        assertEquals(second, nonces.current(T0.plus(WINDOW)).orElseThrow());
        assertAccepted(other, first, T0.plusSeconds(10));
        assertAccepted(nonces, second, T0.plus(WINDOW));
    }

    @Test
    @DisplayName("C-RS-3 when 20 instances race to draw a window's nonce, the first writer's nonce wins for all")
    void firstWriterWins() throws Exception {
        List<String> drawn = AtOnce.run(20, i -> {
            WindowedDpopNonces instance = instance();
            return () -> instance.current(T0).orElseThrow();
        });
        String stored = store.get(T0_KEY, T0).orElseThrow().required("nonce");
        assertEquals(Set.of(stored), new HashSet<>(drawn), "every instance took the one nonce written");
        assertAccepted(nonces, stored, T0);
    }

    @Test
    @DisplayName("C-RS-3 a leftover nonce item that has expired (TTL not yet run) is neither served nor accepted; a new one replaces it")
    void expiredLeftoverIsReplaced() throws Exception {
        // Written items expire at the end of the next window, so this leftover is defence in depth: any
        // item past its expiresAt that TTL has not deleted yet must count as absent.
        store.put(Item.of(T0_KEY).put("nonce", "leftover").expiresAt(T0.minusSeconds(1)).build());
        List<String> challenged = AtOnce.run(10, i -> {
            WindowedDpopNonces instance = instance();
            return () -> instance.challenge(Optional.of("leftover"), T0).orElseThrow();
        });
        String stored = store.get(T0_KEY, T0).orElseThrow().required("nonce");
        assertNotEquals("leftover", stored);
        assertEquals(Set.of(stored), new HashSet<>(challenged), "each instance refused the leftover with the new nonce");
    }

    @Test
    @DisplayName("C-RS-3 a window's nonce costs the instance that draws it a read and a write, every other instance one read")
    void oneReadPerWindowAndInstance() {
        CountingItemStore first = new CountingItemStore(store);
        CountingItemStore second = new CountingItemStore(store);
        WindowedDpopNonces drawer = new WindowedDpopNonces(first, new Secrets(new SecureRandom()), WINDOW);
        WindowedDpopNonces adopter = new WindowedDpopNonces(second, new Secrets(new SecureRandom()), WINDOW);
        String nonce = drawer.current(T0).orElseThrow();
        assertEquals(1, first.calls("get", "dpopnonce#"), "the drawer: a read that finds none");
        assertEquals(1, first.calls("putIfAbsentOrGet", "dpopnonce#"), "then one conditional write");
        assertEquals(2, first.total());
        assertEquals(nonce, adopter.current(T0.plusSeconds(1)).orElseThrow());
        assertEquals(1, second.total(), "the adopter: one read, no write");
        assertEquals(1, second.calls("get", "dpopnonce#"));
        for (int i = 0; i < 10; i++) {
            assertAccepted(drawer, nonce, T0.plusSeconds(2 + i));
            assertAccepted(adopter, nonce, T0.plusSeconds(2 + i));
        }
        assertEquals(2, first.total(), "then from the cache");
        assertEquals(1, second.total());
        // The next window: the previous nonce is still accepted from the cache; the new one is drawn (read, write).
        assertAccepted(adopter, nonce, T0.plus(WINDOW).plusSeconds(1));
        assertEquals(3, second.total());
        assertEquals(1, second.calls("putIfAbsentOrGet", "dpopnonce#"));
        assertEquals(adopter.current(T0.plus(WINDOW).plusSeconds(2)), drawer.current(T0.plus(WINDOW).plusSeconds(2)));
        assertEquals(3, first.total(), "and the first instance adopts it with one read");
    }

    @Test
    @DisplayName("C-CRY-1 a nonce carries at least 128 random bits and differs from window to window")
    void nonceEntropy() {
        String nonce = nonces.current(T0).orElseThrow();
        assertTrue(nonce.matches("[A-Za-z0-9_-]+"), nonce);
        assertTrue(Base64.getUrlDecoder().decode(nonce).length >= 16, nonce);
        assertNotEquals(nonce, nonces.current(T0.plus(WINDOW.multipliedBy(5))).orElseThrow());
    }
}
