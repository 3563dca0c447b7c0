package dev.fapi2lambda.aws;

import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.keys.KeyService;
import dev.fapi2lambda.core.store.ItemStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * The environment variables the functions read (template.yaml sets every one):
 * ISSUER, TABLE_NAME, KMS_PS256_KEY_ID, KMS_ES256_KEY_ID, optional KMS_PREVIOUS_KEY_IDS
 * (comma-separated, still published in the JWKS), ACCESS_TOKEN_LIFETIME_SECONDS,
 * REFRESH_TOKEN_LIFETIME_SECONDS, CODE_LIFETIME_SECONDS, DPOP_NONCES (true), ACCESS_TOKEN_ALG (PS256),
 * MTLS_BASE_URL (the mTLS custom domain, https://...), MTLS_CA_PEM (CAs for tls_client_auth), and
 * API_AUDIENCE (the protected API's identifier, added to access tokens' aud). The authorizer reads
 * more: see AuthorizerDefault.
 */
public final class Environment {
    private final Map<String, String> env;

    Environment(Map<String, String> env) {
        this.env = env;
    }

    public static Environment system() {
        return new Environment(System.getenv());
    }

    String require(String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    Optional<String> optional(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    public ServerConfig serverConfig() {
        ServerConfig config = ServerConfig.defaults(require("ISSUER"));
        config = config.withCodeLifetime(seconds("CODE_LIFETIME_SECONDS").orElse(config.codeLifetime()));
        config = config.withTokenLifetimes(
                seconds("ACCESS_TOKEN_LIFETIME_SECONDS").orElse(config.accessTokenLifetime()),
                seconds("REFRESH_TOKEN_LIFETIME_SECONDS").orElse(config.refreshTokenLifetime()));
        config = config.withDpopNonces(!"false".equals(optional("DPOP_NONCES").orElse("true")));
        config = config.withAccessTokenAlg(com.nimbusds.jose.JWSAlgorithm.parse(
                optional("ACCESS_TOKEN_ALG").orElse("PS256")));
        config = optional("API_AUDIENCE").map(config::withApiAudience).orElse(config);
        return optional("MTLS_BASE_URL").map(config::withMtls).orElse(config);
    }

    /** MTLS_CA_PEM: the PEM bundle of the CAs that issue tls_client_auth certificates. */
    public dev.fapi2lambda.core.client.CertificateTrust certificateTrust() {
        return optional("MTLS_CA_PEM").map(dev.fapi2lambda.core.client.CertificateTrust::fromPem)
                .orElse(dev.fapi2lambda.core.client.CertificateTrust.none());
    }

    private Optional<Duration> seconds(String name) {
        return optional(name).map(v -> Duration.ofSeconds(Long.parseLong(v)));
    }

    /**
     * AWS_REGION, which Lambda always sets, given to the SDK clients directly: the SDK's region
     * provider chain would look for it in system properties, the environment and profile files.
     */
    private Optional<Region> region() {
        return optional("AWS_REGION").map(Region::of);
    }

    /** The DynamoDB client as the functions build it: URL-connection HTTP client, region from AWS_REGION. */
    public DynamoDbClientBuilder dynamoDbClient() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        region().ifPresent(builder::region);
        return builder;
    }

    ItemStore itemStore() {
        DynamoDbClient dynamo = dynamoDbClient().build();
        return new DynamoDbItemStore(dynamo, require("TABLE_NAME"));
    }

    KeyService keyService() {
        KmsClientBuilder builder = KmsKeyService.clientBuilder();
        region().ifPresent(builder::region);
        KmsClient kms = builder.build();
        return new KmsKeyService(kms, require("KMS_PS256_KEY_ID"), require("KMS_ES256_KEY_ID"),
                optional("KMS_PREVIOUS_KEY_IDS").map(v -> java.util.List.of(v.split(","))).orElse(java.util.List.of()));
    }
}
