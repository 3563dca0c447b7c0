package dev.fapi2lambda.core.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one error type of the core: an OAuth error code, a description for the client, the HTTP
 * status and any headers the spec asks for (WWW-Authenticate, DPoP-Nonce, Allow). The function
 * adapters turn it into a response with {@link ErrorResponses}; nothing else renders errors.
 */
public final class OAuthException extends RuntimeException {
    private final String error;
    private final String description;
    private final int status;
    private final Map<String, String> headers;

    private OAuthException(int status, String error, String description, Map<String, String> headers) {
        super(error + ": " + description, null, false, false);
        this.status = status;
        this.error = error;
        this.description = ErrorResponses.printableAscii(description);
        this.headers = Map.copyOf(headers);
    }

    public static OAuthException status(int status, String error, String description) {
        return new OAuthException(status, error, description, Map.of());
    }

    /** RFC 6749 5.2 */
    public static OAuthException invalidRequest(String description) {
        return status(400, "invalid_request", description);
    }

    /** RFC 6749 5.2: client authentication failed; 401 as the client did not use the Authorization header. */
    public static OAuthException invalidClient(String description) {
        return status(401, "invalid_client", description);
    }

    public static OAuthException invalidScope(String description) {
        return status(400, "invalid_scope", description);
    }

    public static OAuthException unauthorizedClient(String description) {
        return status(400, "unauthorized_client", description);
    }

    public static OAuthException unsupportedResponseType(String description) {
        return status(400, "unsupported_response_type", description);
    }

    /** RFC 9449 5: a bad DPoP proof at the authorization server. */
    public static OAuthException invalidDpopProof(String description) {
        return status(400, "invalid_dpop_proof", description);
    }

    /** RFC 9110 15.5.6: the method is not allowed; Allow names the one that is. */
    public static OAuthException methodNotAllowed(String allowed) {
        return new OAuthException(405, "invalid_request", "HTTP method not allowed, use " + allowed,
                Map.of("Allow", allowed));
    }

    public static OAuthException notFound() {
        return status(404, "not_found", "no such endpoint");
    }

    /** The same error with one more response header. */
    public OAuthException withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new OAuthException(status, error, description, more);
    }

    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
