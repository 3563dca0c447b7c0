package dev.fapi2lambda.core.client;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.fapi2lambda.core.testing.TestKeys;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Only clients FAPI 2.0 allows can be stored (SP 5.3.2.1, 5.4.1; RFC 9700 2.1). */
class ClientRegistrationTest {
    private static final String REDIRECT = "https://client.example.test/cb";
    private final ClientRegistration registration = new ClientRegistration(List.of("openid", "profile", "accounts"));
    private final ECKey ec = TestKeys.ec();

    private static Client client(List<JWK> keys, List<String> redirectUris, Set<String> scopes) {
        return new Client("client-1", AuthMethod.PRIVATE_KEY_JWT, new JWKSet(keys), redirectUris, scopes, false);
    }

    private Client withKeys(JWK... keys) {
        return client(List.of(keys), List.of(REDIRECT), Set.of("openid"));
    }

    private Client withRedirect(String redirectUri) {
        return client(List.of(ec.toPublicJWK()), List.of(redirectUri), Set.of("openid"));
    }

    private void assertRefused(Client client, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registration.validate(client));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    @DisplayName("a client with public EC P-256 and RSA 2048 keys, https redirect and supported scopes is accepted")
    void validClientIsAccepted() {
        Client client = client(List.of(ec.toPublicJWK(), TestKeys.rsa().toPublicJWK()), List.of(REDIRECT),
                Set.of("openid", "accounts"));
        assertSame(client, registration.validate(client));
    }

    @Test
    @DisplayName("C-CRY-2 a JWKS holding a private key is refused")
    void privateKeyIsRefused() {
        assertRefused(withKeys(ec), "public keys only");
    }

    @Test
    @DisplayName("C-DISC-7 an RSA key of 1024 bits is refused")
    void shortRsaKeyIsRefused() {
        assertRefused(withKeys(TestKeys.rsa(1024).toPublicJWK()), "2048");
    }

    @Test
    @DisplayName("C-DISC-7 an EC key on P-384 is refused (ES256 needs P-256)")
    void p384KeyIsRefused() {
        assertRefused(withKeys(TestKeys.ec(Curve.P_384).toPublicJWK()), "P-256");
    }

    @Test
    @DisplayName("C-DISC-7 a key without kid is refused")
    void missingKidIsRefused() {
        assertRefused(withKeys(new ECKey.Builder(ec.toPublicJWK()).keyID(null).build()), "kid");
    }

    @Test
    @DisplayName("C-DISC-7 two keys with the same kid are refused")
    void duplicateKidIsRefused() {
        ECKey other = new ECKey.Builder(TestKeys.ec().toPublicJWK()).keyID(ec.getKeyID()).build();
        assertRefused(withKeys(ec.toPublicJWK(), other), "used twice");
    }

    @Test
    @DisplayName("C-PAR-3 an http redirect URI is refused")
    void httpRedirectIsRefused() {
        assertRefused(withRedirect("http://client.example.test/cb"), "https");
    }

    @Test
    @DisplayName("C-PAR-3 a redirect URI with a fragment is refused")
    void fragmentRedirectIsRefused() {
        assertRefused(withRedirect("https://client.example.test/cb#frag"), "fragment");
    }

    @Test
    @DisplayName("C-PAR-3 a redirect URI with an empty fragment is refused")
    void emptyFragmentRedirectIsRefused() {
        assertRefused(withRedirect("https://client.example.test/cb#"), "fragment");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/cb", "client.example.test/cb", "//client.example.test/cb"})
    @DisplayName("C-PAR-3 a relative redirect URI is refused")
    void relativeRedirectIsRefused(String redirectUri) {
        assertRefused(withRedirect(redirectUri), "absolute https");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://client.example.test/cb/*", "https://client.example.test/*/cb"})
    @DisplayName("C-PAR-3 a redirect URI with a wildcard is refused")
    void wildcardRedirectIsRefused(String redirectUri) {
        assertRefused(withRedirect(redirectUri), "wildcards");
    }

    @Test
    @DisplayName("C-PAR-3 a redirect URI with a host wildcard is refused")
    void hostWildcardRedirectIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> registration.validate(withRedirect("https://*.client.example.test/cb")));
    }

    @Test
    @DisplayName("C-PAR-3 an https redirect URI with a query is accepted")
    void httpsWithQueryIsAccepted() {
        Client client = withRedirect("https://client.example.test/cb?dummy1=lorem&dummy2=ipsum");
        assertSame(client, registration.validate(client));
    }

    @Test
    @DisplayName("C-PAR-5 a scope the server does not support is refused")
    void unsupportedScopeIsRefused() {
        assertRefused(client(List.of(ec.toPublicJWK()), List.of(REDIRECT), Set.of("openid", "admin")), "admin");
    }
}
