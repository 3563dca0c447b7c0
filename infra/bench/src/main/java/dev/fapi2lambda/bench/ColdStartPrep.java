package dev.fapi2lambda.bench;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.aws.Components;
import dev.fapi2lambda.aws.DynamoDbItemStore;
import dev.fapi2lambda.aws.BenchSamples;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.dpop.WindowedDpopNonces;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.keys.KeyService;
import dev.fapi2lambda.core.store.Change;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.Write;
import dev.fapi2lambda.core.testing.Browser;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.user.PasswordHasher;
import dev.fapi2lambda.core.user.User;
import dev.fapi2lambda.core.user.UserRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Everything one cold start needs before its JVM starts: a fresh table on DynamoDB Local (each
 * sample event's jtis and code are one-time) holding what the event refers to, and the event.
 * Components mode uses events/<function>.json as they are, seeded as functions/aws's
 * SampleEventsTest seeds them, with the clock pinned at the samples' instant. Where no sample
 * exists, and in the default mode (whose clock cannot be pinned), the event is built like the
 * samples from a real flow run in-process on the same table with the same keys just before: a
 * pushed request for authorize, a fresh code for token, an access token for userinfo, introspect
 * and the authorizer, a refresh token for revoke, each with a fresh client assertion and (but for
 * introspect and revoke) a DPoP proof carrying the server's nonce. accounts.json, which depends on
 * no time, is used as it is in both modes.
 */
final class ColdStartPrep {
    static final String ISSUER = "https://as.example.com";
    static final String MTLS_BASE_URL = "https://mtls.as.example.com";
    static final String CLIENT_ID = "sample-client";
    /** The sample protected API (GET /accounts behind the DPoP authorizer), as template.yaml's default API_AUDIENCE. */
    static final String API_AUDIENCE = BenchSamples.apiAudience();
    static final String REDIRECT_URI = "https://client.example.com/callback";
        /** RFC 7636 appendix B: the verifier of the samples' code_challenge. */
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    static final String USERNAME = "alice";
    static final String PASSWORD = "bench password";

    /** A prepared run: the table, the event file, and the environment the function needs beyond the common one. */
    record Prepared(String table, Path eventFile, Map<String, String> env, String source) {
    }

    private final DynamoDbClient dynamo;
    private final KeyService keys;
    private final Path keysFile;
    private final Path sampleKeysFile;
    private final boolean samples;
    private final ECKey clientKey;
    private final ECKey dpopKey;
    private final Path events;
    private final Path work;
    private final SecureRandom random = new SecureRandom();
    private int tables;

    /**
     * @param keys     the server keys of every run (and keysFile, the same as a JWK set file), except
     * @param samples  whether events/*.json are used where they exist (components mode: the clock is
     *                 pinned at the samples' instant, and userinfo.json and introspect.json get the
     *                 sample server keys their access token is signed with)
     */
    ColdStartPrep(DynamoDbClient dynamo, KeyService keys, Path keysFile, boolean samples, Path events, Path work)
            throws Exception {
        this.dynamo = dynamo;
        this.keys = keys;
        this.keysFile = keysFile;
        this.samples = samples;
        this.events = events;
        this.work = work;
        this.clientKey = resourceKey("/sample-client.jwk");
        this.dpopKey = resourceKey("/sample-dpop.jwk");
        Files.createDirectories(work);
        this.sampleKeysFile = work.resolve("sample-server-keys.jwks");
        if (samples) {
            writeKeys(sampleKeysFile, BenchSamples.serverKeys());
        }
    }

    private static ECKey resourceKey(String name) throws Exception {
        try (var in = ColdStartPrep.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path (fapi2-aws test-jar)");
            }
            return JWK.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)).toECKey();
        }
    }

    /**
     * The table of one run, as template.yaml declares it but without TTL: DynamoDB Local sweeps
     * expired items by the wall clock within a second, and the sample events' items expired (by the
     * wall clock) minutes after the samples were made. Correctness never rests on the sweep
     * (conditions on expiresAt), and TTL costs a request nothing.
     */
    private void createTable(String table) {
        dynamo.createTable(r -> r.tableName(table)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    /**
     * Warms DynamoDB Local's own JVM before anything is measured, and returns its warm latency.
     * The emulator is a Java server that starts cold: its first TransactWriteItems took about 200 ms
     * and its 20th still about 20 ms, against about 7 ms once its code is compiled. Without this, a
     * function whose request uses an operation the seeding never sent (token's and par's
     * transactions, userinfo's batch read) would be charged for the emulator's JIT warm-up, which
     * real DynamoDB never shows, and the charge would shrink run after run. Each round, on a scratch
     * table, sends every kind of request the functions send, with conditions that hold and fail.
     *
     * @return the median ms per round of the last tenth of the rounds (12 requests a round)
     */
    double warmEmulator(int rounds) {
        String table = "warmup";
        createTable(table);
        ItemStore store = new DynamoDbItemStore(dynamo, table);
        Instant now = Instant.now();
        Instant later = now.plusSeconds(3600);
        List<Double> last = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long started = System.nanoTime();
            String round = "r" + i;
            store.put(Item.of("par#" + round).put("state", "pushed").expiresAt(later).build());
            store.get("par#" + round, now);
            store.putIfAbsent(Item.of("jti#" + round).expiresAt(later).build(), now);
            store.putIfAbsent(Item.of("jti#" + round).expiresAt(later).build(), now);   // fails: the replay
            store.change(Change.on("par#" + round).expect("state", "pushed")
                    .set("state", "bound").build(), now);
            store.change(Change.on("par#" + round).expect("state", "pushed")
                    .set("state", "bound").build(), now);                                  // fails: the condition
            store.transact(List.of(
                    Write.putIfAbsent(Item.of("jti#a" + round).expiresAt(later).build()),
                    Write.putIfAbsent(Item.of("jti#b" + round).expiresAt(later).build()),
                    Write.apply(Change.on("par#" + round)
                            .expect("state", "bound").set("state", "spent").build()),
                    Write.put(Item.of("grant#" + round).put("sub", "alice")
                            .expiresAt(later).build())), now);
            store.transact(List.of(
                    Write.putIfAbsent(Item.of("jti#c" + round).expiresAt(later).build()),
                    Write.putIfAbsent(Item.of("jti#a" + round).expiresAt(later).build())),
                    now);                                                                  // fails: the second write
            store.getAll(List.of("grant#" + round, "par#" + round, "user#none"), now);
            store.increment("loginfail#" + round, "count", later, now);
            store.consume("jti#c" + round, now);
            store.consume("grant#" + round, now);
            if (i >= rounds - Math.max(1, rounds / 10)) {
                last.add((System.nanoTime() - started) / 1e6);
            }
        }
        Collections.sort(last);
        return last.get(last.size() / 2);
    }

    /** Prepares one run of {@code target}. */
    Prepared prepare(String target) throws Exception {
        String table = "cs" + (++tables) + "-" + target;
        createTable(table);
        ItemStore store = new DynamoDbItemStore(dynamo, table);
        Path file = work.resolve(table + ".json");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TABLE_NAME", table);
        env.put("KEYS_FILE", keysFile.toString());
        String source;
        Path sample = events.resolve(target + ".json");
        if ("baseline".equals(target)) {
            store.put(Item.of("baseline").put("value", "x").build());
            Files.copy(events.resolve("discovery.json"), file);
            source = "events/discovery.json (read, not parsed)";
        } else if ((samples || List.of("discovery", "jwks", "accounts").contains(target)) && Files.exists(sample)) {
            BenchSamples.seed(target, store);
            Files.copy(sample, file);
            if (samples) {
                env.put("FIXED_CLOCK", String.valueOf(BenchSamples.at().toEpochMilli()));
            }
            if ("userinfo".equals(target) || "introspect".equals(target)) {
                env.put("KEYS_FILE", sampleKeysFile.toString());
            }
            source = "events/" + target + ".json, table seeded as functions/aws's SampleEventsTest seeds it, clock at "
                    + BenchSamples.at();
        } else {
            source = generate(target, store, file);
        }
        return new Prepared(table, file, env, source);
    }

    /** An event built like the samples, from a real flow run in-process on the table just before. */
    private String generate(String target, ItemStore store, Path file) throws Exception {
        switch (target) {
            case "discovery", "jwks" -> {
                Files.writeString(file, Events.get(target.equals("jwks") ? Paths.JWKS : Paths.OPENID_CONFIGURATION,
                        Map.of("Accept", "application/json"), Map.of()).toEventJson());
                return "built: GET " + target;
            }
            case "par" -> {
                registerClient(store);
                Instant now = Instant.now();
                Files.writeString(file, parEvent(now, nonce(store, now)).toEventJson());
                return "built: PAR with assertion and DPoP proof with the server nonce";
            }
            case "authorize" -> {
                Components components = seed(store);
                String requestUri = push(components, store);
                Files.writeString(file, Events.get(Paths.AUTHORIZE, Map.of("Accept", "text/html"),
                        Forms.params("client_id", CLIENT_ID, "request_uri", requestUri)).toEventJson());
                return "built: GET /authorize of a fresh pushed request (login page)";
            }
            case "token" -> {
                Components components = seed(store);
                String code = code(components, store);
                Files.writeString(file, tokenEvent(code, store).toEventJson());
                return "built: code redemption with assertion and DPoP proof with the server nonce";
            }
            case "userinfo" -> {
                Files.writeString(file, userinfoEvent(tokens(store).get("access_token"), store).toEventJson());
                return "built: GET /userinfo with a DPoP-bound access token and a proof with ath and the server nonce";
            }
            case "introspect" -> {
                Files.writeString(file, aboutToken(Paths.INTROSPECT, tokens(store).get("access_token"), "access_token"));
                return "built: POST /introspect of a fresh DPoP-bound access token, with a client assertion";
            }
            case "revoke" -> {
                Files.writeString(file, aboutToken(Paths.REVOKE, tokens(store).get("refresh_token"), "refresh_token"));
                return "built: POST /revoke of a fresh refresh token (its grant is revoked), with a client assertion";
            }
            case "authorizer" -> {
                Map<String, String> headers = new LinkedHashMap<>(
                        dpopHeaders("/accounts", tokens(store).get("access_token"), store));
                headers.put("Accept", "application/json");
                Files.writeString(file, BenchSamples.authorizerEventJson("GET", "/accounts", headers,
                        java.util.UUID.randomUUID().toString()));
                return "built: the REQUEST authorizer event of GET /accounts with a fresh DPoP-bound access token and "
                        + "a proof with ath and the server nonce";
            }
            default -> throw new IllegalArgumentException("unknown target " + target);
        }
    }

    /** The event of a POST by the bench client about one of its tokens (introspection, revocation), with private_key_jwt. */
    private String aboutToken(String path, String token, String hint) {
        return Events.post(path, Map.of("Accept", "application/json"),
                Forms.of(privateKeyJwt(Forms.params("token", token, "token_type_hint", hint), Instant.now())))
                .toEventJson();
    }

    /** Authorization and DPoP headers for a GET of {@code path} on the issuer: the proof with ath and the server nonce. */
    private Map<String, String> dpopHeaders(String path, String accessToken, ItemStore store) {
        Instant now = Instant.now();
        String nonce = nonce(store, now);
        String proof = Jwts.dpopProof(dpopKey, "GET", ISSUER + path, now,
                c -> c.claim("nonce", nonce).claim("ath", Hashes.sha256Url(accessToken)));
        return Map.of("Authorization", "DPoP " + accessToken, "DPoP", proof);
    }

    /** The token response (strings) of a fresh code: a whole flow run in-process on the table. */
    private Map<String, String> tokens(ItemStore store) throws Exception {
        Components components = seed(store);
        String code = code(components, store);
        Response tokens = components.token().handle(tokenEvent(code, store).toRequest());
        expect(200, tokens, "token");
        Map<String, String> out = new LinkedHashMap<>();
        JSONObjectUtils.parse(tokens.body()).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /** The form with a fresh client assertion of the bench client made at {@code at} (private_key_jwt). */
    private Map<String, String> privateKeyJwt(Map<String, String> form, Instant at) {
        Map<String, String> out = new LinkedHashMap<>(form);
        out.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        out.put("client_assertion", Jwts.clientAssertion(clientKey, CLIENT_ID, ISSUER, at));
        return out;
    }

    private void registerClient(ItemStore store) {
        new ClientRepository(store).save(new Client(CLIENT_ID, AuthMethod.PRIVATE_KEY_JWT,
                new JWKSet(clientKey.toPublicJWK()), List.of(REDIRECT_URI), Set.of("openid", "accounts"), true));
    }

    /** The client, a user (1,000 PBKDF2 iterations: only the preparation logs in) and the parent's components. */
    private Components seed(ItemStore store) {
        registerClient(store);
        new UserRepository(store).save(new User(USERNAME, new PasswordHasher(random, 1000).hash(PASSWORD.toCharArray()),
                Map.of("name", "Alice Example", "email", "alice@example.com", "email_verified", "true")));
        return new Components(config(), () -> store, () -> keys, Clock.systemUTC(), random);
    }

    /** The deployment of the samples: their issuer and mTLS host, DPoP nonces on, the sample API's audience. */
    static ServerConfig config() {
        return ServerConfig.defaults(ISSUER).withMtls(MTLS_BASE_URL).withApiAudience(API_AUDIENCE);
    }

    private String nonce(ItemStore store, Instant now) {
        return new WindowedDpopNonces(store, new Secrets(random), ServerConfig.defaults(ISSUER).dpopNonceWindow())
                .current(now).orElseThrow();
    }

    private Events parEvent(Instant now, String nonce) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_id", CLIENT_ID);
        params.put("response_type", "code");
        params.put("redirect_uri", REDIRECT_URI);
        params.put("scope", "openid accounts");
        params.put("code_challenge", CHALLENGE);
        params.put("code_challenge_method", "S256");
        params.put("state", "af0ifjsldkj");
        params.put("nonce", "n-0S6_WzA2Mj");
        String proof = Jwts.dpopProof(dpopKey, "POST", ISSUER + Paths.PAR, now, c -> c.claim("nonce", nonce));
        return Events.post(Paths.PAR, Map.of("DPoP", proof), Forms.of(privateKeyJwt(params, now)));
    }

    private String push(Components components, ItemStore store) throws Exception {
        Instant now = Instant.now();
        Response response = components.par().handle(parEvent(now, nonce(store, now)).toRequest());
        expect(201, response, "PAR");
        return (String) JSONObjectUtils.parse(response.body()).get("request_uri");
    }

    private String code(Components components, ItemStore store) throws Exception {
        String requestUri = push(components, store);
        Browser browser = new Browser(components.authorize());
        Response page = browser.open(CLIENT_ID, requestUri);
        page = browser.submit(page, "username", USERNAME, "password", PASSWORD);
        Response done = browser.submit(page, "decision", "allow");
        expect(303, done, "consent");
        return Browser.redirectParams(done).get("code");
    }

    private Events tokenEvent(String code, ItemStore store) {
        Instant now = Instant.now();
        Map<String, String> form = privateKeyJwt(Forms.params("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT_URI, "code_verifier", VERIFIER), now);
        String nonce = nonce(store, now);
        String proof = Jwts.dpopProof(dpopKey, "POST", ISSUER + Paths.TOKEN, now, c -> c.claim("nonce", nonce));
        return Events.post(Paths.TOKEN, Map.of("DPoP", proof), Forms.of(form));
    }

    private Events userinfoEvent(String accessToken, ItemStore store) {
        return Events.get(Paths.USERINFO, dpopHeaders(Paths.USERINFO, accessToken, store), Map.of());
    }

    private static void expect(int status, Response response, String step) {
        if (response.status() != status) {
            throw new IllegalStateException("preparing the event: " + step + " answered " + response.status() + " "
                    + response.body());
        }
    }

    /**
     * Whether the run of {@code table} revoked its grant: revocation answers 200 whether or not it
     * found the token (RFC 7009 2.2), so only the table tells. Read after the run, outside the span.
     */
    boolean grantsRevoked(String table) {
        var grants = dynamo.scan(r -> r.tableName(table).consistentRead(true)).items().stream()
                .filter(item -> item.get("pk").s().startsWith("grant#")).toList();
        return !grants.isEmpty() && grants.stream()
                .allMatch(item -> item.get("revoked") != null && Boolean.TRUE.equals(item.get("revoked").bool()));
    }

    /** Writes a JWK set file the child's local key service reads. */
    static void writeKeys(Path file, List<? extends JWK> keys) throws IOException {
        Files.writeString(file, new JWKSet(List.copyOf(keys)).toString(false));
    }
}
