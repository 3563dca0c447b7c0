package dev.fapi2lambda.core.token;

import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import java.time.Instant;
import java.util.Optional;

/**
 * Authorization codes as items {@code code#<sha256(code)>}: the code itself is never stored.
 * Redemption is one conditional update ({@code attribute_not_exists(redeemedAt)}), so of many
 * concurrent redemptions exactly one wins; the item stays until it expires so that a replay is
 * recognised as one (and revokes the grant) rather than looking like an unknown code.
 */
public final class AuthorizationCodes {
    private final ItemStore store;
    private final Secrets secrets;

    public AuthorizationCodes(ItemStore store, Secrets secrets) {
        this.store = store;
        this.secrets = secrets;
    }

    /** Outcome of a redemption attempt. */
    public sealed interface Redemption {
        /** This caller won: the code is now spent. */
        record Won(AuthorizationCode code) implements Redemption {
        }

        /** The code was already redeemed: a replay. */
        record Replayed(AuthorizationCode code) implements Redemption {
        }

        /** Unknown or expired. */
        record Invalid() implements Redemption {
        }
    }

    /** Issues a fresh code (256 bits drawn now) that expires at {@code expiresAt}. */
    public String issue(AuthorizationCode code, Instant expiresAt) {
        String value = secrets.next();
        store.put(Item.of(key(value))
                .put("clientId", code.clientId())
                .put("redirectUri", code.redirectUri())
                .put("scopes", code.scopes())
                .put("codeChallenge", code.codeChallenge())
                .put("nonce", code.nonce())
                .put("subject", code.subject())
                .put("authTime", code.authTime().getEpochSecond())
                .put("dpopJkt", code.dpopJkt())
                .put("grantId", code.grantId())
                .expiresAt(expiresAt)
                .build());
        return value;
    }

    /** Reads the live code without spending it (to check the client before anything else). */
    public Optional<AuthorizationCode> peek(String code, Instant now) {
        return store.get(key(code), now).map(AuthorizationCodes::fromItem);
    }

    public boolean isRedeemed(String code, Instant now) {
        return store.get(key(code), now).map(i -> i.number("redeemedAt").isPresent()).orElse(false);
    }

    /** Spends the code: exactly one caller wins. */
    public Redemption redeem(String code, Instant now) {
        Optional<Item> won = store.markOnce(key(code), "redeemedAt", now.getEpochSecond(), now);
        if (won.isPresent()) {
            return new Redemption.Won(fromItem(won.get()));
        }
        return store.get(key(code), now)
                .<Redemption>map(item -> new Redemption.Replayed(fromItem(item)))
                .orElseGet(Redemption.Invalid::new);
    }

    private static String key(String code) {
        return "code#" + Hashes.sha256Url(code);
    }

    private static AuthorizationCode fromItem(Item item) {
        return new AuthorizationCode(item.required("clientId"), item.required("redirectUri"), item.strings("scopes"),
                item.required("codeChallenge"), item.string("nonce"), item.required("subject"),
                Instant.ofEpochSecond(item.number("authTime").orElseThrow()), item.string("dpopJkt"),
                item.required("grantId"));
    }
}
