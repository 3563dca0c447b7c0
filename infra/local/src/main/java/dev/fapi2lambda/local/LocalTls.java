package dev.fapi2lambda.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local server's TLS material, made on first start and kept in the state folder: a local CA
 * (ca.pem, the file to trust) and a server certificate for 127.0.0.1, localhost and the issuer's
 * host, both P-256.
 */
final class LocalTls {
    static final char[] PASSWORD = "fapi2-local".toCharArray();
    private final Path keystore;
    private final Path caPem;

    LocalTls(StateDir state) {
        this.keystore = state.file("tls.p12");
        this.caPem = state.file("ca.pem");
    }

    Path caFile() {
        return caPem;
    }

    /** The TLS context for a host name, creating the CA and certificate if they are missing or do not cover it. */
    SSLContext context(String host) throws IOException, GeneralSecurityException {
        return context(host, null);
    }

    /**
     * The TLS context of the mTLS port: the same server certificate, and client certificates
     * checked by {@code clientTrust} (the local CA, or a registered self-signed key).
     */
    SSLContext context(String host, javax.net.ssl.TrustManager clientTrust) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        if (Files.exists(keystore)) {
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, PASSWORD);
            }
        } else {
            store.load(null, PASSWORD);
        }
        if (!covers(store, host)) {
            issue(store, host);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        KeyStore serverOnly = KeyStore.getInstance("PKCS12");
        serverOnly.load(null, PASSWORD);
        serverOnly.setKeyEntry("server", store.getKey("server", PASSWORD), PASSWORD, store.getCertificateChain("server"));
        kmf.init(serverOnly, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), clientTrust == null ? null : new javax.net.ssl.TrustManager[] {clientTrust},
                new SecureRandom());
        return context;
    }

    /** The local CA's certificate (it must exist: call {@link #context} first). */
    X509Certificate caCertificate() throws IOException, GeneralSecurityException {
        return (X509Certificate) load().getCertificate("ca");
    }

    /** A client certificate from the local CA for tls_client_auth tests: P-256 key, clientAuth EKU. */
    KeyStore issueClientCertificate(String subjectDn, Duration validity) throws IOException, GeneralSecurityException {
        KeyStore store = load();
        X509Certificate ca = (X509Certificate) store.getCertificate("ca");
        KeyPair caKeys = new KeyPair(ca.getPublicKey(), (java.security.PrivateKey) store.getKey("ca", PASSWORD));
        KeyPair keys = p256();
        X509Certificate cert = sign(new JcaX509v3CertificateBuilder(ca, serial(), Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(validity)),
                // RFC 4514 order, exactly as X500Principal (and so the subject DN rule) reads the string.
                X500Name.getInstance(new javax.security.auth.x500.X500Principal(subjectDn).getEncoded()), keys.getPublic())
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca)), caKeys);
        KeyStore client = KeyStore.getInstance("PKCS12");
        client.load(null, PASSWORD);
        client.setKeyEntry("client", keys.getPrivate(), PASSWORD, new X509Certificate[] {cert, ca});
        return client;
    }

    private KeyStore load() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static boolean covers(KeyStore store, String host) throws GeneralSecurityException {
        if (!store.containsAlias("server") || !store.containsAlias("ca")) {
            return false;
        }
        X509Certificate cert = (X509Certificate) store.getCertificate("server");
        if (cert.getNotAfter().toInstant().isBefore(Instant.now().plus(Duration.ofDays(7)))) {
            return false;
        }
        var names = cert.getSubjectAlternativeNames();
        return names != null && names.stream().anyMatch(n -> host.equalsIgnoreCase(String.valueOf(n.get(1))));
    }

    private void issue(KeyStore store, String host) throws IOException, GeneralSecurityException {
        KeyPair caKeys;
        X509Certificate ca;
        if (store.containsAlias("ca")) {
            ca = (X509Certificate) store.getCertificate("ca");
            caKeys = new KeyPair(ca.getPublicKey(), (java.security.PrivateKey) store.getKey("ca", PASSWORD));
        } else {
            caKeys = p256();
            X500Name name = new X500Name("CN=fapi2-lambda local CA");
            ca = sign(new JcaX509v3CertificateBuilder(name, serial(), Date.from(Instant.now().minusSeconds(60)),
                    Date.from(Instant.now().plus(Duration.ofDays(3650))), name, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                    caKeys);
            store.setKeyEntry("ca", caKeys.getPrivate(), PASSWORD, new X509Certificate[] {ca});
        }
        KeyPair serverKeys = p256();
        List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")));
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
            names.add(isIpAddress(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plus(Duration.ofDays(397))),
                new X500Name("CN=" + host), serverKeys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
        X509Certificate server = sign(builder, caKeys);
        store.setKeyEntry("server", serverKeys.getPrivate(), PASSWORD, new X509Certificate[] {server, ca});
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, PASSWORD);
        }
        StateDir.ownerOnly(keystore);
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(ca);
        }
        Files.writeString(caPem, pem.toString());
    }

    private static boolean isIpAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(128, new SecureRandom());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    static InetAddress loopback() throws IOException {
        return InetAddress.getByName("127.0.0.1");
    }
}
