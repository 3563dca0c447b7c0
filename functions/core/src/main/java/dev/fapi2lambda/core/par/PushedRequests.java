package dev.fapi2lambda.core.par;

import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.store.Change;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.Write;
import java.time.Instant;
import java.util.Optional;

/**
 * Pushed requests as items {@code par#<sha256(request_uri)>}: the request_uri itself is never
 * stored, so a read of the table cannot replay one. The item carries the whole authorization:
 * the request; the interaction (which browser, the current CSRF token, who logged in); and, once
 * the user consents, the authorization code (its hash, see AuthorizationCodes). Every step is one
 * conditional write that also returns the item, so no step reads first: "is it live, is it this
 * client's, is it this browser's, is the CSRF token the current one, is it still open" are the
 * write's conditions, decided by the store.
 */
public final class PushedRequests {
    public static final String CLIENT_ID = "clientId";
    public static final String INTERACTION = "interactionHash";
    public static final String CSRF = "csrfHash";
    public static final String SUBJECT = "subject";
    public static final String AUTH_TIME = "authTime";
    /** Set when the authorization ends (consent or cancel): the request_uri is used up. */
    public static final String COMPLETED = "completedAt";
    public static final String CODE = "codeHash";
    public static final String GRANT = "grantId";
    public static final String REDEEMED = "redeemedAt";
    private final ItemStore store;

    public PushedRequests(ItemStore store) {
        this.store = store;
    }

    /** The non-secret lookup part of the request's item key (also the first part of its code). */
    public static String id(String requestUri) {
        return Hashes.sha256Url(requestUri);
    }

    public static String key(String id) {
        return "par#" + id;
    }

    private static String keyOf(String requestUri) {
        return key(id(requestUri));
    }

    /** The write that stores a new pushed request (PAR commits it with its one-time guards). */
    public Write toSave(String requestUri, AuthorizationRequest request, Instant expiresAt) {
        return Write.put(requestFields(Item.of(keyOf(requestUri)), request).expiresAt(expiresAt).build());
    }

    /** The request's attributes, as every item that carries a request (and later its code) has them. */
    public static Item.Builder requestFields(Item.Builder item, AuthorizationRequest request) {
        return item.put(CLIENT_ID, request.clientId())
                .put("redirectUri", request.redirectUri())
                .put("scopes", request.scopes())
                .put("codeChallenge", request.codeChallenge())
                .put("state", request.state())
                .put("nonce", request.nonce())
                .put("dpopJkt", request.dpopJkt())
                .put("prompt", request.prompt())
                .put("maxAge", request.maxAge())
                .put("loginHint", request.loginHint());
    }

    /**
     * A pushed request as the authorization endpoint sees it: the request, and the state of the
     * interaction it started (which browser, the current CSRF token, who logged in).
     */
    public record Pushed(AuthorizationRequest request, Optional<String> interactionHash, Optional<String> csrfHash,
                         Optional<String> subject, Optional<Instant> authTime) {
    }

    /** The live, still open pushed request (for explaining why a step was refused). */
    public Optional<Pushed> find(String requestUri, Instant now) {
        return store.get(keyOf(requestUri), now).filter(item -> !item.attributes().containsKey(COMPLETED))
                .map(PushedRequests::pushed);
    }

    /** Who is signed in, when the step knows it from the browser's session. */
    public record SignedIn(String subject, Instant authTime) {
    }

    /**
     * The first visit: binds the request to one browser (the hash of its interaction cookie), sets
     * the CSRF token, and gives the user until {@code until} to finish. Only the first caller, and
     * only while the pushed request is live (60 s), succeeds.
     */
    public Optional<Pushed> begin(String requestUri, String clientId, String interactionHash, String csrfHash,
                                  Optional<SignedIn> signedIn, Instant until, Instant now) {
        Change.Builder c = Change.on(keyOf(requestUri)).expect(CLIENT_ID, clientId).absent(INTERACTION).absent(COMPLETED)
                .set(INTERACTION, interactionHash).set(CSRF, csrfHash).set("startedAt", now.getEpochSecond())
                .set(Item.EXPIRES_AT, until.getEpochSecond());
        return store.change(signIn(c, signedIn).build(), now).map(PushedRequests::pushed);
    }

    /** A later visit from the same browser: a fresh CSRF token (and who is signed in, if the session says so). */
    public Optional<Pushed> resume(String requestUri, String clientId, String interactionHash, String csrfHash,
                                   Optional<SignedIn> signedIn, Instant now) {
        Change.Builder c = Change.on(keyOf(requestUri)).expect(CLIENT_ID, clientId).expect(INTERACTION, interactionHash)
                .absent(COMPLETED).set(CSRF, csrfHash);
        return store.change(signIn(c, signedIn).build(), now).map(PushedRequests::pushed);
    }

    /** Spends a CSRF token: replaces it by the next one, only if it is the current one of this browser. */
    public Optional<Pushed> swapCsrf(String requestUri, String clientId, String interactionHash, String csrfHash,
                                     String nextCsrfHash, Instant now) {
        return store.change(Change.on(keyOf(requestUri)).expect(CLIENT_ID, clientId).expect(INTERACTION, interactionHash)
                .expect(CSRF, csrfHash).absent(COMPLETED).set(CSRF, nextCsrfHash).build(), now).map(PushedRequests::pushed);
    }

    /** The write that records a login, if the CSRF token is still the one the login page was given. */
    public Write recordLogin(String requestUri, String interactionHash, String csrfHash, SignedIn signedIn) {
        return Write.apply(signIn(Change.on(keyOf(requestUri)).expect(INTERACTION, interactionHash).expect(CSRF, csrfHash)
                .absent(COMPLETED), Optional.of(signedIn)).build());
    }

    /**
     * Ends the authorization with the user's decision (C-AZ-3: exactly once): spends the CSRF token
     * and the request_uri, and with consent stores the code's hash and grant id, living
     * {@code until} (the code's 60 s). Consent needs a signed-in user.
     */
    public Optional<Pushed> complete(String requestUri, String clientId, String interactionHash, String csrfHash,
                                     Optional<IssuedCode> code, Instant until, Instant now) {
        Change.Builder c = Change.on(keyOf(requestUri)).expect(CLIENT_ID, clientId).expect(INTERACTION, interactionHash)
                .expect(CSRF, csrfHash).absent(COMPLETED).remove(CSRF)
                .set(COMPLETED, now.getEpochSecond()).set(Item.EXPIRES_AT, until.getEpochSecond());
        code.ifPresent(issued -> c.present(SUBJECT).set(CODE, issued.codeHash()).set(GRANT, issued.grantId()));
        return store.change(c.build(), now).map(PushedRequests::pushed);
    }

    /** What consent attaches to the request: the hash of the code and the grant the tokens will belong to. */
    public record IssuedCode(String codeHash, String grantId) {
    }

    /** Removes the pushed request (prompt=none ends it without pages); exactly one caller gets it. */
    public Optional<AuthorizationRequest> consume(String requestUri, Instant now) {
        return store.consume(keyOf(requestUri), now).map(PushedRequests::request);
    }

    private static Change.Builder signIn(Change.Builder change, Optional<SignedIn> signedIn) {
        signedIn.ifPresent(s -> change.set(SUBJECT, s.subject()).set(AUTH_TIME, s.authTime().getEpochSecond()));
        return change;
    }

    private static Pushed pushed(Item item) {
        return new Pushed(request(item), item.string(INTERACTION), item.string(CSRF), item.string(SUBJECT),
                item.number(AUTH_TIME).map(Instant::ofEpochSecond));
    }

    public static AuthorizationRequest request(Item item) {
        return new AuthorizationRequest(item.required(CLIENT_ID), item.required("redirectUri"),
                item.strings("scopes"), item.required("codeChallenge"), item.string("state"), item.string("nonce"),
                item.string("dpopJkt"), item.string("prompt"), item.number("maxAge"), item.string("loginHint"));
    }
}
