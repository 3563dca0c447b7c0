package dev.fapi2lambda.aws;

import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.Change;
import dev.fapi2lambda.core.store.Write;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * The store port on one DynamoDB table (DESIGN.md 3). Every condition that decides a one-time
 * thing is evaluated by DynamoDB; every read is strongly consistent; items whose expiresAt has
 * passed are treated as absent, whether or not TTL has deleted them yet.
 */
public final class DynamoDbItemStore implements ItemStore {
    static final String PK = "pk";
    private static final int ATTEMPTS = 5;
    private static final String LIVE = "(attribute_not_exists(expiresAt) OR expiresAt > :now)";
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbItemStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    String table() {
        return table;
    }

    @Override
    public Optional<Item> get(String pk, Instant now) {
        Map<String, AttributeValue> found = dynamo.getItem(r -> r.tableName(table).key(key(pk)).consistentRead(true)).item();
        return found == null || found.isEmpty() ? Optional.empty() : Optional.of(fromDynamo(found)).filter(i -> i.isLive(now));
    }

    @Override
    public void put(Item item) {
        dynamo.putItem(r -> r.tableName(table).item(toDynamo(item)));
    }

    @Override
    public boolean putIfAbsent(Item item, Instant now) {
        try {
            putWhereNoLiveItem(item, now, ReturnValuesOnConditionCheckFailure.NONE);
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (TransactionConflictException e) {
            return false;   // a transaction is writing this very guard now: the other request uses it
        }
    }

    /**
     * Usually one UpdateItem that cannot fail: it sets each of the item's attributes only where the
     * stored item lacks it ({@code if_not_exists}), on the condition that there is no item or a live
     * one that has every one of them, and answers the item as it is afterwards (ALL_NEW). So it
     * creates the item, or leaves the live one as it was and answers it. Only when the key holds an
     * expired leftover, or a live item lacking one of the attributes, does the condition fail; then
     * the conditional PutItem below decides. The common paths answer without an error response,
     * which in a fresh JVM costs the SDK's exception path, about 20 ms (infra/bench, coldstart).
     */
    @Override
    public Item putIfAbsentOrGet(Item item, Instant now) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", number(now.getEpochSecond()));
        List<String> sets = new ArrayList<>();
        StringBuilder condition = new StringBuilder("attribute_not_exists(pk) OR (" + LIVE);
        toDynamo(item).forEach((attribute, value) -> {
            if (!PK.equals(attribute)) {
                String name = "#a" + names.size();
                String placeholder = ":v" + names.size();
                names.put(name, attribute);
                values.put(placeholder, value);
                sets.add(name + " = if_not_exists(" + name + ", " + placeholder + ")");
                condition.append(" AND attribute_exists(").append(name).append(')');
            }
        });
        condition.append(')');
        if (!sets.isEmpty()) {
            try {
                var updated = dynamo.updateItem(r -> r.tableName(table).key(key(item.pk()))
                        .updateExpression("SET " + String.join(", ", sets))
                        .conditionExpression(condition.toString())
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW));
                return fromDynamo(updated.attributes());
            } catch (ConditionalCheckFailedException leftoverOrDifferent) {
                // An expired leftover (which the put replaces) or a live item of other attributes (which it answers).
            }
        }
        try {
            putWhereNoLiveItem(item, now, ReturnValuesOnConditionCheckFailure.ALL_OLD);
            return item;
        } catch (ConditionalCheckFailedException e) {
            // The condition failed on a live item, and ALL_OLD makes the error carry it as it was.
            if (!e.hasItem() || e.item().isEmpty()) {
                throw new IllegalStateException("conditional put failed without the item that blocked it");
            }
            return fromDynamo(e.item());
        }
    }

    /** PutItem on the condition that no live item has the key; the error carries {@code onFailure}. */
    private void putWhereNoLiveItem(Item item, Instant now, ReturnValuesOnConditionCheckFailure onFailure) {
        dynamo.putItem(r -> r.tableName(table).item(toDynamo(item))
                .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :now")
                .expressionAttributeValues(Map.of(":now", number(now.getEpochSecond())))
                .returnValuesOnConditionCheckFailure(onFailure));
    }

    @Override
    public Optional<Item> consume(String pk, Instant now) {
        try {
            DeleteItemResponse deleted = dynamo.deleteItem(r -> r.tableName(table).key(key(pk))
                    .conditionExpression("attribute_exists(pk) AND " + LIVE)
                    .expressionAttributeValues(Map.of(":now", number(now.getEpochSecond())))
                    .returnValues(ReturnValue.ALL_OLD));
            return Optional.of(fromDynamo(deleted.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Item> change(Change change, Instant now) {
        Expression e = Expression.of(change, now);
        return retryingConflicts(() -> {
            try {
                var updated = dynamo.updateItem(r -> r.tableName(table).key(key(change.pk()))
                        .updateExpression(e.update())
                        .conditionExpression(e.condition())
                        .expressionAttributeNames(e.names())
                        .expressionAttributeValues(e.values())
                        .returnValues(ReturnValue.ALL_NEW));
                return Optional.of(fromDynamo(updated.attributes()));
            } catch (ConditionalCheckFailedException failed) {
                return Optional.empty();
            }
        });
    }

    @Override
    public OptionalInt transact(List<Write> writes, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        for (Write w : writes) {
            if (w instanceof Write.Put p) {
                items.add(TransactWriteItem.builder().put(b -> b.tableName(table).item(toDynamo(p.item()))).build());
            } else if (w instanceof Write.PutIfAbsent p) {
                items.add(TransactWriteItem.builder().put(b -> b.tableName(table).item(toDynamo(p.item()))
                        .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :now")
                        .expressionAttributeValues(Map.of(":now", number(now.getEpochSecond())))).build());
            } else {
                Change c = ((Write.Apply) w).change();
                Expression e = Expression.of(c, now);
                items.add(TransactWriteItem.builder().update(b -> b.tableName(table).key(key(c.pk()))
                        .updateExpression(e.update()).conditionExpression(e.condition())
                        .expressionAttributeNames(e.names()).expressionAttributeValues(e.values())).build());
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(items));
                return OptionalInt.empty();
            } catch (TransactionCanceledException cancelled) {
                List<CancellationReason> reasons = cancelled.cancellationReasons();
                for (int i = 0; i < reasons.size(); i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        return OptionalInt.of(i);
                    }
                }
                boolean conflict = reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict || attempt == ATTEMPTS) {
                    throw cancelled;   // throttling, validation, capacity, or a lasting conflict: an error
                }
                // Another transaction on one of the items is committing: decide on its outcome, not ours.
                backOff(attempt);
            }
        }
    }

    @Override
    public Map<String, Item> getAll(Collection<String> pks, Instant now) {
        Map<String, Item> found = new HashMap<>();
        if (pks.isEmpty()) {
            return found;
        }
        List<Map<String, AttributeValue>> keys = pks.stream().distinct().map(DynamoDbItemStore::key).toList();
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        for (int attempt = 0; !request.isEmpty(); attempt++) {
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("BatchGetItem left keys unprocessed after " + ATTEMPTS + " attempts");
            }
            if (attempt > 0) {
                backOff(attempt);   // unprocessed keys mean throttling: wait before asking again
            }
            Map<String, KeysAndAttributes> pending = request;
            BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(pending));
            response.responses().getOrDefault(table, List.of()).stream().map(DynamoDbItemStore::fromDynamo)
                    .filter(item -> item.isLive(now)).forEach(item -> found.put(item.pk(), item));
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return found;
    }

    /**
     * A single-item write that met a transaction in progress on its item (TransactionConflict) is
     * tried again once that has settled; if it keeps meeting one, it is refused (empty).
     */
    private static Optional<Item> retryingConflicts(java.util.function.Supplier<Optional<Item>> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (TransactionConflictException conflict) {
                if (attempt == ATTEMPTS) {
                    return Optional.empty();
                }
                backOff(attempt);
            }
        }
    }

    /** Exponential back-off with full jitter: up to 10, 20, 40, 80 ms. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 10L << Math.min(attempt, 4)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    /** A change as DynamoDB expressions; the condition always includes "exists and live". */
    private record Expression(String update, String condition, Map<String, String> names,
                              Map<String, AttributeValue> values) {
        static Expression of(Change c, Instant now) {
            Map<String, String> names = new HashMap<>();
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":now", number(now.getEpochSecond()));
            List<String> sets = new ArrayList<>();
            List<String> adds = new ArrayList<>();
            List<String> removes = new ArrayList<>();
            StringBuilder condition = new StringBuilder("attribute_exists(pk) AND " + LIVE);
            int[] n = {0};
            java.util.function.Function<String, String> name = a -> {
                String placeholder = "#a" + n[0]++;
                names.put(placeholder, a);
                return placeholder;
            };
            java.util.function.Function<Object, String> value = v -> {
                String placeholder = ":v" + n[0]++;
                values.put(placeholder, toDynamo(v));
                return placeholder;
            };
            c.set().forEach((a, v) -> sets.add(name.apply(a) + " = " + value.apply(v)));
            c.add().forEach((a, v) -> adds.add(name.apply(a) + " " + value.apply(v)));
            c.remove().forEach(a -> removes.add(name.apply(a)));
            c.expected().forEach((a, v) -> condition.append(" AND ").append(name.apply(a)).append(" = ").append(value.apply(v)));
            c.present().forEach(a -> condition.append(" AND attribute_exists(").append(name.apply(a)).append(')'));
            c.absent().forEach(a -> condition.append(" AND attribute_not_exists(").append(name.apply(a)).append(')'));
            c.below().forEach((a, v) -> {
                String attr = name.apply(a);
                condition.append(" AND (attribute_not_exists(").append(attr).append(") OR ").append(attr).append(" < ")
                        .append(value.apply(v)).append(')');
            });
            StringBuilder update = new StringBuilder();
            if (!sets.isEmpty()) {
                update.append("SET ").append(String.join(", ", sets));
            }
            if (!adds.isEmpty()) {
                update.append(update.length() > 0 ? " " : "").append("ADD ").append(String.join(", ", adds));
            }
            if (!removes.isEmpty()) {
                update.append(update.length() > 0 ? " " : "").append("REMOVE ").append(String.join(", ", removes));
            }
            return new Expression(update.toString(), condition.toString(), names, values);
        }
    }

    @Override
    public long increment(String pk, String attribute, Instant expiresAt, Instant now) {
        for (int attempt = 0; ; attempt++) {
            try {
                // Absent or live: add one atomically (an absent item is created with its expiry).
                var updated = dynamo.updateItem(r -> r.tableName(table).key(key(pk))
                        .updateExpression("ADD #c :one SET expiresAt = if_not_exists(expiresAt, :exp)")
                        .conditionExpression("attribute_not_exists(pk) OR expiresAt > :now")
                        .expressionAttributeNames(Map.of("#c", attribute))
                        .expressionAttributeValues(Map.of(":one", number(1), ":now", number(now.getEpochSecond()),
                                ":exp", number(expiresAt.getEpochSecond())))
                        .returnValues(ReturnValue.UPDATED_NEW));
                return Long.parseLong(updated.attributes().get(attribute).n());
            } catch (ConditionalCheckFailedException expiredLeftover) {
                try {
                    // An expired item TTL has not deleted yet: start over at 1, unless someone else just did.
                    dynamo.updateItem(r -> r.tableName(table).key(key(pk))
                            .updateExpression("SET #c = :one, expiresAt = :exp")
                            .conditionExpression("expiresAt <= :now")
                            .expressionAttributeNames(Map.of("#c", attribute))
                            .expressionAttributeValues(Map.of(":one", number(1), ":now", number(now.getEpochSecond()),
                                    ":exp", number(expiresAt.getEpochSecond()))));
                    return 1;
                } catch (ConditionalCheckFailedException restartedMeanwhile) {
                    if (attempt > 2) {
                        throw restartedMeanwhile;
                    }
                }
            }
        }
    }

    @Override
    public List<Item> list(String prefix) {
        List<Item> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder().tableName(table).consistentRead(true)
                    .filterExpression("begins_with(pk, :p)")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(prefix)));
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            ScanResponse page = dynamo.scan(scan.build());
            page.items().forEach(i -> items.add(fromDynamo(i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of(PK, AttributeValue.fromS(pk));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static Map<String, AttributeValue> toDynamo(Item item) {
        Map<String, AttributeValue> out = new HashMap<>();
        item.attributes().forEach((name, value) -> out.put(name, toDynamo(value)));
        out.put(PK, AttributeValue.fromS(item.pk()));
        return out;
    }

    private static AttributeValue toDynamo(Object value) {
        if (value instanceof String s) {
            return AttributeValue.fromS(s);
        }
        if (value instanceof Long l) {
            return number(l);
        }
        if (value instanceof Integer i) {
            return number(i);
        }
        if (value instanceof Boolean b) {
            return AttributeValue.fromBool(b);
        }
        if (value instanceof List<?> list) {
            return AttributeValue.fromL(list.stream().map(v -> AttributeValue.fromS((String) v)).toList());
        }
        throw new IllegalArgumentException("unsupported attribute type " + value.getClass());
    }

    static Item fromDynamo(Map<String, AttributeValue> attributes) {
        Map<String, Object> out = new HashMap<>();
        attributes.forEach((name, value) -> {
            if (!PK.equals(name)) {
                out.put(name, fromDynamo(value));
            }
        });
        return new Item(attributes.get(PK).s(), out);
    }

    private static Object fromDynamo(AttributeValue value) {
        if (value.s() != null) {
            return value.s();
        }
        if (value.n() != null) {
            return Long.parseLong(value.n());
        }
        if (value.bool() != null) {
            return value.bool();
        }
        if (value.hasL()) {
            return value.l().stream().map(AttributeValue::s).toList();
        }
        throw new IllegalStateException("unsupported DynamoDB attribute " + value.type());
    }
}
