package dev.fapi2lambda.core.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * X.509 certificates for the mTLS tests (RFC 8705): a small CA, leaf certificates it issues with
 * a chosen subject DN and subject alternative names, self-signed and expired certificates. Keys
 * are EC P-256 (fast to generate) unless a test brings its own; signatures SHA256withECDSA (or
 * SHA256withRSA for an RSA signer) through the JDK's own provider.
 * Every certificate is valid from {@link #NOT_BEFORE} to {@link #NOT_AFTER} unless a test asks
 * otherwise, so tests with a fixed clock inside that window never depend on the real time.
 */
public final class TestCertificates {
    /** Start of the default validity window. */
    public static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    /** End of the default validity window. */
    public static final Instant NOT_AFTER = Instant.parse("2028-01-01T00:00:00Z");
    /** An instant inside the default validity window (the CoreFixture clock). */
    public static final Instant VALID_AT = Instant.parse("2026-11-24T12:00:00Z");
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffffffL);

    private TestCertificates() {
    }

    /** A fresh EC P-256 key pair. */
    public static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A subject alternative name: one of {@link #dns}, {@link #uri}, {@link #ip}, {@link #email}. */
    public record San(int tag, String value) {
        GeneralName toGeneralName() {
            return new GeneralName(tag, value);
        }
    }

    public static San dns(String name) {
        return new San(GeneralName.dNSName, name);
    }

    public static San uri(String uri) {
        return new San(GeneralName.uniformResourceIdentifier, uri);
    }

    /** An iPAddress SAN; {@code address} is an IPv4 or IPv6 literal, stored as 4 or 16 octets. */
    public static San ip(String address) {
        return new San(GeneralName.iPAddress, address);
    }

    public static San email(String address) {
        return new San(GeneralName.rfc822Name, address);
    }

    /** A certificate and the key pair of its subject. */
    public record Issued(X509Certificate certificate, KeyPair keyPair) {
    }

    /** A certificate authority that issues leaf certificates. */
    public static final class Authority {
        private final X500Principal subject;
        private final KeyPair keyPair;
        private final X509Certificate certificate;

        private Authority(String dn) {
            this.subject = new X500Principal(dn);
            this.keyPair = keyPair();
            this.certificate = build(subject, keyPair.getPublic(), subject, keyPair, NOT_BEFORE,
                    Instant.parse("2036-01-01T00:00:00Z"), true, List.of());
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /** A leaf certificate with this subject DN and SANs, valid in the default window. */
        public Issued issue(String subjectDn, San... sans) {
            return issue(subjectDn, NOT_BEFORE, NOT_AFTER, sans);
        }

        /** A leaf certificate with this subject DN, SANs and validity. */
        public Issued issue(String subjectDn, Instant notBefore, Instant notAfter, San... sans) {
            return issue(subjectDn, keyPair(), notBefore, notAfter, sans);
        }

        /** A leaf certificate for a given key pair. */
        public Issued issue(String subjectDn, KeyPair subjectKeys, Instant notBefore, Instant notAfter, San... sans) {
            return new Issued(build(new X500Principal(subjectDn), subjectKeys.getPublic(), subject, keyPair, notBefore,
                    notAfter, false, List.of(sans)), subjectKeys);
        }
    }

    /** A new CA with a self-signed certificate for {@code dn}. */
    public static Authority authority(String dn) {
        return new Authority(dn);
    }

    /** A self-signed end-entity certificate with a fresh key, valid in the default window. */
    public static Issued selfSigned(String subjectDn, San... sans) {
        return selfSigned(subjectDn, keyPair(), sans);
    }

    /** A self-signed end-entity certificate for the key pair (RFC 8705 2.2), valid in the default window. */
    public static Issued selfSigned(String subjectDn, KeyPair keys, San... sans) {
        return selfSigned(subjectDn, keys, NOT_BEFORE, NOT_AFTER, sans);
    }

    public static Issued selfSigned(String subjectDn, KeyPair keys, Instant notBefore, Instant notAfter, San... sans) {
        X500Principal subject = new X500Principal(subjectDn);
        return new Issued(build(subject, keys.getPublic(), subject, keys, notBefore, notAfter, false, List.of(sans)),
                keys);
    }

    /** The certificates as one PEM bundle. */
    public static String pem(X509Certificate... certificates) {
        StringBuilder out = new StringBuilder();
        Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (X509Certificate certificate : certificates) {
            try {
                out.append("-----BEGIN CERTIFICATE-----\n")
                        .append(encoder.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }

    /**
     * The BouncyCastle name of a principal, from its DER encoding, so that the RDN order of the
     * RFC 4514 string is the order X500Principal gives it.
     */
    private static X500Name name(X500Principal principal) {
        return X500Name.getInstance(principal.getEncoded());
    }

    private static String signatureAlgorithm(KeyPair issuerKeys) {
        return "RSA".equals(issuerKeys.getPrivate().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
    }

    private static X509Certificate build(X500Principal subject, java.security.PublicKey subjectKey, X500Principal issuer,
                                         KeyPair issuerKeys, Instant notBefore, Instant notAfter, boolean ca,
                                         List<San> sans) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    name(subject), subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            if (!sans.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                sans.forEach(san -> names.add(san.toGeneralName()));
                // RFC 5280 4.2.1.6: critical when the subject is empty.
                builder.addExtension(Extension.subjectAlternativeName, subject.getName().isEmpty(),
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signatureAlgorithm(issuerKeys)).build(issuerKeys.getPrivate())));
        } catch (CertIOException | OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
