package dev.fapi2lambda.aws;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The store contract on LocalStack's DynamoDB, in a container, with the client built as the
 * functions build theirs (URL-connection HTTP client) but pointed at the container. Needs a Docker
 * engine: without one the whole class is reported skipped, with Testcontainers' reason
 * ("disabledWithoutDocker is true and Docker is not available"), before anything is started. The
 * container is made in {@code @BeforeAll}, never in a static initialiser, so a machine without
 * Docker never touches it.
 */
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("DynamoDbItemStore on LocalStack's DynamoDB (needs Docker)")
class LocalStackItemStoreTest extends DynamoDbItemStoreTest {
    /** A pinned LocalStack release (the community image, DynamoDB only). */
    static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.4");
    private static LocalStackContainer localstack;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void startLocalStack() {
        localstack = new LocalStackContainer(IMAGE).withServices("dynamodb");
        localstack.start();
        dynamo = DynamoDbClient.builder()
                .endpointOverride(localstack.getEndpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey())))
                .region(Region.of(localstack.getRegion()))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stopLocalStack() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Override
    DynamoDbClient client() {
        return dynamo;
    }
}
