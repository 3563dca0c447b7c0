package dev.fapi2lambda.core.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8705 3.3 and 5: the metadata of a server that offers mutual TLS, and of one that does not. */
class DiscoveryMtlsTest {
    private static final String ISSUER = "https://as.example.test";
    private static final String MTLS = "https://mtls.as.example.test";
    private static final ServerConfig WITH_MTLS = ServerConfig.defaults(ISSUER).withMtls(MTLS);
    private static final ServerConfig WITHOUT_MTLS = ServerConfig.defaults(ISSUER);

    private static Map<String, Object> metadata(ServerConfig config, String path) {
        Response response = new DiscoveryEndpoint(config).handle(CoreFixture.get(path));
        assertEquals(200, response.status());
        return OAuthAssertions.json(response);
    }

    private static Map<String, Object> metadata(ServerConfig config) {
        return metadata(config, Paths.OPENID_CONFIGURATION);
    }

    @Test
    @DisplayName("RFC 8705 3.3: with mTLS, tls_client_certificate_bound_access_tokens is true")
    void certificateBoundTokensAdvertised() {
        assertEquals(Boolean.TRUE, metadata(WITH_MTLS).get("tls_client_certificate_bound_access_tokens"));
    }

    @Test
    @DisplayName("RFC 8705 2.1 / 2.2: with mTLS, token_endpoint_auth_methods_supported is private_key_jwt, tls_client_auth and self_signed_tls_client_auth")
    void authMethodsWithMtls() {
        assertEquals(List.of("private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"),
                metadata(WITH_MTLS).get("token_endpoint_auth_methods_supported"));
    }

    @ParameterizedTest
    @ValueSource(strings = {Paths.OPENID_CONFIGURATION, Paths.OAUTH_METADATA})
    @DisplayName("RFC 8705 5: mtls_endpoint_aliases holds token, PAR and userinfo on the mTLS origin, at both well-known paths")
    void aliasesOfTokenParAndUserinfo(String path) {
        @SuppressWarnings("unchecked")
        Map<String, Object> aliases = (Map<String, Object>) metadata(WITH_MTLS, path).get("mtls_endpoint_aliases");
        assertEquals(MTLS + "/token", aliases.get("token_endpoint"));
        assertEquals(MTLS + "/par", aliases.get("pushed_authorization_request_endpoint"));
        assertEquals(MTLS + "/userinfo", aliases.get("userinfo_endpoint"));
    }

    @Test
    @DisplayName("RFC 8705 5: mtls_endpoint_aliases is exactly the endpoints a client calls directly (every top-level *_endpoint but authorization_endpoint), same path on the mTLS origin")
    void aliasesAreExactlyTheDirectEndpoints() {
        Map<String, Object> m = metadata(WITH_MTLS);
        @SuppressWarnings("unchecked")
        Map<String, Object> aliases = (Map<String, Object>) m.get("mtls_endpoint_aliases");
        Map<String, Object> expected = new LinkedHashMap<>();
        m.forEach((name, value) -> {
            if (name.endsWith("_endpoint") && !"authorization_endpoint".equals(name)) {
                expected.put(name, MTLS + ((String) value).substring(ISSUER.length()));
            }
        });
        assertTrue(expected.keySet().containsAll(Set.of("token_endpoint", "pushed_authorization_request_endpoint",
                "userinfo_endpoint")), () -> "top-level endpoints: " + expected.keySet());
        assertEquals(expected, aliases);
    }

    @Test
    @DisplayName("RFC 8705 5: the authorization endpoint (a browser redirect, never mTLS) has no alias; the top-level endpoints stay on the issuer")
    void noAuthorizationEndpointAlias() {
        Map<String, Object> m = metadata(WITH_MTLS);
        @SuppressWarnings("unchecked")
        Map<String, Object> aliases = (Map<String, Object>) m.get("mtls_endpoint_aliases");
        assertFalse(aliases.containsKey("authorization_endpoint"));
        assertFalse(aliases.containsKey("jwks_uri"));
        assertEquals(ISSUER + "/authorize", m.get("authorization_endpoint"));
        assertEquals(ISSUER + "/token", m.get("token_endpoint"));
        assertEquals(ISSUER + "/par", m.get("pushed_authorization_request_endpoint"));
        assertEquals(ISSUER + "/userinfo", m.get("userinfo_endpoint"));
        assertEquals(ISSUER + "/jwks", m.get("jwks_uri"));
        assertEquals(ISSUER, m.get("issuer"));
    }

    @Test
    @DisplayName("RFC 8705 3.3 / 5 / C-DISC-7: without mTLS, no certificate-bound tokens, no aliases, and auth methods are exactly [private_key_jwt]")
    void nothingMtlsWithoutMtls() {
        Map<String, Object> m = metadata(WITHOUT_MTLS);
        assertFalse(m.containsKey("tls_client_certificate_bound_access_tokens"));
        assertFalse(m.containsKey("mtls_endpoint_aliases"));
        assertEquals(List.of("private_key_jwt"), m.get("token_endpoint_auth_methods_supported"));
        assertFalse(m.toString().contains("mtls."), "no mTLS URL anywhere");
        assertFalse(m.toString().contains("tls_client_auth"), "no mTLS method for any endpoint");
    }

    @Test
    @DisplayName("RFC 8705 5: ServerConfig.url(path, viaMtls) is the mTLS URL only when mTLS is configured and the request came over it")
    void urlViaMtls() {
        assertEquals(MTLS + "/token", WITH_MTLS.url(Paths.TOKEN, true));
        assertEquals(ISSUER + "/token", WITH_MTLS.url(Paths.TOKEN, false));
        assertEquals(ISSUER + "/token", WITH_MTLS.url(Paths.TOKEN));
        assertEquals(ISSUER + "/token", WITHOUT_MTLS.url(Paths.TOKEN, true));
        assertEquals(ISSUER + "/userinfo", WITHOUT_MTLS.url(Paths.USERINFO, false));
        assertTrue(WITH_MTLS.mtlsBaseUrl().isPresent());
        assertTrue(WITHOUT_MTLS.mtlsBaseUrl().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://mtls.as.example.test", "https://mtls.as.example.test/", "mtls.as.example.test"})
    @DisplayName("RFC 8705 5: the mTLS base URL must be an https origin without trailing slash")
    void mtlsBaseUrlMustBeHttpsOrigin(String value) {
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults(ISSUER).withMtls(value));
    }
}
