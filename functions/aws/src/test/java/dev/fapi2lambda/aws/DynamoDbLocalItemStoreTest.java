package dev.fapi2lambda.aws;

import org.junit.jupiter.api.DisplayName;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The store contract on DynamoDB Local, embedded in the test JVM: runs everywhere. */
@DisplayName("DynamoDbItemStore on DynamoDB Local")
class DynamoDbLocalItemStoreTest extends DynamoDbItemStoreTest {
    @Override
    DynamoDbClient client() {
        return TestDynamo.client();
    }
}
