package dev.fapi2lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.CertificateRule;
import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.testing.TestKeys;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8705 through the local mTLS port with the Nimbus SDK client: the four combinations of the
 * OIDF test plan (private_key_jwt | mtls) x (dpop | mtls), self-signed certificates, and the
 * negatives.
 */
class MtlsEndToEndTest {
    private static final Scope SCOPE = new Scope("openid", "accounts");
    @TempDir
    static Path state;
    static LocalApp app;
    static LocalTls tls;
    static URI redirect;

    @BeforeAll
    static void start() throws Exception {
        app = LocalApp.start(state, 0, 0, true, Optional.empty(), Clock.systemUTC(), c -> c);
        tls = new LocalTls(new StateDir(state));
        redirect = URI.create(app.demo().redirectUri());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static void register(String id, AuthMethod method, JWKSet jwks, Optional<CertificateRule> rule, boolean certBound) {
        new ClientRepository(app.dynamo().store()).save(new Client(id, method, jwks, List.of(redirect.toString()),
                Set.of("openid", "accounts"), false, JWSAlgorithm.PS256, rule, certBound));
    }

    private static KeyStore caCertificate(String dn) throws Exception {
        return tls.issueClientCertificate(dn, Duration.ofDays(1));
    }

    private static Optional<CertificateRule> dn(String dn) {
        return Optional.of(new CertificateRule(CertificateRule.Type.SUBJECT_DN, dn));
    }

    private static FapiClient client(String id, FapiClient.Auth auth, JWK key, boolean dpop, KeyStore cert) throws Exception {
        return new FapiClient(app.issuer(), app.caFile(), id, auth, key, dpop ? TestKeys.ec() : null, cert, redirect);
    }

    /** PAR, the pages, the callback and the token request: the token response. */
    private static FapiClient.Tokens flow(FapiClient client) throws Exception {
        FapiClient.Started started = client.par(SCOPE);
        HttpResponse<String> page = client.login(started.requestUri(), client.authorize(started.requestUri()),
                app.demo().username(), app.demo().password());
        AuthorizationResponse callback = client.callback(client.consent(started.requestUri(), page, "allow"), started);
        return client.token(callback.toSuccessResponse().getAuthorizationCode(), started.verifier());
    }

    private static Map<String, Object> cnf(FapiClient.Tokens tokens) throws Exception {
        return SignedJWT.parse(tokens.accessToken().getValue()).getJWTClaimsSet().getJSONObjectClaim("cnf");
    }

    @Test
    @DisplayName("C-DISC-6 discovery: tls_client_certificate_bound_access_tokens and mtls_endpoint_aliases on the mTLS port")
    void discovery() throws Exception {
        var json = new LocalClient(app.caFile()).get(app.issuer() + "/.well-known/openid-configuration").getBodyAsJSONObject();
        assertEquals(true, json.get("tls_client_certificate_bound_access_tokens"));
        @SuppressWarnings("unchecked")
        Map<String, Object> aliases = (Map<String, Object>) json.get("mtls_endpoint_aliases");
        String mtls = "https://127.0.0.1:" + app.mtlsPort();
        assertEquals(Map.of("token_endpoint", mtls + "/token", "pushed_authorization_request_endpoint", mtls + "/par",
                "userinfo_endpoint", mtls + "/userinfo", "introspection_endpoint", mtls + "/introspect",
                "revocation_endpoint", mtls + "/revoke"), aliases);
        assertTrue(((List<?>) json.get("token_endpoint_auth_methods_supported"))
                .containsAll(List.of("private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth")));
    }

    @Test
    @DisplayName("private_key_jwt + DPoP on the mTLS aliases: DPoP-bound tokens (cnf.jkt)")
    void privateKeyJwtWithDpop() throws Exception {
        ECKey key = TestKeys.ec();
        register("pkj-dpop", AuthMethod.PRIVATE_KEY_JWT, new JWKSet(key.toPublicJWK()), Optional.empty(), false);
        FapiClient client = client("pkj-dpop", FapiClient.Auth.PRIVATE_KEY_JWT, key, true, caCertificate("CN=pkj-dpop"));
        FapiClient.Tokens tokens = flow(client);
        assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
        assertEquals(Set.of("jkt"), cnf(tokens).keySet());
        assertEquals(200, client.userinfo(tokens.accessToken()).getStatusCode());
    }

    @Test
    @DisplayName("C-TOK-8 private_key_jwt + MTLS: certificate-bound tokens (cnf.x5t#S256, token_type Bearer)")
    void privateKeyJwtWithMtls() throws Exception {
        ECKey key = TestKeys.ec();
        register("pkj-mtls", AuthMethod.PRIVATE_KEY_JWT, new JWKSet(key.toPublicJWK()), Optional.empty(), true);
        KeyStore cert = caCertificate("CN=pkj-mtls");
        FapiClient client = client("pkj-mtls", FapiClient.Auth.PRIVATE_KEY_JWT, key, false, cert);
        FapiClient.Tokens tokens = flow(client);
        assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
        assertEquals("Bearer", tokens.accessToken().getType().getValue());
        assertEquals(CertificateTrust.thumbprint((X509Certificate) cert.getCertificate("client")), cnf(tokens).get("x5t#S256"));
        assertEquals(200, client.userinfo(tokens.accessToken()).getStatusCode());
        assertEquals(200, client.refresh(tokens.refreshToken()).response().getStatusCode());

        // C-TOK-10: the refresh token is bound to the certificate; the same client with another one is refused.
        FapiClient otherCert = client("pkj-mtls", FapiClient.Auth.PRIVATE_KEY_JWT, key, false, caCertificate("CN=pkj-mtls"));
        HTTPResponse refused = otherCert.refresh(tokens.refreshToken()).response();
        assertEquals(400, refused.getStatusCode());
        assertEquals("invalid_grant", ErrorObject.parse(refused).getCode());
        // The access token bound to certificate A, used with certificate B: 401.
        assertEquals(401, otherCert.userinfo(tokens.accessToken()).getStatusCode());
    }

    @Test
    @DisplayName("tls_client_auth + DPoP: the certificate authenticates, the tokens are DPoP-bound")
    void mtlsAuthWithDpop() throws Exception {
        register("mtls-dpop", AuthMethod.TLS_CLIENT_AUTH, new JWKSet(), dn("CN=mtls-dpop,O=Example"), false);
        FapiClient client = client("mtls-dpop", FapiClient.Auth.TLS_CLIENT_AUTH, null, true, caCertificate("CN=mtls-dpop,O=Example"));
        FapiClient.Tokens tokens = flow(client);
        assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
        assertEquals(Set.of("jkt"), cnf(tokens).keySet());
        assertEquals(200, client.userinfo(tokens.accessToken()).getStatusCode());
    }

    @Test
    @DisplayName("tls_client_auth + MTLS: the demo mTLS client, certificate-bound tokens end to end")
    void mtlsAuthWithMtls() throws Exception {
        KeyStore cert = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(app.demo().mtlsKeyStore())) {
            cert.load(in, LocalTls.PASSWORD);
        }
        FapiClient client = client(app.demo().mtlsClientId(), FapiClient.Auth.TLS_CLIENT_AUTH, null, false, cert);
        FapiClient.Tokens tokens = flow(client);
        assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
        assertEquals(Set.of("x5t#S256"), cnf(tokens).keySet());
        assertEquals(200, client.userinfo(tokens.accessToken()).getStatusCode());
        assertEquals(200, client.refresh(tokens.refreshToken()).response().getStatusCode());
    }

    @Test
    @DisplayName("self_signed_tls_client_auth + MTLS: a self-signed certificate whose key is registered")
    void selfSignedWithMtls() throws Exception {
        KeyStore cert = selfSigned("CN=self-signed-client");
        X509Certificate x509 = (X509Certificate) cert.getCertificate("client");
        register("self-signed", AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH,
                new JWKSet(new ECKey.Builder(JWK.parse(x509).toECKey()).keyIDFromThumbprint().build()), Optional.empty(), true);
        FapiClient client = client("self-signed", FapiClient.Auth.SELF_SIGNED_TLS_CLIENT_AUTH, null, false, cert);
        FapiClient.Tokens tokens = flow(client);
        assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
        assertEquals(CertificateTrust.thumbprint(x509), cnf(tokens).get("x5t#S256"));
        assertEquals(200, client.userinfo(tokens.accessToken()).getStatusCode());
    }

    @Test
    @DisplayName("a tls_client_auth client presenting another client's certificate: 401 invalid_client")
    void anotherClientsCertificate() throws Exception {
        register("victim", AuthMethod.TLS_CLIENT_AUTH, new JWKSet(), dn("CN=victim"), true);
        FapiClient attacker = client("victim", FapiClient.Auth.TLS_CLIENT_AUTH, null, false, caCertificate("CN=attacker"));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> attacker.par(SCOPE));
        assertTrue(refused.getMessage().contains("invalid_client"), refused.getMessage());
    }

    @Test
    @DisplayName("a self-signed certificate is no tls_client_auth, even with the registered subject DN")
    void selfSignedIsNotPki() throws Exception {
        register("pki-only", AuthMethod.TLS_CLIENT_AUTH, new JWKSet(), dn("CN=pki-only"), true);
        KeyStore cert = selfSigned("CN=pki-only");
        // Register its key for another client, so the mTLS port's handshake lets it through.
        register("holder", AuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, new JWKSet(new ECKey.Builder(
                JWK.parse((X509Certificate) cert.getCertificate("client")).toECKey()).keyIDFromThumbprint().build()),
                Optional.empty(), true);
        FapiClient client = client("pki-only", FapiClient.Auth.TLS_CLIENT_AUTH, null, false, cert);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> client.par(SCOPE));
        assertTrue(refused.getMessage().contains("not issued by a trusted CA"), refused.getMessage());
    }

    @Test
    @DisplayName("no certificate: the mTLS port refuses the handshake; the plain port has no certificate to authenticate with")
    void noCertificate() throws Exception {
        LocalClient plain = new LocalClient(app.caFile());
        assertThrows(java.io.IOException.class, () -> plain.get("https://127.0.0.1:" + app.mtlsPort() + "/token"));
        HTTPResponse response = plain.post(app.issuer() + "/par", "application/x-www-form-urlencoded",
                "client_id=" + app.demo().mtlsClientId() + "&response_type=code");
        assertEquals(401, response.getStatusCode());
        assertEquals("invalid_client", ErrorObject.parse(response).getCode());
    }

    @Test
    @DisplayName("C-TOK-8 a forged certificate header on the plain port is ignored: 401 invalid_client")
    void forgedCertificateHeader() throws Exception {
        KeyStore cert = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(app.demo().mtlsKeyStore())) {
            cert.load(in, LocalTls.PASSWORD);
        }
        String pem = LocalTls.pem(cert.getCertificate("client"));
        LocalClient plain = new LocalClient(app.caFile());
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, URI.create(app.issuer() + "/par"));
        request.setHeader("Content-Type", "application/x-www-form-urlencoded");
        request.setHeader("X-Client-Cert", pem.replace("\n", ""));
        request.setHeader("X-Amzn-Mtls-Clientcert", pem.replace("\n", ""));
        request.setHeader("X-SSL-Client-Cert", pem.replace("\n", ""));
        request.setBody("client_id=" + app.demo().mtlsClientId() + "&response_type=code");
        HTTPResponse response = plain.send(request);
        assertEquals(401, response.getStatusCode());
        assertEquals("invalid_client", ErrorObject.parse(response).getCode());
    }

    @Test
    @DisplayName("RFC 8705 5: the authorization endpoint is not served on the mTLS port")
    void noAuthorizeOnMtlsHost() throws Exception {
        FapiClient client = client("pkj-any", FapiClient.Auth.TLS_CLIENT_AUTH, null, false, caCertificate("CN=x"));
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, URI.create("https://127.0.0.1:" + app.mtlsPort() + "/authorize"));
        assertEquals(404, client.sendRaw(request).getStatusCode());
    }

    /** A self-signed P-256 certificate with its key, as a PKCS12 store (alias client). */
    private static KeyStore selfSigned(String dn) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name name = X500Name.getInstance(new javax.security.auth.x500.X500Principal(dn).getEncoded());
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(System.nanoTime()), Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, LocalTls.PASSWORD);
        store.setKeyEntry("client", keys.getPrivate(), LocalTls.PASSWORD, new X509Certificate[] {cert});
        return store;
    }
}
