package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.testing.TestCertificates;
import dev.fapi2lambda.core.token.Grants;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** events/userinfo.json and events/userinfo-mtls.json through UserinfoFunction. */
class UserinfoFunctionTest extends FunctionTestSupport {

    private static void assertInvalidToken(Map<String, Object> response) throws Exception {
        assertError(response, 401, "invalid_token");
        assertTrue(headers(response).get("WWW-Authenticate").contains("error=\"invalid_token\""),
                String.valueOf(headers(response)));
    }

    @Test
    @DisplayName("C-UI-1 events/userinfo.json: 200 with sub and the profile claims, the nonce and the interaction id")
    void userinfo() throws Exception {
        SampleTable.grant(store);
        SampleTable.user(store);
        Map<String, Object> response = invoke(new UserinfoFunction(components), SampleEvents.read("userinfo.json"));
        assertProxyShape(response);
        assertEquals(200L, status(response), body(response));
        Map<String, Object> body = json(response);
        assertEquals(SampleEvents.USERNAME, body.get("sub"));
        assertEquals("Alice Example", body.get("name"));
        assertFalse(body.containsKey("email"), "the grant has no email scope");
        assertEquals("no-store", headers(response).get("Cache-Control"));
        assertEquals(SampleEvents.DPOP_NONCE, headers(response).get("DPoP-Nonce"));
        assertEquals(SampleEvents.INTERACTION_ID_HEADER, headers(response).get("x-fapi-interaction-id"));
    }

    @Test
    @DisplayName("the access token of events/userinfo.json verifies against the JWKS function's keys (sample server key)")
    void sampleTokenIsTheServers() throws Exception {
        var claims = verifyWithPublishedKeys(SampleEvents.accessTokenOf(SampleEvents.read("userinfo.json")));
        assertEquals(Map.of("jkt", SampleEvents.dpopJkt()), claims.getClaim("cnf"));
    }

    @Test
    @DisplayName("RFC 9449 11.1 events/userinfo.json sent twice: the proof is accepted once, then 401")
    void proofReplay() throws Exception {
        SampleTable.grant(store);
        SampleTable.user(store);
        assertEquals(200L, status(invoke(new UserinfoFunction(components), SampleEvents.read("userinfo.json"))));
        Map<String, Object> second = invoke(new UserinfoFunction(components), SampleEvents.read("userinfo.json"));
        assertError(second, 401, "invalid_dpop_proof");
    }

    @Test
    @DisplayName("events/userinfo.json with its grant revoked: 401 invalid_token")
    void revokedGrant() throws Exception {
        SampleTable.grant(store);
        SampleTable.user(store);
        new Grants(store).revoke(SampleEvents.GRANT_ID, clock.instant());
        assertInvalidToken(invoke(new UserinfoFunction(components), SampleEvents.read("userinfo.json")));
    }

    @Test
    @DisplayName("events/userinfo.json after the access token expired (5 min): 401 invalid_token")
    void expiredToken() throws Exception {
        SampleTable.grant(store);
        clock.advance(Duration.ofMinutes(5));
        assertInvalidToken(invoke(new UserinfoFunction(components), SampleEvents.read("userinfo.json")));
    }

    @Test
    @DisplayName("RFC 9449 7.2 events/userinfo.json with the DPoP-bound token as Bearer: 401 invalid_token")
    void dpopTokenAsBearer() throws Exception {
        SampleTable.grant(store);
        String event = SampleEvents.read("userinfo.json");
        Map<String, Object> response = invoke(new UserinfoFunction(components),
                withHeader(event, "Authorization", "Bearer " + SampleEvents.accessTokenOf(event)));
        assertInvalidToken(response);
    }

    @Test
    @DisplayName("RFC 8705 3 events/userinfo-mtls.json: the certificate-bound token with its certificate: 200")
    void userinfoMtls() throws Exception {
        SampleTable.mtlsGrant(store);
        SampleTable.user(store);
        Map<String, Object> response = invoke(new UserinfoFunction(components), SampleEvents.read("userinfo-mtls.json"));
        assertProxyShape(response);
        assertEquals(200L, status(response), body(response));
        assertEquals(SampleEvents.USERNAME, json(response).get("sub"));
        assertEquals("Alice Example", json(response).get("name"));
    }

    @Test
    @DisplayName("RFC 8705 3 events/userinfo-mtls.json without the certificate: 401 invalid_token")
    void userinfoMtlsWithoutCertificate() throws Exception {
        SampleTable.mtlsGrant(store);
        assertInvalidToken(invoke(new UserinfoFunction(components), withoutClientCert(SampleEvents.read("userinfo-mtls.json"))));
    }

    @Test
    @DisplayName("RFC 8705 3 events/userinfo-mtls.json with another certificate: 401 invalid_token")
    void userinfoMtlsOtherCertificate() throws Exception {
        SampleTable.mtlsGrant(store);
        String other = TestCertificates.pem(TestCertificates.selfSigned("CN=sample-client,O=Example Bank,C=GB").certificate());
        assertInvalidToken(invoke(new UserinfoFunction(components),
                withClientCert(SampleEvents.read("userinfo-mtls.json"), other)));
    }
}
