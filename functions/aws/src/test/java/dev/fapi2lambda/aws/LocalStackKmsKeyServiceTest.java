package dev.fapi2lambda.aws;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * The KMS key service contract on LocalStack's KMS, in a container, with the functions' client
 * configuration pointed at it. Needs a Docker engine: without one the class is reported skipped
 * ("disabledWithoutDocker is true and Docker is not available") before anything starts.
 */
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("KmsKeyService on LocalStack's KMS (needs Docker)")
class LocalStackKmsKeyServiceTest extends KmsKeyServiceContract {
    private static LocalStackContainer localstack;
    private static KmsClient kms;

    @BeforeAll
    static void startLocalStack() {
        localstack = new LocalStackContainer(LocalStackItemStoreTest.IMAGE).withServices("kms");
        localstack.start();
        kms = KmsKeyService.clientBuilder()
                .endpointOverride(localstack.getEndpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey())))
                .region(Region.of(localstack.getRegion()))
                .build();
    }

    @AfterAll
    static void stopLocalStack() {
        if (kms != null) {
            kms.close();
        }
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Override
    KmsKeyService keyService() {
        return new KmsKeyService(kms, key(KeySpec.RSA_3072), key(KeySpec.ECC_NIST_P256), List.of(key(KeySpec.ECC_NIST_P256)));
    }

    private static String key(KeySpec spec) {
        return kms.createKey(r -> r.keySpec(spec).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().keyId();
    }
}
