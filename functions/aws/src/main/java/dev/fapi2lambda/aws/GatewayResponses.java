package dev.fapi2lambda.aws;

import dev.fapi2lambda.core.http.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How API Gateway turns the authorizer's Deny into the answer RFC 9449 / RFC 6750 ask for. An
 * authorizer returns a policy, not a body, so it puts the error into its context and the
 * ACCESS_DENIED gateway response of template.yaml maps those context values to the status, the
 * WWW-Authenticate and DPoP-Nonce headers and the JSON body. The local server applies this same
 * mapping; TemplateTest checks the template says the same.
 */
public final class GatewayResponses {
    /** Context keys the authorizer sets on a Deny. */
    public static final String ERROR = "error";
    public static final String ERROR_DESCRIPTION = "errorDescription";
    public static final String WWW_AUTHENTICATE = "wwwAuthenticate";
    public static final String DPOP_NONCE = "dpopNonce";
    /** The status the ACCESS_DENIED gateway response answers with. */
    public static final int DENIED_STATUS = 401;
    /** ACCESS_DENIED's response headers: header name to the authorizer context key it takes. */
    public static final Map<String, String> DENIED_HEADERS = Map.of(
            "WWW-Authenticate", WWW_AUTHENTICATE,
            "DPoP-Nonce", DPOP_NONCE);
    /** ACCESS_DENIED's body template (application/json). */
    public static final String DENIED_BODY = "{\"error\":\"$context.authorizer." + ERROR
            + "\",\"error_description\":\"$context.authorizer." + ERROR_DESCRIPTION + "\"}";
    /** UNAUTHORIZED (no Authorization header: API Gateway answers without calling the authorizer). */
    public static final String UNAUTHORIZED_CHALLENGE = "DPoP algs=\"PS256 ES256\"";

    private GatewayResponses() {
    }

    /** The response API Gateway sends for a Deny with this context. */
    public static Response denied(Map<String, Object> context) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", "no-store");
        DENIED_HEADERS.forEach((header, key) -> {
            Object value = context.get(key);
            if (value != null && !String.valueOf(value).isEmpty()) {
                headers.put(header, String.valueOf(value));
            }
        });
        String body = DENIED_BODY
                .replace("$context.authorizer." + ERROR_DESCRIPTION, String.valueOf(context.getOrDefault(ERROR_DESCRIPTION, "")))
                .replace("$context.authorizer." + ERROR, String.valueOf(context.getOrDefault(ERROR, "")));
        return new Response(DENIED_STATUS, headers, body);
    }

    /** The response API Gateway sends when the request has no Authorization header at all. */
    public static Response unauthorized() {
        return new Response(401, Map.of("Content-Type", "application/json", "Cache-Control", "no-store",
                "WWW-Authenticate", UNAUTHORIZED_CHALLENGE), "{\"message\":\"Unauthorized\"}");
    }
}
