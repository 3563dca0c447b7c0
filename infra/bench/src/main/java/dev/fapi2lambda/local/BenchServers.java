package dev.fapi2lambda.local;

import com.nimbusds.jose.jwk.JWK;
import dev.fapi2lambda.aws.ApiFunction;
import dev.fapi2lambda.aws.Components;
import dev.fapi2lambda.aws.Routes;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.keys.KeyService;
import dev.fapi2lambda.core.store.ItemStore;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
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
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The benchmarks' way into the local server (package-private in infra/local, hence this class in
 * the same package, in infra/bench): LocalApp as {@code serve --in-memory} starts it, or the same
 * HTTPS front, TLS material and demo seed in front of Components built on a store and a key
 * service of the benchmark's choosing (real SDK clients, to count their requests), with the HTTP
 * requests it serves counted by method, path and status, and the time each took in the server
 * (event built, function run, response parsed; TLS and HTTP parsing not included).
 */
public final class BenchServers {
    private BenchServers() {
    }

    /** A running server and the demo client and user seeded in it. */
    public record Running(String issuer, Path caFile, String clientId, JWK clientKey, String redirectUri,
                          String username, String password, AutoCloseable closer,
                          Supplier<Map<String, Long>> httpRequests, Map<String, java.util.List<Double>> serverMs)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    /** LocalApp in-process, as `serve --in-memory --port 0` runs it (DynamoDB Local embedded, local keys). */
    public static Running localApp(Path stateDir) throws Exception {
        LocalApp app = LocalApp.start(stateDir, 0, true, Optional.empty(), Clock.systemUTC());
        Seed.Demo demo = app.demo();
        return new Running(app.issuer(), app.caFile(), demo.clientId(), demo.clientKey(), demo.redirectUri(),
                demo.username(), demo.password(), app, Map::of, null);
    }

    /**
     * The local server's HTTPS front and demo seed (as LocalApp does it, without the mTLS port) in
     * front of Routes.functions over Components on {@code store} and {@code keys}.
     */
    public static Running withParts(Path stateDir, ItemStore store, Supplier<KeyService> keys) throws Exception {
        StateDir state = new StateDir(stateDir);
        LocalTls tls = new LocalTls(state);
        SSLContext context = tls.context("127.0.0.1");
        Map<String, LocalRoute> routes = new ConcurrentHashMap<>();
        LocalServer server = new LocalServer(context, 0, routes);
        String issuer = "https://127.0.0.1:" + server.port();
        ServerConfig config = ServerConfig.defaults(issuer);
        Clock clock = Clock.systemUTC();
        Seed.Demo demo = Seed.ensure(state, config, store, clock, tls);
        Components components = new Components(config, () -> store, keys, clock, new SecureRandom());
        Map<String, ApiFunction> functions = Routes.functions(components);
        Map<String, LongAdder> requests = new ConcurrentHashMap<>();
        Map<String, java.util.List<Double>> serverMs = new ConcurrentHashMap<>();
        functions.forEach((path, function) -> {
            LocalRoute route = LocalRoute.function(function);
            routes.put(path, (exchange, body) -> {
                long start = System.nanoTime();
                dev.fapi2lambda.core.http.Response response = route.serve(exchange, body);
                serverMs.computeIfAbsent(exchange.getRequestMethod() + " " + path,
                        k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                        .add((System.nanoTime() - start) / 1e6);
                requests.computeIfAbsent(exchange.getRequestMethod() + " " + path + " " + response.status(),
                        k -> new LongAdder()).increment();
                return response;
            });
        });
        server.start();
        return new Running(issuer, tls.caFile(), demo.clientId(), demo.clientKey(), demo.redirectUri(), demo.username(),
                demo.password(), server::close, () -> {
                    Map<String, Long> copy = new java.util.TreeMap<>();
                    requests.forEach((k, v) -> copy.put(k, v.sum()));
                    return copy;
                }, serverMs);
    }
    /**
     * TLS fronts on the loopback for plain-HTTP backends (DynamoDB Local, the KMS protocol server,
     * the JWKS server), so that a cold start pays the TLS handshake per backend that it pays in AWS.
     * The certificates are shaped like an AWS endpoint's: an RSA 2048 leaf for 127.0.0.1 and its RSA
     * 2048 intermediate, both sent in the handshake, under an RSA 2048 root that only the trust
     * store {@link #trustStore} writes holds (AWS: Amazon RSA 2048 M0x under Amazon Root CA 1). One
     * SSLServerSocket per backend; per connection two threads copy bytes each way.
     */
    public static final class TlsFronts implements AutoCloseable {
        private final X509Certificate root;
        private final SSLContext context;
        private final java.util.List<javax.net.ssl.SSLServerSocket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        public TlsFronts() throws Exception {
            KeyPair rootKeys = rsa2048();
            KeyPair intermediateKeys = rsa2048();
            KeyPair leafKeys = rsa2048();
            X500Name rootName = new X500Name("CN=fapi2-lambda bench root");
            X500Name intermediateName = new X500Name("CN=fapi2-lambda bench intermediate");
            Instant now = Instant.now();
            root = sign(new JcaX509v3CertificateBuilder(rootName, BigInteger.ONE, Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(Duration.ofDays(30))), rootName, rootKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                    rootKeys);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509Certificate intermediate = sign(new JcaX509v3CertificateBuilder(root, BigInteger.TWO,
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(30))), intermediateName,
                    intermediateKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(root))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(intermediateKeys.getPublic())), rootKeys);
            X509Certificate leaf = sign(new JcaX509v3CertificateBuilder(intermediate, BigInteger.valueOf(3),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(30))),
                    new X500Name("CN=127.0.0.1"), leafKeys.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                            | KeyUsage.keyEncipherment))
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

        /** A TLS front for {@code backend} (http://127.0.0.1:port[/path]): the same URI on https and the front's port. */
        public java.net.URI front(java.net.URI backend) throws java.io.IOException {
            javax.net.ssl.SSLServerSocket socket = (javax.net.ssl.SSLServerSocket) context.getServerSocketFactory()
                    .createServerSocket(0, 200, LocalTls.loopback());
            sockets.add(socket);
            int port = backend.getPort();
            Thread accept = new Thread(() -> {
                while (!socket.isClosed()) {
                    java.net.Socket client;
                    try {
                        client = socket.accept();
                    } catch (java.io.IOException e) {
                        if (!socket.isClosed()) {   // not the close: say so, and do not spin on it
                            System.err.println("TLS front " + port + ": accept failed: " + e);
                            sleepQuietly(100);
                        }
                        continue;
                    }
                    try {
                        java.net.Socket server = new java.net.Socket(LocalTls.loopback(), port);
                        client.setTcpNoDelay(true);
                        server.setTcpNoDelay(true);
                        pump(client, server);
                        pump(server, client);
                    } catch (java.io.IOException e) {
                        System.err.println("TLS front " + port + ": backend connect failed: " + e);
                        closeQuietly(client);
                    }
                }
            }, "tls-front-" + port);
            accept.setDaemon(true);
            accept.start();
            return java.net.URI.create("https://127.0.0.1:" + socket.getLocalPort()
                    + (backend.getRawPath() == null ? "" : backend.getRawPath()));
        }

        private static void pump(java.net.Socket from, java.net.Socket to) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16384];
                try (from; to) {
                    java.io.InputStream in = from.getInputStream();
                    java.io.OutputStream out = to.getOutputStream();
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (java.io.IOException e) {
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

        private static void closeQuietly(java.net.Socket socket) {
            try {
                socket.close();
            } catch (java.io.IOException e) {
                // nothing to do
            }
        }

        /**
         * {@code handshakes} TLS connections to each front, each with one request, so that the
         * fronts' own TLS code runs compiled before the first fresh JVM, as DynamoDB Local is warmed
         * before it. The answer does not matter (any backend answers something, an error included).
         */
        public void warm(int handshakes) throws Exception {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", root);
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, factory.getTrustManagers(), null);
            byte[] request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (javax.net.ssl.SSLServerSocket front : sockets) {
                for (int i = 0; i < handshakes; i++) {
                    try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) client.getSocketFactory()
                            .createSocket(LocalTls.loopback(), front.getLocalPort())) {
                        javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
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

        /**
         * A password-less PKCS12 trust store (the format of a JDK 18+ cacerts, Lambda's java21
         * runtime's included: no MAC, certificates not encrypted) holding every certificate of
         * {@code javaHome}'s lib/security/cacerts and the fronts' root, written to {@code file}.
         */
        public Path trustStore(Path javaHome, Path file) throws Exception {
            KeyStore jdk = KeyStore.getInstance(javaHome.resolve("lib").resolve("security").resolve("cacerts").toFile(),
                    (char[]) null);
            KeyStore out = KeyStore.getInstance("PKCS12");
            out.load(null, null);
            java.util.List<String> aliases = java.util.Collections.list(jdk.aliases());
            for (String alias : aliases) {
                if (jdk.getCertificate(alias) != null) {
                    out.setCertificateEntry(alias, jdk.getCertificate(alias));
                }
            }
            out.setCertificateEntry("fapi2-lambda-bench-root", root);
            if (aliases.size() < 50 || out.size() != aliases.size() + 1) {
                // A cacerts read without its password would silently yield (almost) nothing, and a
                // store of one root loads far faster than the real one.
                throw new IllegalStateException(javaHome + "'s cacerts gave " + (out.size() - 1) + " of "
                        + aliases.size() + " certificates");
            }
            String[] properties = {"keystore.pkcs12.certProtectionAlgorithm", "keystore.pkcs12.macAlgorithm"};
            String[] before = new String[properties.length];
            for (int i = 0; i < properties.length; i++) {
                before[i] = System.setProperty(properties[i], "NONE");
            }
            try (java.io.OutputStream stream = java.nio.file.Files.newOutputStream(file)) {
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
        public void close() throws java.io.IOException {
            for (javax.net.ssl.SSLServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
