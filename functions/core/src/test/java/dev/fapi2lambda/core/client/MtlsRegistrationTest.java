package dev.fapi2lambda.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import dev.fapi2lambda.core.client.CertificateRule.Type;
import dev.fapi2lambda.core.testing.InMemoryItemStore;
import dev.fapi2lambda.core.testing.MtlsFixture;
import dev.fapi2lambda.core.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 8705 2 and 3.4 at registration: each mTLS method with what it needs and nothing it would ignore. */
class MtlsRegistrationTest {
    private static final CertificateRule DN = new CertificateRule(Type.SUBJECT_DN, "CN=client-a,O=Example Bank");
    private final ClientRegistration registration = new ClientRegistration(List.of("openid", "accounts"));
    private final JWKSet jwks = new JWKSet(TestKeys.ec().toPublicJWK());

    private static Client client(AuthMethod method, JWKSet jwks, Optional<CertificateRule> rule, boolean dpopRequired,
                                 boolean certificateBound) {
        return MtlsFixture.client("client-m", method, jwks, rule, dpopRequired, certificateBound);
    }

    private String refused(Client client) {
        return assertThrows(IllegalArgumentException.class, () -> registration.validate(client)).getMessage();
    }

    private void accepted(Client client) {
        assertSame(client, registration.validate(client));
    }

    @Test
    @DisplayName("RFC 8705 2.1.2: tls_client_auth without a subject DN or SAN rule is refused")
    void tlsClientAuthWithoutRuleIsRefused() {
        String message = refused(client(AuthMethod.TLS_CLIENT_AUTH, new JWKSet(), Optional.empty(), false, false));
        assertTrue(message.contains("tls_client_auth needs a subject DN or SAN rule"), message);
        refused(client(AuthMethod.TLS_CLIENT_AUTH, jwks, Optional.empty(), false, true));
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = {"PRIVATE_KEY_JWT", "SELF_SIGNED_TLS_CLIENT_AUTH"})
    @DisplayName("RFC 8705 2.1.2: a subject DN or SAN rule on private_key_jwt or self_signed_tls_client_auth is refused (it would be ignored)")
    void ruleOutsideTlsClientAuthIsRefused(AuthMethod method) {
        String message = refused(client(method, jwks, Optional.of(DN), false, false));
        assertTrue(message.contains("only for tls_client_auth"), message);
        refused(client(method, jwks, Optional.of(new CertificateRule(Type.SAN_DNS, "client.example.test")), false, false));
    }

    @ParameterizedTest
    @EnumSource(AuthMethod.class)
    @DisplayName("FAPI 2.0 SP 5.3.2.1 / RFC 8705 3.4: requiring both DPoP and certificate-bound tokens is refused, for every method")
    void dpopAndCertificateBoundTogetherAreRefused(AuthMethod method) {
        Optional<CertificateRule> rule = method == AuthMethod.TLS_CLIENT_AUTH ? Optional.of(DN) : Optional.empty();
        String message = refused(client(method, jwks, rule, true, true));
        assertTrue(message.contains("choose one sender constraint"), message);
        accepted(client(method, jwks, rule, true, false));
        accepted(client(method, jwks, rule, false, true));
    }

    @Test
    @DisplayName("RFC 8705 2.2: self_signed_tls_client_auth without a JWKS is refused (no key could ever match)")
    void selfSignedWithoutJwksIsRefused() {
        String message = refused(client(AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, new JWKSet(), Optional.empty(), false, false));
        assertTrue(message.contains("no keys"), message);
    }

    @Test
    @DisplayName("RFC 8705 2.2 / FAPI 2.0 SP 5.4.1: self_signed_tls_client_auth keys are checked like private_key_jwt keys (no private or short keys)")
    void selfSignedKeysAreChecked() {
        refused(client(AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, new JWKSet(TestKeys.ec()), Optional.empty(), false, false));
        refused(client(AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, new JWKSet(TestKeys.rsa(1024).toPublicJWK()),
                Optional.empty(), false, false));
        accepted(client(AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, jwks, Optional.empty(), false, true));
    }

    @Test
    @DisplayName("RFC 8705 2.1: tls_client_auth with a rule and an empty JWKS is accepted (the CA and the rule authenticate it)")
    void tlsClientAuthWithEmptyJwksIsAccepted() {
        accepted(client(AuthMethod.TLS_CLIENT_AUTH, new JWKSet(), Optional.of(DN), false, false));
        accepted(client(AuthMethod.TLS_CLIENT_AUTH, new JWKSet(), Optional.of(new CertificateRule(Type.SAN_URI,
                "https://client.example.test/app")), false, true));
    }

    @Test
    @DisplayName("RFC 8705 2.1 / FAPI 2.0 SP 5.4.1: keys a tls_client_auth client does register are still checked")
    void tlsClientAuthKeysAreChecked() {
        refused(client(AuthMethod.TLS_CLIENT_AUTH, new JWKSet(TestKeys.ec()), Optional.of(DN), false, false));
        accepted(client(AuthMethod.TLS_CLIENT_AUTH, jwks, Optional.of(DN), false, false));
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    @DisplayName("RFC 8705 2.1.2: every rule type, its value and certificate-bound tokens survive the client repository")
    void repositoryKeepsRuleAndBinding(Type type) {
        String value = type == Type.SUBJECT_DN ? "CN=client-a,O=Example Bank" : "192.0.2.10";
        Client client = client(AuthMethod.TLS_CLIENT_AUTH, new JWKSet(), Optional.of(new CertificateRule(type, value)),
                false, true);
        ClientRepository repository = new ClientRepository(new InMemoryItemStore());
        repository.save(registration.validate(client));
        Client found = repository.find("client-m", Instant.parse("2026-11-24T12:00:00Z")).orElseThrow();
        assertEquals(client.certificateRule(), found.certificateRule());
        assertEquals(AuthMethod.TLS_CLIENT_AUTH, found.authMethod());
        assertTrue(found.certificateBoundTokens());
        assertTrue(found.jwks().getKeys().isEmpty());
    }
}
