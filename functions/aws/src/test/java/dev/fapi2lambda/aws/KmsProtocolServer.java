package dev.fapi2lambda.aws;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * A small server that speaks the KMS JSON protocol (AWS JSON 1.1, X-Amz-Target TrentService.*) for
 * GetPublicKey and Sign, backed by real JCA keys: no KMS emulator is reachable here (TOOLCHAIN.md).
 * The real SDK client talks to it, SigV4 signing included. It signs digests as KMS does with
 * MessageType DIGEST (ECDSA: NONEwithECDSA, DER output; RSASSA-PSS: a raw PSS signer over the
 * digest, salt 32) and can be told to throttle or to report a key disabled.
 */
public final class KmsProtocolServer implements AutoCloseable {
    /** One key of the server: its id, spec and pair. */
    public record Key(String id, String spec, KeyPair pair) {
    }

    final Map<String, Key> keys = new ConcurrentHashMap<>();
    final List<Map<String, Object>> requests = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final AtomicInteger throttleNext = new AtomicInteger();
    volatile String disabledKey;
    /** The KeyUsage GetPublicKey reports for every key. */
    volatile String keyUsage = "SIGN_VERIFY";
    /** A key whose Sign answers only after {@link #slowMillis}, to show who waits for it. */
    volatile String slowKey;
    volatile long slowMillis;
    /** Sign requests answered, by key id: counted just before the answer is written. */
    final Map<String, AtomicInteger> signsAnswered = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> together = new ConcurrentHashMap<>();
    private final Set<String> apart = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "kms-protocol-server");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpServer server;

    public KmsProtocolServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(executor);   // requests are served concurrently, as KMS serves them
        server.start();
    }

    /**
     * The next {@code parties} requests of operation {@code op} each wait (5 s at most) until all of
     * them have arrived: a caller that sends them one after another is caught by
     * {@link #arrivedApart}. Use it with {@link #patientClient()}, whose attempts outlast the wait.
     */
    public void expectTogether(String op, int parties) {
        together.put(op, new CountDownLatch(parties));
        apart.remove(op);
    }

    /** Whether a request of {@code op} waited in vain for the others {@link #expectTogether} named. */
    public boolean arrivedApart(String op) {
        return apart.contains(op);
    }

    public Key addKey(String id, String spec) throws GeneralSecurityException {
        KeyPairGenerator generator;
        if (spec.startsWith("RSA_")) {
            generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(Integer.parseInt(spec.substring(4)));
        } else {
            generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        }
        return addKey(id, spec, generator.generateKeyPair());
    }

    /** A key of the server with a given pair (e.g. the same keys as a local key file). */
    public Key addKey(String id, String spec, KeyPair pair) {
        Key key = new Key(id, spec, pair);
        keys.put(id, key);
        return key;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The SDK client of the functions, pointed here with test credentials. */
    public KmsClient client() {
        return builder().build();
    }

    /** As {@link #client()}, with attempts of 10 s: a request held by {@link #expectTogether} is not retried. */
    public KmsClient patientClient() {
        return builder().overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(3))
                .apiCallAttemptTimeout(Duration.ofSeconds(10)).apiCallTimeout(Duration.ofSeconds(30))).build();
    }

    private KmsClientBuilder builder() {
        return KmsKeyService.clientBuilder()
                .endpointOverride(endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")));
    }

    public long signCalls() {
        return requests.stream().filter(r -> "Sign".equals(r.get("_op"))).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            Map<String, Object> request = JSONObjectUtils.parse(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
            request.put("_op", op);
            requests.add(request);
            CountDownLatch latch = together.get(op);
            if (latch != null) {
                latch.countDown();
                if (!latch.await(5, TimeUnit.SECONDS)) {
                    apart.add(op);
                }
            }
            if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(exchange, 400, Map.of("__type", "ThrottlingException", "message", "Rate exceeded"));
                return;
            }
            Key key = keys.get(String.valueOf(request.get("KeyId")));
            if (key == null) {
                reply(exchange, 400, Map.of("__type", "NotFoundException", "message", "no such key"));
                return;
            }
            if (key.id().equals(disabledKey)) {
                reply(exchange, 400, Map.of("__type", "DisabledException", "message", "key is disabled"));
                return;
            }
            switch (op) {
                case "GetPublicKey" -> reply(exchange, 200, Map.of("KeyId", arn(key),
                        "PublicKey", Base64.getEncoder().encodeToString(key.pair().getPublic().getEncoded()),
                        "KeySpec", key.spec(), "KeyUsage", keyUsage,
                        "SigningAlgorithms", List.of(key.spec().startsWith("RSA") ? "RSASSA_PSS_SHA_256" : "ECDSA_SHA_256")));
                case "Sign" -> {
                    byte[] signature = sign(key, request);
                    if (key.id().equals(slowKey)) {
                        Thread.sleep(slowMillis);
                    }
                    signsAnswered.computeIfAbsent(key.id(), k -> new AtomicInteger()).incrementAndGet();
                    reply(exchange, 200, Map.of("KeyId", arn(key), "SigningAlgorithm", request.get("SigningAlgorithm"),
                            "Signature", Base64.getEncoder().encodeToString(signature)));
                }
                default -> reply(exchange, 400, Map.of("__type", "UnsupportedOperationException", "message", op));
            }
        } catch (Exception e) {
            reply(exchange, 500, Map.of("__type", "KMSInternalException", "message", String.valueOf(e)));
        }
    }

    private static byte[] sign(Key key, Map<String, Object> request) throws Exception {
        if (!"DIGEST".equals(request.get("MessageType"))) {
            throw new IllegalArgumentException("this server only signs digests");
        }
        byte[] digest = Base64.getDecoder().decode((String) request.get("Message"));
        if (digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest is 32 bytes");
        }
        String algorithm = String.valueOf(request.get("SigningAlgorithm"));
        if ("ECDSA_SHA_256".equals(algorithm)) {
            Signature ecdsa = Signature.getInstance("NONEwithECDSA");
            ecdsa.initSign(key.pair().getPrivate());
            ecdsa.update(digest);
            return ecdsa.sign();
        }
        if ("RSASSA_PSS_SHA_256".equals(algorithm)) {
            PSSSigner pss = PSSSigner.createRawSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), 32,
                    PSSSigner.TRAILER_IMPLICIT);
            pss.init(true, PrivateKeyFactory.createKey(key.pair().getPrivate().getEncoded()));
            pss.update(digest, 0, digest.length);
            return pss.generateSignature();
        }
        throw new IllegalArgumentException("unsupported " + algorithm);
    }

    private static String arn(Key key) {
        return "arn:aws:kms:eu-west-1:123456789012:key/" + key.id();
    }

    private static void reply(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
