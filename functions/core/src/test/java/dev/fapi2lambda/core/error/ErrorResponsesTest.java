package dev.fapi2lambda.core.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** OAuth error responses (RFC 6749 5.2, C-TOK-9): JSON, no-store, printable-ASCII error_description. */
class ErrorResponsesTest {
    private static final String HOSTILE = "bad\r\nSet-Cookie: x=1\t\"quoted\" back\\slash caf\u00e9 \u0000\u007f end";

    private static String description(Response response) {
        return (String) OAuthAssertions.json(response).get("error_description");
    }

    @Test
    @DisplayName("C-TOK-9 an error renders as JSON with error, error_description, status and Cache-Control no-store")
    void rendersOAuthErrorJson() {
        Response response = ErrorResponses.render(OAuthException.invalidClient("client authentication failed"));
        OAuthAssertions.assertErrorResponse(401, "invalid_client", response);
        assertEquals("client authentication failed", description(response));
        assertEquals("no-cache", response.header("Pragma"));
    }

    @Test
    @DisplayName("C-TOK-9 error_description has no CR, LF, TAB, quote, backslash or non-ASCII even when the input has them")
    void descriptionIsPrintableAscii() {
        Response response = ErrorResponses.render(OAuthException.invalidRequest(HOSTILE));
        OAuthAssertions.assertErrorResponse(400, "invalid_request", response);
        String description = description(response);
        assertTrue(OAuthAssertions.ERROR_DESCRIPTION.matcher(description).matches(), description);
        assertEquals("bad??Set-Cookie: x=1??quoted? back?slash caf? ?? end", description);
    }

    @Test
    @DisplayName("C-TOK-9 printableAscii replaces every character outside %x20-21 / %x23-5B / %x5D-7E")
    void printableAsciiKeepsOnlyAllowedCharacters() {
        StringBuilder all = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            all.append(c);
            boolean allowed = c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
            expected.append(allowed ? c : '?');
        }
        assertEquals(expected.toString(), ErrorResponses.printableAscii(all.toString()));
        assertTrue(OAuthAssertions.ERROR_DESCRIPTION.matcher(expected).matches());
    }

    @Test
    @DisplayName("C-TOK-9 a client-chosen parameter name echoed in a description cannot inject CR/LF")
    void echoedParameterNameIsSanitised() {
        byte[] body = "a%0D%0AX-Injected:%201=1&a%0D%0AX-Injected:%201=2".getBytes(StandardCharsets.US_ASCII);
        var request = CoreFixture.request("POST", "/par",
                Map.of("Content-Type", List.of("application/x-www-form-urlencoded")), body);
        Response response = OAuthAssertions.assertError(400, "invalid_request", () -> Form.of(request, 1024));
        assertFalse(description(response).contains("\n"));
        assertTrue(description(response).contains("a??X-Injected: 1"), description(response));
    }

    @Test
    @DisplayName("C-TOK-9 a server error reveals only the request id, sanitised, with status 500 and no-store")
    void serverErrorIsSanitised() {
        Response response = ErrorResponses.serverError("req-1\r\nX: y");
        OAuthAssertions.assertErrorResponse(500, "server_error", response);
        assertEquals("unexpected error, request id req-1??X: y", description(response));
    }

    @Test
    @DisplayName("C-TOK-9 headers an error carries (Allow, DPoP-Nonce) are on the rendered response beside no-store")
    void errorHeadersAreRendered() {
        Response response = ErrorResponses.render(OAuthException.methodNotAllowed("POST")
                .withHeader("DPoP-Nonce", "n1"));
        OAuthAssertions.assertErrorResponse(405, "invalid_request", response);
        assertEquals("POST", response.header("Allow"));
        assertEquals("n1", response.header("DPoP-Nonce"));
    }

    @Test
    @DisplayName("C-TOK-9 a very long description is cut to at most 300 characters")
    void longDescriptionIsBounded() {
        String description = description(ErrorResponses.render(OAuthException.invalidRequest("x".repeat(10_000))));
        assertEquals(300, description.length());
    }
}
