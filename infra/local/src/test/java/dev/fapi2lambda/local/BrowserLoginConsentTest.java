package dev.fapi2lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.Scope;
import dev.fapi2lambda.core.client.AuthMethod;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.testing.TestKeys;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.SessionNotCreatedException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The login and consent pages in a real browser: headless Chromium driven by Selenium, trusting
 * only the local server's certificate (its SPKI pinned, never --ignore-certificate-errors). A
 * client registered here redirects to the server itself (a JSON 404), so the browser's final
 * URL shows the authorization response. Skipped (each test, with the reason) when chromium or
 * chromium-driver is missing or cannot start.
 */
class BrowserLoginConsentTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String CLIENT_ID = "browser-client";
    private static final ECKey CLIENT_KEY = TestKeys.ec();
    private static final Scope SCOPE = new Scope("openid", "accounts");
    @TempDir
    static Path state;
    @TempDir
    static Path profile;
    static LocalApp app;
    static String redirectUri;
    static ChromeDriver browser;
    static String noBrowser;
    /** Selenium 4.38 has no CDP bindings for Chromium 150 and says so on every start; this test uses no CDP. */
    private static final Logger CDP_WARNINGS = Logger.getLogger("org.openqa.selenium");

    @BeforeAll
    static void start() throws Exception {
        CDP_WARNINGS.setLevel(Level.SEVERE);
        List<Path> missing = Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p)).toList();
        if (!missing.isEmpty()) {
            noBrowser = "skipped: no " + missing + " (apt-get install chromium chromium-driver)";
            System.err.println("BrowserLoginConsentTest " + noBrowser);
            return;
        }
        app = LocalApp.start(state, 0, true, Optional.empty(), Clock.systemUTC());
        redirectUri = app.issuer() + "/nowhere?x=1";
        new ClientRepository(app.dynamo().store()).save(new Client(CLIENT_ID, AuthMethod.PRIVATE_KEY_JWT,
                new JWKSet(CLIENT_KEY.toPublicJWK()), List.of(redirectUri), Set.of("openid", "accounts"), true));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                "--ignore-certificate-errors-spki-list=" + serverSpki());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        try {
            browser = new ChromeDriver(service, options);   // both paths given: Selenium Manager is never asked
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15));
        } catch (SessionNotCreatedException e) {
            noBrowser = "skipped: chromium could not be started: " + e.getMessage().lines().findFirst().orElse("");
            System.err.println("BrowserLoginConsentTest " + noBrowser);
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    /** Skips each test, with the reason, when there is no browser (Surefire would not count a class-level skip). */
    @BeforeEach
    void freshBrowser() {
        assumeTrue(noBrowser == null, noBrowser);
        browser.executeCdpCommand("Network.clearBrowserCookies", Map.of());   // no earlier session
    }

    @Test
    @DisplayName("login and Allow: the browser lands on the redirect URI with code, state and iss; the code redeems")
    void loginAndAllow() throws Exception {
        FapiClient client = client();
        FapiClient.Started started = client.par(SCOPE);
        open(CLIENT_ID, started);
        login(app.demo().password());
        assertEquals("Allow access?", browser.findElement(By.tagName("h1")).getText());
        press("allow");
        Map<String, String> response = landed(redirectUri);
        assertEquals(started.state().getValue(), response.get("state"));
        assertEquals(app.issuer(), response.get("iss"));
        FapiClient.Tokens tokens = client.token(new AuthorizationCode(response.get("code")), started.verifier());
        assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
        assertEquals(200, client.userinfo(tokens.accessToken()).getStatusCode());
    }

    @Test
    @DisplayName("Cancel: the browser lands on the redirect URI with error=access_denied, state and iss")
    void cancel() throws Exception {
        FapiClient.Started started = client().par(SCOPE);
        open(CLIENT_ID, started);
        login(app.demo().password());
        press("cancel");
        Map<String, String> response = landed(redirectUri);
        assertEquals("access_denied", response.get("error"));
        assertNull(response.get("code"));
        assertEquals(started.state().getValue(), response.get("state"));
        assertEquals(app.issuer(), response.get("iss"));
    }

    @Test
    @DisplayName("a wrong password shows the error and the login form again, which then works")
    void wrongPassword() throws Exception {
        open(CLIENT_ID, client().par(SCOPE));
        login("not-the-password");
        assertEquals("Invalid username or password.", browser.findElement(By.cssSelector("[role=alert]")).getText());
        assertEquals("Sign in", browser.findElement(By.tagName("h1")).getText());
        assertEquals("", browser.findElement(By.id("password")).getAttribute("value"), "the password is not echoed");
        login(app.demo().password());
        assertEquals("Allow access?", browser.findElement(By.tagName("h1")).getText());
    }

    @Test
    @DisplayName("a second authorization in the same browser skips the login (session cookie) and shows consent")
    void sessionSkipsLogin() throws Exception {
        FapiClient client = client();
        open(CLIENT_ID, client.par(SCOPE));
        login(app.demo().password());
        press("allow");
        assertTrue(landed(redirectUri).containsKey("code"));
        FapiClient.Started second = client.par(SCOPE);
        open(CLIENT_ID, second);
        assertEquals("Allow access?", browser.findElement(By.tagName("h1")).getText());
        assertTrue(browser.findElements(By.id("password")).isEmpty(), "no login form");
        assertTrue(browser.getPageSource().contains("Signed in as <strong>" + app.demo().username()));
        press("allow");
        assertEquals(second.state().getValue(), landed(redirectUri).get("state"));
    }

    @Test
    @DisplayName("the pages carry no script, and their CSP stops a script injected into them from running")
    void noScript() throws Exception {
        open(CLIENT_ID, client().par(SCOPE));
        assertEquals(0L, browser.executeScript("return document.scripts.length"));
        // WebDriver's own script runs outside the page's CSP; an inline script the page gains must not run.
        browser.executeScript("var s = document.createElement('script'); s.textContent = 'window.injected = 1;';"
                + "document.body.appendChild(s);");
        assertNull(browser.executeScript("return window.injected === undefined ? null : window.injected"));
        login(app.demo().password());
        assertEquals(0L, browser.executeScript("return document.scripts.length"));
    }

    @Test
    @DisplayName("the seeded demo client: the CSP form-action lets Chromium follow the 303 to its other origin")
    void demoClientCrossOrigin() throws Exception {
        Seed.Demo demo = app.demo();
        FapiClient client = new FapiClient(app.issuer(), app.caFile(), demo.clientId(), demo.clientKey(), TestKeys.ec(),
                URI.create(demo.redirectUri()));
        FapiClient.Started started = client.par(SCOPE);
        open(demo.clientId(), started);
        login(demo.password());
        press("allow");
        // Nothing listens there: Chromium shows its error page, and the URL it tried is the response.
        Map<String, String> response = landed(demo.redirectUri());
        assertEquals(started.state().getValue(), response.get("state"));
        assertEquals(app.issuer(), response.get("iss"));
        FapiClient.Tokens tokens = client.token(new AuthorizationCode(response.get("code")), started.verifier());
        assertEquals(200, tokens.response().getStatusCode(), tokens.response().getBody());
    }

    private static FapiClient client() throws Exception {
        return new FapiClient(app.issuer(), app.caFile(), CLIENT_ID, CLIENT_KEY, TestKeys.ec(), URI.create(redirectUri));
    }

    /** The browser opens the authorization endpoint with client_id and request_uri, as a client sends it there. */
    private static void open(String clientId, FapiClient.Started started) {
        browser.get(app.issuer() + "/authorize?client_id=" + enc(clientId) + "&request_uri="
                + enc(started.requestUri().toString()));
    }

    private static void login(String password) {
        assertEquals("Sign in", browser.findElement(By.tagName("h1")).getText());
        browser.findElement(By.id("username")).sendKeys(app.demo().username());
        browser.findElement(By.id("password")).sendKeys(password);
        submit(browser.findElement(By.cssSelector("button[type=submit]")));
    }

    private static void press(String decision) {
        submit(browser.findElement(By.cssSelector("button[name=decision][value=" + decision + "]")));
    }

    /** Clicks a submit button and waits until the next page replaced this one (click does not wait for a POST). */
    private static void submit(WebElement button) {
        WebElement page = browser.findElement(By.tagName("html"));
        button.click();
        // While the page is swapped Chromium may answer "node does not belong to the document": poll on.
        new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(WebDriverException.class)
                .withMessage("no next page (a redirect blocked by the CSP form-action?)")
                .until(ExpectedConditions.stalenessOf(page));
    }

    /** Where the 303 took the browser: the redirect URI (its own query kept), the response parameters added. */
    private static Map<String, String> landed(String redirect) {
        String url = browser.getCurrentUrl();
        assertTrue(url.startsWith(redirect + (redirect.contains("?") ? "&" : "?")), url);
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    /**
     * The base64 SHA-256 of the server certificate's SubjectPublicKeyInfo, read from a TLS
     * handshake that trusts only the local CA: the one key Chromium is told to accept.
     */
    private static String serverSpki() throws Exception {
        try (SSLSocket socket = (SSLSocket) new LocalClient(app.caFile()).sockets().createSocket("127.0.0.1", app.port())) {
            socket.startHandshake();
            Certificate server = socket.getSession().getPeerCertificates()[0];
            byte[] spki = server.getPublicKey().getEncoded();   // X.509 SubjectPublicKeyInfo DER
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
