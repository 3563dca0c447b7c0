package dev.fapi2lambda.core.token;

import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.par.AuthorizationRequest;
import dev.fapi2lambda.core.par.PushedRequests;
import dev.fapi2lambda.core.store.Change;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.Write;
import java.time.Instant;
import java.util.Optional;

/**
 * Authorization codes. A code is {@code <id>.<secret>}: {@code id} names the item of the pushed
 * request it completes ({@code par#<id>}, which holds everything the code stands for) and the item
 * stores only the code's SHA-256, so the code itself is never stored. Redemption is one conditional
 * write ({@code attribute_not_exists(redeemedAt)}), committed together with the grant, so of many
 * concurrent redemptions exactly one wins, and a code is spent if and only if its grant exists. The
 * spent item stays for the grant's lifetime, so a replay is recognised as one (and revokes the
 * grant) rather than looking like an unknown code.
 */
public final class AuthorizationCodes {
    private static final int MAX_LENGTH = 200;
    private final ItemStore store;
    private final Secrets secrets;

    public AuthorizationCodes(ItemStore store, Secrets secrets) {
        this.store = store;
        this.secrets = secrets;
    }

    /** A fresh code for the pushed request (256 random bits drawn now). */
    public String newCode(String requestUri) {
        return PushedRequests.id(requestUri) + "." + secrets.next();
    }

    public static String hash(String code) {
        return Hashes.sha256Url(code);
    }

    /**
     * Stores a code on an item of its own, as consent would have left it: for fixtures and sample
     * data that need a code without going through the pages.
     */
    public String issue(AuthorizationCode code, Instant expiresAt) {
        String id = secrets.next();
        String value = id + "." + secrets.next();
        AuthorizationRequest request = new AuthorizationRequest(code.clientId(), code.redirectUri(), code.scopes(),
                code.codeChallenge(), Optional.empty(), code.nonce(), code.dpopJkt(), Optional.empty(), Optional.empty(),
                Optional.empty());
        store.put(PushedRequests.requestFields(Item.of(PushedRequests.key(id)), request)
                .put(PushedRequests.SUBJECT, code.subject())
                .put(PushedRequests.AUTH_TIME, code.authTime().getEpochSecond())
                .put(PushedRequests.COMPLETED, expiresAt.getEpochSecond())
                .put(PushedRequests.CODE, hash(value))
                .put(PushedRequests.GRANT, code.grantId())
                .expiresAt(expiresAt)
                .build());
        return value;
    }

    /** A live code as read before redemption: what it stands for and whether it was spent already. */
    public record Peeked(AuthorizationCode code, boolean redeemed) {
    }

    /** Reads the live code without spending it, so every check (and the signing) happens before the one write. */
    public Optional<Peeked> peek(String code, Instant now) {
        return key(code).flatMap(key -> store.get(key, now))
                .filter(item -> item.string(PushedRequests.CODE)
                        .map(stored -> Hashes.constantTimeEquals(stored, hash(code))).orElse(false))
                .map(item -> new Peeked(fromItem(item), item.number(PushedRequests.REDEEMED).isPresent()));
    }

    /**
     * The write that spends the code, for the transaction that also writes the grant. The spent
     * code is kept until {@code keepUntil} (the grant's lifetime), so that a replay at any time is
     * recognised and revokes the grant.
     */
    public Write redeem(String code, Instant now, Instant keepUntil) {
        String key = key(code).orElseThrow(() -> new IllegalArgumentException("not a code"));
        return Write.apply(Change.on(key).expect(PushedRequests.CODE, hash(code)).absent(PushedRequests.REDEEMED)
                .set(PushedRequests.REDEEMED, now.getEpochSecond()).set(Item.EXPIRES_AT, keepUntil.getEpochSecond())
                .build());
    }

    private static Optional<String> key(String code) {
        int dot = code.indexOf('.');
        if (code.length() > MAX_LENGTH || dot < 1 || !code.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+")) {
            return Optional.empty();
        }
        return Optional.of(PushedRequests.key(code.substring(0, dot)));
    }

    private static AuthorizationCode fromItem(Item item) {
        AuthorizationRequest request = PushedRequests.request(item);
        return new AuthorizationCode(request.clientId(), request.redirectUri(), request.scopes(),
                request.codeChallenge(), request.nonce(), item.required(PushedRequests.SUBJECT),
                Instant.ofEpochSecond(item.number(PushedRequests.AUTH_TIME).orElseThrow()), request.dpopJkt(),
                item.required(PushedRequests.GRANT));
    }
}
