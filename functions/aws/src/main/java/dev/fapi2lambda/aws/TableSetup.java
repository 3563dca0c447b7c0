package dev.fapi2lambda.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Creates the one table as template.yaml declares it (DESIGN.md 3): partition key pk, on-demand,
 * TTL on expiresAt. For DynamoDB Local and tests; in AWS CloudFormation creates it.
 */
public final class TableSetup {
    private TableSetup() {
    }

    public static void createIfAbsent(DynamoDbClient dynamo, String table) {
        if (createTable(dynamo, table)) {
            dynamo.updateTimeToLive(r -> r.tableName(table)
                    .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
        }
    }

    /**
     * The same table without TTL: for tests that run at fixed instants in the real past, whose
     * items DynamoDB Local's sweep (on the real clock) would delete mid-test. Expiry is still
     * enforced, by the store's own checks on expiresAt, which is what those tests exercise.
     */
    public static void createWithoutTtl(DynamoDbClient dynamo, String table) {
        createTable(dynamo, table);
    }

    /** True if this call created it. */
    private static boolean createTable(DynamoDbClient dynamo, String table) {
        try {
            dynamo.createTable(r -> r.tableName(table)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(DynamoDbItemStore.PK)
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName(DynamoDbItemStore.PK).keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        } catch (ResourceInUseException alreadyThere) {
            return false;
        }
        return true;
    }
}
