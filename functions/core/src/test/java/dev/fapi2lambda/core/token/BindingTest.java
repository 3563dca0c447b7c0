package dev.fapi2lambda.core.token;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.CertificateRule;
import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.dpop.DpopProof;
import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.keys.JwkKeyService;
import dev.fapi2lambda.core.keys.JwtSigner;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.InMemoryItemStore;
import dev.fapi2lambda.core.testing.MtlsFixture;
import dev.fapi2lambda.core.testing.MutableClock;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import dev.fapi2lambda.core.testing.TestCertificates;
import dev.fapi2lambda.core.testing.TestKeys;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * FAPI 2.0 SP 5.3.2.1 item 4: every token is sender-constrained, by DPoP (RFC 9449) or by the
 * client certificate (RFC 8705 3); and a refresh token stays bound to what it was bound to.
 */
class BindingTest {
    private static final TestCertificates.Authority CA = TestCertificates.authority("CN=Binding CA");
    private final X509Certificate cert = CA.issue("CN=client-a").certificate();
    private final X509Certificate otherCert = CA.issue("CN=client-a").certificate();
    private final ECKey dpopKey = TestKeys.ec();
    private final DpopProof proof = new DpopProof(TestKeys.thumbprint(dpopKey), dpopKey.toPublicJWK(), "jti-1");

    private static Client client(boolean certificateBound) {
        return MtlsFixture.client("client-b", AuthMethod.TLS_CLIENT_AUTH, new JWKSet(),
                Optional.of(new CertificateRule(CertificateRule.Type.SUBJECT_DN, "CN=client-a")), false, certificateBound);
    }

    @Test
    @DisplayName("RFC 8705 3: a certificate-bound client without a client certificate is 400 invalid_request")
    void certificateBoundClientWithoutCertificate() {
        OAuthAssertions.assertError(400, "invalid_request",
                () -> Binding.of(client(true), Optional.empty(), Optional.empty()));
        OAuthAssertions.assertError(400, "invalid_request",
                () -> Binding.of(client(true), Optional.of(proof), Optional.empty()));
    }

    @Test
    @DisplayName("RFC 8705 3 / RFC 8705 3.1: a certificate-bound client's tokens are bound to x5t#S256 of its certificate, without DPoP")
    void certificateBoundClientWithCertificate() {
        Binding binding = Binding.of(client(true), Optional.empty(), Optional.of(cert));
        assertEquals(Optional.of(CertificateTrust.thumbprint(cert)), binding.x5t());
        assertEquals(Optional.empty(), binding.jkt());
    }

    @Test
    @DisplayName("RFC 9449 5 / FAPI 2.0 SP 5.3.2.1: a DPoP client without a proof is 400 invalid_dpop_proof, even with a certificate")
    void dpopClientWithoutProof() {
        OAuthAssertions.assertError(400, "invalid_dpop_proof",
                () -> Binding.of(client(false), Optional.empty(), Optional.empty()));
        OAuthAssertions.assertError(400, "invalid_dpop_proof",
                () -> Binding.of(client(false), Optional.empty(), Optional.of(cert)));
    }

    @Test
    @DisplayName("RFC 9449 6: a DPoP client's tokens are bound to the proof key only (a certificate on the connection is not bound)")
    void dpopClientWithProof() {
        Binding binding = Binding.of(client(false), Optional.of(proof), Optional.of(cert));
        assertEquals(Optional.of(proof.jkt()), binding.jkt());
        assertEquals(Optional.empty(), binding.x5t());
    }

    @Test
    @DisplayName("RFC 8705 3 + RFC 9449 6: a certificate-bound client that also sends a DPoP proof gets both jkt and x5t#S256")
    void certificateBoundClientWithProofGetsBoth() {
        Binding binding = Binding.of(client(true), Optional.of(proof), Optional.of(cert));
        assertEquals(Optional.of(proof.jkt()), binding.jkt());
        assertEquals(Optional.of(CertificateTrust.thumbprint(cert)), binding.x5t());
    }

    @Test
    @DisplayName("RFC 9449 10: requireKey refuses another key, or no key, with 400 invalid_dpop_proof; the same key or no bound key passes")
    void requireKey() {
        Binding withKey = new Binding(Optional.of(proof.jkt()), Optional.empty());
        Binding withoutKey = new Binding(Optional.empty(), Optional.of(CertificateTrust.thumbprint(cert)));
        String otherJkt = TestKeys.thumbprint(TestKeys.ec());
        OAuthAssertions.assertError(400, "invalid_dpop_proof", () -> withKey.requireKey(Optional.of(otherJkt)));
        OAuthAssertions.assertError(400, "invalid_dpop_proof", () -> withoutKey.requireKey(Optional.of(proof.jkt())));
        assertDoesNotThrow(() -> withKey.requireKey(Optional.of(proof.jkt())));
        assertDoesNotThrow(() -> withKey.requireKey(Optional.empty()));
        assertDoesNotThrow(() -> withoutKey.requireKey(Optional.empty()));
    }

    @Test
    @DisplayName("RFC 8705 3 / C-TOK-10: requireCertificate refuses another certificate, or none, with 400 invalid_grant; the same one or no bound one passes")
    void requireCertificate() {
        Binding withCert = new Binding(Optional.empty(), Optional.of(CertificateTrust.thumbprint(cert)));
        Binding withoutCert = new Binding(Optional.of(proof.jkt()), Optional.empty());
        String otherX5t = CertificateTrust.thumbprint(otherCert);
        OAuthAssertions.assertError(400, "invalid_grant", () -> withCert.requireCertificate(Optional.of(otherX5t)));
        OAuthAssertions.assertError(400, "invalid_grant",
                () -> withoutCert.requireCertificate(Optional.of(CertificateTrust.thumbprint(cert))));
        assertDoesNotThrow(() -> withCert.requireCertificate(Optional.of(CertificateTrust.thumbprint(cert))));
        assertDoesNotThrow(() -> withCert.requireCertificate(Optional.empty()));
        assertDoesNotThrow(() -> withoutCert.requireCertificate(Optional.empty()));
    }

    @Test
    @DisplayName("RFC 8705 3 / C-TOK-10: the refresh_token grant of a certificate-bound grant works only with the same certificate")
    void refreshGrantChecksCertificate() throws Exception {
        MutableClock clock = new MutableClock(TestCertificates.VALID_AT);
        MtlsFixture f = new MtlsFixture();
        InMemoryItemStore grantStore = new InMemoryItemStore();
        Grants grants = new Grants(grantStore);
        Secrets secrets = new Secrets(new SecureRandom());
        TokenIssuer issuer = new TokenIssuer(f.config,
                new JwtSigner(new JwkKeyService(List.of(TestKeys.rsa(), TestKeys.ec()))), secrets);
        RefreshGrant refresh = new RefreshGrant(f.config, grants, issuer, clock);
        String refreshToken = issuer.refreshToken("grant-1");
        Instant now = clock.instant();
        grantStore.transact(List.of(grants.create(new Grant("grant-1", "client-b", "alice", List.of("openid"), now,
                Optional.empty(), Optional.of(CertificateTrust.thumbprint(cert)), Hashes.sha256Url(refreshToken), false,
                now.plusSeconds(3600)))), now);
        Request request = MtlsFixture.post(Paths.TOKEN, Forms.params("grant_type", "refresh_token",
                "refresh_token", refreshToken), cert);
        Form form = Form.of(request, f.config.maxBodyBytes());

        OAuthAssertions.assertError(400, "invalid_grant", () -> refresh.refresh(form, client(true),
                Binding.of(client(true), Optional.empty(), Optional.of(otherCert))));

        Map<String, Object> tokens = refresh.refresh(form, client(true),
                Binding.of(client(true), Optional.empty(), Optional.of(cert)));
        assertEquals("Bearer", tokens.get("token_type"));
        Map<String, Object> cnf = SignedJWT.parse((String) tokens.get("access_token")).getJWTClaimsSet()
                .getJSONObjectClaim("cnf");
        assertEquals(Map.of("x5t#S256", CertificateTrust.thumbprint(cert)), cnf);
    }
}
