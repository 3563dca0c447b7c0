package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.store.Change;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.Write;
import dev.fapi2lambda.core.testing.AtOnce;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
    private String table;

    /** The DynamoDB under test. */
    abstract DynamoDbClient client();

    @BeforeEach
    void freshTable() {
        table = "contract-" + getClass().getSimpleName() + "-" + TABLES.incrementAndGet();
        // NOW lies in the real past: without TTL, no sweep deletes what the contract reads back.
        TableSetup.createWithoutTtl(client(), table);
        store = new DynamoDbItemStore(client(), table);
    }

    /** A store over the table whose client records each request it sends, and whether it failed. */
    private DynamoDbItemStore recording(List<String> calls) {
        DynamoDbClient recording = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    try {
                        Object answer = method.invoke(client(), args);
                        calls.add(method.getName());
                        return answer;
                    } catch (InvocationTargetException e) {
                        calls.add(method.getName() + " failed");
                        throw e.getCause();
                    }
                });
        return new DynamoDbItemStore(recording, table);
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
    @DisplayName("putIfAbsentOrGet: writes when absent or expired, otherwise answers the live item unchanged")
    void putIfAbsentOrGet() {
        Item first = Item.of("dpopnonce#1").put("nonce", "a").expiresAt(NOW.plusSeconds(30)).build();
        Item second = Item.of("dpopnonce#1").put("nonce", "b").expiresAt(NOW.plusSeconds(90)).build();
        assertEquals(first, store.putIfAbsentOrGet(first, NOW));
        assertEquals(first, store.putIfAbsentOrGet(second, NOW.plusSeconds(29)), "the blocking item, as stored");
        assertEquals(Optional.of(first), store.get("dpopnonce#1", NOW.plusSeconds(29)));
        assertEquals(second, store.putIfAbsentOrGet(second, NOW.plusSeconds(30)), "an expired leftover does not block");
        assertEquals(Optional.of(second), store.get("dpopnonce#1", NOW.plusSeconds(30)));
    }

    @Test
    @DisplayName("putIfAbsentOrGet writes, and answers a live item, in one request that succeeds (no error response)")
    void putIfAbsentOrGetInOneSuccessfulRequest() {
        List<String> calls = new ArrayList<>();
        DynamoDbItemStore countingStore = recording(calls);
        Item first = Item.of("dpopnonce#4").put("nonce", "a").expiresAt(NOW.plusSeconds(30)).build();
        Item second = Item.of("dpopnonce#4").put("nonce", "b").expiresAt(NOW.plusSeconds(90)).build();
        assertEquals(first, countingStore.putIfAbsentOrGet(first, NOW));
        assertEquals(first, countingStore.putIfAbsentOrGet(second, NOW.plusSeconds(10)));
        assertEquals(List.of("updateItem", "updateItem"), calls);
    }

    @Test
    @DisplayName("putIfAbsentOrGet on a live item that lacks one of the new item's attributes: answered and kept unchanged")
    void putIfAbsentOrGetKeepsALiveItemOfOtherAttributes() {
        Item stored = Item.of("dpopnonce#2").put("nonce", "a").expiresAt(NOW.plusSeconds(30)).build();
        store.put(stored);
        Item richer = Item.of("dpopnonce#2").put("nonce", "b").put("extra", "x").expiresAt(NOW.plusSeconds(90)).build();
        assertEquals(stored, store.putIfAbsentOrGet(richer, NOW));
        assertEquals(Optional.of(stored), store.get("dpopnonce#2", NOW), "no attribute was added");
        Item forever = Item.of("dpopnonce#3").put("nonce", "c").build();
        store.put(forever);
        assertEquals(forever, store.putIfAbsentOrGet(new Item("dpopnonce#3", richer.attributes()), NOW), "no expiresAt: live, kept");
        assertEquals(Optional.of(forever), store.get("dpopnonce#3", NOW));
    }

    @Test
    @DisplayName("putIfAbsentOrGet on an expired leftover: the failing UpdateItem, then the conditional PutItem replaces it")
    void putIfAbsentOrGetReplacesAnExpiredLeftover() {
        List<String> calls = new ArrayList<>();
        store.put(Item.of("dpopnonce#5").put("nonce", "old").expiresAt(NOW.minusSeconds(1)).build());
        Item fresh = Item.of("dpopnonce#5").put("nonce", "new").expiresAt(NOW.plusSeconds(60)).build();
        assertEquals(fresh, recording(calls).putIfAbsentOrGet(fresh, NOW));
        assertEquals(List.of("updateItem failed", "putItem"), calls);
        assertEquals(Optional.of(fresh), store.get("dpopnonce#5", NOW));
    }

    @Test
    @DisplayName("putIfAbsentOrGet from 20 threads at once on an expired leftover: one new item, all 20 get it, none the old")
    void putIfAbsentOrGetConcurrentlyOnAnExpiredLeftover() throws Exception {
        store.put(Item.of("dpopnonce#stale").put("nonce", "old").expiresAt(NOW.minusSeconds(1)).build());
        List<Item> answers = AtOnce.run(20, i -> () -> store.putIfAbsentOrGet(Item.of("dpopnonce#stale")
                .put("nonce", "n" + i).expiresAt(NOW.plusSeconds(60)).build(), NOW));
        Item stored = store.get("dpopnonce#stale", NOW).orElseThrow();
        assertNotEquals("old", stored.required("nonce"), "the expired nonce was replaced");
        assertTrue(answers.stream().allMatch(stored::equals), "every caller got the new item: " + answers);
    }

    @Test
    @DisplayName("putIfAbsentOrGet from 20 threads at once: one item is written and all 20 get that one")
    void putIfAbsentOrGetConcurrently() throws Exception {
        List<Item> answers = AtOnce.run(20, i -> () -> store.putIfAbsentOrGet(Item.of("dpopnonce#race")
                .put("nonce", "n" + i).expiresAt(NOW.plusSeconds(60)).build(), NOW));
        Item stored = store.get("dpopnonce#race", NOW).orElseThrow();
        assertTrue(answers.stream().allMatch(stored::equals), "every caller got the written item: " + answers);
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
    @DisplayName("change guarded by its own attribute: sets it for exactly one of 20 callers")
    void setOnce() throws Exception {
        store.put(Item.of("code#1").put("client", "c").expiresAt(NOW.plusSeconds(60)).build());
        assertEquals(1, race(() -> store.change(once("code#1", 1L), NOW).isPresent()));
        Item after = store.get("code#1", NOW).orElseThrow();
        assertEquals(Optional.of(1L), after.number("redeemedAt"));
        assertTrue(store.change(once("code#1", 2L), NOW).isEmpty());
        store.put(Item.of("code#2").put("client", "c").expiresAt(NOW.plusSeconds(60)).build());
        assertTrue(store.change(once("code#2", 1L), NOW.plusSeconds(60)).isEmpty(), "expired code");
        assertTrue(store.change(once("code#missing", 1L), NOW).isEmpty());
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

    @Test
    @DisplayName("change: SET, ADD and REMOVE under expected/present/absent/below conditions, returning the item after")
    void change() {
        store.put(Item.of("x#4").put("a", "1").put("gone", "x").put("n", 3L).expiresAt(NOW.plusSeconds(60)).build());
        Optional<Item> after = store.change(Change.on("x#4").set("b", "2").add("n", 2).add("fresh", 1).remove("gone")
                .expect("a", "1").present("a").absent("b").below("n", 4).below("fresh", 1).build(), NOW);
        Item expected = Item.of("x#4").put("a", "1").put("b", "2").put("n", 5L).put("fresh", 1L)
                .expiresAt(NOW.plusSeconds(60)).build();
        assertEquals(Optional.of(expected), after);
        assertEquals(Optional.of(expected), store.get("x#4", NOW));
        // Each condition that fails refuses the whole change.
        assertTrue(store.change(Change.on("x#4").set("c", "3").expect("a", "other").build(), NOW).isEmpty());
        assertTrue(store.change(Change.on("x#4").set("c", "3").present("missing").build(), NOW).isEmpty());
        assertTrue(store.change(Change.on("x#4").set("c", "3").absent("b").build(), NOW).isEmpty());
        assertTrue(store.change(Change.on("x#4").set("c", "3").below("n", 5).build(), NOW).isEmpty());
        assertTrue(store.change(Change.on("x#4").set("c", "3").build(), NOW.plusSeconds(60)).isEmpty(), "expired");
        assertTrue(store.change(Change.on("x#missing").set("c", "3").build(), NOW).isEmpty(), "never creates");
        assertTrue(store.get("x#missing", NOW).isEmpty());
        assertEquals(Optional.of(expected), store.get("x#4", NOW));
    }

    @Test
    @DisplayName("change: of 20 concurrent changes guarded by the same condition exactly one wins")
    void changeConcurrently() throws Exception {
        store.put(Item.of("x#5").put("csrf", "old").expiresAt(NOW.plusSeconds(60)).build());
        AtomicInteger next = new AtomicInteger();
        assertEquals(1, race(() -> store.change(Change.on("x#5").expect("csrf", "old")
                .set("csrf", "new-" + next.incrementAndGet()).build(), NOW).isPresent()));
    }

    @Test
    @DisplayName("transact: all or nothing; a failed condition names its write's index and nothing is written")
    void transact() {
        store.put(Item.of("x#6").put("state", "open").expiresAt(NOW.plusSeconds(60)).build());
        store.put(Item.of("jti#used").expiresAt(NOW.plusSeconds(60)).build());
        Item fresh = Item.of("jti#fresh").expiresAt(NOW.plusSeconds(60)).build();
        Item grant = Item.of("grant#1").put("v", "g").build();
        Change spend = Change.on("x#6").expect("state", "open").set("state", "spent").build();
        assertEquals(OptionalInt.of(1), store.transact(List.of(Write.putIfAbsent(fresh), Write.putIfAbsent(
                Item.of("jti#used").build()), Write.apply(spend), Write.put(grant)), NOW));
        assertTrue(store.get("jti#fresh", NOW).isEmpty(), "nothing written");
        assertTrue(store.get("grant#1", NOW).isEmpty());
        assertEquals("open", store.get("x#6", NOW).orElseThrow().required("state"));
        assertEquals(OptionalInt.empty(), store.transact(List.of(Write.putIfAbsent(fresh), Write.apply(spend),
                Write.put(grant)), NOW));
        assertEquals("spent", store.get("x#6", NOW).orElseThrow().required("state"));
        assertEquals(Optional.of(grant), store.get("grant#1", NOW));
        assertTrue(store.get("jti#fresh", NOW).isPresent());
        assertEquals(OptionalInt.of(0), store.transact(List.of(Write.apply(spend), Write.put(
                Item.of("grant#2").build())), NOW), "spent already");
        assertTrue(store.get("grant#2", NOW).isEmpty());
        // An expired guard does not block; an expired item cannot be changed.
        assertEquals(OptionalInt.empty(), store.transact(List.of(Write.putIfAbsent(Item.of("jti#used")
                .expiresAt(NOW.plusSeconds(120)).build())), NOW.plusSeconds(60)));
        assertEquals(OptionalInt.of(0), store.transact(List.of(Write.apply(Change.on("x#6").set("late", true).build())),
                NOW.plusSeconds(60)));
    }

    @Test
    @DisplayName("transact: of 20 concurrent transactions spending the same item exactly one commits")
    void transactConcurrently() throws Exception {
        store.put(Item.of("x#7").expiresAt(NOW.plusSeconds(60)).build());
        AtomicInteger n = new AtomicInteger();
        assertEquals(1, race(() -> {
            int i = n.incrementAndGet();
            return store.transact(List.of(Write.apply(Change.on("x#7").absent("spent").set("spent", (long) i).build()),
                    Write.putIfAbsent(Item.of("grant#c" + i).build())), NOW).isEmpty();
        }));
        assertEquals(1, store.list("grant#c").size(), "only the winner's grant exists");
    }

    @Test
    @DisplayName("getAll: the live items of the given keys in one consistent read; expired and missing are left out")
    void getAll() {
        store.put(Item.of("y#1").put("v", "1").build());
        store.put(Item.of("y#2").put("v", "2").expiresAt(NOW).build());
        List<String> keys = new ArrayList<>();
        for (int i = 3; i < 103; i++) {
            keys.add("y#" + i);
        }
        Map<String, Item> found = store.getAll(List.of("y#1", "y#2", "y#missing"), NOW);
        assertEquals(Map.of("y#1", Item.of("y#1").put("v", "1").build()), found);
        assertTrue(store.getAll(List.of(), NOW).isEmpty());
        assertTrue(store.getAll(keys, NOW).isEmpty(), "100 keys in one request");
    }

    private static Change once(String pk, long value) {
        return Change.on(pk).absent("redeemedAt").set("redeemedAt", value).build();
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
