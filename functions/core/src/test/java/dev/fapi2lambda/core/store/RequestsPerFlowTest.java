package dev.fapi2lambda.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.Browser;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.Flow;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.TestKeys;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's budget: at most 10 DynamoDB requests for a complete flow (PAR, authorize, login,
 * consent, token, userinfo). Every store call is one request; client reads are left out because
 * the functions cache clients per container (Components, 30 s) and this fixture does not. The
 * aws-calls benchmark measures the same over the real SDK client.
 */
class RequestsPerFlowTest {
    private final CoreFixture f = new CoreFixture();
    private final Flow flow = new Flow(f);
    private final ECKey dpopKey = TestKeys.ec();
    private final Map<String, Integer> perStep = new LinkedHashMap<>();

    private void step(String name, Runnable work) {
        int before = requests();
        work.run();
        perStep.put(name, requests() - before);
    }

    private int requests() {
        return f.store.total() - f.store.calls("get", "client#");
    }

    @Test
    @DisplayName("a complete flow costs at most 10 store requests: PAR 1, authorize 1, login 3, consent 1, token 2, userinfo 2")
    void atMostTenRequestsPerFlow() {
        flow.nonce();                                     // the nonce window's secret, once per container
        Browser browser = new Browser(f.authorize);
        String[] requestUri = new String[1];
        Response[] page = new Response[1];
        Map<String, Object>[] tokens = new Map[1];
        step("par", () -> requestUri[0] = flow.push(dpopKey));
        step("authorize", () -> page[0] = browser.open(CoreFixture.CLIENT_ID, requestUri[0]));
        step("login", () -> page[0] = browser.submit(page[0], "username", CoreFixture.USERNAME,
                "password", CoreFixture.PASSWORD));
        step("consent", () -> page[0] = browser.submit(page[0], "decision", "allow"));
        String code = Browser.redirectParams(page[0]).get("code");
        step("token", () -> tokens[0] = flow.redeem(CoreFixture.CLIENT_ID, code, dpopKey));
        String accessToken = (String) tokens[0].get("access_token");
        step("userinfo", () -> {
            Response userinfo = flow.userinfo("DPoP " + accessToken, flow.userinfoProof(dpopKey, accessToken));
            assertEquals(200, userinfo.status(), userinfo::body);
        });
        assertEquals(Map.of("par", 1, "authorize", 1, "login", 3, "consent", 1, "token", 2, "userinfo", 2), perStep);
        assertTrue(perStep.values().stream().mapToInt(Integer::intValue).sum() <= 10, perStep::toString);
    }

    @Test
    @DisplayName("a flow whose userinfo call draws the next DPoP nonce window's nonce pays two requests more: a read that finds none, a conditional write")
    void nonceWindowChangeCostsTwoRequests() {
        String oldNonce = flow.nonce();
        Map<String, Object> tokens = flow.tokens(dpopKey);
        String accessToken = (String) tokens.get("access_token");
        f.clock.advance(Duration.ofSeconds(60));          // the next window: the old nonce is still accepted
        step("userinfo", () -> {
            Response userinfo = flow.userinfo("DPoP " + accessToken, Jwts.dpopProof(dpopKey, "GET", Flow.USERINFO_URL,
                    f.clock.instant(), c -> c.claim("ath", Flow.sha256Url(accessToken)).claim("nonce", oldNonce)));
            assertEquals(200, userinfo.status(), userinfo::body);
            assertEquals(flow.nonce(), userinfo.header("DPoP-Nonce"), "the new window's nonce is handed out");
        });
        assertEquals(Map.of("userinfo", 4), perStep);
        assertEquals(2, f.store.calls("putIfAbsentOrGet", "dpopnonce#"), "one conditional write per window drawn");
        assertEquals(2, f.store.calls("get", "dpopnonce#"), "each after a read that found none");
    }
}
