package dev.fapi2lambda.core.resource;

import static dev.fapi2lambda.core.testing.OAuthAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.Flow;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.TestKeys;
import dev.fapi2lambda.core.token.TokenIssuer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A resource request (userinfo here; the Lambda authorizer and any TokenValidator alike) writes its
 * DPoP proof's jti and reads the token's revocation state in two requests that run at once, and
 * still answers exactly as if they ran one after the other: the sender check's error first.
 */
class ResourceRoundTripsTest {
    private final CoreFixture f = new CoreFixture();
    private final Flow flow = new Flow(f);
    private final ECKey dpopKey = TestKeys.ec();

    private String accessToken() {
        return (String) flow.tokens(dpopKey, "scope", "openid profile").get("access_token");
    }

    private static String grantOf(String accessToken) throws Exception {
        return (String) SignedJWT.parse(accessToken).getJWTClaimsSet().getClaim(TokenIssuer.GRANT_CLAIM);
    }

    @Test
    @DisplayName("the proof's jti is written while the revocation is read: both requests are in flight at once")
    void jtiWriteBesideRevocationRead() {
        String token = accessToken();
        CountDownLatch both = new CountDownLatch(2);
        Set<String> waitedInVain = ConcurrentHashMap.newKeySet();
        f.store.onCall = (method, pk) -> {
            boolean jti = method.equals("putIfAbsent") && pk.startsWith("jti#dpop#");
            if (jti || method.equals("getAll")) {
                both.countDown();
                try {
                    if (!both.await(5, TimeUnit.SECONDS)) {
                        waitedInVain.add(method);   // the other request never came while this one was in flight
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Response response = flow.userinfo("DPoP " + token, flow.userinfoProof(dpopKey, token));
        assertEquals(200, response.status(), response.body());
        assertEquals(Set.of(), waitedInVain);
        assertEquals(0, both.getCount(), "both the jti write and the revocation read were made");
    }

    @Test
    @DisplayName("C-RS-2 a replayed proof of a revoked token answers invalid_dpop_proof: the sender check decides first")
    void senderCheckDecidesFirst() throws Exception {
        String token = accessToken();
        String proof = flow.userinfoProof(dpopKey, token);
        assertEquals(200, flow.userinfo("DPoP " + token, proof).status());
        f.grants.revoke(grantOf(token), f.clock.instant());
        Response replay = assertError(401, "invalid_dpop_proof", () -> flow.userinfo("DPoP " + token, proof));
        assertTrue(replay.header("WWW-Authenticate").startsWith("DPoP error=\"invalid_dpop_proof\""),
                replay.header("WWW-Authenticate"));
    }

    @Test
    @DisplayName("a revoked token with a fresh proof answers invalid_token, and the proof's jti is used up")
    void revokedTokenUsesUpTheProof() throws Exception {
        String token = accessToken();
        f.grants.revoke(grantOf(token), f.clock.instant());
        String proof = flow.userinfoProof(dpopKey, token);
        assertError(401, "invalid_token", () -> flow.userinfo("DPoP " + token, proof));
        assertError(401, "invalid_dpop_proof", () -> flow.userinfo("DPoP " + token, proof));
    }

    @Test
    @DisplayName("a proof that fails its checks, or proves another key, costs no revocation read")
    void badProofNoRead() {
        String token = accessToken();
        String wrongUrl = Jwts.dpopProof(dpopKey, "GET", "https://elsewhere.example/userinfo", f.clock.instant(),
                c -> c.claim("ath", Flow.sha256Url(token)).claim("nonce", flow.nonce()));
        String otherKey = flow.userinfoProof(TestKeys.ec(), token);
        f.store.reset();
        assertError(401, "invalid_dpop_proof", () -> flow.userinfo("DPoP " + token, wrongUrl));
        assertError(401, "invalid_token", () -> flow.userinfo("DPoP " + token, otherKey));
        assertEquals(0, f.store.calls("getAll"), "no revocation read for a refused proof");
    }

    @Test
    @DisplayName("a replayed proof's error goes out only after the revocation read it started has ended")
    void refusedAfterTheReadEnds() {
        String token = accessToken();
        String proof = flow.userinfoProof(dpopKey, token);
        assertEquals(200, flow.userinfo("DPoP " + token, proof).status());
        AtomicBoolean readEnded = new AtomicBoolean();
        f.store.onCall = (method, pk) -> {
            if (method.equals("getAll")) {
                try {
                    Thread.sleep(300);   // a slow read: a request that did not wait for it would answer first
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                readEnded.set(true);
            }
        };
        assertError(401, "invalid_dpop_proof", () -> flow.userinfo("DPoP " + token, proof));
        assertTrue(readEnded.get(), "the read was still running when the answer went out");
    }

    @Test
    @DisplayName("a failure of the revocation read reaches the function's error handling as itself, not wrapped")
    void readFailureIsItself() {
        String token = accessToken();
        IllegalStateException unavailable = new IllegalStateException("the table is unavailable");
        f.store.onCall = (method, pk) -> {
            if (method.equals("getAll")) {
                throw unavailable;
            }
        };
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> flow.userinfo("DPoP " + token, flow.userinfoProof(dpopKey, token)));
        assertSame(unavailable, thrown);
        assertFalse(f.store.calls("putIfAbsent", "jti#") == 0, "the proof's jti was still written");
    }
}
