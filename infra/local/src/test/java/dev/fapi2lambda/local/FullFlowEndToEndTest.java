package dev.fapi2lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole FAPI 2.0 flow through the local server with the Nimbus OAuth 2.0 SDK client:
 * PAR, authorize, login form, consent form, callback (iss checked), token (use_dpop_nonce handled),
 * userinfo, refresh; and the failures a certification suite tries.
 */
class FullFlowEndToEndTest {
    private static final Scope SCOPE = new Scope("openid", "profile", "email", "accounts");
    @TempDir
    static Path state;
    static LocalApp app;

    @BeforeAll
    static void start() throws Exception {
        // Codes live 2 s here (the default is 60 s) so that expiry is tested in real time.
        app = LocalApp.start(state, 0, 0, true, Optional.empty(), Clock.systemUTC(),
                config -> config.withCodeLifetime(Duration.ofSeconds(2)));
        new ClientRepository(app.dynamo().store()).save(new Client("client-2", AuthMethod.PRIVATE_KEY_JWT,
                new JWKSet(CLIENT2_KEY.toPublicJWK()), List.of(app.demo().redirectUri()), Set.of("openid"), true));
    }

    private static final ECKey CLIENT2_KEY = TestKeys.ec();

    @AfterAll
    static void stop() {
        app.close();
    }

    private static FapiClient demoClient() throws Exception {
        return new FapiClient(app.issuer(), app.caFile(), app.demo().clientId(), app.demo().clientKey(), TestKeys.ec(),
                URI.create(app.demo().redirectUri()));
    }

    /** PAR, the pages and the callback: a fresh code with its verifier. */
    private record Authorized(FapiClient client, AuthorizationCode code, CodeVerifier verifier, URI requestUri) {
    }

    private static Authorized authorize(FapiClient client) throws Exception {
        FapiClient.Started started = client.par(SCOPE);
        HttpResponse<String> page = client.authorize(started.requestUri());
        assertEquals(200, page.statusCode());
        page = client.login(started.requestUri(), page, app.demo().username(), app.demo().password());
        assertTrue(page.body().contains("Allow access"), page.body());
        AuthorizationResponse callback = client.callback(client.consent(started.requestUri(), page, "allow"), started);
        return new Authorized(client, callback.toSuccessResponse().getAuthorizationCode(), started.verifier(),
                started.requestUri());
    }

    @Test
    @DisplayName("C-AZ-4 C-TOK-6 C-TOK-10 C-TOK-12 the whole flow: PAR, login, consent, code with iss, DPoP tokens, userinfo, refresh")
    void wholeFlow() throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            FapiClient client = demoClient();
            Authorized a = authorize(client);
            FapiClient.Tokens tokens = client.token(a.code(), a.verifier());
            assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
            assertEquals("DPoP", tokens.accessToken().getType().getValue());
            assertNotNull(tokens.response().getHeaderValue("DPoP-Nonce"));
            SignedJWT idToken = SignedJWT.parse(tokens.idToken());
            assertEquals(List.of(app.demo().clientId()), idToken.getJWTClaimsSet().getAudience());
            assertNotNull(idToken.getJWTClaimsSet().getStringClaim("nonce"));
            HTTPResponse userinfo = client.userinfo(tokens.accessToken());
            assertEquals(200, userinfo.getStatusCode(), userinfo.getBody());
            assertEquals("demo", userinfo.getBodyAsJSONObject().get("sub"));
            assertEquals("demo@example.com", userinfo.getBodyAsJSONObject().get("email"));
            FapiClient.Tokens refreshed = client.refresh(tokens.refreshToken());
            assertEquals(200, refreshed.response().getStatusCode(), refreshed.response().getBody());
            assertEquals(tokens.refreshToken(), refreshed.refreshToken(), "no rotation");
            assertEquals(200, client.userinfo(refreshed.accessToken()).getStatusCode());
            millis.add((System.nanoTime() - started) / 1_000_000);
        }
        millis.sort(Long::compare);
        System.out.printf("whole flow (discovery, PAR, authorize, login, consent, token, userinfo, refresh, userinfo):"
                + " median %d ms of %s%n", millis.get(2), millis);
    }

    @Test
    @DisplayName("C-TOK-1 a code used twice: 400 invalid_grant, and the first access token stops working at userinfo")
    void codeReplayRevokes() throws Exception {
        Authorized a = authorize(demoClient());
        FapiClient.Tokens first = a.client().token(a.code(), a.verifier());
        assertEquals(200, first.response().getStatusCode());
        assertEquals(200, a.client().userinfo(first.accessToken()).getStatusCode());
        FapiClient.Tokens second = a.client().token(a.code(), a.verifier());
        assertEquals(400, second.response().getStatusCode());
        assertEquals("invalid_grant", ErrorObject.parse(second.response()).getCode());
        HTTPResponse after = a.client().userinfo(first.accessToken());
        assertEquals(401, after.getStatusCode());
        assertTrue(after.getHeaderValue("WWW-Authenticate").contains("invalid_token"));
        assertEquals(400, a.client().refresh(first.refreshToken()).response().getStatusCode());
    }

    @Test
    @DisplayName("C-TOK-2 a code redeemed after its lifetime: 400 invalid_grant")
    void expiredCode() throws Exception {
        Authorized a = authorize(demoClient());
        Thread.sleep(2_100);
        FapiClient.Tokens late = a.client().token(a.code(), a.verifier());
        assertEquals(400, late.response().getStatusCode());
        assertEquals("invalid_grant", ErrorObject.parse(late.response()).getCode());
    }

    @Test
    @DisplayName("C-TOK-4 a wrong code_verifier: 400 invalid_grant")
    void wrongVerifier() throws Exception {
        Authorized a = authorize(demoClient());
        FapiClient.Tokens wrong = a.client().token(a.code(), new CodeVerifier());
        assertEquals(400, wrong.response().getStatusCode());
        assertEquals("invalid_grant", ErrorObject.parse(wrong.response()).getCode());
    }

    @Test
    @DisplayName("C-TOK-3 another client's code: 400 invalid_grant")
    void otherClientsCode() throws Exception {
        Authorized a = authorize(demoClient());
        FapiClient client2 = new FapiClient(app.issuer(), app.caFile(), "client-2", CLIENT2_KEY, TestKeys.ec(),
                URI.create(app.demo().redirectUri()));
        FapiClient.Tokens stolen = client2.token(a.code(), a.verifier());
        assertEquals(400, stolen.response().getStatusCode());
        assertEquals("invalid_grant", ErrorObject.parse(stolen.response()).getCode());
    }

    @Test
    @DisplayName("C-TOK-6 a proof with another key than the one bound at PAR: 400 invalid_dpop_proof")
    void proofWithAnotherKey() throws Exception {
        Authorized a = authorize(demoClient());
        FapiClient otherKey = demoClient();
        FapiClient.Tokens refused = otherKey.token(new AuthorizationCodeGrant(a.code(),
                URI.create(app.demo().redirectUri()), a.verifier()));
        assertEquals(400, refused.response().getStatusCode());
        assertEquals("invalid_dpop_proof", ErrorObject.parse(refused.response()).getCode());
    }

    @Test
    @DisplayName("C-AZ-3 the request_uri after completion: the authorize endpoint shows an error page, no redirect")
    void requestUriReuse() throws Exception {
        Authorized a = authorize(demoClient());
        HttpResponse<String> again = a.client().authorize(a.requestUri());
        assertEquals(400, again.statusCode());
        assertTrue(again.headers().firstValue("Location").isEmpty());
    }

    @Test
    @DisplayName("C-AZ-5 cancel at consent: 303 to the client with error=access_denied and iss")
    void cancelAtConsent() throws Exception {
        FapiClient client = demoClient();
        FapiClient.Started started = client.par(SCOPE);
        HttpResponse<String> page = client.login(started.requestUri(), client.authorize(started.requestUri()),
                app.demo().username(), app.demo().password());
        HttpResponse<String> redirect = client.consent(started.requestUri(), page, "cancel");
        AuthorizationResponse response = client.callback(redirect, started);
        AuthorizationErrorResponse error = response.toErrorResponse();
        assertEquals("access_denied", error.getErrorObject().getCode());
        assertEquals(app.issuer(), response.getIssuer().getValue());
    }
}
