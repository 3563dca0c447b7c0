package dev.fapi2lambda.core.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.MutableClock;
import dev.fapi2lambda.core.testing.TestCertificates;
import dev.fapi2lambda.core.testing.TestKeys;
import dev.fapi2lambda.core.userinfo.AccessTokenVerifier;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * KeySource: the issuer's JWKS for a resource server, cached for maxAge, fetched again for an
 * unknown kid at most once per minRefreshInterval, and kept when a fetch fails.
 */
class KeySourceTest {
    private static final Duration MAX_AGE = Duration.ofMinutes(10);
    private static final Duration MIN_REFRESH = Duration.ofSeconds(30);
    private static final String ISSUER = "https://as.example.test";
    private static final String AUDIENCE = "https://api.example.test/accounts";
    private final MutableClock clock = MutableClock.at("2026-11-24T12:00:00Z");
    private final RSAKey keyA = TestKeys.rsa();
    private final RSAKey keyB = TestKeys.rsa();
    /** What the issuer serves now: a JWKS document, or null to make the fetch fail. */
    private final AtomicReference<String> served = new AtomicReference<>(jwks(keyA));
    private final AtomicInteger fetches = new AtomicInteger();
    private final KeySource source = new KeySource(() -> {
        fetches.incrementAndGet();
        String body = served.get();
        if (body == null) {
            throw new IllegalStateException("JWKS fetch failed");
        }
        return body;
    }, clock, MAX_AGE, MIN_REFRESH);

    /** The JWKS as an issuer would serve it: public keys only. */
    private static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toString(true);
    }

    private static List<String> kids(List<JWK> keys) {
        return keys.stream().map(JWK::getKeyID).toList();
    }

    @Test
    @DisplayName("the first get fetches; later gets within maxAge are served from the cache; after maxAge it fetches again")
    void caches() {
        assertEquals(List.of(keyA.getKeyID()), kids(source.get()));
        assertEquals(1, fetches.get());
        served.set(jwks(keyA, keyB));
        clock.advance(MAX_AGE);
        assertEquals(List.of(keyA.getKeyID()), kids(source.get()));
        assertEquals(1, fetches.get(), "cached for maxAge");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(keyA.getKeyID(), keyB.getKeyID()), kids(source.get()));
        assertEquals(2, fetches.get());
    }

    @Test
    @DisplayName("only public keys are kept, even if the JWKS (wrongly) carries private parts")
    void publicOnly() {
        served.set(new JWKSet(keyA).toString(false));
        assertFalse(source.get().get(0).isPrivate());
        assertEquals(keyA.toPublicJWK(), source.get().get(0));
    }

    @Test
    @DisplayName("an unknown kid refetches at most once per minRefreshInterval")
    void unknownKidRateLimited() {
        source.get();
        assertEquals(1, fetches.get());
        clock.advance(MIN_REFRESH.plusSeconds(1));
        source.forUnknownKid();
        assertEquals(2, fetches.get());
        for (int i = 0; i < 10; i++) {
            source.forUnknownKid();
        }
        clock.advance(MIN_REFRESH);
        source.forUnknownKid();
        assertEquals(2, fetches.get(), "no more fetches within the interval, however many forged kids");
        clock.advance(Duration.ofSeconds(1));
        source.forUnknownKid();
        assertEquals(3, fetches.get());
    }

    @Test
    @DisplayName("an unknown kid right after a fetch does not fetch again")
    void unknownKidRightAfterFetch() {
        source.get();
        source.forUnknownKid();
        assertEquals(1, fetches.get());
    }

    @Test
    @DisplayName("a failed or unparseable fetch keeps the old keys and is retried after minRefreshInterval, not at once")
    void failedFetchKeepsOldKeys() {
        assertEquals(List.of(keyA.getKeyID()), kids(source.get()));
        served.set(null);
        clock.advance(MAX_AGE.plusSeconds(1));
        assertEquals(List.of(keyA.getKeyID()), kids(source.get()), "old keys kept");
        assertEquals(2, fetches.get());
        assertEquals(List.of(keyA.getKeyID()), kids(source.get()));
        assertEquals(2, fetches.get(), "not hammering a failing issuer");
        served.set("{ not json");
        clock.advance(MIN_REFRESH.plusSeconds(1));
        assertEquals(List.of(keyA.getKeyID()), kids(source.get()), "old keys kept after garbage");
        assertEquals(3, fetches.get());
        served.set(jwks(keyB));
        clock.advance(MIN_REFRESH.plusSeconds(1));
        assertEquals(List.of(keyB.getKeyID()), kids(source.get()));
        assertEquals(4, fetches.get());
    }

    @Test
    @DisplayName("a failing issuer is not hammered: unknown kids after a failed fetch still refetch at most once per interval")
    void unknownKidWhileIssuerFails() {
        source.get();
        served.set(null);
        clock.advance(MIN_REFRESH.plusSeconds(1));
        source.forUnknownKid();
        assertEquals(2, fetches.get(), "the failed attempt");
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertEquals(List.of(keyA.getKeyID()), kids(source.forUnknownKid()), "old keys kept");
        }
        assertEquals(2, fetches.get(), "no fetch per forged kid while the issuer is down");
        clock.advance(MIN_REFRESH);
        source.forUnknownKid();
        assertEquals(3, fetches.get());
    }

    @Test
    @DisplayName("a first fetch that fails yields no keys (so nothing verifies), and is retried")
    void firstFetchFails() {
        served.set(null);
        assertTrue(source.get().isEmpty());
        served.set(jwks(keyA));
        clock.advance(MIN_REFRESH.plusSeconds(1));
        assertEquals(List.of(keyA.getKeyID()), kids(source.get()));
    }

    private String accessToken(RSAKey key, String kid) {
        JWSHeader header = new JWSHeader.Builder(TestKeys.algFor(key)).type(new JOSEObjectType("at+jwt")).keyID(kid).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of(ISSUER, AUDIENCE)).subject("alice")
                .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(300)))
                .jwtID("at-" + kid).claim("client_id", "client-1").build();
        return Jwts.sign(key, header, claims);
    }

    @Test
    @DisplayName("rotation: AccessTokenVerifier over a KeySource verifies a token of a key published after the first fetch")
    void rotation() {
        AccessTokenVerifier verifier = new AccessTokenVerifier(ISSUER, AUDIENCE, source, source::forUnknownKid,
                Duration.ofSeconds(10));
        assertTrue(verifier.verify(accessToken(keyA, keyA.getKeyID()), clock.instant()).isPresent());
        assertEquals(1, fetches.get());
        // The issuer rotates: key B is published. A token of B arrives before maxAge.
        served.set(jwks(keyA, keyB));
        clock.advance(MIN_REFRESH.plusSeconds(1));
        assertTrue(verifier.verify(accessToken(keyB, keyB.getKeyID()), clock.instant()).isPresent());
        assertEquals(2, fetches.get());
        // A forged kid: refused, and no new fetch within the interval.
        assertTrue(verifier.verify(accessToken(TestKeys.rsa(), "forged-kid"), clock.instant()).isEmpty());
        assertTrue(verifier.verify(accessToken(keyA, "forged-kid-2"), clock.instant()).isEmpty());
        assertEquals(2, fetches.get());
        // A's tokens still verify (from the cache).
        assertTrue(verifier.verify(accessToken(keyA, keyA.getKeyID()), clock.instant()).isPresent());
        assertEquals(2, fetches.get());
    }

    @Test
    @DisplayName("rotation: a token of a new key within minRefreshInterval of the last fetch waits for the interval")
    void rotationWithinInterval() {
        AccessTokenVerifier verifier = new AccessTokenVerifier(ISSUER, AUDIENCE, source, source::forUnknownKid,
                Duration.ofSeconds(10));
        assertTrue(verifier.verify(accessToken(keyA, keyA.getKeyID()), clock.instant()).isPresent());
        served.set(jwks(keyA, keyB));
        assertTrue(verifier.verify(accessToken(keyB, keyB.getKeyID()), clock.instant()).isEmpty());
        clock.advance(MIN_REFRESH.plusSeconds(1));
        assertTrue(verifier.verify(accessToken(keyB, keyB.getKeyID()), clock.instant()).isPresent());
    }

    /** An issuer's /jwks over HTTP on the loopback: each path answers what {@code routes} says. */
    private static HttpServer issuer(java.util.Map<String, java.util.function.Consumer<HttpExchange>> routes)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        routes.forEach((path, answer) -> server.createContext(path, exchange -> {
            answer.accept(exchange);
            exchange.close();
        }));
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) {
        try {
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static URI at(HttpServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    @DisplayName("http: GETs jwks_uri and keeps the public keys; a non-200 or a redirect (not followed), each with a "
            + "valid key set as its body, or a key set over the size limit gives no keys")
    void overHttp() throws IOException {
        byte[] keys = new JWKSet(List.of(keyA, keyB)).toString(false).getBytes(StandardCharsets.UTF_8);
        // A valid key set padded with trailing whitespace to one byte over the limit: cut at the limit
        // it would still parse, so only refusing by size gives no keys.
        String set = new JWKSet(List.of(keyA)).toString(true);
        byte[] oversized = (set + " ".repeat(KeySource.MAX_JWKS_BYTES + 1 - set.length())).getBytes(StandardCharsets.UTF_8);
        HttpServer server = issuer(java.util.Map.of(
                "/jwks", e -> answer(e, 200, keys),
                "/broken", e -> answer(e, 500, keys),
                "/moved", e -> {
                    e.getResponseHeaders().add("Location", "/jwks");
                    answer(e, 302, keys);
                },
                "/huge", e -> answer(e, 200, oversized)));
        try {
            List<JWK> fetched = KeySource.http(at(server, "/jwks"), clock).get();
            assertEquals(kids(List.of(keyA, keyB)), kids(fetched));
            assertTrue(fetched.stream().noneMatch(JWK::isPrivate), "public keys only");
            for (String refused : List.of("/broken", "/moved", "/huge")) {
                assertEquals(List.of(), KeySource.http(at(server, refused), clock).get(), refused);
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    @DisplayName("callers that arrive while a fetch runs wait for it and do not fetch again (one slow failing fetch "
            + "for three concurrent callers), so none waits for more than one fetch")
    void concurrentCallersFetchOnce() throws Exception {
        AtomicInteger slowFetches = new AtomicInteger();
        CountDownLatch inFetch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        KeySource slow = new KeySource(() -> {
            slowFetches.incrementAndGet();
            inFetch.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("JWKS fetch failed");
        }, clock, MAX_AGE, MIN_REFRESH);
        Thread first = new Thread(slow::get);
        first.start();
        inFetch.await();
        List<Thread> waiting = List.of(new Thread(slow::get), new Thread(slow::get));
        waiting.forEach(Thread::start);
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (waiting.stream().anyMatch(t -> t.getState() != Thread.State.BLOCKED) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertTrue(waiting.stream().allMatch(t -> t.getState() == Thread.State.BLOCKED), "both wait for the fetch");
        release.countDown();
        for (Thread t : List.of(first, waiting.get(0), waiting.get(1))) {
            t.join(5_000);
            assertFalse(t.isAlive());
        }
        assertEquals(1, slowFetches.get());
    }

    @Test
    @DisplayName("http: a fetch not done by its deadline fails at the deadline, though the server sends a byte within "
            + "every read timeout (status line a byte every 0.5 s, body every 0.1 s, body every 1.5 s); the request is not "
            + "sent again, and the fetching threads end")
    void fetchDeadline() throws Exception {
        Duration deadline = Duration.ofMillis(800);
        byte[] headers = ("HTTP/1.1 200 OK\r\nContent-Type: application/jwk-set+json\r\nContent-Length: 100000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        record Trickle(String what, byte[] atOnce, byte[] slowly, long gapMillis) { }
        for (Trickle trickle : List.of(
                new Trickle("status line", new byte[0], headers, 500),
                new Trickle("body", headers, new byte[0], 100),
                new Trickle("body, slowly", headers, new byte[0], 1_500))) {
            AtomicInteger connections = new AtomicInteger();
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                Thread trickler = new Thread(() -> trickle(server, trickle.atOnce(), trickle.slowly(),
                        trickle.gapMillis(), connections, accepted), "trickler");
                trickler.setDaemon(true);
                trickler.start();
                URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/jwks");
                long started = System.nanoTime();
                List<JWK> fetched = assertTimeoutPreemptively(Duration.ofSeconds(10),
                        () -> KeySource.http(uri, clock, deadline).get());
                long tookMillis = (System.nanoTime() - started) / 1_000_000;
                assertEquals(List.of(), fetched, trickle.what());
                assertTrue(tookMillis >= deadline.toMillis() && tookMillis < deadline.toMillis() + 1_000,
                        trickle.what() + ": failed at the deadline, not at a read timeout nor later: " + tookMillis + " ms");
                assertEquals(1, connections.get(), trickle.what() + ": one request, not sent again");
                // Before the server lets go of its end: the fetching thread stops at once in the headers,
                // and within one read of the body (1.5 s at the slowest here).
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (fetchThreads() > 0 && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertEquals(0, fetchThreads(), trickle.what() + ": no fetching thread left running");
            } finally {
                for (Socket socket : accepted) {
                    socket.close(); // ends this case's trickle (the JDK may still be draining it)
                }
            }
        }
        assertEquals(Duration.ofSeconds(5), KeySource.FETCH_DEADLINE);
    }

    private static long fetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jwks-fetch") && t.isAlive()).count();
    }

    /**
     * A server that reads a request, sends {@code atOnce}, then {@code slowly} a byte every {@code
     * gapMillis} (then a space at that pace), within the 3 s read timeout, until the client goes.
     */
    private static void trickle(ServerSocket server, byte[] atOnce, byte[] slowly, long gapMillis,
            AtomicInteger connections, List<Socket> accepted) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                accepted.add(socket);
                connections.incrementAndGet();
                socket.getInputStream().read(new byte[4096]);
                OutputStream out = socket.getOutputStream();
                out.write(atOnce);
                out.flush();
                for (int i = 0; ; i++) {
                    out.write(i < slowly.length ? slowly[i] : ' ');
                    out.flush();
                    Thread.sleep(gapMillis);
                }
            } catch (IOException | InterruptedException e) {
                // the client closed the connection, or the server closed
            }
        }
    }

    @Test
    @DisplayName("https: fetches over TLS with the certificate checked (the default trust refuses a self-signed one), "
            + "and at the deadline closes the TLS socket, which ends a read of a body trickled a byte every 2.5 s at once")
    void overHttps() throws Exception {
        TestCertificates.Issued server = TestCertificates
                .selfSigned("CN=localhost", TestCertificates.ip("127.0.0.1"));
        char[] password = "test".toCharArray();
        KeyStore serverKeys = KeyStore.getInstance("PKCS12");
        serverKeys.load(null, null);
        serverKeys.setKeyEntry("server", server.keyPair().getPrivate(), password,
                new Certificate[] {server.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(
                KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(serverKeys, password);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", server.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(
                TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        byte[] set = new JWKSet(List.of(keyA)).toString(false).getBytes(StandardCharsets.UTF_8);
        HttpsServer https = HttpsServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        https.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "https-test-server");
            thread.setDaemon(true);
            return thread;
        }));
        https.createContext("/jwks", exchange -> {
            answer(exchange, 200, set);
            exchange.close();
        });
        https.createContext("/slow", exchange -> {
            try {
                exchange.sendResponseHeaders(200, 100_000);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < 100_000; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(2_500);
                }
            } catch (IOException | InterruptedException clientGone) {
                // the client closed the connection
            } finally {
                exchange.close();
            }
        });
        https.start();
        try {
            URI base = URI.create("https://127.0.0.1:" + https.getAddress().getPort());
            assertEquals(kids(List.of(keyA)), kids(KeySource.http(base.resolve("/jwks"), clock, Duration.ofSeconds(5),
                    clientTls::getSocketFactory).get()));
            assertEquals(List.of(), KeySource.http(base.resolve("/jwks"), clock).get(), "default trust: refused");

            Duration deadline = Duration.ofMillis(800);
            long started = System.nanoTime();
            List<JWK> fetched = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> KeySource.http(base.resolve("/slow"), clock, deadline, clientTls::getSocketFactory).get());
            long failedAt = System.nanoTime();
            long tookMillis = (failedAt - started) / 1_000_000;
            assertEquals(List.of(), fetched);
            assertTrue(tookMillis >= deadline.toMillis() && tookMillis < deadline.toMillis() + 1_000,
                    "failed at the deadline: " + tookMillis + " ms");
            // Closed at the deadline, the TLS socket ends the blocked read: the fetching thread is gone
            // well before the server's next byte, 2.5 s after the last.
            while (fetchThreads() > 0 && System.nanoTime() - failedAt < 1_000_000_000L) {
                Thread.sleep(20);
            }
            assertEquals(0, fetchThreads(), "the fetching thread ended at the deadline");
        } finally {
            https.stop(0);
        }
    }

    @Test
    @DisplayName("http: jwks_uri must be https; plain http only to the loopback")
    void httpsOnly() {
        KeySource.http(URI.create("https://as.example.test/jwks"), clock);
        KeySource.http(URI.create("http://127.0.0.1:8443/jwks"), clock);
        KeySource.http(URI.create("http://localhost:8443/jwks"), clock);
        for (String refused : List.of("http://as.example.test/jwks", "file:///etc/jwks.json", "ftp://127.0.0.1/jwks",
                "http://127.0.0.1.example.test/jwks")) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> KeySource.http(URI.create(refused), clock), refused);
        }
    }
}
