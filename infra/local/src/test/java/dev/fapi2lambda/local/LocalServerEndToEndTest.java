package dev.fapi2lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.fapi2lambda.core.testing.TestKeys;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local server over HTTPS, driven by an independent client library (Nimbus OAuth 2.0 SDK)
 * that trusts only the generated CA: discovery, JWKS and PAR with private_key_jwt and DPoP.
 */
class LocalServerEndToEndTest {
    @TempDir
    static Path state;
    static LocalApp app;
    static LocalClient client;
    static OIDCProviderMetadata metadata;
    static Nonce dpopNonce;

    @BeforeAll
    static void start() throws Exception {
        app = LocalApp.start(state, 0, true, Optional.empty(), Clock.systemUTC());
        client = new LocalClient(app.caFile());
        metadata = OIDCProviderMetadata.parse(
                client.get(app.issuer() + "/.well-known/openid-configuration").getBodyAsJSONObject());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    @DisplayName("C-DISC-1 the issuer in both metadata documents equals the URL it was fetched from")
    void discovery() throws Exception {
        assertEquals(app.issuer(), metadata.getIssuer().getValue());
        HTTPResponse oauth = client.get(app.issuer() + "/.well-known/oauth-authorization-server");
        assertEquals(200, oauth.getStatusCode());
        assertEquals(app.issuer(), oauth.getBodyAsJSONObject().get("issuer"));
        assertTrue(oauth.getHeaderValue("Content-Type").startsWith("application/json"));
        assertTrue(metadata.requiresPushedAuthorizationRequests());
        assertEquals(URI.create(app.issuer() + "/par"), metadata.getPushedAuthorizationRequestEndpointURI());
    }

    @Test
    @DisplayName("C-DISC-7 the JWKS has public PS256 and ES256 keys, each with a unique kid")
    void jwks() throws Exception {
        JWKSet keys = JWKSet.parse(client.get(metadata.getJWKSetURI().toString()).getBody());
        assertEquals(2, keys.getKeys().size());
        assertEquals(2, keys.getKeys().stream().map(JWK::getKeyID).distinct().count());
        assertTrue(keys.getKeys().stream().noneMatch(JWK::isPrivate));
        assertEquals(List.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256), keys.getKeys().stream().map(JWK::getAlgorithm).toList());
    }

    @Test
    @DisplayName("C-PAR-2 PAR with PrivateKeyJWT (aud = issuer) and a DPoP proof: 201 with request_uri and expires_in")
    void pushedAuthorizationRequest() throws Exception {
        HTTPResponse response = client.send(par(assertion(), true));
        assertEquals(201, response.getStatusCode(), response.getBody());
        assertEquals("no-store", response.getHeaderValue("Cache-Control"));
        PushedAuthorizationResponse parsed = PushedAuthorizationResponse.parse(response);
        assertTrue(parsed.indicatesSuccess());
        PushedAuthorizationSuccessResponse success = parsed.toSuccessResponse();
        assertTrue(success.getRequestURI().toString().startsWith("urn:ietf:params:oauth:request_uri:"));
        assertEquals(60, success.getLifetime());
    }

    @Test
    @DisplayName("C-PAR-7 PAR with the SDK's default assertion (aud = the PAR URL) is refused with 401 invalid_client")
    void assertionAudienceMustBeTheIssuer() throws Exception {
        ECKey key = app.demo().clientKey().toECKey();
        PrivateKeyJWT parAudience = new PrivateKeyJWT(new ClientID(app.demo().clientId()),
                metadata.getPushedAuthorizationRequestEndpointURI(), JWSAlgorithm.ES256, key.toECPrivateKey(),
                key.getKeyID(), null);
        HTTPResponse response = client.send(par(parAudience, true));
        assertEquals(401, response.getStatusCode());
        assertEquals("invalid_client", ErrorObject.parse(response).getCode());
    }

    @Test
    @DisplayName("C-PAR-9 a proof without the server nonce gets 400 use_dpop_nonce with a DPoP-Nonce header")
    void parNonce() throws Exception {
        assertTrue(dpopNonce().getValue().length() >= 22, "a nonce of at least 128 bits");
    }

    @Test
    @DisplayName("C-PAR-9 after use_dpop_nonce the byte-identical request with a fresh proof carrying the nonce is accepted")
    void nonceRetryWithTheSameAssertion() throws Exception {
        URI endpoint = metadata.getPushedAuthorizationRequestEndpointURI();
        DefaultDPoPProofFactory proofs = new DefaultDPoPProofFactory(TestKeys.ec(), JWSAlgorithm.ES256);
        HTTPRequest request = par(assertion(), false);
        request.setDPoP(proofs.createDPoPJWT("POST", endpoint));
        HTTPResponse first = client.send(request);
        assertEquals(400, first.getStatusCode());
        assertEquals("use_dpop_nonce", ErrorObject.parse(first).getCode());
        request.setDPoP(proofs.createDPoPJWT("POST", endpoint, new Nonce(first.getHeaderValue("DPoP-Nonce"))));
        HTTPResponse second = client.send(request);
        assertEquals(201, second.getStatusCode(), second.getBody());
    }

    @Test
    @DisplayName("C-PAR-9 a DPoP-required client without a proof or dpop_jkt is refused at PAR")
    void dpopRequiredAtPar() throws Exception {
        HTTPResponse response = client.send(par(assertion(), false));
        assertEquals(400, response.getStatusCode());
        assertEquals("invalid_request", ErrorObject.parse(response).getCode());
    }

    @Test
    @DisplayName("C-PAR-8 the same client assertion jti sent by 20 parallel PAR requests is accepted exactly once")
    void assertionJtiOnceUnderConcurrency() throws Exception {
        PrivateKeyJWT shared = assertion();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HTTPRequest request = par(shared, true);
                statuses.add(pool.submit(() -> {
                    go.await();
                    return client.send(request).getStatusCode();
                }));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                codes.add(status.get());
            }
            assertEquals(1, codes.stream().filter(c -> c == 201).count(), codes.toString());
            assertEquals(19, codes.stream().filter(c -> c == 401).count(), codes.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("C-PAR-1 GET on the PAR endpoint is 405; an unknown path is a JSON 404")
    void methodsAndPaths() throws Exception {
        HTTPResponse get = client.get(app.issuer() + "/par");
        assertEquals(405, get.getStatusCode());
        assertEquals("POST", get.getHeaderValue("Allow"));
        HTTPResponse missing = client.get(app.issuer() + "/nope");
        assertEquals(404, missing.getStatusCode());
        assertTrue(missing.getBodyAsJSONObject().containsKey("error"));
    }

    @Test
    @DisplayName("bad input gets a clear 4xx: JSON body (415), oversized body (413), not UTF-8 (400)")
    void badInput() throws Exception {
        assertEquals(415, client.post(app.issuer() + "/par", "application/json", "{}").getStatusCode());
        assertEquals(413, client.post(app.issuer() + "/par", "application/x-www-form-urlencoded",
                "a=" + "x".repeat(70_000)).getStatusCode());
        HTTPResponse notUtf8 = client.post(app.issuer() + "/par", "application/x-www-form-urlencoded", "state=%FF%FE");
        assertEquals(400, notUtf8.getStatusCode());
        assertEquals("invalid_request", ErrorObject.parse(notUtf8).getCode());
    }

    @Test
    @DisplayName("C-TLS-1/C-TLS-2 TLS 1.3 is preferred; TLS 1.2 only with ECDHE AES-GCM; a CBC suite is refused")
    void tlsPolicy() throws Exception {
        try (SSLSocket socket = (SSLSocket) client.sockets().createSocket("127.0.0.1", app.port())) {
            socket.startHandshake();
            assertEquals("TLSv1.3", socket.getSession().getProtocol());
        }
        try (SSLSocket socket = (SSLSocket) client.sockets().createSocket("127.0.0.1", app.port())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            assertTrue(socket.getSession().getCipherSuite().matches("TLS_ECDHE_ECDSA_WITH_(AES_\\d+_GCM|CHACHA20).*"));
        }
        try (SSLSocket socket = (SSLSocket) client.sockets().createSocket("127.0.0.1", app.port())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
            assertThrows(SSLHandshakeException.class, socket::startHandshake);
        }
    }

    @Test
    @DisplayName("client register beside the running server: the new client can push a request at once")
    void registerWhileServing() throws Exception {
        Path persistent = state.resolve("persistent");
        try (LocalApp running = LocalApp.start(persistent, 0, false, Optional.empty(), Clock.systemUTC())) {
            ECKey key = TestKeys.ec();
            Path jwks = persistent.resolve("new-client.jwks");
            Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
            // A second process, as a person would run it beside `serve` (one JVM cannot open the file twice).
            Process register = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Cli.class.getName(), "client", "register",
                    "--client-id", "new-client", "--jwks", jwks.toString(), "--redirect-uri", "https://new.example.test/cb",
                    "--scope", "openid", "--state-dir", persistent.toString())
                    .redirectErrorStream(true).start();
            String output = new String(register.getInputStream().readAllBytes());
            assertEquals(0, register.waitFor(), output);
            assertTrue(output.contains("registered new-client"), output);
            LocalClient c = new LocalClient(running.caFile());
            PrivateKeyJWT auth = new PrivateKeyJWT(new JWTAuthenticationClaimsSet(new ClientID("new-client"),
                    new Audience(running.issuer())), JWSAlgorithm.ES256, key.toECPrivateKey(), key.getKeyID(), null);
            AuthorizationRequest ar = new AuthorizationRequest.Builder(new ResponseType("code"), new ClientID("new-client"))
                    .redirectionURI(URI.create("https://new.example.test/cb")).scope(new Scope("openid"))
                    .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build();
            HTTPResponse response = c.send(new PushedAuthorizationRequest(URI.create(running.issuer() + "/par"), auth, ar)
                    .toHTTPRequest());
            assertEquals(201, response.getStatusCode(), response.getBody());
        }
    }

    /** The server's current DPoP nonce, learnt as a client learns it: from a use_dpop_nonce answer. */
    private static Nonce dpopNonce() throws Exception {
        if (dpopNonce == null) {
            HTTPRequest probe = new PushedAuthorizationRequest(metadata.getPushedAuthorizationRequestEndpointURI(), assertion(),
                    new AuthorizationRequest.Builder(new ResponseType("code"), new ClientID(app.demo().clientId()))
                            .redirectionURI(URI.create(app.demo().redirectUri())).scope(new Scope("openid"))
                            .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build()).toHTTPRequest();
            probe.setDPoP(new DefaultDPoPProofFactory(TestKeys.ec(), JWSAlgorithm.ES256)
                    .createDPoPJWT("POST", metadata.getPushedAuthorizationRequestEndpointURI()));
            HTTPResponse response = client.send(probe);
            assertEquals(400, response.getStatusCode());
            assertEquals("use_dpop_nonce", ErrorObject.parse(response).getCode());
            dpopNonce = new Nonce(response.getHeaderValue("DPoP-Nonce"));
        }
        return dpopNonce;
    }

    private static PrivateKeyJWT assertion() throws Exception {
        ECKey key = app.demo().clientKey().toECKey();
        return new PrivateKeyJWT(new JWTAuthenticationClaimsSet(new ClientID(app.demo().clientId()),
                new Audience(app.issuer())), JWSAlgorithm.ES256, key.toECPrivateKey(), key.getKeyID(), null);
    }

    private static HTTPRequest par(PrivateKeyJWT auth, boolean withDpop) throws Exception {
        AuthorizationRequest request = new AuthorizationRequest.Builder(new ResponseType("code"),
                new ClientID(app.demo().clientId()))
                .redirectionURI(URI.create(app.demo().redirectUri()))
                .scope(new Scope("openid", "accounts"))
                .state(new State())
                .customParameter("nonce", new Nonce().getValue())
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .build();
        URI endpoint = metadata.getPushedAuthorizationRequestEndpointURI();
        HTTPRequest http = new PushedAuthorizationRequest(endpoint, auth, request).toHTTPRequest();
        if (withDpop) {
            http.setDPoP(new DefaultDPoPProofFactory(TestKeys.ec(), JWSAlgorithm.ES256)
                    .createDPoPJWT("POST", endpoint, dpopNonce()));
        }
        assertFalse(http.getBody().contains("request_uri"));
        return http;
    }
}
