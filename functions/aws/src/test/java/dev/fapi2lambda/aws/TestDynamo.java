package dev.fapi2lambda.aws;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local, embedded, one per test JVM (it takes a second to start); each caller gets a
 * table of its own, created by the production TableSetup.
 */
public final class TestDynamo {
    private static final AmazonDynamoDBLocal LOCAL = DynamoDBEmbedded.create(true);
    private static final AtomicInteger TABLES = new AtomicInteger();

    private TestDynamo() {
    }

    public static DynamoDbClient client() {
        return LOCAL.dynamoDbClient();
    }

    /**
     * A fresh, empty table and the store over it. Without TTL: these tests run at fixed instants
     * that lie in the real past, and DynamoDB Local's sweep runs on the real clock. Expiry is
     * enforced by the store's reads and conditions; the TTL setting itself is tested in
     * DynamoDbItemStoreTest.
     */
    public static DynamoDbItemStore freshStore() {
        String table = "table-" + TABLES.incrementAndGet();
        TableSetup.createWithoutTtl(client(), table);
        return new DynamoDbItemStore(client(), table);
    }
}
