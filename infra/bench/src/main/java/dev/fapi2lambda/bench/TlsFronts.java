package dev.fapi2lambda.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
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
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * coldstart --tls: TLS fronts on the loopback for plain-HTTP backends (DynamoDB Local, the KMS
 * protocol server, the JWKS server), so that a cold start pays the TLS handshake per backend that
 * it pays in AWS. The certificates are shaped like an AWS endpoint's: an RSA 2048 leaf for
 * 127.0.0.1 and its RSA 2048 intermediate, both sent in the handshake, under an RSA 2048 root that
 * only the trust store {@link #trustStore} writes holds (AWS: Amazon RSA 2048 M0x under Amazon Root
 * CA 1). One SSLServerSocket per backend; per connection two threads copy bytes each way.
 */
final class TlsFronts implements AutoCloseable {
    /** 127.0.0.1 by number: getLoopbackAddress() carries the name "localhost", which the leaf does not hold. */
    private static final InetAddress LOOPBACK = loopback();

    private final X509Certificate root;
    private final SSLContext context;
    private final List<SSLServerSocket> sockets = new CopyOnWriteArrayList<>();

    TlsFronts() throws GeneralSecurityException, IOException {
        KeyPair rootKeys = rsa2048();
        KeyPair intermediateKeys = rsa2048();
        KeyPair leafKeys = rsa2048();
        X500Name rootName = new X500Name("CN=fapi2-lambda bench root");
        Date notBefore = Date.from(Instant.now().minusSeconds(60));
        Date notAfter = Date.from(Instant.now().plus(Duration.ofDays(30)));
        KeyUsage caUsage = new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        root = sign(new JcaX509v3CertificateBuilder(rootName, BigInteger.ONE, notBefore, notAfter, rootName,
                rootKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, caUsage), rootKeys);
        X509Certificate intermediate = sign(new JcaX509v3CertificateBuilder(root, BigInteger.TWO, notBefore, notAfter,
                new X500Name("CN=fapi2-lambda bench intermediate"), intermediateKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, caUsage)
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(root))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(intermediateKeys.getPublic())), rootKeys);
        X509Certificate leaf = sign(new JcaX509v3CertificateBuilder(intermediate, BigInteger.valueOf(3), notBefore,
                notAfter, new X500Name("CN=127.0.0.1"), leafKeys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(intermediate)), intermediateKeys);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "bench".toCharArray();
        keys.setKeyEntry("server", leafKeys.getPrivate(), password, new X509Certificate[] {leaf, intermediate});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
    }

    /** A TLS front for {@code backend} (http://127.0.0.1:port[/path]): the same URI on https and the front's port. */
    URI front(URI backend) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 200, LOOPBACK);
        sockets.add(socket);
        int port = backend.getPort();
        Thread accept = new Thread(() -> {
            while (!socket.isClosed()) {
                Socket client;
                try {
                    client = socket.accept();
                } catch (IOException e) {
                    if (!socket.isClosed()) {   // not the close: say so, and do not spin on it
                        System.err.println("TLS front " + port + ": accept failed: " + e);
                        sleepQuietly(100);
                    }
                    continue;
                }
                Socket server = null;
                try {
                    server = new Socket(LOOPBACK, port);
                    client.setTcpNoDelay(true);
                    server.setTcpNoDelay(true);
                } catch (IOException e) {
                    System.err.println("TLS front " + port + ": backend connect failed: " + e);
                    closeQuietly(client);
                    if (server != null) {
                        closeQuietly(server);
                    }
                    continue;
                }
                pump(client, server);
                pump(server, client);
            }
        }, "tls-front-" + port);
        accept.setDaemon(true);
        accept.start();
        return URI.create("https://127.0.0.1:" + socket.getLocalPort()
                + (backend.getRawPath() == null ? "" : backend.getRawPath()));
    }

    /**
     * {@code handshakes} TLS connections to each front, each with one request, so that the fronts'
     * own TLS code runs compiled before the first fresh JVM, as DynamoDB Local is warmed before it.
     * The answer does not matter (any backend answers something, an error included).
     */
    void warm(int handshakes) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root);
        SSLContext client = clientContext(trust);
        byte[] request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        for (SSLServerSocket front : sockets) {
            for (int i = 0; i < handshakes; i++) {
                try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(LOOPBACK,
                        front.getLocalPort())) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(parameters);
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(request);
                    socket.getOutputStream().flush();
                    socket.getInputStream().readAllBytes();
                }
            }
        }
    }

    /** A client TLS context that trusts exactly {@code trust}'s certificates. */
    static SSLContext clientContext(KeyStore trust) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, factory.getTrustManagers(), null);
        return client;
    }

    /**
     * A password-less PKCS12 trust store (the format of a JDK 18+ cacerts, Lambda's java21 runtime's
     * included: no MAC, certificates not encrypted) holding every certificate of {@code javaHome}'s
     * lib/security/cacerts and the fronts' root, written to {@code file}.
     */
    Path trustStore(Path javaHome, Path file) throws GeneralSecurityException, IOException {
        KeyStore jdk = KeyStore.getInstance(javaHome.resolve("lib").resolve("security").resolve("cacerts").toFile(),
                (char[]) null);
        KeyStore out = KeyStore.getInstance("PKCS12");
        out.load(null, null);
        List<String> aliases = Collections.list(jdk.aliases());
        for (String alias : aliases) {
            X509Certificate certificate = (X509Certificate) jdk.getCertificate(alias);
            if (certificate != null) {
                out.setCertificateEntry(alias, certificate);
            }
        }
        out.setCertificateEntry("fapi2-lambda-bench-root", root);
        if (aliases.size() < 50 || out.size() != aliases.size() + 1) {
            // A cacerts read without its password would silently yield (almost) nothing, and a
            // store of one root loads far faster than the real one.
            throw new IllegalStateException(javaHome + "'s cacerts gave " + (out.size() - 1) + " of " + aliases.size()
                    + " certificates");
        }
        String[] properties = {"keystore.pkcs12.certProtectionAlgorithm", "keystore.pkcs12.macAlgorithm"};
        String[] before = new String[properties.length];
        for (int i = 0; i < properties.length; i++) {
            before[i] = System.setProperty(properties[i], "NONE");
        }
        try (OutputStream stream = Files.newOutputStream(file)) {
            out.store(stream, new char[0]);
        } finally {
            for (int i = 0; i < properties.length; i++) {
                if (before[i] == null) {
                    System.clearProperty(properties[i]);
                } else {
                    System.setProperty(properties[i], before[i]);
                }
            }
        }
        return file;
    }

    @Override
    public void close() throws IOException {
        for (SSLServerSocket socket : sockets) {
            socket.close();
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {   // only for a wrong-length address
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa2048() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (from; to) {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away: both are closed
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
