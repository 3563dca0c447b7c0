package dev.fapi2lambda.core.authorize;

import static dev.fapi2lambda.core.testing.CoreFixture.CLIENT_ID;
import static dev.fapi2lambda.core.testing.CoreFixture.ISSUER;
import static dev.fapi2lambda.core.testing.CoreFixture.OTHER_CLIENT_ID;
import static dev.fapi2lambda.core.testing.CoreFixture.PASSWORD;
import static dev.fapi2lambda.core.testing.CoreFixture.REDIRECT_URI;
import static dev.fapi2lambda.core.testing.CoreFixture.REDIRECT_URI_WITH_QUERY;
import static dev.fapi2lambda.core.testing.CoreFixture.USERNAME;
import static dev.fapi2lambda.core.testing.PageAssertions.assertConsentPage;
import static dev.fapi2lambda.core.testing.PageAssertions.assertErrorPage;
import static dev.fapi2lambda.core.testing.PageAssertions.assertHardenedCookie;
import static dev.fapi2lambda.core.testing.PageAssertions.assertLoginPage;
import static dev.fapi2lambda.core.testing.PageAssertions.assertRedirect;
import static dev.fapi2lambda.core.testing.PageAssertions.cookieNamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.testing.Browser;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.Flow;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.PageAssertions;
import dev.fapi2lambda.core.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The authorization endpoint: PAR only, login, consent, 303 with code, state and iss (C-AZ-1..6, C-TLS-3). */
class AuthorizeEndpointTest {
    private final CoreFixture f = new CoreFixture();
    private final Flow flow = new Flow(f);
    private final ECKey dpopKey = TestKeys.ec();
    private final Browser browser = new Browser(f.authorize);

    private String push(String... pairs) {
        return flow.push(dpopKey, pairs);
    }

    private Response open(String requestUri) {
        return browser.open(CLIENT_ID, requestUri);
    }

    private Response login(Response page, String username, String password) {
        return browser.submit(page, "username", username, "password", password);
    }

    @Test
    @DisplayName("C-AZ-1 GET with only client_id and a pushed request_uri shows the login page and sets a __Host- interaction cookie")
    void showsLoginPageAndSetsInteractionCookie() {
        Response page = open(push());
        assertLoginPage(page);
        assertTrue(page.body().contains("name=\"username\""), page.body());
        assertTrue(Base64.getUrlDecoder().decode(Browser.hiddenFields(page).get("csrf")).length >= 16);
        assertEquals(1, page.cookies().size(), page.cookies()::toString);
        assertHardenedCookie(page.cookies().get(0));
    }

    @Test
    @DisplayName("C-TLS-3 C-AZ-6 login, consent, redirect and error responses all carry no-store, frame-ancestors 'none', HSTS and no CORS")
    void everyResponseIsHardened() {
        String requestUri = push();
        Response loginPage = open(requestUri);
        Response consentPage = login(loginPage, USERNAME, PASSWORD);
        Response redirect = browser.submit(consentPage, "decision", "allow");
        Response errorPage = open(requestUri);
        List.of(loginPage, consentPage, redirect, errorPage).forEach(PageAssertions::assertHardened);
        assertEquals(303, redirect.status());
        assertErrorPage(errorPage);
    }

    @Test
    @DisplayName("C-AZ-1 a request without request_uri (front-channel parameters only) is an error page, never a redirect")
    void missingRequestUriIsErrorPage() {
        Map<String, String> frontChannel = Forms.with(f.validParParams(), "client_assertion", null, "client_assertion_type", null);
        assertErrorPage(browser.get(frontChannel));
        assertErrorPage(browser.get(Forms.params("client_id", CLIENT_ID)));
        assertErrorPage(browser.get(Forms.params("request_uri", push())));
    }

    @Test
    @DisplayName("C-AZ-2 an unknown client is an error page, never a redirect")
    void unknownClientIsErrorPage() {
        assertErrorPage(browser.open("no-such-client", push()));
    }

    @Test
    @DisplayName("C-AZ-2 an unknown request_uri is an error page, never a redirect")
    void unknownRequestUriIsErrorPage() {
        assertErrorPage(open("urn:ietf:params:oauth:request_uri:" + f.secrets.next()));
    }

    @Test
    @DisplayName("C-AZ-2 a request_uri not started within its 60 s lifetime is an error page; at 59 s it still works")
    void expiredRequestUriIsErrorPage() {
        String expiring = push();
        String live = push();
        f.clock.advance(Duration.ofSeconds(59));
        assertLoginPage(open(live));
        f.clock.advance(Duration.ofSeconds(2));
        assertErrorPage(new Browser(f.authorize).open(CLIENT_ID, expiring));
    }

    @Test
    @DisplayName("C-AZ-2 another client's request_uri is an error page, never a redirect")
    void otherClientsRequestUriIsErrorPage() {
        assertErrorPage(browser.open(OTHER_CLIENT_ID, push()));
    }

    @Test
    @DisplayName("C-AZ-3 reloading before the user finishes re-renders the login page with a fresh CSRF token that works")
    void reloadWorks() {
        String requestUri = push();
        Response first = open(requestUri);
        Response reloaded = open(requestUri);
        assertLoginPage(reloaded);
        assertNotEquals(Browser.hiddenFields(first).get("csrf"), Browser.hiddenFields(reloaded).get("csrf"));
        assertConsentPage(login(reloaded, USERNAME, PASSWORD));
    }

    @Test
    @DisplayName("C-AZ-3 once started in one browser, the request_uri in another browser (no cookie) is an error page")
    void anotherBrowserIsRefused() {
        String requestUri = push();
        assertLoginPage(open(requestUri));
        assertErrorPage(new Browser(f.authorize).open(CLIENT_ID, requestUri));
        assertLoginPage(open(requestUri));
    }

    @Test
    @DisplayName("C-AZ-6 a POST with a wrong, missing or stale CSRF token, or from another browser, is an error page")
    void csrfIsChecked() {
        String requestUri = push();
        Response stale = open(requestUri);
        Response page = open(requestUri);
        assertErrorPage(browser.submit(page, "csrf", "forged", "username", USERNAME, "password", PASSWORD));
        assertErrorPage(browser.submit(page, "csrf", null, "username", USERNAME, "password", PASSWORD));
        assertErrorPage(login(stale, USERNAME, PASSWORD));
        assertErrorPage(new Browser(f.authorize).submit(page, "username", USERNAME, "password", PASSWORD));
        assertConsentPage(login(page, USERNAME, PASSWORD));
    }

    @Test
    @DisplayName("C-AZ-6 a wrong password and an unknown user get the same page and message, and no session")
    void sameAnswerForUnknownUserAndWrongPassword() {
        Response wrongPassword = login(open(push()), USERNAME, "not the password");
        Response unknownUser = login(wrongPassword, "mallory", "not the password");
        assertLoginPage(wrongPassword);
        assertLoginPage(unknownUser);
        assertTrue(Browser.alert(wrongPassword).isPresent());
        assertEquals(Browser.alert(wrongPassword), Browser.alert(unknownUser));
        assertTrue(browser.cookie(Sessions.COOKIE).isEmpty());
    }

    @Test
    @DisplayName("C-AZ-6 four failures still allow the right password; after five, the sixth attempt is refused even with it")
    void failuresAreThrottledPerUser() {
        Response page = open(push());
        for (int i = 0; i < 4; i++) {
            page = login(page, USERNAME, "wrong " + i);
        }
        assertConsentPage(login(page, USERNAME, PASSWORD));             // a success clears the count
        Browser other = new Browser(f.authorize);
        Response fifth = other.open(CLIENT_ID, push());
        for (int i = 0; i < 5; i++) {
            fifth = other.submit(fifth, "username", USERNAME, "password", "wrong again " + i);
        }
        String invalid = Browser.alert(fifth).orElseThrow();
        Response sixth = other.submit(fifth, "username", USERNAME, "password", PASSWORD);
        assertLoginPage(sixth);
        assertNotEquals(invalid, Browser.alert(sixth).orElseThrow());
        assertTrue(other.cookie(Sessions.COOKIE).isEmpty());
    }

    @Test
    @DisplayName("C-AZ-1 login shows consent: client, every scope in plain words, one form, allow then cancel; a hashed session starts")
    void loginShowsConsentAndStartsSession() {
        Response consent = login(open(push("scope", "openid profile accounts")), USERNAME, PASSWORD);
        assertConsentPage(consent);
        String body = consent.body();
        List.of(CLIENT_ID, "Confirm who you are", "See your name", "Read your account details and balances")
                .forEach(text -> assertTrue(body.contains(text), text));
        assertEquals(1, body.split("<form", -1).length - 1);
        int allow = body.indexOf("<button type=\"submit\" name=\"decision\" value=\"allow\">");
        int cancel = body.indexOf("<button type=\"submit\" name=\"decision\" value=\"cancel\">");
        assertTrue(allow > 0 && cancel > allow, body);
        assertHardenedCookie(cookieNamed(consent, Sessions.COOKIE + "="));
        String id = browser.cookie(Sessions.COOKIE).orElseThrow();
        Item session = f.store.get("session#" + Flow.sha256Url(id), f.clock.instant()).orElseThrow();
        assertEquals(USERNAME, session.required("subject"));
        assertEquals(f.clock.instant().plus(Duration.ofHours(8)), session.expiresAt().orElseThrow());
        f.store.list("").forEach(i -> assertFalse(i.toString().contains(id), i::toString));
    }

    @Test
    @DisplayName("C-AZ-4 allow is a 303 to the redirect URI with a >= 128-bit code, the state and iss, nothing else")
    void allowRedirectsWithCodeStateAndIss() {
        Response done = flow.approve(browser, CLIENT_ID, push());
        Map<String, String> params = assertRedirect(REDIRECT_URI + "?", done);
        assertEquals(List.of("code", "state", "iss"), List.copyOf(params.keySet()));
        String[] code = params.get("code").split("\\.");
        assertEquals(2, code.length, "<id>.<secret>");
        assertTrue(Base64.getUrlDecoder().decode(code[1]).length >= 16);
        assertEquals("af0ifjsldkj", params.get("state"));
        assertEquals(ISSUER, params.get("iss"));
        assertTrue(cookieNamed(done, "__Host-fapi2-ia-").contains("Max-Age=0"), "the interaction cookie is cleared");
    }

    @Test
    @DisplayName("C-AZ-4 state is echoed only if sent, and intact (URL-encoded) when it holds markup")
    void stateOnlyIfSentAndIntact() {
        assertFalse(Browser.redirectParams(flow.approve(browser, CLIENT_ID, push("state", null))).containsKey("state"));
        String state = "<script>alert(1)</script> & é";
        Response done = flow.approve(new Browser(f.authorize), CLIENT_ID, push("state", state));
        assertFalse(done.header("Location").contains("<"), done.header("Location"));
        assertEquals(state, Browser.redirectParams(done).get("state"));
    }

    @Test
    @DisplayName("C-AZ-4 the registered redirect URI's own query is kept")
    void redirectUriQueryIsKept() {
        assertRedirect(REDIRECT_URI_WITH_QUERY + "&code=",
                flow.approve(browser, CLIENT_ID, push("redirect_uri", REDIRECT_URI_WITH_QUERY)));
    }

    @Test
    @DisplayName("C-AZ-1 C-AZ-6 parameters added to the authorize URL are ignored: only the pushed redirect URI and state count")
    void queryParametersBesidesRequestUriAreIgnored() {
        String requestUri = push();
        Response page = browser.get(Forms.params("client_id", CLIENT_ID, "request_uri", requestUri,
                "redirect_uri", "https://attacker.example/cb", "state", "evil", "scope", "openid email"));
        Response done = browser.submit(login(page, USERNAME, PASSWORD), "decision", "allow");
        assertEquals("af0ifjsldkj", assertRedirect(REDIRECT_URI + "?", done).get("state"));
    }

    @Test
    @DisplayName("C-AZ-4 the code is stored only as its SHA-256, on its request's item with client, redirect URI, scopes, PKCE, nonce, subject, auth time, DPoP key, 60 s")
    void codeIsStoredHashedWithItsRequest() {
        Instant loginTime = f.clock.instant();
        Response consent = login(open(push()), USERNAME, PASSWORD);
        f.clock.advance(Duration.ofSeconds(5));
        String code = Browser.redirectParams(browser.submit(consent, "decision", "allow")).get("code");
        Item item = codeItem(code);
        assertEquals(Flow.sha256Url(code), item.required("codeHash"));
        assertEquals(CLIENT_ID, item.required("clientId"));
        assertEquals(REDIRECT_URI, item.required("redirectUri"));
        assertEquals(List.of("openid", "accounts"), item.strings("scopes"));
        assertEquals(f.validParParams().get("code_challenge"), item.required("codeChallenge"));
        assertEquals("n-0S6_WzA2Mj", item.required("nonce"));
        assertEquals(USERNAME, item.required("subject"));
        assertEquals(loginTime.getEpochSecond(), item.number("authTime").orElseThrow());
        assertEquals(TestKeys.thumbprint(dpopKey), item.required("dpopJkt"));
        assertEquals(f.clock.instant().plusSeconds(60), item.expiresAt().orElseThrow());
        f.store.list("").forEach(i -> assertFalse(i.toString().contains(code), i::toString));
    }

    @Test
    @DisplayName("C-AZ-5 cancel is a 303 with error=access_denied, the state and iss, and no code")
    void cancelRedirectsAccessDenied() {
        Map<String, String> params = assertRedirect(REDIRECT_URI + "?",
                browser.submit(login(open(push()), USERNAME, PASSWORD), "decision", "cancel"));
        assertEquals("access_denied", params.get("error"));
        assertEquals("af0ifjsldkj", params.get("state"));
        assertEquals(ISSUER, params.get("iss"));
        assertFalse(params.containsKey("code"));
    }

    @Test
    @DisplayName("C-AZ-3 after completion the request_uri is consumed: reopening or resubmitting, even with the old cookie, is an error page")
    void requestUriIsConsumedOnCompletion() {
        String requestUri = push();
        Response consent = login(open(requestUri), USERNAME, PASSWORD);
        Browser keptCookie = browser.copy();
        assertEquals(303, browser.submit(consent, "decision", "allow").status());
        assertTrue(f.pushedRequests.find(requestUri, f.clock.instant()).isEmpty());
        assertErrorPage(keptCookie.submit(consent, "decision", "allow"));
        assertErrorPage(keptCookie.open(CLIENT_ID, requestUri));
        assertErrorPage(open(requestUri));
    }

    @Test
    @DisplayName("C-AZ-2 a started interaction ends after its 10 minutes: reloading or signing in is then an error page")
    void interactionExpires() {
        String requestUri = push();
        open(requestUri);
        f.clock.advance(Duration.ofMinutes(9));
        Response page = open(requestUri);
        assertLoginPage(page);
        f.clock.advance(Duration.ofMinutes(1));
        assertErrorPage(login(page, USERNAME, PASSWORD));
        assertErrorPage(open(requestUri));
    }

    @Test
    @DisplayName("C-AZ-1 a second authorization in the same browser skips the password; its code keeps the first auth time")
    void sessionSkipsPassword() {
        Instant loginTime = f.clock.instant();
        flow.approve(browser, CLIENT_ID, push());
        f.clock.advance(Duration.ofMinutes(5));
        Response consent = open(push());
        assertConsentPage(consent);
        String code = Browser.redirectParams(browser.submit(consent, "decision", "allow")).get("code");
        Item stored = codeItem(code);
        assertEquals(loginTime.getEpochSecond(), stored.number("authTime").orElseThrow());
        assertLoginPage(new Browser(f.authorize).open(CLIENT_ID, push()));
    }

    @Test
    @DisplayName("C-AZ-1 prompt=login shows the login page despite a session")
    void promptLoginForcesLogin() {
        flow.approve(browser, CLIENT_ID, push());
        assertLoginPage(open(push("prompt", "login")));
    }

    @Test
    @DisplayName("C-AZ-1 max_age=0 with an older session forces login; max_age=3600 does not")
    void maxAgeZeroForcesLogin() {
        flow.approve(browser, CLIENT_ID, push());
        f.clock.advance(Duration.ofSeconds(5));
        assertLoginPage(open(push("max_age", "0")));
        assertConsentPage(open(push("max_age", "3600")));
    }

    @Test
    @DisplayName("C-AZ-1 max_age=0 forces login even for a session started the same second (OIDC: max_age=0 is prompt=login)")
    void maxAgeZeroForcesLoginWithinTheSameSecond() {
        flow.approve(browser, CLIENT_ID, push());
        assertLoginPage(open(push("max_age", "0")));
    }

    @Test
    @DisplayName("C-AZ-5 prompt=none without a session redirects with error=login_required, state and iss")
    void promptNoneWithoutSession() {
        Map<String, String> params = assertRedirect(REDIRECT_URI + "?", open(push("prompt", "none")));
        assertEquals("login_required", params.get("error"));
        assertEquals("af0ifjsldkj", params.get("state"));
        assertEquals(ISSUER, params.get("iss"));
    }

    @Test
    @DisplayName("C-AZ-6 pages escape HTML: a client_id with <script> is shown as text on login and consent")
    void pagesEscapeHtml() {
        String clientId = "<script>alert(1)</script>";
        ECKey key = TestKeys.ec();
        flow.register(CoreFixture.client(clientId, key, Set.of("openid"), JWSAlgorithm.PS256), key);
        Response loginPage = browser.open(clientId, flow.push(clientId, dpopKey, "scope", "openid"));
        Response consent = login(loginPage, USERNAME, PASSWORD);
        for (Response page : List.of(loginPage, consent)) {
            assertFalse(page.body().contains("<script"), page.body());
            assertTrue(page.body().contains("&lt;script&gt;alert(1)&lt;/script&gt;"), page.body());
        }
        assertEquals(303, browser.submit(consent, "decision", "allow").status());
    }

    /** The item a code names: {@code par#<id>} for the code {@code <id>.<secret>}. */
    private Item codeItem(String code) {
        return f.store.get("par#" + code.substring(0, code.indexOf('.')), f.clock.instant()).orElseThrow();
    }
}
