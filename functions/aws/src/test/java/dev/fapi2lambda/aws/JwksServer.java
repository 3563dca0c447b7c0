package dev.fapi2lambda.aws;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An issuer's /jwks over plain HTTP on the loopback, for the DPoP authorizer's JWKS_URI in tests
 * and in infra/bench's cold start: it publishes the public part of the keys it is given and counts
 * the fetches. Deployed, JWKS_URI is the issuer's HTTPS /jwks (KeySource takes plain http only to
 * the loopback).
 */
public final class JwksServer implements AutoCloseable {
    /** How many times /jwks was fetched. */
    public final AtomicInteger fetches = new AtomicInteger();
    private final HttpServer server;

    public JwksServer(List<? extends JWK> keys) throws IOException {
        byte[] body = new JWKSet(List.copyOf(keys)).toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** The JWKS_URI to give the authorizer. */
    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
