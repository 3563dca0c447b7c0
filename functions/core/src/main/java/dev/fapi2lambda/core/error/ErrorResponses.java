package dev.fapi2lambda.core.error;

import dev.fapi2lambda.core.http.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders every error the same way: OAuth error JSON, no-store, and the error's own headers. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static Response render(OAuthException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.description());
        return Response.json(e.status(), body, e.headers());
    }

    /** An unexpected fault: nothing about it reaches the client but the request id. */
    public static Response serverError(String requestId) {
        return render(OAuthException.status(500, "server_error",
                "unexpected error, request id " + printableAscii(requestId)));
    }

    /**
     * RFC 6749 5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E; anything else
     * (CR, LF, TAB, quotes, backslash, non-ASCII) is replaced so that a client's input echoed in
     * a description can never break the JSON or a header.
     */
    public static String printableAscii(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 300));
        for (int i = 0; i < text.length() && out.length() < 300; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
        }
        return out.toString();
    }
}
