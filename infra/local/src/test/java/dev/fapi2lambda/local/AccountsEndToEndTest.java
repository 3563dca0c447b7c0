package dev.fapi2lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.testing.DpopResourceCases;
import dev.fapi2lambda.core.testing.DpopResourceCases.Case;
import dev.fapi2lambda.core.testing.DpopResourceCases.Context;
import dev.fapi2lambda.core.testing.DpopResourceCases.ResourceRequest;
import dev.fapi2lambda.core.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample protected API, /accounts, on the local server over HTTPS: the same DPoP authorizer
 * and ACCESS_DENIED gateway response as template.yaml, in front of AccountsFunction. A real
 * DPoP-bound token from a Nimbus SDK flow, then raw requests with crafted proofs: the shared DPoP
 * negative list ({@link DpopResourceCases}, the same list the authorizer answers as events). And
 * certificate-bound tokens on the mTLS port (RFC 8705 3).
 */
class AccountsEndToEndTest {
    private static final Scope SCOPE = new Scope("openid", "accounts");
    private static final Pattern ERROR = Pattern.compile("^DPoP error=\"([a-z_]+)\"");
    /** The client's DPoP key: RSA, so that the RS256 case differs from a valid proof only in alg. */
    private static final RSAKey DPOP_KEY = TestKeys.rsa();
    @TempDir
    static Path state;
    static LocalApp app;
    static HttpClient http;
    static String accountsUrl;
    static String accessToken;

    @BeforeAll
    static void start() throws Exception {
        app = LocalApp.start(state, 0, 0, true, Optional.empty(), Clock.systemUTC(), c -> c);
        http = HttpClient.newBuilder().sslContext(new LocalClient(app.caFile()).tls).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        accountsUrl = app.issuer() + "/accounts";
        FapiClient client = new FapiClient(app.issuer(), app.caFile(), app.demo().clientId(), app.demo().clientKey(),
                DPOP_KEY, URI.create(app.demo().redirectUri()));
        FapiClient.Tokens tokens = flow(client);
        assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
        assertEquals("DPoP", tokens.accessToken().getType().getValue());
        accessToken = tokens.accessToken().getValue();
        // The Nimbus client itself gets through (its proof, nonce retry included).
        HTTPResponse viaSdk = client.resource(URI.create(accountsUrl), tokens.accessToken());
        assertEquals(200, viaSdk.getStatusCode(), viaSdk.getBody());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** PAR, the pages, the callback and the token request. */
    private static FapiClient.Tokens flow(FapiClient client) throws Exception {
        FapiClient.Started started = client.par(SCOPE);
        HttpResponse<String> page = client.login(started.requestUri(), client.authorize(started.requestUri()),
                app.demo().username(), app.demo().password());
        AuthorizationResponse callback = client.callback(client.consent(started.requestUri(), page, "allow"), started);
        return client.token(callback.toSuccessResponse().getAuthorizationCode(), started.verifier());
    }

    private static HttpResponse<String> send(ResourceRequest request) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(request.url())).timeout(Duration.ofSeconds(10))
                .method(request.method(), HttpRequest.BodyPublishers.noBody());
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The server's current nonce, as a client learns it: the DPoP-Nonce of a first request's use_dpop_nonce. */
    private static String serverNonce() throws Exception {
        Context withoutNonce = new Context(accessToken, DPOP_KEY, accountsUrl, null, Instant.now());
        HttpResponse<String> first = send(DpopResourceCases.valid(withoutNonce));
        assertEquals(401, first.statusCode(), first.body());
        assertTrue(first.headers().firstValue("WWW-Authenticate").orElseThrow().contains("use_dpop_nonce"));
        return first.headers().firstValue("DPoP-Nonce").orElseThrow();
    }

    static Stream<Case> cases() {
        return DpopResourceCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("C-RS-1 C-RS-2 C-RS-3 C-RS-4 the DPoP negative list at /accounts over HTTPS")
    void negativeList(Case c) throws Exception {
        Context context = new Context(accessToken, DPOP_KEY, accountsUrl, serverNonce(), Instant.now());
        List<ResourceRequest> requests = c.requests().apply(context);
        for (ResourceRequest before : requests.subList(0, requests.size() - 1)) {
            assertAccepted(send(before));
        }
        HttpResponse<String> response = send(requests.get(requests.size() - 1));
        assertTrue(response.headers().firstValue("Date").isPresent(), "C-RS-4: a Date header");
        switch (c.outcome()) {
            case ACCEPTED -> assertAccepted(response);
            case REJECTED -> {
                String error = assertUnauthorized(response).orElseThrow();
                assertTrue(error.equals("invalid_dpop_proof") || error.equals("invalid_token"), error);
                assertFalse(response.headers().firstValue("DPoP-Nonce").isPresent());
            }
            case NONCE -> {
                assertEquals(Optional.of("use_dpop_nonce"), assertUnauthorized(response));
                String nonce = response.headers().firstValue("DPoP-Nonce").orElseThrow();
                assertFalse(nonce.isBlank());
            }
            case REFUSED -> assertUnauthorized(response).ifPresent(error ->
                    assertTrue(error.equals("invalid_request") || error.equals("invalid_token"), error));
            default -> throw new IllegalStateException(c.outcome().toString());
        }
    }

    private static void assertAccepted(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.headers().map() + " " + response.body());
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertEquals(app.demo().username(), body.get("sub"));
        assertEquals(app.demo().clientId(), body.get("client_id"));
    }

    /** 401 with a DPoP challenge and no-store; the challenge's error, if it names one. */
    private static Optional<String> assertUnauthorized(HttpResponse<String> response) {
        assertEquals(401, response.statusCode(), response.body());
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.startsWith("DPoP"), challenge);
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        Matcher matcher = ERROR.matcher(challenge);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    // ---- certificate-bound tokens (RFC 8705 3) on the mTLS port ----

    private static FapiClient certificateClient(String id, ECKey key, KeyStore certificate) throws Exception {
        return new FapiClient(app.issuer(), app.caFile(), id, FapiClient.Auth.PRIVATE_KEY_JWT, key, null, certificate,
                URI.create(app.demo().redirectUri()));
    }

    @Test
    @DisplayName("C-TOK-8 a certificate-bound token at /accounts: the right certificate 200, another certificate 401")
    void certificateBound() throws Exception {
        ECKey key = TestKeys.ec();
        new ClientRepository(app.dynamo().store()).save(new Client("accounts-mtls", AuthMethod.PRIVATE_KEY_JWT,
                new JWKSet(key.toPublicJWK()), List.of(app.demo().redirectUri()), Set.of("openid", "accounts"), false,
                JWSAlgorithm.PS256, Optional.empty(), true));
        LocalTls tls = new LocalTls(new StateDir(state));
        KeyStore certificate = tls.issueClientCertificate("CN=accounts-mtls", Duration.ofDays(1));
        FapiClient client = certificateClient("accounts-mtls", key, certificate);
        FapiClient.Tokens tokens = flow(client);
        assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
        AccessToken token = tokens.accessToken();
        assertEquals("Bearer", token.getType().getValue());
        assertEquals(CertificateTrust.thumbprint((X509Certificate) certificate.getCertificate("client")),
                SignedJWT.parse(token.getValue()).getJWTClaimsSet().getJSONObjectClaim("cnf").get("x5t#S256"));
        URI mtlsAccounts = URI.create("https://127.0.0.1:" + app.mtlsPort() + "/accounts");

        HTTPResponse ok = client.resource(mtlsAccounts, token);
        assertEquals(200, ok.getStatusCode(), ok.getBody());
        assertEquals(app.demo().username(), ok.getBodyAsJSONObject().get("sub"));
        assertEquals("accounts-mtls", ok.getBodyAsJSONObject().get("client_id"));

        // The same token over a connection with another certificate (same CA, same subject): 401.
        FapiClient other = certificateClient("accounts-mtls", key,
                tls.issueClientCertificate("CN=accounts-mtls", Duration.ofDays(1)));
        assertInvalidToken(other.resource(mtlsAccounts, token));
        // On the plain port there is no certificate at all: 401.
        assertInvalidToken(client.resource(URI.create(accountsUrl), token));
        // Presented with the DPoP scheme (no DPoP binding): 401.
        HTTPRequest dpopScheme = new HTTPRequest(HTTPRequest.Method.GET, mtlsAccounts);
        dpopScheme.setAuthorization("DPoP " + token.getValue());
        assertInvalidToken(client.sendRaw(dpopScheme));
        // And the right certificate still works.
        assertEquals(200, client.resource(mtlsAccounts, token).getStatusCode());
    }

    private static void assertInvalidToken(HTTPResponse response) {
        assertEquals(401, response.getStatusCode(), response.getBody());
        String challenge = response.getHeaderValue("WWW-Authenticate");
        assertNotNull(challenge);
        assertTrue(challenge.startsWith("DPoP error=\"invalid_token\""), challenge);
    }
}
