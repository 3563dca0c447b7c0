package dev.fapi2lambda.core.authorize;

import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.http.Cookies;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.Write;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Login sessions: a random id in a __Host- cookie, stored as {@code session#<sha256(id)>} with the
 * subject, the authentication time and an expiry, so a second authorization skips the password.
 */
final class Sessions {
    static final String COOKIE = "__Host-fapi2-session";
    private final ItemStore store;
    private final Secrets secrets;
    private final Duration lifetime;

    Sessions(ItemStore store, Secrets secrets, Duration lifetime) {
        this.store = store;
        this.secrets = secrets;
        this.lifetime = lifetime;
    }

    record Session(String subject, Instant authTime) {
    }

    Optional<Session> find(Request request, Instant now) {
        return Cookies.get(request, COOKIE)
                .flatMap(id -> store.get(key(id), now))
                .map(item -> new Session(item.required("subject"), Instant.ofEpochSecond(item.number("authTime").orElseThrow())));
    }

    /** A new session: the write that stores it, and its Set-Cookie value. */
    record Started(Write write, String cookie) {
    }

    /** Starts a session; the caller commits its write with the login's other writes. */
    Started start(String subject, Instant authTime, Instant now) {
        String id = secrets.next();
        Write write = Write.put(Item.of(key(id)).put("subject", subject).put("authTime", authTime.getEpochSecond())
                .expiresAt(now.plus(lifetime)).build());
        return new Started(write, Cookies.set(COOKIE, id, lifetime.toSeconds()));
    }

    private static String key(String id) {
        return "session#" + Hashes.sha256Url(id);
    }
}
