package dev.fapi2lambda.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Strict application/x-www-form-urlencoded decoding (RFC 6749 3.1, 3.2; C-PAR-1). */
class FormTest {
    private static final int MAX = 64 * 1024;

    private static Form form(String contentType, byte[] body) {
        Request request = CoreFixture.request("POST", "/par", Map.of("Content-Type", List.of(contentType)), body);
        return Form.of(request, MAX);
    }

    private static Form form(String body) {
        return form("application/x-www-form-urlencoded", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertInvalidRequest(String body) {
        OAuthAssertions.assertError(400, "invalid_request", () -> form(body));
    }

    @Test
    @DisplayName("C-PAR-1 percent-encoding, plus as space and UTF-8 are decoded")
    void decodesValues() {
        Form form = form("state=a%20b+c%2B%26%3D&nonce=%C3%A9%E2%82%AC&login_hint=caf\u00e9");
        assertEquals("a b c+&=", form.require("state"));
        assertEquals("\u00e9\u20ac", form.require("nonce"));
        assertEquals("caf\u00e9", form.require("login_hint"));
    }

    @Test
    @DisplayName("C-PAR-1 an empty value counts as absent but the parameter is still seen as sent")
    void emptyValueIsAbsent() {
        Form form = form("state=&nonce");
        assertTrue(form.get("state").isEmpty());
        assertTrue(form.get("nonce").isEmpty());
        assertTrue(form.has("state") && form.has("nonce"));
        assertFalse(form.has("scope"));
        OAuthAssertions.assertError(400, "invalid_request", () -> form.require("state"));
    }

    @Test
    @DisplayName("C-PAR-1 a parameter sent twice is refused with 400 invalid_request")
    void duplicateIsRefused() {
        assertInvalidRequest("scope=openid&state=1&scope=openid");
    }

    @Test
    @DisplayName("C-PAR-1 a parameter sent twice, once with an empty value, is refused with 400 invalid_request")
    void duplicateWithEmptyValueIsRefused() {
        assertInvalidRequest("state=&state=1");
    }

    @Test
    @DisplayName("C-PAR-1 the same parameter name spelled once plainly and once percent-encoded is a duplicate")
    void percentEncodedDuplicateIsRefused() {
        assertInvalidRequest("scope=openid&sc%6Fpe=profile");
    }

    @Test
    @DisplayName("C-PAR-1 raw bytes that are not UTF-8 are refused with 400 invalid_request")
    void rawInvalidUtf8IsRefused() {
        byte[] body = {'s', 't', 'a', 't', 'e', '=', (byte) 0xFF, (byte) 0xFE};
        OAuthAssertions.assertError(400, "invalid_request", () -> form("application/x-www-form-urlencoded", body));
    }

    @Test
    @DisplayName("C-PAR-1 a percent-encoded byte that is not UTF-8 (%FF) is refused with 400 invalid_request")
    void percentEncodedInvalidUtf8IsRefused() {
        assertInvalidRequest("state=%FF");
    }

    @Test
    @DisplayName("C-PAR-1 a percent-encoded overlong UTF-8 sequence (%C0%AF) is refused with 400 invalid_request")
    void overlongUtf8IsRefused() {
        assertInvalidRequest("state=%C0%AF");
    }

    @Test
    @DisplayName("C-PAR-1 malformed percent-encoding (non-hex or truncated) is refused with 400 invalid_request")
    void malformedPercentEncodingIsRefused() {
        assertInvalidRequest("state=%G1");
        assertInvalidRequest("state=%4");
        assertInvalidRequest("state=%");
    }

    @Test
    @DisplayName("C-PAR-1 a JSON body is refused with 415 invalid_request")
    void jsonIsUnsupportedMediaType() {
        OAuthAssertions.assertError(415, "invalid_request",
                () -> form("application/json", "{\"state\":\"1\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @DisplayName("C-PAR-1 a request without Content-Type is refused with 415 invalid_request")
    void missingContentTypeIsUnsupportedMediaType() {
        Request request = CoreFixture.request("POST", "/par", Map.of(), "state=1".getBytes(StandardCharsets.UTF_8));
        OAuthAssertions.assertError(415, "invalid_request", () -> Form.of(request, MAX));
    }

    @Test
    @DisplayName("C-PAR-1 the form media type is matched case-insensitively and with a charset parameter")
    void mediaTypeWithParameterIsAccepted() {
        Form form = form("Application/X-WWW-Form-URLEncoded; charset=UTF-8", "state=1".getBytes(StandardCharsets.UTF_8));
        assertEquals("1", form.require("state"));
    }

    @Test
    @DisplayName("C-PAR-1 a body of exactly 64 KiB is read and one byte more is refused with 413")
    void bodyLimit() {
        String atLimit = "state=" + "s".repeat(MAX - "state=".length());
        assertEquals(MAX - 6, form(atLimit).require("state").length());
        OAuthAssertions.assertError(413, "invalid_request", () -> form(atLimit + "s"));
    }

    @Test
    @DisplayName("C-PAR-1 parameter names keep their order and empty pairs are skipped")
    void namesInOrder() {
        assertEquals(List.of("b", "a", "c"), form("b=1&&a=2&c=3&").names());
    }
}
