package dev.fapi2lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PKITLSClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.CertificateTrust;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 7662 introspection and RFC 7009 revocation through the local server with the Nimbus SDK's
 * request classes (private_key_jwt with the issuer as audience; tls_client_auth on the mTLS
 * alias): who may see a token, what a revoked or expired token is, and that a revocation reaches
 * userinfo and the /accounts API at once.
 */
class IntrospectionRevocationEndToEndTest {
    private static final Scope SCOPE = new Scope("openid", "accounts");
    /** Access tokens live 30 s here, so that expiry is tested by moving the server's clock 31 s on. */
    private static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofSeconds(30);
    private static final String OTHER_CLIENT = "introspect-other";
    private static final String RESOURCE_SERVER = "introspect-rs";
    private static final ECKey OTHER_KEY = TestKeys.ec();
    private static final ECKey RS_KEY = TestKeys.ec();
    @TempDir
    static Path state;
    static LocalApp app;
    static LocalClient https;
    static final ShiftedClock CLOCK = new ShiftedClock();

    @BeforeAll
    static void start() throws Exception {
        app = LocalApp.start(state, 0, 0, true, Optional.empty(), CLOCK,
                config -> config.withTokenLifetimes(ACCESS_TOKEN_LIFETIME, Duration.ofDays(30)));
        https = new LocalClient(app.caFile());
        ClientRepository clients = new ClientRepository(app.dynamo().store());
        String redirect = app.demo().redirectUri();
        clients.save(new Client(OTHER_CLIENT, AuthMethod.PRIVATE_KEY_JWT, new JWKSet(OTHER_KEY.toPublicJWK()),
                List.of(redirect), Set.of("openid", "accounts"), true));
        clients.save(new Client(RESOURCE_SERVER, AuthMethod.PRIVATE_KEY_JWT, new JWKSet(RS_KEY.toPublicJWK()),
                List.of(redirect), Set.of("openid"), true, JWSAlgorithm.PS256, Optional.empty(), false, true));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** The server's clock: real time, moved on by hand. */
    static final class ShiftedClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void shift(Duration by) {
            offset = offset.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    // ---- the parts ----

    /** A demo-client flow: its DPoP key, its client and tokens. */
    private record Issued(FapiClient client, ECKey dpopKey, AccessToken accessToken, RefreshToken refreshToken) {
    }

    private static Issued issue() throws Exception {
        ECKey dpopKey = TestKeys.ec();
        FapiClient client = new FapiClient(app.issuer(), app.caFile(), app.demo().clientId(), app.demo().clientKey(),
                dpopKey, URI.create(app.demo().redirectUri()));
        FapiClient.Tokens tokens = flow(client);
        assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
        return new Issued(client, dpopKey, tokens.accessToken(), tokens.refreshToken());
    }

    private static FapiClient.Tokens flow(FapiClient client) throws Exception {
        FapiClient.Started started = client.par(SCOPE);
        HttpResponse<String> page = client.login(started.requestUri(), client.authorize(started.requestUri()),
                app.demo().username(), app.demo().password());
        AuthorizationResponse callback = client.callback(client.consent(started.requestUri(), page, "allow"), started);
        return client.token(callback.toSuccessResponse().getAuthorizationCode(), started.verifier());
    }

    /** private_key_jwt, aud = the issuer identifier (FAPI 2.0 SP 5.3.2.1 item 8), a fresh jti each time. */
    private static PrivateKeyJWT assertion(String clientId, ECKey key) throws Exception {
        return new PrivateKeyJWT(new JWTAuthenticationClaimsSet(new ClientID(clientId), new Audience(app.issuer())),
                JWSAlgorithm.ES256, key.toECPrivateKey(), key.getKeyID(), null);
    }

    private static PrivateKeyJWT demo() throws Exception {
        return assertion(app.demo().clientId(), (ECKey) app.demo().clientKey());
    }

    private static URI endpoint(String path) {
        return URI.create(app.issuer() + path);
    }

    private static Map<String, Object> introspect(ClientAuthentication auth, Token token) throws Exception {
        HTTPResponse response = https.send(new TokenIntrospectionRequest(endpoint("/introspect"), auth, token).toHTTPRequest());
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("no-store", response.getHeaderValue("Cache-Control"));
        assertTrue(response.getHeaderValue("Content-Type").startsWith("application/json"));
        return response.getBodyAsJSONObject();
    }

    private static void assertInactive(Map<String, Object> introspection) {
        assertEquals(Map.of("active", false), introspection, "RFC 7662 2.2: nothing but active false");
    }

    private static HTTPResponse revoke(ClientAuthentication auth, Token token) throws Exception {
        return https.send(new TokenRevocationRequest(endpoint("/revoke"), auth, token).toHTTPRequest());
    }

    private static void assertUnauthorized(HTTPResponse response) {
        assertEquals(401, response.getStatusCode(), response.getBody());
        assertTrue(response.getHeaderValue("WWW-Authenticate").startsWith("DPoP error=\"invalid_token\""),
                response.getHeaderValue("WWW-Authenticate"));
    }

    private static HTTPResponse accounts(Issued issued) throws Exception {
        return issued.client().resource(endpoint("/accounts"), issued.accessToken());
    }

    // ---- discovery ----

    @Test
    @DisplayName("C-DISC-6 discovery lists introspection_endpoint and revocation_endpoint, and both as mTLS aliases")
    @SuppressWarnings("unchecked")
    void discovery() throws Exception {
        String mtls = "https://127.0.0.1:" + app.mtlsPort();
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            Map<String, Object> metadata = https.get(app.issuer() + path).getBodyAsJSONObject();
            assertEquals(app.issuer() + "/introspect", metadata.get("introspection_endpoint"), path);
            assertEquals(app.issuer() + "/revoke", metadata.get("revocation_endpoint"), path);
            Map<String, Object> aliases = (Map<String, Object>) metadata.get("mtls_endpoint_aliases");
            assertEquals(mtls + "/introspect", aliases.get("introspection_endpoint"), path);
            assertEquals(mtls + "/revoke", aliases.get("revocation_endpoint"), path);
        }
    }

    // ---- introspection ----

    @Test
    @DisplayName("RFC 7662 the client introspects its access token: active, client_id, sub, scope, cnf.jkt")
    @SuppressWarnings("unchecked")
    void ownAccessToken() throws Exception {
        Issued issued = issue();
        Map<String, Object> json = introspect(demo(), issued.accessToken());
        assertEquals(true, json.get("active"), json.toString());
        assertEquals(app.demo().clientId(), json.get("client_id"));
        assertEquals(app.demo().username(), json.get("sub"));
        assertEquals(Set.of("openid", "accounts"), Set.of(((String) json.get("scope")).split(" ")));
        assertEquals(app.issuer(), json.get("iss"));
        assertEquals(Map.of("jkt", TestKeys.thumbprint(issued.dpopKey())), json.get("cnf"));
        assertEquals("DPoP", json.get("token_type"));
        assertTrue(((Number) json.get("exp")).longValue() > CLOCK.instant().getEpochSecond());
    }

    @Test
    @DisplayName("RFC 7662 the client introspects its refresh token: active, token_type refresh_token")
    void ownRefreshToken() throws Exception {
        Issued issued = issue();
        Map<String, Object> json = introspect(demo(), issued.refreshToken());
        assertEquals(true, json.get("active"), json.toString());
        assertEquals("refresh_token", json.get("token_type"));
        assertEquals(app.demo().clientId(), json.get("client_id"));
        assertEquals(app.demo().username(), json.get("sub"));
        assertEquals(Map.of("jkt", TestKeys.thumbprint(issued.dpopKey())), json.get("cnf"));
    }

    @Test
    @DisplayName("RFC 7662 another client learns nothing of the token: active false")
    void otherClient() throws Exception {
        Issued issued = issue();
        assertInactive(introspect(assertion(OTHER_CLIENT, OTHER_KEY), issued.accessToken()));
        assertInactive(introspect(assertion(OTHER_CLIENT, OTHER_KEY), issued.refreshToken()));
        assertEquals(true, introspect(demo(), issued.accessToken()).get("active"), "the token itself is live");
    }

    @Test
    @DisplayName("RFC 7662 a client registered as resource server sees another client's tokens")
    void resourceServer() throws Exception {
        Issued issued = issue();
        Map<String, Object> json = introspect(assertion(RESOURCE_SERVER, RS_KEY), issued.accessToken());
        assertEquals(true, json.get("active"), json.toString());
        assertEquals(app.demo().clientId(), json.get("client_id"));
        assertEquals(app.demo().username(), json.get("sub"));
        assertEquals(true, introspect(assertion(RESOURCE_SERVER, RS_KEY), issued.refreshToken()).get("active"));
    }

    @Test
    @DisplayName("RFC 7662 unknown, garbage and foreign tokens: active false")
    void unknownTokens() throws Exception {
        Issued issued = issue();
        String refresh = issued.refreshToken().getValue();
        String foreign = Jwts.sign(TestKeys.ec(), new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
                .keyID("foreign").build(), new JWTClaimsSet.Builder(SignedJWT.parse(issued.accessToken().getValue())
                .getJWTClaimsSet()).build());
        for (String token : List.of("garbage", "a.b.c", "abc.def", ".", refresh.substring(0, refresh.indexOf('.') + 1) + "x",
                refresh + "x", foreign)) {
            assertInactive(introspect(demo(), new TypelessAccessToken(token)));
        }
    }

    @Test
    @DisplayName("RFC 7662 an expired access token: active false (its refresh token stays active)")
    void expiredAccessToken() throws Exception {
        Issued issued = issue();
        assertEquals(true, introspect(demo(), issued.accessToken()).get("active"));
        CLOCK.shift(ACCESS_TOKEN_LIFETIME.plusSeconds(1));
        try {
            assertInactive(introspect(demo(), issued.accessToken()));
            assertEquals(true, introspect(demo(), issued.refreshToken()).get("active"));
        } finally {
            CLOCK.shift(ACCESS_TOKEN_LIFETIME.plusSeconds(1).negated());
        }
    }

    // ---- revocation ----

    @Test
    @DisplayName("RFC 7009 revoking the refresh token revokes the grant: refresh 400 invalid_grant, userinfo and /accounts 401")
    void revokeRefreshToken() throws Exception {
        Issued issued = issue();
        assertEquals(200, accounts(issued).getStatusCode());
        HTTPResponse revoked = revoke(demo(), issued.refreshToken());
        assertEquals(200, revoked.getStatusCode(), revoked.getBody());

        HTTPResponse refresh = issued.client().refresh(issued.refreshToken()).response();
        assertEquals(400, refresh.getStatusCode(), refresh.getBody());
        assertEquals("invalid_grant", ErrorObject.parse(refresh).getCode());
        assertUnauthorized(issued.client().userinfo(issued.accessToken()));
        assertUnauthorized(accounts(issued));
        assertInactive(introspect(demo(), issued.accessToken()));
        assertInactive(introspect(demo(), issued.refreshToken()));
        // Revoking it again: it is no longer a valid token, and that is 200 too (RFC 7009 2.2).
        assertEquals(200, revoke(demo(), issued.refreshToken()).getStatusCode());
    }

    @Test
    @DisplayName("RFC 7009 revoking the access token: userinfo and /accounts 401 at once; the refresh token still works")
    void revokeAccessToken() throws Exception {
        Issued issued = issue();
        assertEquals(200, issued.client().userinfo(issued.accessToken()).getStatusCode());
        HTTPResponse revoked = revoke(demo(), issued.accessToken());
        assertEquals(200, revoked.getStatusCode(), revoked.getBody());

        assertUnauthorized(issued.client().userinfo(issued.accessToken()));
        HTTPResponse api = accounts(issued);
        assertUnauthorized(api);
        assertTrue(api.getHeaderValue("WWW-Authenticate").contains("revoked"), api.getHeaderValue("WWW-Authenticate"));
        assertInactive(introspect(demo(), issued.accessToken()));

        // Only that token: the grant lives, and its next access token works.
        FapiClient.Tokens refreshed = issued.client().refresh(issued.refreshToken());
        assertEquals(200, refreshed.response().getStatusCode(), refreshed.response().getBody());
        assertEquals(200, issued.client().resource(endpoint("/accounts"), refreshed.accessToken()).getStatusCode());
    }

    @Test
    @DisplayName("RFC 7009 revoking another client's token: 400 unauthorized_client, and the token stays live")
    void revokeOtherClientsToken() throws Exception {
        Issued issued = issue();
        for (Token token : List.<Token>of(issued.accessToken(), issued.refreshToken())) {
            HTTPResponse response = revoke(assertion(OTHER_CLIENT, OTHER_KEY), token);
            assertEquals(400, response.getStatusCode(), response.getBody());
            assertEquals("unauthorized_client", ErrorObject.parse(response).getCode());
            assertEquals(true, introspect(demo(), token).get("active"));
        }
        assertEquals(200, accounts(issued).getStatusCode());
    }

    @Test
    @DisplayName("RFC 7009 2.2 revoking an unknown token: 200")
    void revokeUnknownToken() throws Exception {
        for (String token : List.of("garbage", "a.b.c", "abc.def")) {
            HTTPResponse response = revoke(demo(), new TypelessAccessToken(token));
            assertEquals(200, response.getStatusCode(), response.getBody());
        }
    }

    // ---- the HTTP surface ----

    @Test
    @DisplayName("GET on /introspect and /revoke: 405 with Allow: POST")
    void getIsNotAllowed() throws Exception {
        for (String path : List.of("/introspect", "/revoke")) {
            HTTPResponse response = https.get(app.issuer() + path + "?token=x");
            assertEquals(405, response.getStatusCode(), path);
            assertEquals("POST", response.getHeaderValue("Allow"), path);
        }
    }

    @Test
    @DisplayName("no client authentication at /introspect and /revoke: 401 invalid_client")
    void noClientAuthentication() throws Exception {
        Issued issued = issue();
        for (String path : List.of("/introspect", "/revoke")) {
            for (String body : List.of("token=" + issued.accessToken().getValue(),
                    "token=" + issued.accessToken().getValue() + "&client_id=" + app.demo().clientId())) {
                HTTPResponse response = https.post(app.issuer() + path, "application/x-www-form-urlencoded", body);
                assertEquals(401, response.getStatusCode(), path + " " + response.getBody());
                assertEquals("invalid_client", ErrorObject.parse(response).getCode());
            }
        }
        assertEquals(true, introspect(demo(), issued.accessToken()).get("active"), "not revoked by the attempts");
    }

    // ---- the mTLS aliases ----

    @Test
    @DisplayName("RFC 8705 5 the mTLS aliases: tls_client_auth introspects its certificate-bound token and revokes it")
    @SuppressWarnings("unchecked")
    void mtlsAlias() throws Exception {
        KeyStore certificate = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(app.demo().mtlsKeyStore())) {
            certificate.load(in, LocalTls.PASSWORD);
        }
        FapiClient client = new FapiClient(app.issuer(), app.caFile(), app.demo().mtlsClientId(),
                FapiClient.Auth.TLS_CLIENT_AUTH, null, null, certificate, URI.create(app.demo().redirectUri()));
        FapiClient.Tokens tokens = flow(client);
        assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
        ClientAuthentication tls = new PKITLSClientAuthentication(new ClientID(app.demo().mtlsClientId()), (SSLSocketFactory) null);
        URI introspect = URI.create("https://127.0.0.1:" + app.mtlsPort() + "/introspect");
        URI revoke = URI.create("https://127.0.0.1:" + app.mtlsPort() + "/revoke");

        HTTPResponse response = client.sendRaw(new TokenIntrospectionRequest(introspect, tls, tokens.accessToken()).toHTTPRequest());
        assertEquals(200, response.getStatusCode(), response.getBody());
        Map<String, Object> json = response.getBodyAsJSONObject();
        assertEquals(true, json.get("active"), json.toString());
        assertEquals(app.demo().mtlsClientId(), json.get("client_id"));
        assertEquals(CertificateTrust.thumbprint((X509Certificate) certificate.getCertificate("client")),
                ((Map<String, Object>) json.get("cnf")).get("x5t#S256"));

        HTTPRequest revocation = new TokenRevocationRequest(revoke, tls, tokens.refreshToken()).toHTTPRequest();
        assertEquals(200, client.sendRaw(revocation).getStatusCode());
        HTTPResponse after = client.sendRaw(new TokenIntrospectionRequest(introspect, tls, tokens.refreshToken()).toHTTPRequest());
        assertInactive(after.getBodyAsJSONObject());
        assertEquals(401, client.resource(URI.create("https://127.0.0.1:" + app.mtlsPort() + "/accounts"),
                tokens.accessToken()).getStatusCode());
    }
}
