package dev.fapi2lambda.core.par;

import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import java.time.Instant;
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

    /** The live pushed request, for showing the login and consent pages (may be read many times). */
    public Optional<AuthorizationRequest> find(String requestUri, Instant now) {
        return store.get(key(requestUri), now).map(PushedRequests::fromItem);
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
