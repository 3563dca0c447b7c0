package dev.fapi2lambda.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.testing.TestCertificates;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RFC 8705 2.1: the CAs a tls_client_auth certificate must chain to; RFC 8705 3.1: x5t#S256. */
class CertificateTrustTest {
    private static final Instant NOW = TestCertificates.VALID_AT;
    private final TestCertificates.Authority ca = TestCertificates.authority("CN=Trusted CA,O=FAPI Test,C=DE");
    private final TestCertificates.Authority otherCa = TestCertificates.authority("CN=Other CA,O=Elsewhere,C=DE");
    private final CertificateTrust trust = new CertificateTrust(List.of(ca.certificate()));

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: a leaf certificate issued by a trusted CA chains")
    void leafOfTrustedCaChains() {
        assertTrue(trust.chains(ca.issue("CN=client-a,O=Example").certificate(), NOW));
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: a self-signed certificate does not chain, even with the CA's subject DN")
    void selfSignedDoesNotChain() {
        assertFalse(trust.chains(TestCertificates.selfSigned("CN=client-a,O=Example").certificate(), NOW));
        assertFalse(trust.chains(TestCertificates.selfSigned("CN=Trusted CA,O=FAPI Test,C=DE").certificate(), NOW),
                "a self-signed certificate naming the CA as its issuer is not signed by the CA's key");
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: a leaf of a CA that is not trusted does not chain")
    void leafOfOtherCaDoesNotChain() {
        X509Certificate foreign = otherCa.issue("CN=client-a,O=Example").certificate();
        assertFalse(trust.chains(foreign, NOW));
        assertTrue(new CertificateTrust(List.of(otherCa.certificate())).chains(foreign, NOW), "but chains to its own CA");
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: a leaf is validated at the given time: expired or not yet valid does not chain")
    void validityIsCheckedAtNow() {
        X509Certificate leaf = ca.issue("CN=client-a,O=Example", Instant.parse("2026-06-01T00:00:00Z"),
                Instant.parse("2026-12-01T00:00:00Z")).certificate();
        assertTrue(trust.chains(leaf, Instant.parse("2026-11-30T23:59:59Z")));
        assertFalse(trust.chains(leaf, Instant.parse("2026-12-01T00:00:01Z")), "expired");
        assertFalse(trust.chains(leaf, Instant.parse("2026-05-31T23:59:59Z")), "not yet valid");
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: an expired leaf does not chain")
    void expiredLeafDoesNotChain() {
        X509Certificate expired = ca.issue("CN=client-a,O=Example", Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2025-01-01T00:00:00Z")).certificate();
        assertFalse(trust.chains(expired, NOW));
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: without trust anchors nothing chains")
    void noAnchorsNeverChain() {
        X509Certificate leaf = ca.issue("CN=client-a,O=Example").certificate();
        assertFalse(CertificateTrust.none().chains(leaf, NOW));
        assertFalse(new CertificateTrust(List.of()).chains(leaf, NOW));
        assertFalse(CertificateTrust.none().chains(ca.certificate(), NOW));
    }

    @Test
    @DisplayName("RFC 8705 2.1 tls_client_auth: fromPem reads every CA of a bundle")
    void fromPemReadsBundleOfTwoCas() {
        CertificateTrust both = CertificateTrust.fromPem(TestCertificates.pem(ca.certificate(), otherCa.certificate()));
        assertTrue(both.chains(ca.issue("CN=a").certificate(), NOW));
        assertTrue(both.chains(otherCa.issue("CN=b").certificate(), NOW));
        TestCertificates.Authority third = TestCertificates.authority("CN=Third CA");
        assertFalse(both.chains(third.issue("CN=c").certificate(), NOW));

        CertificateTrust first = CertificateTrust.fromPem(TestCertificates.pem(ca.certificate()));
        assertTrue(first.chains(ca.issue("CN=a").certificate(), NOW));
        assertFalse(first.chains(otherCa.issue("CN=b").certificate(), NOW), "a one-CA bundle trusts only that CA");
    }

    @Test
    @DisplayName("RFC 8705 2.1: a trust bundle that is not PEM certificates is refused")
    void fromPemRefusesGarbage() {
        assertThrows(IllegalArgumentException.class, () -> CertificateTrust.fromPem(
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"));
    }

    @Test
    @DisplayName("RFC 8705 3.1 x5t#S256: the thumbprint is base64url(SHA-256(DER)) without padding, and differs between certificates")
    void thumbprintIsBase64UrlSha256OfDer() throws Exception {
        X509Certificate one = ca.issue("CN=client-a").certificate();
        X509Certificate two = ca.issue("CN=client-a").certificate();
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(one.getEncoded()));
        String thumbprint = CertificateTrust.thumbprint(one);
        assertEquals(expected, thumbprint);
        assertEquals(43, thumbprint.length(), "32 bytes, unpadded");
        assertTrue(thumbprint.matches("[A-Za-z0-9_-]+"), "base64url alphabet, no padding or line breaks");
        assertEquals(thumbprint, CertificateTrust.thumbprint(one), "stable");
        assertNotEquals(thumbprint, CertificateTrust.thumbprint(two), "same subject, another certificate");
    }
}
