package dev.fapi2lambda.bench;

import dev.fapi2lambda.aws.KmsProtocolServer;

import dev.fapi2lambda.aws.DynamoDbItemStore;
import dev.fapi2lambda.aws.KmsKeyService;
import dev.fapi2lambda.aws.TableSetup;
import dev.fapi2lambda.local.BenchServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The server the flows run against. local: LocalApp in-process, as `serve --in-memory` (DynamoDB
 * Local embedded, the local key service). aws: the same HTTPS front over Components whose store is
 * DynamoDbItemStore on a real SDK client to DynamoDB Local's server process, and whose key service
 * is KmsKeyService on a real SDK KMS client to the KMS protocol server, both counted by an
 * ExecutionInterceptor.
 */
final class Backend implements AutoCloseable {
    final String name;
    final BenchServers.Running server;
    final CallCounter counter;
    private final DynamoLocalProcess dynamo;
    private final KmsProtocolServer kms;

    private Backend(String name, BenchServers.Running server, CallCounter counter, DynamoLocalProcess dynamo, KmsProtocolServer kms) {
        this.name = name;
        this.server = server;
        this.counter = counter;
        this.dynamo = dynamo;
        this.kms = kms;
    }

    static Backend start(String name, Path dir) throws Exception {
        ColdStart.deleteTree(dir);
        Files.createDirectories(dir);
        return switch (name) {
            case "local" -> new Backend(name, BenchServers.localApp(dir.resolve("state")), null, null, null);
            case "aws" -> aws(dir);
            default -> throw new IllegalArgumentException("unknown backend " + name + " (local or aws)");
        };
    }

    private static Backend aws(Path dir) throws Exception {
        DynamoLocalProcess dynamo = DynamoLocalProcess.start(dir.resolve("dynamodb-local.log"));
        KmsProtocolServer kms = null;
        try {
            CallCounter counter = new CallCounter();
            DynamoDbClient client = Sdk.dynamo(dynamo.endpoint(), counter);
            TableSetup.createIfAbsent(client, "fapi2");
            kms = new KmsProtocolServer();
            kms.addKey("ps256-key", "RSA_3072");
            kms.addKey("es256-key", "ECC_NIST_P256");
            KmsProtocolServer k = kms;
            BenchServers.Running server = BenchServers.withParts(dir.resolve("state"), new DynamoDbItemStore(client, "fapi2"),
                    () -> new KmsKeyService(Sdk.kms(k.endpoint(), counter), "ps256-key", "es256-key", List.of()));
            return new Backend("aws", server, counter, dynamo, kms);
        } catch (Exception | Error e) {
            if (kms != null) {
                kms.close();
            }
            dynamo.close();
            throw e;
        }
    }

    String describe() {
        return "local".equals(name)
                ? "LocalApp in-process (serve --in-memory: DynamoDB Local embedded, local key service)"
                : "local HTTPS front + Components on DynamoDbItemStore (SDK client -> DynamoDB Local server process, HTTP) "
                + "and KmsKeyService (SDK client -> KMS protocol server)";
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            if (kms != null) {
                kms.close();
            }
            if (dynamo != null) {
                dynamo.close();
            }
        }
    }
}
