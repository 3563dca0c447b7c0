package dev.fapi2lambda.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

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

    /** Deletes the live item and returns it; of concurrent callers exactly one gets it. */
    Optional<Item> consume(String pk, Instant now);

    /**
     * Sets {@code attribute} to {@code value} on the live item if the attribute is not set yet, and
     * returns the item as it was before. Of concurrent callers exactly one gets the item; the
     * others (and any caller once the item is gone or expired) get empty.
     */
    Optional<Item> markOnce(String pk, String attribute, Object value, Instant now);

    /** Every item whose key starts with the prefix. For admin commands only: this is a scan. */
    List<Item> list(String prefix);
}
