package dev.fapi2lambda.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.core.error.ErrorResponses;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Response;
import java.text.ParseException;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.function.Executable;

/** Assertions on OAuth error responses as clients see them (RFC 6749 5.2, C-TOK-9). */
public final class OAuthAssertions {
    /** RFC 6749 5.2 error_description: %x20-21 / %x23-5B / %x5D-7E (no CR, LF, TAB, quote, backslash). */
    public static final Pattern ERROR_DESCRIPTION = Pattern.compile("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*");

    private OAuthAssertions() {
    }

    /**
     * Runs {@code call}, expects an {@link OAuthException}, renders it as the function adapters do
     * and checks the status, the {@code error} code, no-store and a printable description.
     * Returns the rendered response for further checks (headers such as Allow or DPoP-Nonce).
     */
    public static Response assertError(int status, String error, Executable call) {
        OAuthException e = assertThrows(OAuthException.class, call);
        Response response = ErrorResponses.render(e);
        assertErrorResponse(status, error, response);
        return response;
    }

    /** Checks an already rendered error response. */
    public static void assertErrorResponse(int status, String error, Response response) {
        Map<String, Object> body = json(response);
        assertEquals(status, response.status(), () -> "status of " + response.body());
        assertEquals(error, body.get("error"), () -> "error of " + response.body());
        assertEquals("no-store", response.header("Cache-Control"), "Cache-Control");
        assertTrue(response.header("Content-Type").startsWith("application/json"), "Content-Type");
        Object description = body.get("error_description");
        assertTrue(description instanceof String text && ERROR_DESCRIPTION.matcher(text).matches(),
                () -> "error_description is not printable ASCII: " + description);
    }

    public static Map<String, Object> json(Response response) {
        try {
            return JSONObjectUtils.parse(response.body());
        } catch (ParseException e) {
            throw new AssertionError("response body is not a JSON object: " + response.body(), e);
        }
    }
}
