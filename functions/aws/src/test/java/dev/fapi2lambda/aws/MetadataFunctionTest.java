package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** events/discovery.json, events/oauth-metadata.json and events/jwks.json through their functions. */
class MetadataFunctionTest extends FunctionTestSupport {

    @Test
    @DisplayName("C-DISC-1 events/discovery.json: 200 with the configured issuer, endpoints and mTLS aliases")
    void discovery() throws Exception {
        Map<String, Object> response = invoke(new DiscoveryFunction(components), SampleEvents.read("discovery.json"));
        assertProxyShape(response);
        assertEquals(200L, status(response));
        Map<String, Object> body = json(response);
        assertEquals(SampleEvents.ISSUER, body.get("issuer"));
        assertEquals(SampleEvents.ISSUER + "/par", body.get("pushed_authorization_request_endpoint"));
        assertEquals(SampleEvents.ISSUER + "/token", body.get("token_endpoint"));
        assertEquals(SampleEvents.ISSUER + "/jwks", body.get("jwks_uri"));
        Map<String, Object> aliases = JSONObjectUtils.getJSONObject(body, "mtls_endpoint_aliases");
        assertEquals(SampleEvents.MTLS_BASE_URL + "/token", aliases.get("token_endpoint"));
        assertEquals(SampleEvents.MTLS_BASE_URL + "/userinfo", aliases.get("userinfo_endpoint"));
    }

    @Test
    @DisplayName("C-DISC-1 events/oauth-metadata.json (RFC 8414 path): the same document as the OpenID path")
    void oauthMetadata() throws Exception {
        Map<String, Object> response = invoke(new DiscoveryFunction(components), SampleEvents.read("oauth-metadata.json"));
        assertProxyShape(response);
        assertEquals(200L, status(response));
        Map<String, Object> openid = invoke(new DiscoveryFunction(components), SampleEvents.read("discovery.json"));
        assertEquals(json(openid), json(response));
        assertEquals(SampleEvents.ISSUER, json(response).get("issuer"));
    }

    @Test
    @DisplayName("C-DISC-7 events/jwks.json: the sample server's public keys with kid, use and alg, nothing private")
    void jwks() throws Exception {
        Map<String, Object> response = invoke(new JwksFunction(components), SampleEvents.read("jwks.json"));
        assertProxyShape(response);
        assertEquals(200L, status(response));
        JWKSet keys = JWKSet.parse(body(response));
        assertEquals(2, keys.getKeys().size());
        for (JWK expected : SampleEvents.serverKeys()) {
            JWK published = keys.getKeyByKeyId(expected.getKeyID());
            assertEquals(expected.toPublicJWK(), published);
            assertFalse(published.isPrivate());
            assertEquals("sig", published.getKeyUse().identifier());
            assertTrue(published.getAlgorithm() != null);
        }
    }

    @Test
    @DisplayName("events/jwks.json as POST: 405 with Allow, no-store")
    void jwksPost() throws Exception {
        Map<String, Object> response = invoke(new JwksFunction(components), withMethod(SampleEvents.read("jwks.json"), "POST"));
        assertError(response, 405, "invalid_request");
    }
}
