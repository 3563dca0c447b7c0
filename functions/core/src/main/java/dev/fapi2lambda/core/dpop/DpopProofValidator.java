package dev.fapi2lambda.core.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.JwsKeys;
import dev.fapi2lambda.core.crypto.JwtTimes;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.OneTime;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a DPoP proof (RFC 9449 4.3) for the request that carries it. One piece for PAR, token,
 * userinfo and resource servers; the caller says how errors are reported (400 at the authorization
 * server, 401 with WWW-Authenticate at a resource) and which URL the proof must name.
 */
public final class DpopProofValidator {
    public static final JOSEObjectType DPOP_JWT = new JOSEObjectType("dpop+jwt");
    private static final int MAX_JTI_LENGTH = 256;
    private final ServerConfig config;
    private final ItemStore store;
    private final DpopNonces nonces;
    private final Clock clock;

    public DpopProofValidator(ServerConfig config, ItemStore store, DpopNonces nonces, Clock clock) {
        this.config = config;
        this.store = store;
        this.nonces = nonces;
        this.clock = clock;
    }

    /** What the caller expects of the proof, and how it reports a failure. */
    public record Expectation(String htu, Optional<String> accessToken, Function<String, OAuthException> error,
                              Function<String, OAuthException> nonceError) {
        /** At the authorization server: 400 invalid_dpop_proof, 400 use_dpop_nonce (RFC 9449 5, 8). */
        public static Expectation atAuthorizationServer(String htu) {
            return new Expectation(htu, Optional.empty(), OAuthException::invalidDpopProof,
                    nonce -> OAuthException.status(400, "use_dpop_nonce", "a DPoP nonce is required")
                            .withHeader("DPoP-Nonce", nonce));
        }
    }

    /** The proof of this request if it carries a DPoP header; empty if it carries none. */
    public Optional<DpopProof> validateIfPresent(Request request, Expectation expected) {
        if (request.headers().all("DPoP").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(validate(request, expected));
    }

    /** Validates the proof and records its jti at once. */
    public DpopProof validate(Request request, Expectation expected) {
        return commit(check(request, expected));
    }

    /** Records the jti of a checked proof (a reused one throws its error): the proof is then valid. */
    public DpopProof commit(Checked checked) {
        OneTime.of(store, Optional.of(checked.guard())).commit(clock.instant());
        return checked.proof();
    }

    /** A proof that passed every check but the one-time use of its jti, and the guard that settles that. */
    public record Checked(DpopProof proof, OneTime.Guard guard) {
    }

    /**
     * As {@link #validateIfPresent}, except that the jti is not recorded: the caller commits the
     * guard with its own writes (one request), before it answers.
     */
    public Optional<Checked> checkIfPresent(Request request, Expectation expected) {
        if (request.headers().all("DPoP").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(check(request, expected));
    }

    /** Every check of a required proof but the one-time use of its jti (see {@link #commit}). */
    public Checked check(Request request, Expectation expected) {
        Instant now = clock.instant();
        List<String> headers = request.headers().all("DPoP");
        if (headers.size() != 1) {
            throw expected.error().apply(headers.isEmpty() ? "DPoP proof is required" : "exactly one DPoP header is allowed");
        }
        SignedJWT proof = parse(headers.get(0), expected);
        JWK key = checkHeader(proof.getHeader(), expected);
        if (!JwsKeys.verify(proof, key)) {
            throw expected.error().apply("DPoP proof signature does not verify with its jwk");
        }
        JWTClaimsSet claims = claims(proof, expected);
        String jti = checkClaims(claims, request, expected, now);
        nonces.challenge(stringClaim(claims, "nonce", expected), now).ifPresent(nonce -> {
            throw expected.nonceError().apply(nonce);
        });
        String jkt = thumbprint(key);
        return new Checked(new DpopProof(jkt, key, jti), jtiGuard(jkt, jti, claims.getIssueTime().toInstant(), expected));
    }

    private static SignedJWT parse(String value, Expectation expected) {
        try {
            return SignedJWT.parse(value.trim());
        } catch (ParseException | IllegalArgumentException e) {
            throw expected.error().apply("DPoP proof is not a signed JWT");
        }
    }

    /** RFC 9449 4.3 items 4-7: typ dpop+jwt, an allowed asymmetric alg, a public jwk that fits it. */
    private static JWK checkHeader(JWSHeader header, Expectation expected) {
        if (!isType(header.getType(), DPOP_JWT)) {
            throw expected.error().apply("DPoP proof typ must be dpop+jwt");
        }
        JWSAlgorithm alg = header.getAlgorithm();
        if (!JwsKeys.isAllowed(alg)) {
            throw expected.error().apply("DPoP proof alg must be PS256 or ES256");
        }
        JWK key = header.getJWK();
        if (key == null) {
            throw expected.error().apply("DPoP proof jwk header is required");
        }
        if (key.isPrivate()) {
            throw expected.error().apply("DPoP proof jwk must not contain a private key");
        }
        if (!JwsKeys.fits(alg, key)) {
            throw expected.error().apply("DPoP proof jwk does not fit alg " + alg);
        }
        return key;
    }

    /** RFC 7515 4.1.9: "application/" may be omitted from typ, and a recipient treats both forms alike. */
    public static boolean isType(JOSEObjectType actual, JOSEObjectType expected) {
        if (actual == null) {
            return false;
        }
        String type = actual.getType().toLowerCase(Locale.ROOT);
        return type.equals(expected.getType()) || type.equals("application/" + expected.getType());
    }

    private static JWTClaimsSet claims(SignedJWT proof, Expectation expected) {
        try {
            return proof.getJWTClaimsSet();
        } catch (ParseException e) {
            throw expected.error().apply("DPoP proof claims are malformed");
        }
    }

    /** RFC 9449 4.3 items 8-12: jti, htm, htu, iat (and ath when a token is presented). */
    private String checkClaims(JWTClaimsSet claims, Request request, Expectation expected, Instant now) {
        String jti = stringClaim(claims, "jti", expected)
                .filter(v -> v.length() <= MAX_JTI_LENGTH)
                .orElseThrow(() -> expected.error().apply("DPoP proof jti is required"));
        String htm = stringClaim(claims, "htm", expected)
                .orElseThrow(() -> expected.error().apply("DPoP proof htm is required"));
        if (!htm.equals(request.method())) {
            throw expected.error().apply("DPoP proof htm does not match the request method");
        }
        String htu = stringClaim(claims, "htu", expected)
                .orElseThrow(() -> expected.error().apply("DPoP proof htu is required"));
        if (!normalize(htu).map(normalize(expected.htu()).orElseThrow()::equals).orElse(false)) {
            throw expected.error().apply("DPoP proof htu does not match the endpoint URL");
        }
        Date iat = claims.getIssueTime();
        if (iat == null) {
            throw expected.error().apply("DPoP proof iat is required");
        }
        JwtTimes.notInFuture("DPoP proof iat", iat, now, config.maxFutureSkew()).ifPresent(problem -> {
            throw expected.error().apply(problem);
        });
        if (iat.toInstant().isBefore(now.minus(config.dpopProofMaxAge()))) {
            throw expected.error().apply("DPoP proof is too old (iat)");
        }
        if (expected.accessToken().isPresent()) {
            String ath = stringClaim(claims, "ath", expected)
                    .orElseThrow(() -> expected.error().apply("DPoP proof ath is required with an access token"));
            if (!Hashes.constantTimeEquals(ath, Hashes.sha256Url(expected.accessToken().get()))) {
                throw expected.error().apply("DPoP proof ath does not match the access token");
            }
        }
        return jti;
    }

    private static Optional<String> stringClaim(JWTClaimsSet claims, String name, Expectation expected) {
        Object value = claims.getClaim(name);
        if (value != null && !(value instanceof String)) {
            throw expected.error().apply("DPoP proof " + name + " must be a string");
        }
        return Optional.ofNullable((String) value).filter(v -> !v.isEmpty());
    }

    /**
     * RFC 9449 4.3 item 9: htu compared without query and fragment, after RFC 3986 6.2.2/6.2.3
     * normalisation (scheme and host case, default port, empty path).
     */
    static Optional<String> normalize(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String thumbprint(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("SHA-256 thumbprint of a verified key failed", e);
        }
    }

    /** RFC 9449 11.1: a proof is accepted once; the guard lives as long as the proof could be accepted. */
    private OneTime.Guard jtiGuard(String jkt, String jti, Instant iat, Expectation expected) {
        Instant until = iat.plus(config.dpopProofMaxAge()).plus(config.maxFutureSkew()).plusSeconds(1);
        Item guard = Item.of("jti#dpop#" + jkt + "#" + Hashes.sha256Url(jti)).expiresAt(until).build();
        return new OneTime.Guard(guard, () -> expected.error().apply("DPoP proof jti has already been used"));
    }
}
