package dev.fapi2lambda.core.resource;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    /** A key source that GETs the JWKS over HTTPS with the JDK's client. */
    public static KeySource http(URI jwksUri, Clock clock) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return new KeySource(() -> {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(jwksUri)
                        .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("JWKS fetch answered " + response.statusCode());
                }
                return response.body();
            } catch (IOException e) {
                throw new IllegalStateException("JWKS fetch failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("JWKS fetch interrupted", e);
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
