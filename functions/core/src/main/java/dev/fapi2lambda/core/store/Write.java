package dev.fapi2lambda.core.store;

/** One write of an all-or-nothing {@link ItemStore#transact}. */
public sealed interface Write {
    /** Writes the item, replacing any item with its key. Never fails a transaction. */
    record Put(Item item) implements Write {
    }

    /** Writes the item only if no live item has its key (a one-time guard). */
    record PutIfAbsent(Item item) implements Write {
    }

    /** Applies the change, only if its conditions hold on the live item. */
    record Apply(Change change) implements Write {
    }

    static Write put(Item item) {
        return new Put(item);
    }

    static Write putIfAbsent(Item item) {
        return new PutIfAbsent(item);
    }

    static Write apply(Change change) {
        return new Apply(change);
    }

    default String pk() {
        if (this instanceof Put p) {
            return p.item().pk();
        }
        if (this instanceof PutIfAbsent p) {
            return p.item().pk();
        }
        return ((Apply) this).change().pk();
    }
}
