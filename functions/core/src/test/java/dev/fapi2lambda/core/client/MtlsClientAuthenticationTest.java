package dev.fapi2lambda.core.client;

import static dev.fapi2lambda.core.testing.TestCertificates.dns;
import static dev.fapi2lambda.core.testing.TestCertificates.email;
import static dev.fapi2lambda.core.testing.TestCertificates.ip;
import static dev.fapi2lambda.core.testing.TestCertificates.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.fapi2lambda.core.client.CertificateRule.Type;
import dev.fapi2lambda.core.config.Params;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.MtlsFixture;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import dev.fapi2lambda.core.testing.TestCertificates;
import dev.fapi2lambda.core.testing.TestKeys;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.function.Executable;

/**
 * RFC 8705 2: mutual-TLS client authentication at PAR and token. The certificate comes from the
 * TLS connection ({@link Request#clientCertificate()}), client_id names the client, and every
 * failure is 401 invalid_client (RFC 8705 2, RFC 6749 5.2).
 */
class MtlsClientAuthenticationTest {
    private static final String DN = "CN=client-a,OU=Payments,O=Example Bank,C=DE";
    private final MtlsFixture f = new MtlsFixture();

    private static Map<String, String> form(String clientId) {
        return Forms.params(Params.CLIENT_ID, clientId, "grant_type", "authorization_code", "code", "abc");
    }

    private Client authenticate(String clientId, X509Certificate certificate) {
        return f.authenticate(MtlsFixture.post(Paths.TOKEN, form(clientId), certificate));
    }

    private void assertAuthenticated(String clientId, X509Certificate certificate) {
        assertEquals(clientId, authenticate(clientId, certificate).clientId());
    }

    private static String assertInvalidClient(Executable call) {
        Response response = OAuthAssertions.assertError(401, "invalid_client", call);
        return String.valueOf(OAuthAssertions.json(response).get("error_description"));
    }

    private String assertRejected(String clientId, X509Certificate certificate) {
        return assertInvalidClient(() -> authenticate(clientId, certificate));
    }

    private String tlsClient(String id, Type type, String value) {
        return f.save(MtlsFixture.tlsClient(id, MtlsFixture.rule(type, value))).clientId();
    }

    // --- RFC 8705 2.1 tls_client_auth ---------------------------------------------------------

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: a certificate of the trusted CA with the registered subject DN authenticates the client")
    void rightCaAndSubjectDnAuthenticates() {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, "cn=client-a, ou=Payments, o=Example Bank, c=DE");
        Client client = authenticate(id, f.ca.issue(DN).certificate());
        assertEquals(id, client.clientId());
        assertEquals(AuthMethod.TLS_CLIENT_AUTH, client.authMethod());
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: the same works at PAR, with the PAR parameters around client_id")
    void authenticatesAtPar() {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        Request request = MtlsFixture.post(Paths.PAR, Forms.params(Params.CLIENT_ID, id, Params.RESPONSE_TYPE, "code",
                Params.REDIRECT_URI, MtlsFixture.REDIRECT_URI, Params.SCOPE, "openid"), f.ca.issue(DN).certificate());
        assertEquals(id, f.authenticate(request).clientId());
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: a certificate of the trusted CA with another subject DN is 401 invalid_client")
    void wrongSubjectDnIsRejected() {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        String description = assertRejected(id, f.ca.issue("CN=client-b,OU=Payments,O=Example Bank,C=DE").certificate());
        assertTrue(description.contains("tls_client_auth_subject_dn"), description);
        assertRejected(id, f.ca.issue("CN=client-a,OU=Team,OU=Payments,O=Example Bank,C=DE").certificate());
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: a certificate of another CA with the registered subject DN is 401 invalid_client")
    void otherCaIsRejected() {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        String description = assertRejected(id, f.otherCa.issue(DN).certificate());
        assertTrue(description.contains("trusted CA"), description);
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: a self-signed certificate with the registered subject DN is 401 invalid_client")
    void selfSignedWithRightDnIsRejected() {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        assertRejected(id, TestCertificates.selfSigned(DN).certificate());
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: an expired certificate of the trusted CA with the registered subject DN is 401 invalid_client")
    void expiredCertificateIsRejected() {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        X509Certificate expired = f.ca.issue(DN, Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z")).certificate();
        String description = assertRejected(id, expired);
        assertTrue(description.contains("expired"), description);
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: a certificate becomes unusable once the clock passes its notAfter")
    void certificateExpiresWithTheClock() {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        X509Certificate leaf = f.ca.issue(DN, TestCertificates.NOT_BEFORE, f.clock.instant().plusSeconds(60)).certificate();
        assertAuthenticated(id, leaf);
        f.clock.advance(Duration.ofSeconds(61));
        assertRejected(id, leaf);
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: a certificate that is not yet valid is 401 invalid_client")
    void notYetValidCertificateIsRejected() {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        assertRejected(id, f.ca.issue(DN, f.clock.instant().plusSeconds(3600), TestCertificates.NOT_AFTER).certificate());
    }

    static Stream<Arguments> sanRules() {
        return Stream.of(
                Arguments.of(Type.SAN_DNS, "client.example.test", dns("client.example.test"), dns("other.example.test")),
                Arguments.of(Type.SAN_URI, "https://client.example.test/app", uri("https://client.example.test/app"),
                        uri("https://client.example.test/other")),
                Arguments.of(Type.SAN_IP, "192.0.2.10", ip("192.0.2.10"), ip("192.0.2.11")),
                Arguments.of(Type.SAN_EMAIL, "client@example.test", email("client@example.test"),
                        email("other@example.test")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("sanRules")
    @DisplayName("RFC 8705 2.1.2 tls_client_auth SAN rule: the CA's certificate with the registered SAN authenticates, with another SAN of that type it is 401")
    void sanRuleClients(Type type, String registered, TestCertificates.San right, TestCertificates.San wrong) {
        String id = tlsClient("tls-san", type, registered);
        assertAuthenticated(id, f.ca.issue("CN=anything", right).certificate());
        String description = assertRejected(id, f.ca.issue("CN=anything", wrong).certificate());
        assertTrue(description.contains(type.metadata()), description);
        assertRejected(id, f.ca.issue("CN=anything").certificate());           // no SANs at all
        assertRejected(id, f.otherCa.issue("CN=anything", right).certificate()); // right SAN, untrusted CA
        assertRejected(id, TestCertificates.selfSigned("CN=anything", right).certificate());
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: another tls_client_auth client's certificate does not authenticate this client")
    void anotherClientsCertificateIsRejected() {
        String a = tlsClient("tls-a", Type.SUBJECT_DN, "CN=client-a,O=Example Bank");
        String b = tlsClient("tls-b", Type.SUBJECT_DN, "CN=client-b,O=Example Bank");
        X509Certificate certA = f.ca.issue("CN=client-a,O=Example Bank").certificate();
        assertAuthenticated(a, certA);
        assertRejected(b, certA);
    }

    @Test
    @DisplayName("RFC 8705 2.1: without trust anchors (mTLS not configured) a tls_client_auth client never authenticates")
    void noTrustAnchorsRejectEverything() {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        ClientAuthentication withoutTrust = new ClientAuthentication(f.config, f.clients, f.store, f.clock);
        Request request = MtlsFixture.post(Paths.TOKEN, form(id), f.ca.issue(DN).certificate());
        assertInvalidClient(() -> withoutTrust.authenticate(request, dev.fapi2lambda.core.http.Form.of(request, 65536)));
    }

    // --- RFC 8705 2.2 self_signed_tls_client_auth ----------------------------------------------

    @Test
    @DisplayName("RFC 8705 2.2 self_signed_tls_client_auth: a self-signed certificate whose public key is in the client's JWKS authenticates (EC and RSA)")
    void selfSignedWithRegisteredKeyAuthenticates() {
        ECKey ec = TestKeys.ec();
        RSAKey rsa = TestKeys.rsa();
        String id = f.save(MtlsFixture.selfSignedClient("self-signed",
                new JWKSet(List.of(ec.toPublicJWK(), rsa.toPublicJWK())))).clientId();
        assertAuthenticated(id, TestCertificates.selfSigned("CN=whatever", keyPair(ec)).certificate());
        assertAuthenticated(id, TestCertificates.selfSigned("CN=whatever", keyPair(rsa)).certificate());
        assertEquals(AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH,
                authenticate(id, TestCertificates.selfSigned("CN=x", keyPair(ec)).certificate()).authMethod());
    }

    @Test
    @DisplayName("RFC 8705 2.2 self_signed_tls_client_auth: no chain is required, a CA-issued certificate for the registered key works too")
    void caIssuedCertificateForRegisteredKeyAuthenticates() {
        ECKey ec = TestKeys.ec();
        String id = f.save(MtlsFixture.selfSignedClient("self-signed", new JWKSet(ec.toPublicJWK()))).clientId();
        assertAuthenticated(id, f.otherCa.issue("CN=x", keyPair(ec), TestCertificates.NOT_BEFORE,
                TestCertificates.NOT_AFTER).certificate());
    }

    @Test
    @DisplayName("RFC 8705 2.2 self_signed_tls_client_auth: a certificate with a key not in the client's JWKS is 401 invalid_client")
    void selfSignedWithOtherKeyIsRejected() {
        ECKey registered = TestKeys.ec();
        String id = f.save(MtlsFixture.selfSignedClient("self-signed", new JWKSet(registered.toPublicJWK()))).clientId();
        String description = assertRejected(id, TestCertificates.selfSigned("CN=whatever").certificate());
        assertTrue(description.contains("registered keys"), description);
        assertRejected(id, f.ca.issue("CN=whatever").certificate());
    }

    @Test
    @DisplayName("RFC 8705 2.2 self_signed_tls_client_auth: an expired certificate of the registered key is 401 invalid_client")
    void selfSignedExpiredIsRejected() {
        ECKey ec = TestKeys.ec();
        String id = f.save(MtlsFixture.selfSignedClient("self-signed", new JWKSet(ec.toPublicJWK()))).clientId();
        assertRejected(id, TestCertificates.selfSigned("CN=x", keyPair(ec), Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2025-01-01T00:00:00Z")).certificate());
    }

    // --- method and credential mismatches -------------------------------------------------------

    @Test
    @DisplayName("RFC 8705 2 / FAPI 2.0 SP 5.3.2.1: a private_key_jwt client presenting only a certificate and client_id is 401 invalid_client")
    void privateKeyJwtClientWithCertificateIsRejected() {
        ECKey key = TestKeys.ec();
        String id = f.save(MtlsFixture.client("pkj", AuthMethod.PRIVATE_KEY_JWT, new JWKSet(key.toPublicJWK()),
                Optional.empty(), false, false)).clientId();
        // Even a certificate of the client's own registered key, from the trusted CA.
        X509Certificate cert = f.ca.issue("CN=pkj", keyPair(key), TestCertificates.NOT_BEFORE,
                TestCertificates.NOT_AFTER).certificate();
        String description = assertRejected(id, cert);
        assertTrue(description.contains("registered for private_key_jwt"), description);
    }

    @Test
    @DisplayName("RFC 8705 2 / RFC 7523 3: a tls_client_auth client sending a client_assertion is 401 invalid_client (method mismatch)")
    void tlsClientWithAssertionIsRejected() {
        ECKey key = TestKeys.ec();
        String id = f.save(MtlsFixture.client("tls-with-keys", AuthMethod.TLS_CLIENT_AUTH, new JWKSet(key.toPublicJWK()),
                Optional.of(MtlsFixture.rule(Type.SUBJECT_DN, DN)), false, false)).clientId();
        String assertion = Jwts.clientAssertion(key, id, MtlsFixture.ISSUER, f.clock.instant());
        Map<String, String> params = Forms.params(Params.CLIENT_ID, id,
                Params.CLIENT_ASSERTION_TYPE, Params.JWT_BEARER, Params.CLIENT_ASSERTION, assertion);
        String withoutCert = assertInvalidClient(() -> f.authenticate(
                MtlsFixture.post(Paths.TOKEN, params, Map.of(), Optional.empty())));
        assertTrue(withoutCert.contains("registered for tls_client_auth"), withoutCert);
        String withCert = assertInvalidClient(() -> f.authenticate(
                MtlsFixture.post(Paths.TOKEN, params, f.ca.issue(DN).certificate())));
        assertTrue(withCert.contains("registered for tls_client_auth"), withCert);
    }

    @Test
    @DisplayName("RFC 8705 2 / RFC 6749 2.3: neither a certificate nor a client_assertion is 401 invalid_client")
    void noCertificateAndNoAssertionIsRejected() {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        String description = assertInvalidClient(() -> f.authenticate(
                MtlsFixture.post(Paths.TOKEN, form(id), Map.of(), Optional.empty())));
        assertTrue(description.contains("client authentication is required"), description);
    }

    @Test
    @DisplayName("RFC 8705 2: a certificate without client_id is 401 invalid_client (the certificate alone never names the client)")
    void certificateWithoutClientIdIsRejected() {
        tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        assertInvalidClient(() -> f.authenticate(MtlsFixture.post(Paths.TOKEN,
                Forms.params("grant_type", "authorization_code"), f.ca.issue(DN).certificate())));
    }

    @Test
    @DisplayName("RFC 8705 2: an unknown client_id with a trusted certificate is 401 invalid_client")
    void unknownClientIdIsRejected() {
        tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        String description = assertRejected("no-such-client", f.ca.issue(DN).certificate());
        assertTrue(description.contains("not a registered client"), description);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"X-Client-Cert", "X-Amzn-Mtls-Clientcert", "X-SSL-Client-Cert", "X-Forwarded-Client-Cert"})
    @DisplayName("RFC 8705 2: a certificate only in a request header (no TLS client certificate) is 401 invalid_client: headers are never read")
    void certificateInHeaderIsIgnored(String header) throws Exception {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        X509Certificate cert = f.ca.issue(DN).certificate();
        String pem = TestCertificates.pem(cert);
        String encoded = java.net.URLEncoder.encode(pem, java.nio.charset.StandardCharsets.UTF_8);
        String base64 = Base64.getEncoder().encodeToString(cert.getEncoded());
        for (String value : List.of(encoded, base64, pem.replace("\n", " "))) {
            Request request = MtlsFixture.post(Paths.TOKEN, form(id), Map.of(header, value), Optional.empty());
            String description = assertInvalidClient(() -> f.authenticate(request));
            assertTrue(description.contains("client authentication is required"), description);
        }
        assertAuthenticated(id, cert); // the same certificate on the connection is fine
    }

    @Test
    @DisplayName("FAPI 2.0 SP 5.3.2.1: HTTP Basic is refused even on the mTLS host with a valid certificate")
    void authorizationHeaderIsRejectedWithCertificate() {
        String id = tlsClient("tls-dn", Type.SUBJECT_DN, DN);
        Request request = MtlsFixture.post(Paths.TOKEN, form(id), Map.of("Authorization", "Basic dGxzLWRuOng="),
                Optional.of(f.ca.issue(DN).certificate()));
        assertInvalidClient(() -> f.authenticate(request));
    }

    private static KeyPair keyPair(ECKey key) {
        try {
            return key.toKeyPair();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair(RSAKey key) {
        try {
            return key.toKeyPair();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
