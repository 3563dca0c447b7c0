package dev.fapi2lambda.core.par;

import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Pushed requests as items {@code par#<sha256(request_uri)>}: the request_uri itself is never
 * stored, so a read of the table cannot replay one.
 */
public final class PushedRequests {
    private final ItemStore store;

    public PushedRequests(ItemStore store) {
        this.store = store;
    }

    static String key(String requestUri) {
        return "par#" + Hashes.sha256Url(requestUri);
    }

    public void save(String requestUri, AuthorizationRequest request, Instant expiresAt) {
        store.put(Item.of(key(requestUri))
                .put("clientId", request.clientId())
                .put("redirectUri", request.redirectUri())
                .put("scopes", request.scopes())
                .put("codeChallenge", request.codeChallenge())
                .put("state", request.state())
                .put("nonce", request.nonce())
                .put("dpopJkt", request.dpopJkt())
                .put("prompt", request.prompt())
                .put("maxAge", request.maxAge())
                .put("loginHint", request.loginHint())
                .expiresAt(expiresAt)
                .build());
    }

    /**
     * A pushed request as the authorization endpoint sees it: the request, and the state of the
     * interaction it started (which browser, the current CSRF token, who logged in).
     */
    public record Pushed(AuthorizationRequest request, Optional<String> interactionHash, Optional<String> csrfHash,
                         Optional<String> subject, Optional<Instant> authTime) {
    }

    /** The live pushed request (read any number of times until it is consumed). */
    public Optional<Pushed> find(String requestUri, Instant now) {
        return store.get(key(requestUri), now).map(item -> new Pushed(fromItem(item), item.string("interactionHash"),
                item.string("csrfHash"), item.string("subject"), item.number("authTime").map(Instant::ofEpochSecond)));
    }

    /**
     * Starts the interaction: binds the request to one browser (the hash of its interaction cookie)
     * and gives the user until {@code until} to finish. Only the first caller succeeds.
     */
    public boolean start(String requestUri, String interactionHash, String csrfHash, Instant until, Instant now) {
        return store.update(key(requestUri), Map.of("interactionHash", interactionHash, "csrfHash", csrfHash,
                "startedAt", now.getEpochSecond(), Item.EXPIRES_AT, until.getEpochSecond()), Map.of(),
                Optional.of("interactionHash"), now).isPresent();
    }

    /** Records facts of the interaction, if it is still the one bound to this browser. */
    public boolean record(String requestUri, String interactionHash, Map<String, Object> facts, Instant now) {
        return store.update(key(requestUri), facts, Map.of("interactionHash", interactionHash), Optional.empty(), now)
                .isPresent();
    }

    /** Spends a CSRF token: replaces its hash by the next one, only if it is still the current one. */
    public boolean swapCsrf(String requestUri, String interactionHash, String csrfHash, String nextCsrfHash, Instant now) {
        return store.update(key(requestUri), Map.of("csrfHash", nextCsrfHash),
                Map.of("interactionHash", interactionHash, "csrfHash", csrfHash), Optional.empty(), now).isPresent();
    }

    /** Removes the pushed request when the authorization completes; exactly one caller gets it. */
    public Optional<AuthorizationRequest> consume(String requestUri, Instant now) {
        return store.consume(key(requestUri), now).map(PushedRequests::fromItem);
    }

    private static AuthorizationRequest fromItem(Item item) {
        return new AuthorizationRequest(item.required("clientId"), item.required("redirectUri"),
                item.strings("scopes"), item.required("codeChallenge"), item.string("state"), item.string("nonce"),
                item.string("dpopJkt"), item.string("prompt"), item.number("maxAge"), item.string("loginHint"));
    }
}
