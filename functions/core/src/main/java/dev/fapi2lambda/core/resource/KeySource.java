package dev.fapi2lambda.core.resource;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The issuer's public keys for a resource server: the JWKS fetched from jwks_uri, cached, and
 * fetched again when a token names an unknown kid (rotation), at most once per
 * {@code minRefreshInterval} so forged kids cannot make it hammer the issuer.
 */
public final class KeySource implements Supplier<List<JWK>> {
    private final Supplier<String> fetch;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration minRefreshInterval;
    private volatile List<JWK> keys = List.of();
    private volatile Instant fetchedAt = Instant.EPOCH;
    /** The last fetch, successful or not: the rate limit for unknown kids counts failed fetches too. */
    private volatile Instant attemptedAt = Instant.EPOCH;
    /** Fetches so far: a caller that waited for another's fetch does not fetch again. */
    private volatile long attempts;

    public KeySource(Supplier<String> fetch, Clock clock, Duration maxAge, Duration minRefreshInterval) {
        this.fetch = fetch;
        this.clock = clock;
        this.maxAge = maxAge;
        this.minRefreshInterval = minRefreshInterval;
    }

    /** The most of a JWKS response that is read: a key set is a few KB; more is not a key set. */
    static final int MAX_JWKS_BYTES = 256 * 1024;

    /**
     * A key source that GETs the JWKS over HTTPS with the JDK's URL connection (the class the AWS
     * SDK's URL-connection client is built on, so a cold start loads nothing more for it; the
     * java.net.http client cost the authorizer's init about 115 ms more). Only https, except to the
     * loopback (local runs, tests); redirects are not followed, nothing but 200 is accepted, a
     * body over {@link #MAX_JWKS_BYTES} is refused, and a fetch not done within {@link
     * #FETCH_DEADLINE} fails.
     */
    public static KeySource http(URI jwksUri, Clock clock) {
        return http(jwksUri, clock, FETCH_DEADLINE);
    }

    /**
     * The longest the request that fetches waits for the whole fetch. The connect and read timeouts
     * bound each step, not the sum: a server that trickles a byte at a time would otherwise hold it.
     */
    static final Duration FETCH_DEADLINE = Duration.ofSeconds(5);

    /** {@link #http(URI, Clock)} with a given deadline for the whole fetch (tests). */
    static KeySource http(URI jwksUri, Clock clock, Duration deadline) {
        return http(jwksUri, clock, deadline, HttpsURLConnection::getDefaultSSLSocketFactory);
    }

    /** ... and the TLS sockets made by a given factory (tests: one that trusts a test certificate). */
    static KeySource http(URI jwksUri, Clock clock, Duration deadline, Supplier<SSLSocketFactory> tls) {
        boolean loopback = List.of("localhost", "127.0.0.1", "[::1]").contains(String.valueOf(jwksUri.getHost()));
        if (!"https".equalsIgnoreCase(jwksUri.getScheme()) && !("http".equalsIgnoreCase(jwksUri.getScheme()) && loopback)) {
            throw new IllegalArgumentException("JWKS_URI must be https (http only to the loopback): " + jwksUri);
        }
        URL url;
        try {
            url = jwksUri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("JWKS_URI is not a URL: " + jwksUri, e);
        }
        return new KeySource(() -> within(deadline, url, tls), clock, Duration.ofMinutes(10), Duration.ofSeconds(30));
    }

    /**
     * Fetches on a daemon thread and waits for it at most {@code deadline}, then fails. At the
     * deadline the caller closes the fetch's TLS sockets, which ends a TLS fetch in any phase (an
     * SSLSocket's close does not wait for a read blocked on it), and, while the status line and headers
     * are read, the connection, which ends a plain-HTTP read then. In a plain-HTTP body (the
     * loopback only) closing the connection would wait for the blocked read, so there the fetching
     * thread checks the deadline after each read and stops within one more read timeout.
     */
    private static String within(Duration deadline, URL url, Supplier<SSLSocketFactory> tls) {
        long deadlineAt = System.nanoTime() + deadline.toNanos();
        InFlight inFlight = new InFlight();
        CompletableFuture<String> body = new CompletableFuture<>();
        Thread fetcher = new Thread(() -> {
            try {
                body.complete(fetch(url, tls, inFlight, deadlineAt));
            } catch (Throwable e) {
                body.completeExceptionally(e);
            }
        }, "jwks-fetch");
        fetcher.setDaemon(true);
        fetcher.start();
        try {
            return body.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            inFlight.abandon();
            String justDone = body.getNow(null);
            if (justDone != null) {
                return justDone;
            }
            throw new IllegalStateException("JWKS fetch not done within " + deadline.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("JWKS fetch failed", e.getCause());
        } catch (InterruptedException e) {
            inFlight.abandon();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("JWKS fetch interrupted", e);
        }
    }

    private static final String LATE = "JWKS fetch past its deadline";

    /** One fetch as the caller sees it, and what the caller closes at the deadline (see {@link #within}). */
    private static final class InFlight {
        private HttpURLConnection connection;
        private final List<Socket> sockets = new ArrayList<>();
        private boolean headersRead;
        private boolean abandoned;

        /** Fails once the caller has given up: before a new socket is made, and once the headers are in. */
        synchronized void notAbandoned() throws IOException {
            if (abandoned) {
                throw new IOException(LATE);
            }
        }

        /** Keeps a TLS socket of the fetch; after the deadline, closes it and fails instead. */
        synchronized <S extends Socket> S keep(S socket) throws IOException {
            if (abandoned) {
                socket.close();
            }
            notAbandoned();
            sockets.add(socket);
            return socket;
        }

        synchronized void reading(HttpURLConnection connection) {
            this.connection = connection;
        }

        /** The status line and headers are in: from here on the caller leaves the connection alone. */
        synchronized void headersRead() throws IOException {
            headersRead = true;
            notAbandoned();
        }

        /**
         * Closes the fetch's TLS sockets, and its connection if the headers are still being read;
         * the fetch then fails. The 1 ms timeout first, as the JDK's own HTTPS client does before a
         * close: a TLS close on a socket no read is blocked on may wait, up to the read timeout, for
         * the peer's close_notify.
         */
        synchronized void abandon() {
            abandoned = true;
            for (Socket socket : sockets) {
                try {
                    socket.setSoTimeout(1);
                } catch (IOException ignored) {
                    // closed already
                }
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing is all that is asked
                }
            }
            if (!headersRead && connection != null) {
                connection.disconnect();
            }
        }
    }

    /** The TLS socket factory of one fetch: {@code base}'s sockets, each kept by {@code inFlight}. */
    private static final class KeptSockets extends SSLSocketFactory {
        private final SSLSocketFactory base;
        private final InFlight inFlight;

        KeptSockets(SSLSocketFactory base, InFlight inFlight) {
            this.base = base;
            this.inFlight = inFlight;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return base.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return base.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return inFlight.keep(base.createSocket());
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return inFlight.keep(base.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
            return inFlight.keep(base.createSocket(socket, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            inFlight.notAbandoned();
            return inFlight.keep(base.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            inFlight.notAbandoned();
            return inFlight.keep(base.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            inFlight.notAbandoned();
            return inFlight.keep(base.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            inFlight.notAbandoned();
            return inFlight.keep(base.createSocket(address, port, localAddress, localPort));
        }
    }

    private static String fetch(URL url, Supplier<SSLSocketFactory> tls, InFlight inFlight, long deadlineAt)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        if (connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(new KeptSockets(tls.get(), inFlight));
        }
        inFlight.reading(connection);
        connection.setConnectTimeout(2_000);
        connection.setReadTimeout(3_000);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestProperty("Accept", "application/jwk-set+json, application/json");
        try {
            connection.connect();
            checkDeadline(deadlineAt);
            int status = connection.getResponseCode();
            inFlight.headersRead();
            if (status != 200) {
                throw new IllegalStateException("JWKS fetch answered " + status);
            }
            try (InputStream in = connection.getInputStream()) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                    body.write(buffer, 0, n);
                    if (body.size() > MAX_JWKS_BYTES) {
                        throw new IllegalStateException("JWKS response over " + MAX_JWKS_BYTES + " bytes");
                    }
                    checkDeadline(deadlineAt);
                }
                return body.toString(StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
            throw e;
        }
    }

    private static void checkDeadline(long deadlineAt) {
        if (System.nanoTime() - deadlineAt > 0) {
            throw new IllegalStateException(LATE);
        }
    }

    @Override
    public List<JWK> get() {
        long seen = attempts;
        if (fetchedAt.plus(maxAge).isBefore(clock.instant())) {
            refresh(seen);
        }
        return keys;
    }

    /** The keys after a refresh, if an unknown kid may be a new key (rate-limited). */
    public List<JWK> forUnknownKid() {
        long seen = attempts;
        if (attemptedAt.plus(minRefreshInterval).isBefore(clock.instant())) {
            refresh(seen);
        }
        return keys;
    }

    private synchronized void refresh(long seen) {
        if (attempts != seen) {
            return; // fetched by another caller while this one waited
        }
        attemptedAt = clock.instant();
        boolean fetched = false;
        try {
            keys = JWKSet.parse(fetch.get()).getKeys().stream().map(JWK::toPublicJWK).toList();
            fetchedAt = clock.instant();
            fetched = true;
        } catch (ParseException | RuntimeException e) {
            // kept: the old keys
        } finally {
            if (!fetched) {
                fetchedAt = clock.instant().minus(maxAge).plus(minRefreshInterval); // retry soon, also after an Error
            }
            attempts = seen + 1; // counted when done: callers that came meanwhile see it and return
        }
    }
}
