package dev.fapi2lambda.core.token;

import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Authorization codes as items {@code code#<sha256(code)>}: the code itself is never stored.
 * Redemption is one conditional update ({@code attribute_not_exists(redeemedAt)}), so of many
 * concurrent redemptions exactly one wins; the spent item stays for the grant's lifetime so that a
 * replay is recognised as one (and revokes the grant) rather than looking like an unknown code.
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

    /** A live code as read before redemption: what it stands for and whether it was spent already. */
    public record Peeked(AuthorizationCode code, boolean redeemed) {
    }

    /** Reads the live code without spending it, so every check (and the signing) happens before the one write. */
    public Optional<Peeked> peek(String code, Instant now) {
        return store.get(key(code), now).map(item -> new Peeked(fromItem(item), item.number("redeemedAt").isPresent()));
    }

    /**
     * Spends the code: exactly one caller wins. The spent code is kept until {@code keepUntil} (the
     * grant's lifetime) so that a replay at any time is recognised and revokes the grant.
     */
    public Redemption redeem(String code, Instant now, Instant keepUntil) {
        Optional<Item> won = store.update(key(code), Map.of("redeemedAt", now.getEpochSecond(),
                Item.EXPIRES_AT, keepUntil.getEpochSecond()), Map.of(), Optional.of("redeemedAt"), now);
        if (won.isPresent()) {
            return new Redemption.Won(fromItem(won.get()));
        }
        return store.get(key(code), now)
                .<Redemption>map(item -> new Redemption.Replayed(fromItem(item)))
                .orElseGet(Redemption.Invalid::new);
    }

    /** Records that the code was replayed, for a winner that has not written its grant yet. */
    public void markReplayed(String code, Instant now) {
        store.update(key(code), Map.of("replayedAt", now.getEpochSecond()), Map.of(), Optional.empty(), now);
    }

    public boolean wasReplayed(String code, Instant now) {
        return store.get(key(code), now).map(i -> i.number("replayedAt").isPresent()).orElse(false);
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
