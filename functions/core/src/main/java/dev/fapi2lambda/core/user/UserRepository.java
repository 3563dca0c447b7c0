package dev.fapi2lambda.core.user;

import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Users as items {@code user#<username>}; profile claims as attributes prefixed {@code claim.}. */
public final class UserRepository {
    private static final String PREFIX = "user#";
    private static final String CLAIM = "claim.";
    private final ItemStore store;

    public UserRepository(ItemStore store) {
        this.store = store;
    }

    public void save(User user) {
        Item.Builder item = Item.of(key(user.username()))
                .put("username", user.username())
                .put("passwordHash", user.passwordHash());
        user.claims().forEach((name, value) -> item.put(CLAIM + name, value));
        store.put(item.build());
    }

    public Optional<User> find(String username, Instant now) {
        return store.get(key(username), now).map(UserRepository::fromItem);
    }

    public static String key(String username) {
        return PREFIX + username;
    }

    public static User fromItem(Item item) {
        Map<String, String> claims = new HashMap<>();
        item.attributes().forEach((name, value) -> {
            if (name.startsWith(CLAIM) && value instanceof String s) {
                claims.put(name.substring(CLAIM.length()), s);
            }
        });
        return new User(item.required("username"), item.required("passwordHash"), claims);
    }
}
