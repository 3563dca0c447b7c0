package dev.fapi2lambda.core.userinfo;

import dev.fapi2lambda.core.dpop.DpopProofValidator;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Request;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a protected resource reads the token and reports failures (RFC 6750 3, RFC 9449 7.1):
 * 401 with a DPoP WWW-Authenticate challenge naming the error and the accepted algorithms.
 */
public final class ResourceErrors {
    private static final String ALGS = "algs=\"PS256 ES256\"";

    private ResourceErrors() {
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
     * The token of an {@code Authorization: DPoP <token>} header, scheme matched case-insensitively.
     * No header is a bare challenge; Bearer (or any other scheme) is refused, since every token
     * this server issues is DPoP-bound and a Bearer presentation would drop the binding.
     */
    public static String dpopToken(Request request) {
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
        if (!"dpop".equals(parts[0].toLowerCase(Locale.ROOT))) {
            throw invalidToken("DPoP-bound access tokens must be presented with the DPoP scheme");
        }
        return parts[1].trim();
    }
}
