package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.token.Grants;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** events/token.json, events/token-refresh.json and events/token-mtls.json through TokenFunction. */
class TokenFunctionTest extends FunctionTestSupport {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cnf(JWTClaimsSet claims) {
        return (Map<String, Object>) claims.getClaim("cnf");
    }

    private boolean codeSpent(String code) {
        return codeItem(store, code).number("redeemedAt").isPresent();
    }

    /** The item a code names: {@code par#<id>} for the code {@code <id>.<secret>}. */
    private Item codeItem(ItemStore in, String code) {
        return in.get("par#" + code.substring(0, code.indexOf('.')), clock.instant()).orElseThrow();
    }

    @Test
    @DisplayName("C-TOK-4 events/token.json: 200 DPoP tokens; the access token verifies against the JWKS function's keys")
    void token() throws Exception {
        SampleTable.code(store);
        Map<String, Object> response = invoke(new TokenFunction(components), SampleEvents.read("token.json"));
        assertProxyShape(response);
        assertEquals(200L, status(response), body(response));
        assertEquals("no-store", headers(response).get("Cache-Control"));
        assertEquals(SampleEvents.DPOP_NONCE, headers(response).get("DPoP-Nonce"), "RFC 9449 8.2: the current nonce");
        Map<String, Object> body = json(response);
        assertEquals("DPoP", body.get("token_type"));
        assertEquals(300L, body.get("expires_in"));
        assertEquals(String.join(" ", SampleEvents.SCOPES), body.get("scope"));
        assertTrue(((String) body.get("refresh_token")).startsWith(SampleEvents.GRANT_ID + "."));
        assertTrue(body.containsKey("id_token"));

        JWTClaimsSet claims = verifyWithPublishedKeys((String) body.get("access_token"));
        assertEquals(SampleEvents.USERNAME, claims.getSubject());
        assertEquals(SampleEvents.CLIENT_ID, claims.getClaim("client_id"));
        assertEquals(SampleEvents.GRANT_ID, claims.getClaim("gid"));
        assertEquals(Map.of("jkt", SampleEvents.dpopJkt()), cnf(claims));

        JWTClaimsSet idToken = SignedJWT.parse((String) body.get("id_token")).getJWTClaimsSet();
        assertEquals(List.of(SampleEvents.CLIENT_ID), idToken.getAudience());
        assertEquals(SampleEvents.OIDC_NONCE, idToken.getClaim("nonce"));
        assertTrue(codeSpent(SampleEvents.CODE));
        assertFalse(new Grants(store).find(SampleEvents.GRANT_ID, clock.instant()).orElseThrow().revoked());
    }

    @Test
    @DisplayName("C-TOK-1 the code of events/token.json redeemed again (fresh assertion and proof): 400 invalid_grant, grant revoked")
    void tokenReplay() throws Exception {
        SampleTable.code(store);
        assertEquals(200L, status(invoke(new TokenFunction(components), SampleEvents.read("token.json"))));
        Map<String, Object> replay = invoke(new TokenFunction(components),
                SampleEvents.token("sample-assertion-replay", "sample-proof-replay"), "replay");
        assertError(replay, 400, "invalid_grant");
        assertTrue(new Grants(store).find(SampleEvents.GRANT_ID, clock.instant()).orElseThrow().revoked(),
                "RFC 6749 4.1.2: the tokens issued from a replayed code are revoked");
    }

    @Test
    @DisplayName("events/token.json sent twice as it is: the second is refused (its DPoP proof jti is used once)")
    void tokenEventTwice() throws Exception {
        SampleTable.code(store);
        assertEquals(200L, status(invoke(new TokenFunction(components), SampleEvents.read("token.json"))));
        // The replayed proof is caught first (its jti), before the assertion's jti is looked at.
        assertError(invoke(new TokenFunction(components), SampleEvents.read("token.json")), 400, "invalid_dpop_proof");
    }

    @Test
    @DisplayName("RFC 9449 8: events/token.json when the table holds no nonce: 400 use_dpop_nonce, the code not spent")
    void tokenWithoutServerNonce() throws Exception {
        DynamoDbItemStore other = TestDynamo.freshStore();
        SampleTable.clients(other);
        SampleTable.code(other);
        Map<String, Object> response = invoke(new TokenFunction(components(other)), SampleEvents.read("token.json"));
        assertError(response, 400, "use_dpop_nonce");
        assertNotEquals(SampleEvents.DPOP_NONCE, headers(response).get("DPoP-Nonce"));
        assertFalse(codeItem(other, SampleEvents.CODE).number("redeemedAt").isPresent());
    }

    @Test
    @DisplayName("RFC 9449 10: events/token.json without its DPoP proof: the code is bound to the key, 400 invalid_dpop_proof")
    void tokenWithoutProof() throws Exception {
        SampleTable.code(store);
        Map<String, Object> response = invoke(new TokenFunction(components),
                withHeader(SampleEvents.read("token.json"), "DPoP", null));
        assertError(response, 400, "invalid_dpop_proof");
        assertFalse(codeSpent(SampleEvents.CODE));
    }

    @Test
    @DisplayName("C-TOK-10 events/token-refresh.json: 200, a new DPoP-bound access token, the same refresh token (no rotation)")
    void refresh() throws Exception {
        SampleTable.grant(store);
        Map<String, Object> response = invoke(new TokenFunction(components), SampleEvents.read("token-refresh.json"));
        assertProxyShape(response);
        assertEquals(200L, status(response), body(response));
        Map<String, Object> body = json(response);
        assertEquals("DPoP", body.get("token_type"));
        assertEquals(SampleEvents.REFRESH_TOKEN, body.get("refresh_token"));
        assertFalse(body.containsKey("id_token"));
        JWTClaimsSet claims = verifyWithPublishedKeys((String) body.get("access_token"));
        assertEquals(Map.of("jkt", SampleEvents.dpopJkt()), cnf(claims));
        assertEquals(SampleEvents.GRANT_ID, claims.getClaim("gid"));
        assertEquals(SampleEvents.DPOP_NONCE, headers(response).get("DPoP-Nonce"));
    }

    @Test
    @DisplayName("events/token-refresh.json for a revoked grant: 400 invalid_grant")
    void refreshRevoked() throws Exception {
        SampleTable.grant(store);
        new Grants(store).revoke(SampleEvents.GRANT_ID, clock.instant());
        assertError(invoke(new TokenFunction(components), SampleEvents.read("token-refresh.json")), 400, "invalid_grant");
    }

    @Test
    @DisplayName("events/token-refresh.json with no grant in the table: 400 invalid_grant")
    void refreshUnknown() throws Exception {
        assertError(invoke(new TokenFunction(components), SampleEvents.read("token-refresh.json")), 400, "invalid_grant");
    }

    @Test
    @DisplayName("RFC 8705 3 events/token-mtls.json: 200 certificate-bound tokens (cnf.x5t#S256), token_type Bearer")
    void tokenMtls() throws Exception {
        SampleTable.mtlsCode(store);
        Map<String, Object> response = invoke(new TokenFunction(components), SampleEvents.read("token-mtls.json"));
        assertProxyShape(response);
        assertEquals(200L, status(response), body(response));
        Map<String, Object> body = json(response);
        assertEquals("Bearer", body.get("token_type"), "no DPoP key: the certificate is the only binding");
        assertTrue(((String) body.get("refresh_token")).startsWith(SampleEvents.MTLS_GRANT_ID + "."));
        JWTClaimsSet claims = verifyWithPublishedKeys((String) body.get("access_token"));
        assertEquals(SampleEvents.MTLS_CLIENT_ID, claims.getClaim("client_id"));
        assertEquals(Map.of("x5t#S256", SampleEvents.clientCertThumbprint()), cnf(claims));
        var grant = new Grants(store).find(SampleEvents.MTLS_GRANT_ID, clock.instant()).orElseThrow();
        assertEquals(SampleEvents.clientCertThumbprint(), grant.x5t().orElseThrow());
        assertTrue(grant.dpopJkt().isEmpty());
    }

    @Test
    @DisplayName("RFC 8705 2 events/token-mtls.json without the certificate: 401 invalid_client, the code not spent")
    void tokenMtlsWithoutCertificate() throws Exception {
        SampleTable.mtlsCode(store);
        Map<String, Object> response = invoke(new TokenFunction(components), withoutClientCert(SampleEvents.read("token-mtls.json")));
        assertError(response, 401, "invalid_client");
        assertFalse(codeSpent(SampleEvents.MTLS_CODE));
    }

    @Test
    @DisplayName("RFC 8705 2.2 events/token-mtls.json with another self-signed certificate: 401 invalid_client")
    void tokenMtlsOtherCertificate() throws Exception {
        SampleTable.mtlsCode(store);
        String other = dev.fapi2lambda.core.testing.TestCertificates.pem(
                dev.fapi2lambda.core.testing.TestCertificates.selfSigned("CN=sample-client,O=Example Bank,C=GB").certificate());
        Map<String, Object> response = invoke(new TokenFunction(components),
                withClientCert(SampleEvents.read("token-mtls.json"), other));
        assertError(response, 401, "invalid_client");
        assertNull(store.list("grant#").stream().findAny().orElse(null));
    }
}
