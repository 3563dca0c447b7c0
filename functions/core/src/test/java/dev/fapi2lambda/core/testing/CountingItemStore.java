package dev.fapi2lambda.core.testing;

import dev.fapi2lambda.core.store.Change;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.Write;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A store that counts its calls by method. Every method of the port is one DynamoDB request in
 * DynamoDbItemStore (increment: one, or two on an expired leftover), so the counts are the
 * requests a piece of work costs.
 */
public final class CountingItemStore implements ItemStore {
    private final ItemStore delegate;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Told of every call (method, key or "*") before it reaches the store: a test can hold or fail it. */
    public volatile BiConsumer<String, String> onCall = (method, pk) -> {
    };

    public CountingItemStore(ItemStore delegate) {
        this.delegate = delegate;
    }

    private void count(String method) {
        count(method, "*");
    }

    /** Counts a call on one key, by the kind of item (the key's prefix up to '#'). */
    private void count(String method, String pk) {
        onCall.accept(method, pk);
        int hash = pk.indexOf('#');
        String kind = hash < 0 ? pk : pk.substring(0, hash + 1);
        calls.computeIfAbsent(method + " " + kind, m -> new AtomicInteger()).incrementAndGet();
    }

    /** Calls of a method, on any item. */
    public int calls(String method) {
        return calls.entrySet().stream().filter(e -> e.getKey().startsWith(method + " "))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** Calls of a method on one kind of item ("client#"). */
    public int calls(String method, String kind) {
        AtomicInteger n = calls.get(method + " " + kind);
        return n == null ? 0 : n.get();
    }

    public int total() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Read requests: GetItem and BatchGetItem. */
    public int reads() {
        return calls("get") + calls("getAll");
    }

    public Map<String, Integer> snapshot() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        calls.forEach((m, n) -> out.put(m, n.get()));
        return out;
    }

    public void reset() {
        calls.clear();
    }

    @Override
    public Optional<Item> get(String pk, Instant now) {
        count("get", pk);
        return delegate.get(pk, now);
    }

    @Override
    public void put(Item item) {
        count("put", item.pk());
        delegate.put(item);
    }

    @Override
    public boolean putIfAbsent(Item item, Instant now) {
        count("putIfAbsent", item.pk());
        return delegate.putIfAbsent(item, now);
    }

    @Override
    public Item putIfAbsentOrGet(Item item, Instant now) {
        count("putIfAbsentOrGet", item.pk());
        return delegate.putIfAbsentOrGet(item, now);
    }

    @Override
    public Optional<Item> consume(String pk, Instant now) {
        count("consume", pk);
        return delegate.consume(pk, now);
    }


    @Override
    public Optional<Item> change(Change change, Instant now) {
        count("change", change.pk());
        return delegate.change(change, now);
    }

    @Override
    public OptionalInt transact(List<Write> writes, Instant now) {
        count("transact");
        return delegate.transact(writes, now);
    }

    @Override
    public Map<String, Item> getAll(Collection<String> pks, Instant now) {
        count("getAll");
        return delegate.getAll(pks, now);
    }

    @Override
    public long increment(String pk, String attribute, Instant expiresAt, Instant now) {
        count("increment", pk);
        return delegate.increment(pk, attribute, expiresAt, now);
    }

    @Override
    public List<Item> list(String prefix) {
        count("list");
        return delegate.list(prefix);
    }
}
