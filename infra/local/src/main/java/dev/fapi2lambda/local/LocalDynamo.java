package dev.fapi2lambda.local;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import dev.fapi2lambda.aws.DynamoDbItemStore;
import dev.fapi2lambda.aws.TableSetup;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local embedded in this JVM, on a file in the state folder (or in memory), with the
 * table created as template.yaml declares it. A second process may open the same file: that is
 * how `client register` reaches a running server.
 */
final class LocalDynamo implements AutoCloseable {
    static final String TABLE = "fapi2";
    private final AmazonDynamoDBLocal local;
    private final DynamoDbClient client;

    private LocalDynamo(AmazonDynamoDBLocal local) {
        this.local = local;
        this.client = local.dynamoDbClient();
        TableSetup.createIfAbsent(client, TABLE);
    }

    static LocalDynamo open(StateDir state, boolean inMemory) {
        return new LocalDynamo(inMemory
                ? DynamoDBEmbedded.create(true)
                : DynamoDBEmbedded.create(state.file("dynamodb.db").toFile(), true));
    }

    DynamoDbItemStore store() {
        return new DynamoDbItemStore(client, TABLE);
    }

    DynamoDbClient client() {
        return client;
    }

    @Override
    public void close() {
        local.shutdown();
    }
}
