package dev.fapi2lambda.local;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.fapi2lambda.aws.ApiFunction;
import dev.fapi2lambda.core.error.ErrorResponses;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Serves the Lambda functions over HTTPS on loopback. Each exchange becomes the API Gateway REST
 * API proxy event a Lambda would receive ({@link LocalEvents}) and goes to the same
 * {@code *Function} class, through its {@code RequestStreamHandler} entry point.
 */
final class LocalServer implements AutoCloseable {
    /** FAPI 2.0 SP 5.2.2 / BCP 195: TLS 1.2 with ECDHE AES-GCM (or ChaCha20) only, and TLS 1.3. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    static final String[] CIPHER_SUITES = {
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"};
    static final int MAX_BODY_BYTES = 1024 * 1024;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final Map<String, LocalRoute> routes;

    static {
        // The JDK server otherwise waits on the client's delayed ACK (~40 ms a request: infra/bench
        // measured 415 -> 190 ms per flow), and closes connections past 200 idle ones, which browsers
        // then find closed. Set before the first server is made; an explicit setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        }
    }

    LocalServer(SSLContext tls, int port, Map<String, LocalRoute> routes) throws IOException {
        this(tls, port, routes, false);
    }

    /** With {@code requireClientCertificate}, the mTLS port: no handshake without a certificate. */
    LocalServer(SSLContext tls, int port, Map<String, LocalRoute> routes, boolean requireClientCertificate)
            throws IOException {
        this.routes = routes;
        this.server = HttpsServer.create(new InetSocketAddress(LocalTls.loopback(), port), 128);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = tls.getDefaultSSLParameters();
                ssl.setProtocols(PROTOCOLS);
                ssl.setCipherSuites(CIPHER_SUITES);
                ssl.setUseCipherSuitesOrder(true);
                ssl.setNeedClientAuth(requireClientCertificate);
                params.setSSLParameters(ssl);
            }
        });
        this.executor = Executors.newFixedThreadPool(32);
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            LocalRoute route = routes.get(exchange.getRequestURI().getRawPath());
            byte[] body = readBody(exchange.getRequestBody());
            if (route == null) {
                response = ErrorResponses.render(OAuthException.notFound());
            } else if (body == null) {
                response = ErrorResponses.render(OAuthException.status(413, "invalid_request", "request body is too large"));
            } else {
                response = route.serve(exchange, body);
            }
            write(exchange, response);
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static void write(HttpExchange exchange, Response response) throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        response.cookies().forEach(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie));
        byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.status(), head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
