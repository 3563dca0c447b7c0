package dev.fapi2lambda.core.discovery;

import static dev.fapi2lambda.core.testing.CoreFixture.ISSUER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** OpenID Connect Discovery / RFC 8414 metadata (C-DISC-1..5, 7). */
class DiscoveryEndpointTest {
    private final DiscoveryEndpoint endpoint = new DiscoveryEndpoint(ServerConfig.defaults(ISSUER));

    private Map<String, Object> metadata() {
        Response response = endpoint.handle(CoreFixture.get(Paths.OPENID_CONFIGURATION));
        assertEquals(200, response.status());
        assertTrue(response.header("Content-Type").startsWith("application/json"));
        return OAuthAssertions.json(response);
    }

    @Test
    @DisplayName("C-DISC-1 issuer equals the configured issuer exactly, with no trailing slash")
    void issuerIsExact() {
        assertEquals("https://as.example.test", metadata().get("issuer"));
    }

    @Test
    @DisplayName("C-DISC-2 the PAR endpoint is advertised on the issuer and PAR is required")
    void parIsRequired() {
        Map<String, Object> m = metadata();
        assertEquals(ISSUER + "/par", m.get("pushed_authorization_request_endpoint"));
        assertEquals(Boolean.TRUE, m.get("require_pushed_authorization_requests"));
    }

    @Test
    @DisplayName("C-DISC-3 authorization_response_iss_parameter_supported is true")
    void issParameterIsSupported() {
        assertEquals(Boolean.TRUE, metadata().get("authorization_response_iss_parameter_supported"));
    }

    @Test
    @DisplayName("C-DISC-3 response_types_supported is exactly [code]")
    void onlyCodeResponseType() {
        assertEquals(List.of("code"), metadata().get("response_types_supported"));
    }

    @Test
    @DisplayName("C-DISC-3 grant_types_supported is exactly authorization_code and refresh_token (no password, no implicit)")
    void grantTypes() {
        assertEquals(List.of("authorization_code", "refresh_token"), metadata().get("grant_types_supported"));
    }

    @Test
    @DisplayName("C-DISC-4 code_challenge_methods_supported is exactly [S256]")
    void onlyS256() {
        assertEquals(List.of("S256"), metadata().get("code_challenge_methods_supported"));
    }

    @Test
    @DisplayName("C-DISC-5 the only client authentication method advertised is private_key_jwt")
    void authMethods() {
        assertEquals(List.of("private_key_jwt"), metadata().get("token_endpoint_auth_methods_supported"));
    }

    @Test
    @DisplayName("C-DISC-5 assertion, DPoP and ID token signing algorithms are exactly PS256 and ES256")
    void signingAlgorithms() {
        Map<String, Object> m = metadata();
        for (String name : List.of("token_endpoint_auth_signing_alg_values_supported", "dpop_signing_alg_values_supported",
                "id_token_signing_alg_values_supported")) {
            assertEquals(List.of("PS256", "ES256"), m.get(name), name);
        }
    }

    @Test
    @DisplayName("C-DISC-7 scopes_supported holds openid, subject_types_supported and jwks_uri are present")
    void openIdMetadata() {
        Map<String, Object> m = metadata();
        assertTrue(((List<?>) m.get("scopes_supported")).contains("openid"));
        assertEquals(List.of("public"), m.get("subject_types_supported"));
        assertEquals(ISSUER + "/jwks", m.get("jwks_uri"));
    }

    @Test
    @DisplayName("C-DISC-1 POST to the discovery document is refused with 405 and Allow: GET")
    void postIsMethodNotAllowed() {
        Response response = OAuthAssertions.assertError(405, "invalid_request",
                () -> endpoint.handle(CoreFixture.post(Paths.OPENID_CONFIGURATION, Map.of())));
        assertEquals("GET", response.header("Allow"));
    }
}
