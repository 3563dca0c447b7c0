package dev.fapi2lambda.core.config;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the protocol core is configured with. Each default is chosen for FAPI 2.0 and says why.
 * Public URLs come from here, never from Host or forwarded headers (DESIGN.md 2).
 *
 * @param issuer               the issuer identifier: an https origin without a trailing slash (RFC 8414 2)
 * @param parLifetime          how long a pushed request_uri may be used to start an authorization; RFC 9126
 *                             recommends short: 60 s
 * @param interactionLifetime  how long the user has for login and consent once the authorization started
 * @param codeLifetime         lifetime of an authorization code; FAPI 2.0 SP 5.3.2.1: at most 60 s
 * @param accessTokenLifetime  access tokens are short (5 min) because resources need not check revocation
 * @param refreshTokenLifetime lifetime of refresh tokens and their grant (30 days)
 * @param sessionLifetime      how long a login session lets the user skip the password (8 h)
 * @param maxFutureSkew        JWTs with iat/nbf up to this far in the future are accepted; FAPI 2.0 SP 5.3.2.1
 *                             asks for 10 s accepted and more than 60 s rejected
 * @param maxAssertionLifetime a client assertion whose exp is further than this from its iat (or from now) is
 *                             rejected, which bounds how long its jti must be remembered
 * @param dpopProofMaxAge      DPoP proofs older than this (by iat) are rejected (RFC 9449 11.1)
 * @param dpopNonces           whether DPoP proofs must carry a server nonce (FAPI 2.0 SP 5.3.2.2 item 10: yes)
 * @param dpopNonceWindow      each nonce's window; a nonce is accepted for one to two windows
 * @param accessTokenAlg       the algorithm access tokens are signed with (PS256; ES256 possible)
 * @param maxBodyBytes         requests with larger bodies are refused with 413
 * @param scopesSupported      every scope a client may be registered for
 * @param claimsSupported      the claims the userinfo and ID token may carry
 * @param apiAudience          the identifier of the protected API (the Lambda authorizer's expected aud), added to
 *                             every access token's aud beside the issuer (userinfo's audience)
 * @param mtlsBaseUrl          the origin of the mutual-TLS host, published as mtls_endpoint_aliases (RFC 8705 5);
 *                             empty when mTLS is not offered
 */
public record ServerConfig(String issuer, Duration parLifetime, Duration interactionLifetime, Duration codeLifetime,
                           Duration accessTokenLifetime, Duration refreshTokenLifetime, Duration sessionLifetime,
                           Duration maxFutureSkew, Duration maxAssertionLifetime, Duration dpopProofMaxAge,
                           boolean dpopNonces, Duration dpopNonceWindow, JWSAlgorithm accessTokenAlg,
                           int maxBodyBytes, List<String> scopesSupported, List<String> claimsSupported,
                           Optional<String> mtlsBaseUrl, Optional<String> apiAudience) {

    public static final Duration FAPI_MAX_CODE_LIFETIME = Duration.ofSeconds(60);
    public static final Duration FAPI_MAX_FUTURE_SKEW = Duration.ofSeconds(60);

    public ServerConfig {
        URI uri = URI.create(issuer);
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null
                || uri.getFragment() != null || issuer.endsWith("/") || (uri.getPath() != null && !uri.getPath().isEmpty())) {
            throw new IllegalArgumentException("issuer must be an https origin without path or trailing slash: " + issuer);
        }
        if (codeLifetime.compareTo(FAPI_MAX_CODE_LIFETIME) > 0 || codeLifetime.isNegative() || codeLifetime.isZero()) {
            throw new IllegalArgumentException("FAPI 2.0 SP 5.3.2.1: code lifetime must be 1..60 s");
        }
        if (maxFutureSkew.compareTo(FAPI_MAX_FUTURE_SKEW) > 0 || maxFutureSkew.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("FAPI 2.0 SP 5.3.2.1: future skew must accept 10 s and reject above 60 s");
        }
        if (parLifetime.toSeconds() < 5 || parLifetime.toSeconds() > 599) {
            throw new IllegalArgumentException("RFC 9126 2.2: request_uri lifetime must be 5..599 s");
        }
        if (!JWSAlgorithm.PS256.equals(accessTokenAlg) && !JWSAlgorithm.ES256.equals(accessTokenAlg)) {
            throw new IllegalArgumentException("access tokens are signed PS256 or ES256");
        }
        mtlsBaseUrl.ifPresent(url -> {
            URI m = URI.create(url);
            if (!"https".equals(m.getScheme()) || m.getHost() == null || url.endsWith("/")) {
                throw new IllegalArgumentException("the mTLS base URL must be an https origin: " + url);
            }
        });
        scopesSupported = List.copyOf(scopesSupported);
        claimsSupported = List.copyOf(claimsSupported);
    }

    /** The defaults for an issuer; every lifetime as FAPI 2.0 recommends. */
    public static ServerConfig defaults(String issuer) {
        return new ServerConfig(issuer, Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(60),
                Duration.ofMinutes(5), Duration.ofDays(30), Duration.ofHours(8), Duration.ofSeconds(10),
                Duration.ofMinutes(10), Duration.ofSeconds(60), true, Duration.ofSeconds(60), JWSAlgorithm.PS256,
                64 * 1024,
                List.of("openid", "profile", "email", "offline_access", "accounts"),
                List.of("sub", "name", "given_name", "family_name", "email", "email_verified", "auth_time", "nonce"),
                Optional.empty(), Optional.empty());
    }

    public ServerConfig withCodeLifetime(Duration value) {
        return new ServerConfig(issuer, parLifetime, interactionLifetime, value, accessTokenLifetime,
                refreshTokenLifetime, sessionLifetime, maxFutureSkew, maxAssertionLifetime, dpopProofMaxAge, dpopNonces,
                dpopNonceWindow, accessTokenAlg, maxBodyBytes, scopesSupported, claimsSupported, mtlsBaseUrl, apiAudience);
    }

    public ServerConfig withTokenLifetimes(Duration accessToken, Duration refreshToken) {
        return new ServerConfig(issuer, parLifetime, interactionLifetime, codeLifetime, accessToken,
                refreshToken, sessionLifetime, maxFutureSkew, maxAssertionLifetime, dpopProofMaxAge, dpopNonces,
                dpopNonceWindow, accessTokenAlg, maxBodyBytes, scopesSupported, claimsSupported, mtlsBaseUrl, apiAudience);
    }

    public ServerConfig withDpopNonces(boolean required) {
        return new ServerConfig(issuer, parLifetime, interactionLifetime, codeLifetime, accessTokenLifetime,
                refreshTokenLifetime, sessionLifetime, maxFutureSkew, maxAssertionLifetime, dpopProofMaxAge, required,
                dpopNonceWindow, accessTokenAlg, maxBodyBytes, scopesSupported, claimsSupported, mtlsBaseUrl, apiAudience);
    }

    public ServerConfig withAccessTokenAlg(JWSAlgorithm alg) {
        return new ServerConfig(issuer, parLifetime, interactionLifetime, codeLifetime, accessTokenLifetime,
                refreshTokenLifetime, sessionLifetime, maxFutureSkew, maxAssertionLifetime, dpopProofMaxAge, dpopNonces,
                dpopNonceWindow, alg, maxBodyBytes, scopesSupported, claimsSupported, mtlsBaseUrl, apiAudience);
    }

    public ServerConfig withMtls(String baseUrl) {
        return new ServerConfig(issuer, parLifetime, interactionLifetime, codeLifetime, accessTokenLifetime,
                refreshTokenLifetime, sessionLifetime, maxFutureSkew, maxAssertionLifetime, dpopProofMaxAge, dpopNonces,
                dpopNonceWindow, accessTokenAlg, maxBodyBytes, scopesSupported, claimsSupported, Optional.of(baseUrl), apiAudience);
    }

    public ServerConfig withApiAudience(String audience) {
        return new ServerConfig(issuer, parLifetime, interactionLifetime, codeLifetime, accessTokenLifetime,
                refreshTokenLifetime, sessionLifetime, maxFutureSkew, maxAssertionLifetime, dpopProofMaxAge, dpopNonces,
                dpopNonceWindow, accessTokenAlg, maxBodyBytes, scopesSupported, claimsSupported, mtlsBaseUrl,
                Optional.of(audience));
    }

    /** The public URL of an endpoint path on the issuer's host. */
    public String url(String path) {
        return issuer + path;
    }

    /**
     * The public URL of the endpoint that received a request: on the mTLS host when the request
     * came with a client certificate (only that host asks for one), on the issuer's host otherwise.
     */
    public String url(String path, boolean viaMtls) {
        return viaMtls && mtlsBaseUrl.isPresent() ? mtlsBaseUrl.get() + path : url(path);
    }
}
