package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.store.Item;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** events/authorize.json and events/authorize-login.json through AuthorizeFunction. */
class AuthorizeFunctionTest extends FunctionTestSupport {

    private Item pushed() {
        return store.get("par#" + Hashes.sha256Url(SampleEvents.REQUEST_URI), clock.instant()).orElseThrow();
    }

    @Test
    @DisplayName("C-AZ-1 events/authorize.json: 200 login page, the pushed request bound to this browser by a __Host- cookie")
    void authorize() throws Exception {
        SampleTable.pushedRequest(store);
        Map<String, Object> response = invoke(new AuthorizeFunction(components), SampleEvents.read("authorize.json"));
        assertPage(response, 200, "<h1>Sign in</h1>");
        assertTrue(body(response).contains("name=\"request_uri\" value=\"" + SampleEvents.REQUEST_URI + "\""));
        assertTrue(headers(response).get("Content-Security-Policy").contains("frame-ancestors 'none'"));
        List<String> cookies = cookies(response);
        assertEquals(1, cookies.size(), cookies.toString());
        String cookie = cookies.get(0);
        assertTrue(cookie.startsWith(SampleEvents.INTERACTION_COOKIE + "="), cookie);
        assertTrue(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), cookie);
        String id = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        assertEquals(Hashes.sha256Url(id), pushed().required("interactionHash"), "the browser is bound by the cookie's hash");
    }

    @Test
    @DisplayName("C-AZ-2 events/authorize.json for a request_uri that is not in the table: 400 error page, never a redirect")
    void authorizeUnknownRequest() throws Exception {
        Map<String, Object> response = invoke(new AuthorizeFunction(components), SampleEvents.read("authorize.json"));
        assertPage(response, 400, "request_uri is unknown");
    }

    @Test
    @DisplayName("events/authorize.json once the request was started in another browser: 400 error page")
    void authorizeStartedElsewhere() throws Exception {
        SampleTable.startedRequest(store);
        Map<String, Object> response = invoke(new AuthorizeFunction(components), SampleEvents.read("authorize.json"));
        assertPage(response, 400, "started in another browser");
    }

    @Test
    @DisplayName("events/authorize-login.json: the right password in the browser that started it: 200 consent page and a session")
    void login() throws Exception {
        SampleTable.startedRequest(store);
        SampleTable.user(store);
        Map<String, Object> response = invoke(new AuthorizeFunction(components), SampleEvents.read("authorize-login.json"));
        assertPage(response, 200, "<h1>Allow access?</h1>");
        assertTrue(body(response).contains("Signed in as <strong>" + SampleEvents.USERNAME + "</strong>"));
        assertTrue(body(response).contains("name=\"decision\" value=\"allow\""));
        assertTrue(cookies(response).stream().anyMatch(c -> c.startsWith("__Host-fapi2-session=")), cookies(response).toString());
        Item pushed = pushed();
        assertEquals(SampleEvents.USERNAME, pushed.required("subject"));
        assertEquals(SampleEvents.AT.getEpochSecond(), pushed.number("authTime").orElseThrow());
        assertEquals(1, store.list("session#").size());
    }

    @Test
    @DisplayName("events/authorize-login.json with a wrong password: the login page again, and the failure counted")
    void wrongPassword() throws Exception {
        SampleTable.startedRequest(store);
        SampleTable.user(store);
        String event = SampleEvents.read("authorize-login.json");
        String body = (String) com.nimbusds.jose.util.JSONObjectUtils.parse(event).get("body");
        assertTrue(body.contains("password=correct+horse+battery+staple"), body);
        Map<String, Object> response = invoke(new AuthorizeFunction(components),
                withBody(event, body.replace("password=correct+horse+battery+staple", "password=wrong")));
        assertPage(response, 200, "Invalid username or password.");
        assertTrue(pushed().string("subject").isEmpty());
        Item user = store.get("user#" + SampleEvents.USERNAME, clock.instant()).orElseThrow();
        assertEquals(Optional.of(1L), user.number("failures." + clock.instant().getEpochSecond() / 900),
                "counted on the user's item, in the current 15-minute window");
        assertTrue(store.list("session#").isEmpty());
    }

    @Test
    @DisplayName("C-AZ-6 events/authorize-login.json without the interaction cookie (another browser): 400 error page")
    void loginFromAnotherBrowser() throws Exception {
        SampleTable.startedRequest(store);
        SampleTable.user(store);
        Map<String, Object> response = invoke(new AuthorizeFunction(components),
                withHeader(SampleEvents.read("authorize-login.json"), "Cookie", null));
        assertPage(response, 400, "This form has expired");
        assertTrue(pushed().string("subject").isEmpty());
    }

    @Test
    @DisplayName("RFC 8705 5: events/authorize.json arriving on the mTLS host: an error page")
    void notOnTheMtlsHost() throws Exception {
        SampleTable.pushedRequest(store);
        Map<String, Object> response = invoke(new AuthorizeFunction(components),
                withClientCert(SampleEvents.read("authorize.json"), SampleEvents.clientCertPem()));
        assertPage(response, 400, "not served on the mutual-TLS host");
    }
}
