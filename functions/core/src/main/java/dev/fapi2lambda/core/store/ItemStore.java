package dev.fapi2lambda.core.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one storage port: a table of items keyed by {@code pk}. Every method that decides security
 * is strongly consistent and treats an item whose {@code expiresAt} is not after {@code now} as
 * absent, because TTL deletion is lazy. One-time things are settled by conditional writes here,
 * never by read-then-write in the caller. Implemented over DynamoDB in the aws module.
 */
public interface ItemStore {

    /** The live item with this key, read strongly consistent. */
    Optional<Item> get(String pk, Instant now);

    /** Writes the item, replacing any item with its key. */
    void put(Item item);

    /**
     * Writes the item only if no live item has its key. Of concurrent callers exactly one gets
     * {@code true}. An expired item that TTL has not deleted yet does not block the write.
     */
    boolean putIfAbsent(Item item, Instant now);

    /**
     * Writes the item only if no live item has its key, as {@link #putIfAbsent}, and answers the
     * live item the key has afterwards, in one request (DynamoDB: two when an expired leftover holds
     * the key, which is replaced): this item if it was written, otherwise the
     * item that blocked the write, unchanged. Of concurrent callers exactly one's item is written,
     * and every caller gets that one. For values that the first to need them draws and every later
     * caller adopts (the DPoP nonces, whose drawer calls it after a read found no live item): a
     * caller that loses the race needs no read after it.
     */
    Item putIfAbsentOrGet(Item item, Instant now);

    /** Deletes the live item and returns it; of concurrent callers exactly one gets it. */
    Optional<Item> consume(String pk, Instant now);

    /**
     * Applies the change if the item is live and the change's conditions hold; returns the item as
     * it is after the change. Of concurrent callers whose conditions hold on the same state, at most
     * one gets the item; the others, and any caller once the item is gone or expired, get empty.
     */
    Optional<Item> change(Change change, Instant now);

    /**
     * Writes all or nothing, in one request: empty if every write's condition held and all were
     * written; otherwise nothing was written and the answer is the index of a write whose condition
     * failed. A conflict with a concurrent transaction on the same item is retried, so an index means
     * the condition failed on committed state. At most 100 writes, each on a different key.
     */
    OptionalInt transact(List<Write> writes, Instant now);

    /** The live items with these keys, read strongly consistent in one request (at most 100 keys). */
    Map<String, Item> getAll(Collection<String> pks, Instant now);

    /**
     * Adds one to a counter attribute of a live item, or starts the item with the counter at 1
     * and the given expiry. Returns the new count. For throttles: not a one-time guard.
     */
    long increment(String pk, String attribute, Instant expiresAt, Instant now);

    /** Every item whose key starts with the prefix. For admin commands only: this is a scan. */
    List<Item> list(String prefix);
}
