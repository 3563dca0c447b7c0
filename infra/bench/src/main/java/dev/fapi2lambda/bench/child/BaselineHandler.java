package dev.fapi2lambda.bench.child;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The baseline of the cold-start ratio: the least a Lambda function of this kind can do. It builds
 * an SDK DynamoDB client (URL-connection HTTP client), reads one item, and makes one ES256
 * signature with plain JCA (P-256 key from BASELINE_KEY, PKCS#8 DER).
 */
public final class BaselineHandler implements RequestHandler<String, String> {
    private final DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(URI.create(System.getenv("DYNAMODB_ENDPOINT"))).build();

    @Override
    public String handleRequest(String event, Context context) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(System.getenv("TABLE_NAME"))
                .key(Map.of("pk", AttributeValue.fromS("baseline"))).consistentRead(true)).item();
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
                    new PKCS8EncodedKeySpec(Files.readAllBytes(Path.of(System.getenv("BASELINE_KEY")))));
            Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
            es256.initSign(key);
            es256.update(event.getBytes(StandardCharsets.UTF_8));
            String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(es256.sign());
            return "{\"statusCode\":200,\"body\":\"" + signature + (item.isEmpty() ? "" : "+item") + "\"}";
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
