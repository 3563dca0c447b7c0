package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.store.Item;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The store port's contract over DynamoDB's real API, run once per DynamoDB a subclass brings
 * (DynamoDB Local, LocalStack). Each test gets a fresh table made by the production TableSetup.
 */
abstract class DynamoDbItemStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final AtomicInteger TABLES = new AtomicInteger();
    private DynamoDbItemStore store;

    /** The DynamoDB under test. */
    abstract DynamoDbClient client();

    @BeforeEach
    void freshTable() {
        String table = "contract-" + getClass().getSimpleName() + "-" + TABLES.incrementAndGet();
        // NOW lies in the real past: without TTL, no sweep deletes what the contract reads back.
        TableSetup.createWithoutTtl(client(), table);
        store = new DynamoDbItemStore(client(), table);
    }

    @Test
    @DisplayName("every attribute type round-trips and the pk is the key")
    void roundTrip() {
        Item item = Item.of("x#1").put("s", "text").put("n", 42L).put("b", true).put("l", List.of("a", "b"))
                .expiresAt(NOW.plusSeconds(60)).build();
        store.put(item);
        assertEquals(Optional.of(item), store.get("x#1", NOW));
    }

    @Test
    @DisplayName("an item past expiresAt is absent on read although TTL has not deleted it")
    void expiredItemIsAbsent() {
        store.put(Item.of("x#2").put("s", "v").expiresAt(NOW.plusSeconds(60)).build());
        assertTrue(store.get("x#2", NOW.plusSeconds(59)).isPresent());
        assertTrue(store.get("x#2", NOW.plusSeconds(60)).isEmpty(), "expiresAt == now counts as expired");
        assertTrue(store.get("x#2", NOW.plusSeconds(3600)).isEmpty());
    }

    @Test
    @DisplayName("putIfAbsent: one winner; an expired leftover does not block the next write")
    void putIfAbsent() {
        Item guard = Item.of("jti#1").expiresAt(NOW.plusSeconds(30)).build();
        assertTrue(store.putIfAbsent(guard, NOW));
        assertFalse(store.putIfAbsent(guard, NOW.plusSeconds(29)));
        assertTrue(store.putIfAbsent(Item.of("jti#1").expiresAt(NOW.plusSeconds(90)).build(), NOW.plusSeconds(31)));
    }

    @Test
    @DisplayName("putIfAbsent from 20 threads at once: exactly one wins (conditional write)")
    void putIfAbsentConcurrently() throws Exception {
        Item guard = Item.of("jti#race").expiresAt(NOW.plusSeconds(30)).build();
        assertEquals(1, race(() -> store.putIfAbsent(guard, NOW)));
    }

    @Test
    @DisplayName("consume: the live item goes to exactly one of 20 callers, an expired one to none")
    void consume() throws Exception {
        store.put(Item.of("par#1").put("v", "1").expiresAt(NOW.plusSeconds(60)).build());
        assertEquals(1, race(() -> store.consume("par#1", NOW).isPresent()));
        assertTrue(store.get("par#1", NOW).isEmpty());
        store.put(Item.of("par#2").put("v", "2").expiresAt(NOW.plusSeconds(60)).build());
        assertTrue(store.consume("par#2", NOW.plusSeconds(61)).isEmpty());
    }

    @Test
    @DisplayName("markOnce: sets the attribute for exactly one of 20 callers and returns the item as it was")
    void markOnce() throws Exception {
        store.put(Item.of("code#1").put("client", "c").expiresAt(NOW.plusSeconds(60)).build());
        assertEquals(1, race(() -> store.markOnce("code#1", "redeemedAt", 1L, NOW).isPresent()));
        Item after = store.get("code#1", NOW).orElseThrow();
        assertEquals(Optional.of(1L), after.number("redeemedAt"));
        assertTrue(store.markOnce("code#1", "redeemedAt", 2L, NOW).isEmpty());
        store.put(Item.of("code#2").put("client", "c").expiresAt(NOW.plusSeconds(60)).build());
        assertTrue(store.markOnce("code#2", "redeemedAt", 1L, NOW.plusSeconds(60)).isEmpty(), "expired code");
        assertTrue(store.markOnce("code#missing", "redeemedAt", 1L, NOW).isEmpty());
    }

    @Test
    @DisplayName("list returns the items of one prefix only")
    void listByPrefix() {
        store.put(Item.of("client#a").put("v", "a").build());
        store.put(Item.of("client#b").put("v", "b").build());
        store.put(Item.of("user#a").put("v", "a").build());
        assertEquals(2, store.list("client#").size());
    }

    @Test
    @DisplayName("the table is keyed by pk with TTL enabled on expiresAt (DESIGN.md 3)")
    void tableHasTtl() {
        String table = "ttlcheck-" + TABLES.incrementAndGet();
        TableSetup.createIfAbsent(client(), table);
        var ttl = client().describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
        assertEquals("expiresAt", ttl.attributeName());
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
        TableSetup.createIfAbsent(client(), table);
    }

    @Test
    @DisplayName("stored items hold what they are given and nothing else")
    void storedAsGiven() {
        store.put(Item.of("x#3").put("s", "v").build());
        Map<String, AttributeValue> raw = client()
                .scan(r -> r.tableName(store.table())).items().stream()
                .filter(i -> i.get("pk").s().equals("x#3")).findFirst().orElseThrow();
        assertEquals(Map.of("pk", AttributeValue.fromS("x#3"), "s", AttributeValue.fromS("v")), raw);
    }

    /** Runs the call from 20 threads released together; counts the true answers. */
    private static int race(Callable<Boolean> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> r : results) {
                wins += r.get() ? 1 : 0;
            }
            return wins;
        } finally {
            pool.shutdownNow();
        }
    }
}
