package dev.fapi2lambda.aws;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.JwsKeys;
import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.text.ParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Warms the code paths a function's first request takes, without the network and without drawing
 * randomness or making identifiers: JSON (an event, a form body, a response), JOSE verification
 * (ES256 and PS256 over {@link PrimingMaterial}, which is public and verify-only: nothing is
 * signed, no SecureRandom is used, no UUID or secret is made), the JDK's trust store, and the
 * DynamoDB SDK (request and response objects, the SigV4 signer with dummy credentials on a request
 * that is never sent, and whole requests - GetItem, PutItem, UpdateItem, DeleteItem,
 * TransactWriteItems, BatchGetItem and the conditional-failure errors - through a throw-away
 * client whose HTTP client answers locally and never opens a connection). The function's own
 * clients are never used.
 *
 * <p>A function calls {@link #start} in its static initialisation. The parts run at once on a
 * background daemon thread, beside the main thread, which goes on to build the function's SDK
 * client: in a fresh JVM that overlaps work the first request would otherwise do alone
 * (infra/bench, coldstart). {@link Part#DYNAMODB} is the exception: in a fresh JVM it would only
 * run beside the function's own first request, loading the same classes at the same time, so it
 * runs only before a checkpoint.
 *
 * <p>This class is an org.crac {@link Resource}: before a SnapStart snapshot, {@link
 * #beforeCheckpoint(Context)} waits for the background thread and primes every part the function asked
 * for, DYNAMODB included, on the checkpointing thread, so the snapshot holds loaded classes and
 * compiled code and no running thread.
 */
public final class Priming implements Resource {
    /**
     * What can be primed; each function asks for what its requests use. Parts run in this order: the
     * trust store first, because the function's own SDK client build needs it soonest (the orders
     * tried in infra/bench measured the same or worse).
     */
    public enum Part {
        /** The JDK's default trust store, which an SDK client's HTTP client loads when it is built. */
        TLS,
        /** Event JSON, form body, response JSON. */
        JSON,
        /** JWK set parsing, one ES256 verification (a client assertion), a DPoP proof's parsing, thumbprints. */
        ES256,
        /** PS256 verification of an RSA 3072 access token (and with it BigInteger's modular arithmetic). */
        PS256,
        /**
         * What the DynamoDB SDK's requests use that needs no client: the request and response objects
         * of every operation, the SigV4 signer, the SDK's JSON reader and writer.
         */
        SDK,
        /** Whole DynamoDB requests on a client whose HTTP client answers locally. Before a checkpoint only. */
        DYNAMODB
    }

    /** Only when something is logged: initialising java.util.logging costs a cold start about 10 ms. */
    private static final class Log {
        static final Logger LOG = Logger.getLogger(Priming.class.getName());
    }

    /** org.crac holds resources weakly: this reference keeps the registered one alive. */
    private static final Priming RESOURCE = new Priming();
    /** Every part asked for so far (a JVM may host several functions: the local server, tests). */
    private static final Set<Part> REQUESTED = EnumSet.noneOf(Part.class);
    private static Thread background;
    private static boolean registered;

    private Priming() {
    }

    /**
     * Registers the checkpoint hook and starts priming the parts not primed yet (except DYNAMODB,
     * kept for the checkpoint) on a background daemon thread. Returns at once; never throws.
     */
    public static synchronized void start(Set<Part> parts) {
        try {
            if (!registered) {
                registered = true;
                Core.getGlobalContext().register(RESOURCE);
            }
            Set<Part> now = EnumSet.noneOf(Part.class);
            now.addAll(parts);
            now.removeAll(REQUESTED);
            REQUESTED.addAll(parts);
            now.remove(Part.DYNAMODB);
            if (now.isEmpty()) {
                return;
            }
            Thread previous = background;
            Thread thread = new Thread(() -> {
                join(previous);
                prime(now);
            }, "priming");
            thread.setDaemon(true);
            background = thread;
            thread.start();
        } catch (RuntimeException | LinkageError e) {
            Log.LOG.log(Level.WARNING, "priming did not start: {0}", e.toString());
        }
    }

    /** The registered checkpoint hook. */
    static Resource resource() {
        return RESOURCE;
    }

    /** SnapStart: the snapshot is taken after this returns. */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        primeForCheckpoint();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
    }

    /** Waits for the background priming, then primes everything asked for, on this thread. */
    static boolean primeForCheckpoint() {
        Set<Part> parts;
        Thread thread;
        synchronized (Priming.class) {
            parts = EnumSet.copyOf(REQUESTED.isEmpty() ? EnumSet.of(Part.JSON) : REQUESTED);
            thread = background;
        }
        join(thread);
        return prime(parts);
    }

    /** Primes the parts on this thread, in their order; a failure is logged, never thrown. Whether all went as expected. */
    static boolean prime(Set<Part> parts) {
        boolean ok = true;
        for (Part part : parts) {
            try {
                ok &= switch (part) {
                    case TLS -> tls();
                    case JSON -> json();
                    case ES256 -> es256();
                    case PS256 -> ps256();
                    case SDK -> sdk();
                    case DYNAMODB -> dynamoDb();
                };
            } catch (RuntimeException | LinkageError e) {
                Log.LOG.log(Level.WARNING, "priming {0} failed: {1}", new Object[] {part, e.toString()});
                ok = false;
            }
        }
        return ok;
    }

    private static void join(Thread thread) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // TLS: the default trust store (cacerts, parsed once and cached by the JDK) and the TLS context
    // classes. No SSLContext is initialised and no connection is made.
    // ---------------------------------------------------------------------------------------------

    /** Keeps the loaded trust material reachable (the JDK caches it weakly) until the SDK client has it. */
    private static volatile Object trust;

    static boolean tls() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            trust = factory.getTrustManagers();
            SSLContext.getInstance("TLS");
            return ((Object[]) trust).length > 0;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // JSON: an API Gateway event with a form body and a DPoP header, parsed as the functions parse
    // events; a response written as they write responses.
    // ---------------------------------------------------------------------------------------------

    static final String EVENT = "{\"resource\":\"/token\",\"path\":\"/token\",\"httpMethod\":\"POST\","
            + "\"headers\":{\"Host\":\"priming.invalid\",\"Content-Type\":\"application/x-www-form-urlencoded\","
            + "\"DPoP\":\"" + PrimingMaterial.DPOP + "\"},"
            + "\"multiValueHeaders\":{\"Host\":[\"priming.invalid\"],"
            + "\"Content-Type\":[\"application/x-www-form-urlencoded\"],\"DPoP\":[\"" + PrimingMaterial.DPOP + "\"]},"
            + "\"queryStringParameters\":null,\"multiValueQueryStringParameters\":null,\"pathParameters\":null,"
            + "\"requestContext\":{\"requestId\":\"priming\",\"stage\":\"prod\",\"identity\":{\"sourceIp\":\"192.0.2.1\"}},"
            + "\"body\":\"grant_type=authorization_code&code=priming&redirect_uri=https%3A%2F%2Fpriming.invalid%2Fcb"
            + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
            + "&client_assertion=" + PrimingMaterial.ASSERTION + "\",\"isBase64Encoded\":false}";

    static boolean json() {
        Request request = ApiGatewayEvents.fromJson(EVENT);
        Form form = Form.of(request, 64 * 1024);
        boolean ok = "priming".equals(form.require("code")) && request.headers().first("DPoP").isPresent();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ApiGatewayResponses.write(Response.json(200, Map.of("access_token", "priming", "token_type", "DPoP",
                    "expires_in", 300L, "scope", "openid")), out);
            ok &= JSONObjectUtils.parse(out.toString(StandardCharsets.UTF_8)).get("statusCode") != null;
        } catch (IOException | ParseException e) {
            return false;
        }
        return ok;
    }

    // ---------------------------------------------------------------------------------------------
    // JOSE: parse and verify only.
    // ---------------------------------------------------------------------------------------------

    static boolean es256() {
        try {
            JWKSet clientKeys = JWKSet.parse(PrimingMaterial.CLIENT_JWKS);
            SignedJWT assertion = SignedJWT.parse(PrimingMaterial.ASSERTION);
            JWK clientKey = clientKeys.getKeyByKeyId(assertion.getHeader().getKeyID());
            boolean ok = clientKey != null && JwsKeys.verify(assertion, clientKey)
                    && "priming-client".equals(assertion.getJWTClaimsSet().getIssuer());
            SignedJWT proof = SignedJWT.parse(PrimingMaterial.DPOP);
            JWK proofKey = proof.getHeader().getJWK();
            // The proof is parsed (header JWK, claims) but not verified: a second ES256 verification
            // only repeats the first one's code, and on 2 cores it competed with the main thread
            // (infra/bench, 8 interleaved rounds: token 1.13 -> 1.09, par 1.00 -> 0.96 x baseline).
            ok &= proofKey != null && !proofKey.isPrivate()
                    && "POST".equals(proof.getJWTClaimsSet().getStringClaim("htm"));
            ok &= proofKey != null && proofKey.computeThumbprint().toString().equals(clientKey.getKeyID());
            ok &= Hashes.sha256Url(PrimingMaterial.DPOP).length() == 43;
            return ok;
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }

    static boolean ps256() {
        try {
            JWKSet serverKeys = JWKSet.parse(PrimingMaterial.SERVER_JWKS);
            SignedJWT token = SignedJWT.parse(PrimingMaterial.AT);
            JWK key = serverKeys.getKeyByKeyId(token.getHeader().getKeyID());
            return key != null && JwsKeys.verify(token, key)
                    && "priming-user".equals(token.getJWTClaimsSet().getSubject());
        } catch (ParseException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // DynamoDB: the SDK's marshalling, signing, pipeline and unmarshalling, on a canned HTTP client.
    // ---------------------------------------------------------------------------------------------

    static final String TABLE = "priming";
    /**
     * TransactWriteItems' idempotency token. Left out, the SDK would fill it in with UUID.randomUUID(),
     * which draws from SecureRandom (and would set up UUID's SecureRandom before a snapshot).
     */
    static final String FIXED_TOKEN = "priming-00000000-0000-0000-0000-000";

    static boolean sdk() {
        Map<String, AttributeValue> item = CannedDynamoDb.ITEM_VALUES;
        Map<String, AttributeValue> key = Map.of("pk", item.get("pk"));
        List<SdkPojo> objects = List.of(
                GetItemRequest.builder().tableName(TABLE).key(key).consistentRead(true).build(),
                GetItemResponse.builder().item(item).build(),
                PutItemRequest.builder().tableName(TABLE).item(item).conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.NONE).build(),
                PutItemResponse.builder().build(),
                UpdateItemRequest.builder().tableName(TABLE).key(key).updateExpression("SET #s = :s")
                        .expressionAttributeNames(Map.of("#s", "state"))
                        .expressionAttributeValues(Map.of(":s", item.get("state")))
                        .returnValues(ReturnValue.ALL_NEW).build(),
                UpdateItemResponse.builder().attributes(item).build(),
                DeleteItemRequest.builder().tableName(TABLE).key(key).returnValues(ReturnValue.ALL_OLD).build(),
                TransactWriteItemsRequest.builder().transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item)).build(),
                        TransactWriteItem.builder().conditionCheck(c -> c.tableName(TABLE).key(key)
                                .conditionExpression("attribute_exists(pk)")).build()).build(),
                BatchGetItemRequest.builder().requestItems(Map.of(TABLE,
                        KeysAndAttributes.builder().keys(key).consistentRead(true).build())).build(),
                BatchGetItemResponse.builder().responses(Map.of(TABLE, List.of(item))).build());
        int fields = 0;
        for (SdkPojo object : objects) {
            fields += object.sdkFields().size();
        }
        // SigV4 over a request that is never sent, with dummy credentials.
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("https://dynamodb.priming.invalid/"))
                .putHeader("X-Amz-Target", "DynamoDB_20120810.GetItem")
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .build();
        byte[] body = "{\"TableName\":\"priming\"}".getBytes(StandardCharsets.UTF_8);
        var signed = AwsV4HttpSigner.create().sign(SignRequest.builder(AwsCredentialsIdentity.create("priming", "priming"))
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .build());
        JsonNode json = JsonNode.parser().parse("{\"Item\":" + CannedDynamoDb.ITEM + "}");
        JsonWriter writer = JsonWriter.create();
        writer.writeStartObject();
        writer.writeFieldName("TableName");
        writer.writeValue(TABLE);
        writer.writeEndObject();
        return fields > 0 && signed.request().firstMatchingHeader("Authorization").isPresent()
                && json.asObject().containsKey("Item") && writer.getBytes().length > 0;
    }

    static boolean dynamoDb() {
        CannedDynamoDb http = new CannedDynamoDb();
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .httpClient(http)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .endpointOverride(URI.create("https://dynamodb.priming.invalid"))
                .build()) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("priming#1"));
            Map<String, AttributeValue> item = CannedDynamoDb.ITEM_VALUES;
            Map<String, AttributeValue> now = Map.of(":now", AttributeValue.fromN("1795968000"));
            boolean ok = "priming#1".equals(dynamo.getItem(r -> r.tableName(TABLE).key(key).consistentRead(true))
                    .item().get("pk").s());
            dynamo.putItem(r -> r.tableName(TABLE).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :now")
                    .expressionAttributeValues(now)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.NONE));
            ok &= dynamo.updateItem(r -> r.tableName(TABLE).key(key)
                    .updateExpression("SET #s0 = :s0 ADD #c :one")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(expiresAt) OR expiresAt > :now)")
                    .expressionAttributeNames(Map.of("#s0", "state", "#c", "count"))
                    .expressionAttributeValues(Map.of(":s0", AttributeValue.fromS("x"), ":one", AttributeValue.fromN("1"),
                            ":now", AttributeValue.fromN("1795968000")))
                    .returnValues(ReturnValue.ALL_NEW)).hasAttributes();
            ok &= dynamo.deleteItem(r -> r.tableName(TABLE).key(key)
                    .conditionExpression("attribute_exists(pk)")
                    .returnValues(ReturnValue.ALL_OLD)).hasAttributes();
            ok &= dynamo.batchGetItem(r -> r.requestItems(Map.of(TABLE, KeysAndAttributes.builder()
                    .keys(key, Map.of("pk", AttributeValue.fromS("priming#2"))).consistentRead(true).build())))
                    .responses().get(TABLE).size() == 2;
            List<TransactWriteItem> writes = List.of(
                    TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item)
                            .conditionExpression("attribute_not_exists(pk)")).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key)
                            .updateExpression("SET #s0 = :s0").expressionAttributeNames(Map.of("#s0", "state"))
                            .expressionAttributeValues(Map.of(":s0", AttributeValue.fromS("x")))).build(),
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName(TABLE).key(key)
                            .conditionExpression("attribute_exists(pk)")).build(),
                    TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(key)).build());
            dynamo.transactWriteItems(r -> r.transactItems(writes).clientRequestToken(FIXED_TOKEN));
            http.failNext();
            try {
                dynamo.putItem(r -> r.tableName(TABLE).item(item).conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                ok = false;
            } catch (ConditionalCheckFailedException expected) {
                // the conditional-failure path, as a replayed jti takes it, with the item that
                // blocked the write, as a DPoP nonce drawn by another container comes back
                ok &= expected.hasItem();
            }
            http.failNext();
            try {
                dynamo.transactWriteItems(r -> r.transactItems(writes).clientRequestToken(FIXED_TOKEN));
                ok = false;
            } catch (TransactionCanceledException expected) {
                ok &= expected.hasCancellationReasons();
            }
            return ok && http.requests() == 8;
        }
    }

    /**
     * An HTTP client for the priming client only: it answers each DynamoDB operation with a fixed
     * JSON body (and the CRC32 header DynamoDB sends) and never opens a connection.
     */
    static final class CannedDynamoDb implements SdkHttpClient {
        static final Map<String, AttributeValue> ITEM_VALUES = Map.of(
                "pk", AttributeValue.fromS("priming#1"),
                "expiresAt", AttributeValue.fromN("1795968300"),
                "state", AttributeValue.fromS("x"),
                "flag", AttributeValue.fromBool(true),
                "list", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromS("b"))));
        static final String ITEM = "{\"pk\":{\"S\":\"priming#1\"},\"expiresAt\":{\"N\":\"1795968300\"},"
                + "\"state\":{\"S\":\"x\"},\"count\":{\"N\":\"1\"},\"flag\":{\"BOOL\":true},"
                + "\"list\":{\"L\":[{\"S\":\"a\"},{\"S\":\"b\"}]}}";
        private static final String ITEM_2 = "{\"pk\":{\"S\":\"priming#2\"},\"state\":{\"S\":\"y\"}}";
        private int requests;
        private boolean fail;

        synchronized void failNext() {
            fail = true;
        }

        synchronized int requests() {
            return requests;
        }

        private synchronized String[] answer(String operation) {
            requests++;
            boolean failing = fail;
            fail = false;
            if (failing) {
                return operation.equals("TransactWriteItems")
                        ? new String[] {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                                + "\"CancellationReasons\":[{\"Code\":\"ConditionalCheckFailed\","
                                + "\"Message\":\"The conditional request failed\"},{\"Code\":\"None\"},{\"Code\":\"None\"},"
                                + "{\"Code\":\"None\"}],\"Message\":\"Transaction cancelled\"}"}
                        : new String[] {"400", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                                + "\"message\":\"The conditional request failed\",\"Item\":" + ITEM + "}"};
            }
            return new String[] {"200", switch (operation) {
                case "GetItem" -> "{\"Item\":" + ITEM + "}";
                case "UpdateItem", "DeleteItem" -> "{\"Attributes\":" + ITEM + "}";
                case "BatchGetItem" -> "{\"Responses\":{\"" + TABLE + "\":[" + ITEM + "," + ITEM_2 + "]},\"UnprocessedKeys\":{}}";
                default -> "{}";
            }};
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                    request.contentStreamProvider().ifPresent(body -> {
                        try (InputStream in = body.newStream()) {
                            in.readAllBytes();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    String[] answer = answer(target.substring(target.indexOf('.') + 1));
                    byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(Integer.parseInt(answer[0]))
                                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                                    .putHeader("Content-Length", Integer.toString(bytes.length))
                                    .putHeader("x-amz-crc32", Long.toString(crc.getValue()))
                                    .putHeader("x-amzn-RequestId", "priming")
                                    .build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public String clientName() {
            return "priming";
        }

        @Override
        public void close() {
        }
    }
}
