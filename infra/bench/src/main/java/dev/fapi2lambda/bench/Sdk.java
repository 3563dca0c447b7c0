package dev.fapi2lambda.bench;

import dev.fapi2lambda.aws.KmsKeyService;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/** Real SDK clients pointed at the local servers, optionally with an interceptor. */
final class Sdk {
    static final Region REGION = Region.EU_WEST_1;
    static final String ACCESS_KEY = "AKIDBENCH";
    static final String SECRET_KEY = "bench-secret";

    private Sdk() {
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** As Environment builds it (URL-connection client), at {@code endpoint}. */
    static DynamoDbClient dynamo(URI endpoint, ExecutionInterceptor interceptor) {
        var builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(endpoint)
                .region(REGION).credentialsProvider(credentials());
        if (interceptor != null) {
            builder.overrideConfiguration(c -> c.addExecutionInterceptor(interceptor));
        }
        return builder.build();
    }

    /** The functions' KMS client (KmsKeyService.clientBuilder: retries and timeouts kept), at {@code endpoint}. */
    static KmsClient kms(URI endpoint, ExecutionInterceptor interceptor) {
        KmsClientBuilder builder = KmsKeyService.clientBuilder().endpointOverride(endpoint).region(REGION)
                .credentialsProvider(credentials());
        if (interceptor != null) {
            builder.overrideConfiguration(builder.overrideConfiguration().toBuilder().addExecutionInterceptor(interceptor)
                    .build());
        }
        return builder.build();
    }
}
