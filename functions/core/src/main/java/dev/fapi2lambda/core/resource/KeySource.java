package dev.fapi2lambda.core.resource;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

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
     * The longest a whole fetch may take. The connect and read timeouts bound each step, not the
     * sum: a server that trickles a byte at a time would otherwise hold the request that fetches.
     */
    static final Duration FETCH_DEADLINE = Duration.ofSeconds(5);

    /** {@link #http(URI, Clock)} with a given deadline for the whole fetch (tests). */
    static KeySource http(URI jwksUri, Clock clock, Duration deadline) {
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
        return new KeySource(() -> {
            try {
                HttpURLConnection connection = (HttpURLConnection) url.openConnection();
                connection.setConnectTimeout(2_000);
                connection.setReadTimeout(3_000);
                connection.setInstanceFollowRedirects(false);
                connection.setUseCaches(false);
                connection.setRequestProperty("Accept", "application/jwk-set+json, application/json");
                // At the deadline the connection is closed, which ends a blocked read with an IOException.
                Thread deadlineWatch = new Thread(() -> {
                    try {
                        Thread.sleep(deadline.toMillis());
                        connection.disconnect();
                    } catch (InterruptedException fetchEnded) {
                        // the fetch ended first
                    }
                }, "jwks-fetch-deadline");
                deadlineWatch.setDaemon(true);
                deadlineWatch.start();
                try {
                    int status = connection.getResponseCode();
                    if (status != 200) {
                        connection.disconnect();
                        throw new IllegalStateException("JWKS fetch answered " + status);
                    }
                    try (InputStream in = connection.getInputStream()) {
                        byte[] body = in.readNBytes(MAX_JWKS_BYTES + 1);
                        if (body.length > MAX_JWKS_BYTES) {
                            throw new IllegalStateException("JWKS response over " + MAX_JWKS_BYTES + " bytes");
                        }
                        return new String(body, StandardCharsets.UTF_8);
                    }
                } finally {
                    deadlineWatch.interrupt();
                }
            } catch (IOException e) {
                throw new IllegalStateException("JWKS fetch failed", e);
            }
        }, clock, Duration.ofMinutes(10), Duration.ofSeconds(30));
    }

    @Override
    public List<JWK> get() {
        if (fetchedAt.plus(maxAge).isBefore(clock.instant())) {
            refresh();
        }
        return keys;
    }

    /** The keys after a refresh, if an unknown kid may be a new key (rate-limited). */
    public List<JWK> forUnknownKid() {
        if (attemptedAt.plus(minRefreshInterval).isBefore(clock.instant())) {
            refresh();
        }
        return keys;
    }

    private synchronized void refresh() {
        attemptedAt = clock.instant();
        try {
            keys = JWKSet.parse(fetch.get()).getKeys().stream().map(JWK::toPublicJWK).toList();
            fetchedAt = clock.instant();
        } catch (ParseException | RuntimeException e) {
            fetchedAt = clock.instant().minus(maxAge).plus(minRefreshInterval); // retry soon, keep old keys
        }
    }
}
