package dev.fapi2lambda.core.dpop;

import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-provided DPoP nonces (RFC 9449 8 and 9) shared by every container through the table
 * (DESIGN.md 3): one random nonce per time window, item {@code dpopnonce#<window>}; the first
 * container to need a window's nonce draws it (at request time, never during init) and writes
 * it conditionally; every other container reads it (one read per window and container; the
 * drawer pays a read and a write, and a container that loses the race to draw gets the winner's
 * nonce from its own conditional write). Each container caches the nonces it has seen, so in
 * steady state a proof costs no request. The current and the previous window's nonces are
 * accepted, so a nonce stays valid for one to two windows.
 */
public final class WindowedDpopNonces implements DpopNonces {
    private final ItemStore store;
    private final Secrets secrets;
    private final long windowSeconds;
    private final Map<Long, String> cache = new ConcurrentHashMap<>();

    public WindowedDpopNonces(ItemStore store, Secrets secrets, Duration window) {
        this.store = store;
        this.secrets = secrets;
        this.windowSeconds = window.toSeconds();
    }

    @Override
    public Optional<String> challenge(Optional<String> proofNonce, Instant now) {
        long window = window(now);
        if (proofNonce.isPresent()) {
            String nonce = proofNonce.get();
            if (Hashes.constantTimeEquals(nonce, nonceOf(window, now))) {
                return Optional.empty();
            }
            Optional<String> previous = existing(window - 1, now);
            if (previous.isPresent() && Hashes.constantTimeEquals(nonce, previous.get())) {
                return Optional.empty();
            }
        }
        return Optional.of(nonceOf(window, now));
    }

    @Override
    public Optional<String> current(Instant now) {
        return Optional.of(nonceOf(window(now), now));
    }

    private long window(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), windowSeconds);
    }

    /**
     * The window's nonce: from the cache; else read, since one container per window draws it and
     * every other one finds it (one read: the cheapest request, and in a fresh JVM the SDK path the
     * request has just taken); else drawn now and written only if no other container's is there,
     * answering the one that is (a second request, for the first container in a window).
     */
    private String nonceOf(long window, Instant now) {
        String cached = cache.get(window);
        if (cached != null) {
            return cached;
        }
        String nonce = store.get(key(window), now).flatMap(i -> i.string("nonce")).orElseGet(() -> {
            Instant expires = Instant.ofEpochSecond((window + 2) * windowSeconds);
            Item drawn = Item.of(key(window)).put("nonce", secrets.next()).expiresAt(expires).build();
            return store.putIfAbsentOrGet(drawn, now).required("nonce");
        });
        remember(window, nonce);
        return nonce;
    }

    /** A past window's nonce, if one was drawn: never drawn now. */
    private Optional<String> existing(long window, Instant now) {
        String cached = cache.get(window);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> stored = store.get(key(window), now).flatMap(i -> i.string("nonce"));
        stored.ifPresent(n -> remember(window, n));
        return stored;
    }

    private void remember(long window, String nonce) {
        cache.put(window, nonce);
        cache.keySet().removeIf(w -> w < window - 1);
    }

    private static String key(long window) {
        return "dpopnonce#" + window;
    }
}
