package dev.fapi2lambda.core.testing;

import dev.fapi2lambda.core.store.Change;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.Write;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
    public synchronized Optional<Item> get(String pk, Instant now) {
        return Optional.ofNullable(items.get(pk)).filter(item -> item.isLive(now));
    }

    @Override
    public synchronized void put(Item item) {
        items.put(item.pk(), item);
    }

    @Override
    public synchronized boolean putIfAbsent(Item item, Instant now) {
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
    public synchronized Item putIfAbsentOrGet(Item item, Instant now) {
        return items.compute(item.pk(), (pk, existing) -> existing != null && existing.isLive(now) ? existing : item);
    }

    @Override
    public synchronized Optional<Item> consume(String pk, Instant now) {
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
    public synchronized long increment(String pk, String attribute, Instant expiresAt, Instant now) {
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
    public synchronized List<Item> list(String prefix) {
        return items.values().stream().filter(i -> i.pk().startsWith(prefix)).toList();
    }

    @Override
    public synchronized Optional<Item> change(Change change, Instant now) {
        Item existing = items.get(change.pk());
        if (existing == null || !existing.isLive(now) || !change.holdsOn(existing)) {
            return Optional.empty();
        }
        Item after = change.applyTo(existing);
        items.put(after.pk(), after);
        return Optional.of(after);
    }

    @Override
    public synchronized OptionalInt transact(List<Write> writes, Instant now) {
        if (writes.size() > 100 || writes.stream().map(Write::pk).distinct().count() != writes.size()) {
            throw new IllegalArgumentException("at most 100 writes, each on a different key");
        }
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            Item existing = Optional.ofNullable(items.get(w.pk())).filter(item -> item.isLive(now)).orElse(null);
            boolean holds = w instanceof Write.Put
                    || (w instanceof Write.PutIfAbsent && existing == null)
                    || (w instanceof Write.Apply a && existing != null && a.change().holdsOn(existing));
            if (!holds) {
                return OptionalInt.of(i);
            }
        }
        for (Write w : writes) {
            if (w instanceof Write.Put p) {
                items.put(p.item().pk(), p.item());
            } else if (w instanceof Write.PutIfAbsent p) {
                items.put(p.item().pk(), p.item());
            } else {
                Change c = ((Write.Apply) w).change();
                items.put(c.pk(), c.applyTo(items.get(c.pk())));
            }
        }
        return OptionalInt.empty();
    }

    @Override
    public synchronized Map<String, Item> getAll(Collection<String> pks, Instant now) {
        Map<String, Item> found = new HashMap<>();
        for (String pk : pks) {
            get(pk, now).ifPresent(item -> found.put(pk, item));
        }
        return found;
    }

    public int size() {
        return items.size();
    }
}
