package dev.fapi2lambda.core.testing;

import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The store port in memory, for pure core unit tests and JMH only. It keeps DynamoDB's semantics
 * (expired items are absent; conditional writes are atomic); DynamoDbItemStoreTest runs the same
 * contract against DynamoDB Local. Never used by the local server.
 */
public final class InMemoryItemStore implements ItemStore {
    private final ConcurrentHashMap<String, Item> items = new ConcurrentHashMap<>();

    @Override
    public Optional<Item> get(String pk, Instant now) {
        return Optional.ofNullable(items.get(pk)).filter(item -> item.isLive(now));
    }

    @Override
    public void put(Item item) {
        items.put(item.pk(), item);
    }

    @Override
    public boolean putIfAbsent(Item item, Instant now) {
        AtomicReference<Boolean> won = new AtomicReference<>(false);
        items.compute(item.pk(), (pk, existing) -> {
            if (existing != null && existing.isLive(now)) {
                return existing;
            }
            won.set(true);
            return item;
        });
        return won.get();
    }

    @Override
    public Optional<Item> consume(String pk, Instant now) {
        AtomicReference<Item> taken = new AtomicReference<>();
        items.computeIfPresent(pk, (key, existing) -> {
            if (existing.isLive(now)) {
                taken.set(existing);
                return null;
            }
            return existing;
        });
        return Optional.ofNullable(taken.get());
    }

    @Override
    public Optional<Item> update(String pk, Map<String, Object> set, Map<String, Object> expected,
                                 Optional<String> unlessSet, Instant now) {
        AtomicReference<Item> before = new AtomicReference<>();
        items.computeIfPresent(pk, (key, existing) -> {
            boolean holds = existing.isLive(now)
                    && expected.entrySet().stream().allMatch(e -> e.getValue().equals(existing.attributes().get(e.getKey())))
                    && unlessSet.map(a -> !existing.attributes().containsKey(a)).orElse(true);
            if (!holds) {
                return existing;
            }
            before.set(existing);
            Map<String, Object> attributes = new HashMap<>(existing.attributes());
            Item.Builder normalised = Item.of(pk);
            set.forEach(normalised::put);
            attributes.putAll(normalised.build().attributes());
            return new Item(pk, attributes);
        });
        return Optional.ofNullable(before.get());
    }

    @Override
    public long increment(String pk, String attribute, Instant expiresAt, Instant now) {
        Item result = items.compute(pk, (key, existing) -> {
            if (existing == null || !existing.isLive(now)) {
                return Item.of(pk).put(attribute, 1L).expiresAt(expiresAt).build();
            }
            Map<String, Object> attributes = new HashMap<>(existing.attributes());
            attributes.put(attribute, existing.number(attribute).orElse(0L) + 1);
            return new Item(pk, attributes);
        });
        return result.number(attribute).orElseThrow();
    }

    @Override
    public List<Item> list(String prefix) {
        return items.values().stream().filter(i -> i.pk().startsWith(prefix)).toList();
    }

    public int size() {
        return items.size();
    }
}
