package dev.fapi2lambda.core.userinfo;

import dev.fapi2lambda.core.dpop.DpopProofValidator;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Request;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a protected resource reads the token and reports failures (RFC 6750 3, RFC 9449 7.1):
 * 401 with a WWW-Authenticate challenge naming the error and, for DPoP, the accepted algorithms.
 */
public final class ResourceErrors {
    private static final String ALGS = "algs=\"PS256 ES256\"";

    private ResourceErrors() {
    }

    /** The scheme (lower case: "dpop" or "bearer") and the token of the Authorization header. */
    public record Presented(String scheme, String token) {
        public boolean isDpop() {
            return "dpop".equals(scheme);
        }
    }

    public static OAuthException invalidToken(String description) {
        return challenge(401, "invalid_token", description);
    }

    public static OAuthException invalidRequest(String description) {
        return challenge(400, "invalid_request", description);
    }

    private static OAuthException challenge(int status, String error, String description) {
        OAuthException e = OAuthException.status(status, error, description);
        return e.withHeader("WWW-Authenticate", "DPoP error=\"" + error + "\", error_description=\""
                + e.description() + "\", " + ALGS);
    }

    /** The proof expectations of a resource: 401 invalid_dpop_proof, 401 use_dpop_nonce with the nonce. */
    public static DpopProofValidator.Expectation expectation(String url, String token) {
        return new DpopProofValidator.Expectation(url, Optional.of(token),
                description -> challenge(401, "invalid_dpop_proof", description),
                nonce -> challenge(401, "use_dpop_nonce", "a DPoP nonce is required").withHeader("DPoP-Nonce", nonce));
    }

    /**
     * The token of the one Authorization header, scheme DPoP or Bearer matched case-insensitively
     * (RFC 9110 11.1). No header is a bare challenge.
     */
    public static Presented token(Request request) {
        List<String> headers = request.headers().all("Authorization");
        if (headers.isEmpty()) {
            throw OAuthException.status(401, "invalid_token", "an access token is required")
                    .withHeader("WWW-Authenticate", "DPoP " + ALGS);
        }
        if (headers.size() > 1) {
            throw invalidRequest("exactly one Authorization header is allowed");
        }
        String[] parts = headers.get(0).trim().split(" +", 2);
        if (parts.length != 2 || parts[1].isBlank()) {
            throw invalidToken("the Authorization header is malformed");
        }
        String scheme = parts[0].toLowerCase(Locale.ROOT);
        if (!"dpop".equals(scheme) && !"bearer".equals(scheme)) {
            throw invalidToken("the Authorization scheme must be DPoP (or Bearer for certificate-bound tokens)");
        }
        return new Presented(scheme, parts[1].trim());
    }
}
