package dev.fapi2lambda.core.token;

import dev.fapi2lambda.core.store.Change;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.Write;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Grants as items {@code grant#<id>}, living as long as their refresh token. */
public final class Grants {
    private final ItemStore store;

    public Grants(ItemStore store) {
        this.store = store;
    }

    public Optional<Grant> find(String id, Instant now) {
        return store.get(key(id), now).map(item -> new Grant(id, item.required("clientId"), item.required("subject"),
                item.strings("scopes"), Instant.ofEpochSecond(item.number("authTime").orElseThrow()),
                item.string("dpopJkt"), item.string("x5t"), item.required("refreshHash"), item.flag("revoked"),
                item.expiresAt().orElseThrow()));
    }

    /** Marks the grant revoked, if it exists. */
    public void revoke(String id, Instant now) {
        store.change(Change.on(key(id)).set("revoked", true).build(), now);
    }

    /** The write of a new grant (it fails if a grant with its id exists already). */
    public Write create(Grant grant) {
        Item item = Item.of(key(grant.id()))
                .put("clientId", grant.clientId())
                .put("subject", grant.subject())
                .put("scopes", grant.scopes())
                .put("authTime", grant.authTime().getEpochSecond())
                .put("dpopJkt", grant.dpopJkt())
                .put("x5t", grant.x5t())
                .put("refreshHash", grant.refreshHash())
                .put("revoked", false)
                .expiresAt(grant.expiresAt())
                .build();
        return Write.putIfAbsent(item);
    }

    private static String key(String id) {
        return "grant#" + id;
    }
}
