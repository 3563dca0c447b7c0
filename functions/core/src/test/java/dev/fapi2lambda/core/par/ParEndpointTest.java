package dev.fapi2lambda.core.par;

import static dev.fapi2lambda.core.testing.CoreFixture.ISSUER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.testing.Forms;
import dev.fapi2lambda.core.testing.Jwts;
import dev.fapi2lambda.core.testing.OAuthAssertions;
import dev.fapi2lambda.core.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RFC 9126 pushed authorization requests under FAPI 2.0 (C-PAR-1..6, 9, 10). */
class ParEndpointTest {
    private static final String PAR_URL = ISSUER + Paths.PAR;
    private static final String PREFIX = "urn:ietf:params:oauth:request_uri:";
    private final CoreFixture f = new CoreFixture();
    private final ECKey dpopKey = TestKeys.ec();

    /** The valid client-1 parameters with each {@code name, value} pair applied; a null value removes it. */
    private Map<String, String> params(String... pairs) {
        Map<String, String> params = f.validParParams();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                params.remove(pairs[i]);
            } else {
                params.put(pairs[i], pairs[i + 1]);
            }
        }
        return params;
    }

    private Response push(Map<String, String> params) {
        return f.par.handle(CoreFixture.post(Paths.PAR, params));
    }

    private Response push(Map<String, String> params, String dpopProof) {
        return f.par.handle(CoreFixture.post(Paths.PAR, Forms.of(params), Map.of("DPoP", dpopProof)));
    }

    private Response pushBody(byte[] body) {
        return f.par.handle(CoreFixture.request("POST", Paths.PAR,
                Map.of("Content-Type", List.of("application/x-www-form-urlencoded")), body));
    }

    private void assertRejected(int status, String error, Map<String, String> params) {
        OAuthAssertions.assertError(status, error, () -> push(params));
    }

    private static String requestUri(Response response) {
        return (String) OAuthAssertions.json(response).get("request_uri");
    }

    private AuthorizationRequest stored(Response response) {
        return f.pushedRequests.find(requestUri(response), f.clock.instant()).orElseThrow().request();
    }

    private String dpopProof(String htu) {
        return Jwts.dpopProof(dpopKey, "POST", htu, f.clock.instant());
    }

    private String jkt() throws Exception {
        return dpopKey.computeThumbprint().toString();
    }

    private static String sha256Url(String text) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    @Test
    @DisplayName("C-PAR-2 a valid request gets 201 with a >= 128-bit request_uri, expires_in 60 and no-store")
    void successIs201WithRandomRequestUri() {
        Response response = push(params());
        Map<String, Object> body = OAuthAssertions.json(response);
        assertEquals(201, response.status());
        assertEquals("no-store", response.header("Cache-Control"));
        assertEquals(60L, body.get("expires_in"));
        String requestUri = (String) body.get("request_uri");
        assertTrue(requestUri.startsWith(PREFIX), requestUri);
        String random = requestUri.substring(PREFIX.length());
        assertTrue(random.matches("[A-Za-z0-9_-]+"), random);
        assertTrue(Base64.getUrlDecoder().decode(random).length >= 16, random);
    }

    @Test
    @DisplayName("C-PAR-2 the pushed request is stored under par#<base64url(sha256(request_uri))> and never holds the request_uri")
    void storedByHashOfRequestUri() throws Exception {
        String requestUri = requestUri(push(params()));
        Item item = f.store.get("par#" + sha256Url(requestUri), f.clock.instant()).orElseThrow();
        assertEquals(CoreFixture.CLIENT_ID, item.required("clientId"));
        String random = requestUri.substring(PREFIX.length());
        assertFalse(item.pk().contains(random));
        item.attributes().values().forEach(v -> assertFalse(v.toString().contains(random), v::toString));
    }

    @Test
    @DisplayName("C-CRY-1 each pushed request gets a different request_uri")
    void requestUrisDiffer() {
        assertNotEquals(requestUri(push(params())), requestUri(push(params())));
    }

    @Test
    @DisplayName("C-PAR-1 GET is refused with 405 and Allow: POST")
    void getIsMethodNotAllowed() {
        Response response = OAuthAssertions.assertError(405, "invalid_request", () -> f.par.handle(CoreFixture.get(Paths.PAR)));
        assertEquals("POST", response.header("Allow"));
    }

    @Test
    @DisplayName("C-PAR-1 a JSON body is refused with 415 invalid_request")
    void jsonContentTypeIsRefused() {
        OAuthAssertions.assertError(415, "invalid_request", () -> f.par.handle(CoreFixture.post(Paths.PAR,
                Forms.of(params()), Map.of("Content-Type", "application/json"))));
    }

    @Test
    @DisplayName("C-PAR-1 a body over 64 KiB is refused with 413")
    void oversizedBodyIsRefused() {
        String body = Forms.of(params("state", "s".repeat(64 * 1024)));
        OAuthAssertions.assertError(413, "invalid_request", () -> pushBody(body.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    @DisplayName("C-PAR-1 raw bytes that are not UTF-8 are refused with 400 invalid_request")
    void rawInvalidUtf8IsRefused() {
        byte[] valid = (Forms.of(params()) + "&login_hint=").getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(valid, valid.length + 2);
        body[valid.length] = (byte) 0xC3;
        body[valid.length + 1] = (byte) 0x28;
        OAuthAssertions.assertError(400, "invalid_request", () -> pushBody(body));
    }

    @Test
    @DisplayName("C-PAR-1 a percent-encoded byte that is not UTF-8 (%FF) is refused with 400 invalid_request")
    void percentEncodedInvalidUtf8IsRefused() {
        byte[] body = (Forms.of(params()) + "&login_hint=%FF").getBytes(StandardCharsets.US_ASCII);
        OAuthAssertions.assertError(400, "invalid_request", () -> pushBody(body));
    }

    @Test
    @DisplayName("C-PAR-1 a parameter sent twice is refused with 400 invalid_request")
    void duplicatedParameterIsRefused() {
        byte[] body = (Forms.of(params()) + "&scope=openid").getBytes(StandardCharsets.US_ASCII);
        OAuthAssertions.assertError(400, "invalid_request", () -> pushBody(body));
    }

    @Test
    @DisplayName("C-PAR-1 a request without client authentication is refused with 401 invalid_client")
    void missingClientAuthenticationIsRefused() {
        assertRejected(401, "invalid_client", params("client_assertion", null, "client_assertion_type", null));
    }

    @Test
    @DisplayName("C-PAR-3 a request without redirect_uri is refused with 400 invalid_request")
    void missingRedirectUriIsRefused() {
        assertRejected(400, "invalid_request", params("redirect_uri", null));
    }

    @Test
    @DisplayName("C-PAR-3 an unregistered redirect_uri is refused with 400 invalid_request")
    void unregisteredRedirectUriIsRefused() {
        assertRejected(400, "invalid_request", params("redirect_uri", "https://attacker.example.test/cb"));
    }

    @Test
    @DisplayName("C-PAR-3 a registered redirect_uri with a query is accepted and stored exactly, query included")
    void redirectUriQueryIsPreserved() {
        assertEquals(CoreFixture.REDIRECT_URI_WITH_QUERY,
                stored(push(params("redirect_uri", CoreFixture.REDIRECT_URI_WITH_QUERY))).redirectUri());
    }

    @Test
    @DisplayName("C-PAR-3 a registered redirect_uri with its query reordered is refused with 400 invalid_request")
    void redirectUriReorderedQueryIsRefused() {
        assertRejected(400, "invalid_request", params("redirect_uri", "https://client.example.test/cb?dummy2=ipsum&dummy1=lorem"));
    }

    @Test
    @DisplayName("C-PAR-3 an http redirect_uri is refused with 400 invalid_request")
    void httpRedirectUriIsRefused() {
        assertRejected(400, "invalid_request", params("redirect_uri", "http://client.example.test/cb"));
    }

    @Test
    @DisplayName("C-PAR-5 response_type=token is refused with 400 unsupported_response_type")
    void responseTypeTokenIsRefused() {
        assertRejected(400, "unsupported_response_type", params("response_type", "token"));
    }

    @Test
    @DisplayName("C-PAR-5 a request without response_type is refused with 400 invalid_request")
    void missingResponseTypeIsRefused() {
        assertRejected(400, "invalid_request", params("response_type", null));
    }

    @Test
    @DisplayName("C-PAR-4 a request without code_challenge is refused with 400 invalid_request")
    void missingCodeChallengeIsRefused() {
        assertRejected(400, "invalid_request", params("code_challenge", null));
    }

    @Test
    @DisplayName("C-PAR-4 code_challenge_method=plain is refused with 400 invalid_request")
    void plainCodeChallengeIsRefused() {
        assertRejected(400, "invalid_request", params("code_challenge_method", "plain"));
    }

    @Test
    @DisplayName("C-PAR-4 a code_challenge without code_challenge_method is refused with 400 invalid_request")
    void missingCodeChallengeMethodIsRefused() {
        assertRejected(400, "invalid_request", params("code_challenge_method", null));
    }

    @Test
    @DisplayName("C-PAR-6 a request_uri parameter in the pushed body is refused with 400 invalid_request")
    void requestUriInBodyIsRefused() {
        assertRejected(400, "invalid_request", params("request_uri", PREFIX + "abc"));
    }

    @Test
    @DisplayName("C-PAR-5 a scope the client may not use is refused with 400 invalid_scope")
    void disallowedScopeIsRefused() {
        assertRejected(400, "invalid_scope", params("scope", "openid email"));
    }

    @Test
    @DisplayName("C-PAR-10 a 2000-character state and a 64-character nonce are stored intact")
    void longStateAndNonceAreKeptIntact() {
        String state = (" aB0 +/=&%?#~é" + "x".repeat(85) + " ").repeat(20);
        String nonce = (" n-0S6_WzA2Mj+/=&%?#~" + "y".repeat(42) + " ");
        assertEquals(64, nonce.length());
        assertEquals(2000, state.length());
        AuthorizationRequest stored = stored(push(params("state", state, "nonce", nonce)));
        assertEquals(state, stored.state().orElseThrow());
        assertEquals(nonce, stored.nonce().orElseThrow());
    }

    @Test
    @DisplayName("C-PAR-9 a DPoP proof at PAR binds the pushed request to the proof's key")
    void dpopProofBindsItsKey() throws Exception {
        assertEquals(jkt(), stored(push(params(), dpopProof(PAR_URL))).dpopJkt().orElseThrow());
    }

    @Test
    @DisplayName("C-PAR-9 dpop_jkt equal to the DPoP proof's thumbprint is accepted and bound")
    void dpopJktMatchingProofIsAccepted() throws Exception {
        assertEquals(jkt(), stored(push(params("dpop_jkt", jkt()), dpopProof(PAR_URL))).dpopJkt().orElseThrow());
    }

    @Test
    @DisplayName("C-PAR-9 dpop_jkt different from the DPoP proof's key is refused with 400 invalid_dpop_proof")
    void dpopJktNotMatchingProofIsRefused() throws Exception {
        String otherJkt = TestKeys.ec().computeThumbprint().toString();
        OAuthAssertions.assertError(400, "invalid_dpop_proof", () -> push(params("dpop_jkt", otherJkt), dpopProof(PAR_URL)));
    }

    @Test
    @DisplayName("C-PAR-9 dpop_jkt without a DPoP proof binds the pushed request to that thumbprint")
    void dpopJktAloneBinds() throws Exception {
        assertEquals(jkt(), stored(push(params("dpop_jkt", jkt()))).dpopJkt().orElseThrow());
    }

    @Test
    @DisplayName("C-PAR-9 without DPoP or dpop_jkt the pushed request is stored unbound")
    void noDpopLeavesRequestUnbound() {
        assertTrue(stored(push(params())).dpopJkt().isEmpty());
    }

    @Test
    @DisplayName("C-PAR-9 a client registered as DPoP-only that sends neither proof nor dpop_jkt is refused with 400 invalid_request")
    void dpopRequiredClientWithoutBindingIsRefused() throws Exception {
        ECKey key = TestKeys.ec();
        String clientId = f.register("client-dpop", key, true);
        String assertion = Jwts.clientAssertion(key, clientId, ISSUER, f.clock.instant());
        assertRejected(400, "invalid_request", params("client_id", clientId, "client_assertion", assertion));
        String another = Jwts.clientAssertion(key, clientId, ISSUER, f.clock.instant());
        assertEquals(201, push(params("client_id", clientId, "client_assertion", another, "dpop_jkt", jkt())).status());
    }

    @Test
    @DisplayName("C-PAR-9 a DPoP proof whose htu is the token endpoint is refused at PAR with 400 invalid_dpop_proof")
    void dpopProofForTokenEndpointIsRefused() {
        OAuthAssertions.assertError(400, "invalid_dpop_proof", () -> push(params(), dpopProof(ISSUER + Paths.TOKEN)));
    }
}
