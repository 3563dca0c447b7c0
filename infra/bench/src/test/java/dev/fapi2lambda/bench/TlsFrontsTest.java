package dev.fapi2lambda.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collections;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** coldstart --tls's fronts: HTTPS in front of a plain-HTTP backend, and the trust store the children get. */
class TlsFrontsTest {
    private static final Path CACERTS = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");

    private HttpServer backend;
    private TlsFronts fronts;

    @BeforeEach
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = ("plain " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        fronts = new TlsFronts();
    }

    @AfterEach
    void stop() throws IOException {
        fronts.close();
        backend.stop(0);
    }

    @Test
    void frontServesTheBackendOverHttpsToAClientOnTheWrittenTrustStore(@TempDir Path dir) throws Exception {
        URI front = fronts.front(URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/jwks"));
        assertEquals("https", front.getScheme());
        assertEquals("/jwks", front.getPath());
        Path file = fronts.trustStore(Path.of(System.getProperty("java.home")), dir.resolve("trust.p12"));

        // Password-less: read without a password, as a JVM given only -Djavax.net.ssl.trustStore reads it.
        KeyStore written = KeyStore.getInstance(file.toFile(), (char[]) null);
        KeyStore jdk = KeyStore.getInstance(CACERTS.toFile(), (char[]) null);
        assertEquals("PKCS12", written.getType());
        assertEquals(Collections.list(jdk.aliases()).size() + 1, written.size());
        assertTrue(written.isCertificateEntry("fapi2-lambda-bench-root"));

        fronts.warm(3);
        for (int i = 0; i < 2; i++) {   // a second connection through the same front
            assertEquals("plain /jwks", get(front, TlsFronts.clientContext(written)));
        }
    }

    @Test
    void aClientOnTheJdkTrustStoreAloneRejectsTheFront() throws Exception {
        URI front = fronts.front(URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/"));
        KeyStore jdk = KeyStore.getInstance(CACERTS.toFile(), (char[]) null);
        assertThrows(SSLHandshakeException.class, () -> get(front, TlsFronts.clientContext(jdk)));
    }

    /** A GET with the HTTPS host check on (the leaf names 127.0.0.1), as the SDK's client makes it. */
    private static String get(URI uri, SSLContext context) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
        connection.setSSLSocketFactory(context.getSocketFactory());
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        try (var in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }
}
