package dev.fapi2lambda.core.client;

import dev.fapi2lambda.core.crypto.Hashes;
import com.nimbusds.jose.util.Base64URL;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificate authorities a tls_client_auth certificate must chain to (RFC 8705 2.1). The
 * front door (API Gateway's truststore, the local mTLS port) verified the TLS handshake; its
 * truststore also holds self-signed client certificates, so tls_client_auth checks the chain
 * again here against the CAs only.
 */
public final class CertificateTrust {
    private final Set<TrustAnchor> anchors;

    public CertificateTrust(List<X509Certificate> authorities) {
        Set<TrustAnchor> set = new HashSet<>();
        authorities.forEach(ca -> set.add(new TrustAnchor(ca, null)));
        this.anchors = Set.copyOf(set);
    }

    public static CertificateTrust none() {
        return new CertificateTrust(List.of());
    }

    /** Reads every certificate of a PEM bundle. */
    public static CertificateTrust fromPem(String pem) {
        try {
            var certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return new CertificateTrust(certs.stream().map(c -> (X509Certificate) c).toList());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the trust anchor bundle is not PEM certificates", e);
        }
    }

    /** PKIX path validation of the certificate to one of the authorities, at {@code now}, without revocation. */
    public boolean chains(X509Certificate certificate, Instant now) {
        if (anchors.isEmpty()) {
            return false;
        }
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), params);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** RFC 8705 3.1: x5t#S256, the base64url SHA-256 of the certificate's DER encoding. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return Base64URL.encode(Hashes.sha256(certificate.getEncoded())).toString();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }
}
