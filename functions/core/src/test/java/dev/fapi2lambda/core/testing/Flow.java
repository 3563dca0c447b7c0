package dev.fapi2lambda.core.testing;

import static dev.fapi2lambda.core.testing.CoreFixture.CLIENT_ID;
import static dev.fapi2lambda.core.testing.CoreFixture.ISSUER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.config.Params;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.http.Headers;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The whole flow in-process, as a client and a user drive it: PAR (with a DPoP proof binding the
 * code), the authorization endpoint (login, consent), the token endpoint and userinfo. Each step
 * uses the fixture's clock at the time it runs, so tests move time between steps.
 */
public final class Flow {
    public static final String PAR_URL = ISSUER + Paths.PAR;
    public static final String TOKEN_URL = ISSUER + Paths.TOKEN;
    public static final String USERINFO_URL = ISSUER + Paths.USERINFO;
    private final CoreFixture f;
    private final Map<String, JWK> clientKeys = new HashMap<>();

    public Flow(CoreFixture f) {
        this.f = f;
        clientKeys.put(CLIENT_ID, f.clientEcKey);
        clientKeys.put(CoreFixture.OTHER_CLIENT_ID, f.otherClientKey);
    }

    /** Registers a client that authenticates with {@code key}. */
    public void register(Client client, JWK key) {
        f.clients.save(client);
        clientKeys.put(client.clientId(), key);
    }

    /** A fresh private_key_jwt assertion of a known client. */
    public String assertion(String clientId) {
        return Jwts.clientAssertion(clientKeys.get(clientId), clientId, ISSUER, f.clock.instant());
    }

    /**
     * Pushes the fixture's valid request as {@code clientId}, changed by the {@code name, value}
     * pairs (null removes), with a DPoP proof of {@code dpopKey} (none if null); the request_uri.
     */
    public String push(String clientId, JWK dpopKey, String... pairs) {
        Map<String, String> params = Forms.with(Forms.with(f.validParParams(), "client_id", clientId,
                "client_assertion", assertion(clientId)), pairs);
        Map<String, String> headers = dpopKey == null ? Map.of()
                : Map.of("DPoP", Jwts.dpopProof(dpopKey, "POST", PAR_URL, f.clock.instant()));
        Response response = f.par.handle(CoreFixture.post(Paths.PAR, Forms.of(params), headers));
        assertEquals(201, response.status(), response::body);
        return (String) OAuthAssertions.json(response).get("request_uri");
    }

    public String push(JWK dpopKey, String... pairs) {
        return push(CLIENT_ID, dpopKey, pairs);
    }

    /** Opens the request in the browser, logs in if the page asks, allows; the 303 back to the client. */
    public Response approve(Browser browser, String clientId, String requestUri) {
        Response page = browser.open(clientId, requestUri);
        if (page.body().contains("name=\"password\"")) {
            page = browser.submit(page, "username", CoreFixture.USERNAME, "password", CoreFixture.PASSWORD);
        }
        Response done = browser.submit(page, "decision", "allow");
        assertEquals(303, done.status(), done::body);
        return done;
    }

    /** PAR, login and consent in a new browser: the code. */
    public String code(String clientId, JWK dpopKey, String... pairs) {
        String requestUri = push(clientId, dpopKey, pairs);
        return Browser.redirectParams(approve(new Browser(f.authorize), clientId, requestUri)).get("code");
    }

    public String code(JWK dpopKey, String... pairs) {
        return code(CLIENT_ID, dpopKey, pairs);
    }

    /** The server's DPoP nonce now. */
    public String nonce() {
        return f.dpopNonces.current(f.clock.instant()).orElseThrow();
    }

    /** A DPoP proof of {@code key} for POST /token with the current nonce, changed by {@code change}. */
    public String tokenProof(JWK key, UnaryOperator<JWTClaimsSet.Builder> change) {
        return Jwts.dpopProof(key, "POST", TOKEN_URL, f.clock.instant(), c -> change.apply(c.claim("nonce", nonce())));
    }

    public String tokenProof(JWK key) {
        return tokenProof(key, c -> c);
    }

    /** The authorization_code form of {@code clientId}: code, redirect_uri, code_verifier and a fresh assertion. */
    public Map<String, String> codeForm(String clientId, String code) {
        return Forms.params("grant_type", "authorization_code", "code", code, "redirect_uri", CoreFixture.REDIRECT_URI,
                "code_verifier", CoreFixture.CODE_VERIFIER, "client_assertion_type", Params.JWT_BEARER,
                "client_assertion", assertion(clientId));
    }

    /** The refresh_token form of {@code clientId} with a fresh assertion. */
    public Map<String, String> refreshForm(String clientId, String refreshToken) {
        return Forms.params("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_assertion_type", Params.JWT_BEARER,
                "client_assertion", assertion(clientId));
    }

    /** POST /token with this form and DPoP header (none if null). */
    public Response token(Map<String, String> form, String dpopProof) {
        Map<String, String> headers = dpopProof == null ? Map.of() : Map.of("DPoP", dpopProof);
        return f.token.handle(CoreFixture.post(Paths.TOKEN, Forms.of(form), headers));
    }

    /** Redeems a code of {@code clientId} with a proof of {@code dpopKey}; the 200 token response body. */
    public Map<String, Object> redeem(String clientId, String code, JWK dpopKey) {
        Response response = token(codeForm(clientId, code), tokenProof(dpopKey));
        assertEquals(200, response.status(), response::body);
        return OAuthAssertions.json(response);
    }

    /** The whole flow of client-1 bound to {@code dpopKey}, PAR changed by the pairs: the token response body. */
    public Map<String, Object> tokens(JWK dpopKey, String... pairs) {
        return redeem(CLIENT_ID, code(dpopKey, pairs), dpopKey);
    }

    /** A DPoP proof of {@code key} for GET /userinfo with ath of {@code token} and the current nonce. */
    public String userinfoProof(JWK key, String token, UnaryOperator<JWTClaimsSet.Builder> change) {
        return Jwts.dpopProof(key, "GET", USERINFO_URL, f.clock.instant(),
                c -> change.apply(c.claim("ath", sha256Url(token)).claim("nonce", nonce())));
    }

    public String userinfoProof(JWK key, String token) {
        return userinfoProof(key, token, c -> c);
    }

    /** GET /userinfo with these headers (a null value leaves the header out) and query. */
    public Response userinfo(String authorization, String dpopProof, Map<String, String> query) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put("Authorization", List.of(authorization));
        }
        if (dpopProof != null) {
            headers.put("DPoP", List.of(dpopProof));
        }
        Map<String, List<String>> q = new LinkedHashMap<>();
        query.forEach((k, v) -> q.put(k, List.of(v)));
        return f.userinfo.handle(new Request("GET", Paths.USERINFO, Headers.of(headers), q,
                new byte[0], Optional.empty(), "test-request"));
    }

    public Response userinfo(String authorization, String dpopProof) {
        return userinfo(authorization, dpopProof, Map.of());
    }

    /** base64url(SHA-256(text)) computed here, independently of the code under test. */
    public static String sha256Url(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
